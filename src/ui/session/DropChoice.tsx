// A session file dropped while work is open would replace the whole workspace: ask first.
// "Add localizations as a table" keeps everything open and adds the file's table as an input.
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type DropChoice = 'replace' | 'table' | 'cancel';

interface Pending {
  fileName: string;
  answer(c: DropChoice): void;
}

const pendingStore = createStore<{ pending: Pending | null }>()(() => ({ pending: null }));

/** Shows the dialog and resolves with the user's choice (a second drop cancels the first). */
export function askDropChoice(fileName: string): Promise<DropChoice> {
  pendingStore.getState().pending?.answer('cancel');
  return new Promise((resolve) => {
    const answer = (c: DropChoice) => {
      if (pendingStore.getState().pending?.answer === answer) pendingStore.setState({ pending: null });
      resolve(c);
    };
    pendingStore.setState({ pending: { fileName, answer } });
  });
}

export function DropChoiceDialog() {
  const pending = useStore(pendingStore, (s) => s.pending);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!pending) return;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') pending.answer('cancel');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending]);
  if (!pending) return null;
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="drop-choice-title"
        data-testid="drop-choice"
      >
        <h2 id="drop-choice-title">Open {pending.fileName}?</h2>
        <p>
          It is a session file. Opening it as a session replaces the whole workspace: every open stack and
          table, and the results made from them, are closed. Or add only its localizations, as a table next to
          what is open.
        </p>
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 10, gap: 6 }}>
          <button type="button" className="btn" onClick={() => pending.answer('replace')}>
            Replace workspace
          </button>
          <button type="button" className="btn primary" onClick={() => pending.answer('table')}>
            Add localizations as a table
          </button>
          <button ref={cancelRef} type="button" className="btn" onClick={() => pending.answer('cancel')}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
