// "Open localizations (CSV)…": picks a ThunderSTORM CSV and loads it for the stack on screen.
import { useRef, useState } from 'react';
import { useUi } from '../../state/uiStore';
import { locsActions, postRuntime } from './postRuntime';

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
        title="Load a ThunderSTORM CSV (frame, x [nm], y [nm], …) as the localizations of the stack on screen"
        onClick={() => input.current?.click()}
      >
        {busy ? `Reading ${busy}…` : 'Open localizations (CSV)…'}
      </button>
      <input
        ref={input}
        className="sr-only"
        type="file"
        accept=".csv,.txt"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="locs-input"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!file) return;
          postRuntime();
          setBusy(file.name);
          const n = await locsActions.importCsv(file, file.name);
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
