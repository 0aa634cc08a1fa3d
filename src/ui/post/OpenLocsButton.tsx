// "Open localizations…": picks a localization file (ThunderSTORM CSV, Picasso HDF5 with its
// .yaml, .smlm, rapidSTORM, Nanoimager, Elyra) and loads it for the stack on screen.
import { useRef, useState } from 'react';
import { activeStack, dataStore } from '../../state/dataStore';
import { locsStore } from '../../state/locsStore';
import { useUi } from '../../state/uiStore';
import { askChoice } from '../shell/ChoiceDialog';
import { locsActions, postRuntime } from './postRuntime';

const ACCEPT = '.csv,.txt,.hdf5,.h5,.yaml,.yml,.smlm';

/** Onto the stack on screen, unless that would discard its localizations: then ask. */
async function importWhere(names: string): Promise<'stack' | 'table' | 'cancel'> {
  const st = activeStack(dataStore.getState());
  const l = locsStore.getState();
  if (!st || l.stackId !== st.info.id || l.count === 0) return 'stack';
  return askChoice(
    `Open ${names}?`,
    `${st.info.name} already has ${l.count.toLocaleString('en-US')} localizations. Loading the file for it replaces them (and what was made from them); adding it as a table keeps them and opens the file as an input of its own.`,
    [
      { id: 'stack', label: `Replace the localizations of ${st.info.name}` },
      { id: 'table', label: 'Add as a table', primary: true },
    ],
  );
}

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
          const where = await importWhere(files.map((f) => f.name).join(' + '));
          if (where === 'cancel') return;
          postRuntime();
          setBusy(files.map((f) => f.name).join(' + '));
          const n = await locsActions.importFiles(
            files.map((f) => ({ name: f.name, blob: f })),
            where === 'table',
          );
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
