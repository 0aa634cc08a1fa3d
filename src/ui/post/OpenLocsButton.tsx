// "Open localizations…": picks a localization file (ThunderSTORM CSV, Picasso HDF5 with its
// .yaml, .smlm, rapidSTORM, Nanoimager, Elyra) and loads it for the stack on screen.
import { useRef, useState } from 'react';
import { useUi } from '../../state/uiStore';
import { locsActions, postRuntime } from './postRuntime';

const ACCEPT = '.csv,.txt,.hdf5,.h5,.yaml,.yml,.smlm';

export function OpenLocsButton({ className = 'btn small' }: { className?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const setStep = useUi((s) => s.setActiveStep);
  const setView = useUi((s) => s.setCentreView);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={busy !== null}
        title={
          'Load localizations for the stack on screen: ThunderSTORM CSV, Picasso HDF5 (select the .hdf5 ' +
          'and its .yaml together — the YAML holds the pixel size), DECODE .h5, .smlm, rapidSTORM, Nanoimager CSV ' +
          'or Zeiss Elyra text'
        }
        onClick={() => input.current?.click()}
      >
        {busy ? `Reading ${busy}…` : 'Open localizations…'}
      </button>
      <input
        ref={input}
        className="sr-only"
        type="file"
        accept={ACCEPT}
        multiple
        tabIndex={-1}
        aria-hidden="true"
        data-testid="locs-input"
        onChange={async (e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length === 0) return;
          postRuntime();
          setBusy(files.map((f) => f.name).join(' + '));
          const n = await locsActions.importFiles(files.map((f) => ({ name: f.name, blob: f })));
          setBusy(null);
          if (n !== null) {
            setStep('post');
            setView('reconstruction');
          }
        }}
      />
    </>
  );
}
