// Asks before an action would discard open work (a session replacing the workspace, a table
// replacing a stack's localizations): the caller awaits the user's choice; Escape cancels.
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface Choice<C extends string> {
  id: C;
  label: string;
  primary?: boolean;
}

interface Question {
  title: string;
  body: string;
  choices: Choice<string>[];
  answer(c: string): void;
}

const questionStore = createStore<{ question: Question | null }>()(() => ({ question: null }));

/** Shows the question; resolves with the chosen id, or 'cancel' (a newer question cancels an older one). */
export function askChoice<C extends string>(
  title: string,
  body: string,
  choices: Choice<C>[],
): Promise<C | 'cancel'> {
  questionStore.getState().question?.answer('cancel');
  return new Promise((resolve) => {
    const answer = (c: string) => {
      if (questionStore.getState().question?.answer === answer) questionStore.setState({ question: null });
      resolve(c as C | 'cancel');
    };
    questionStore.setState({ question: { title, body, choices, answer } });
  });
}

export function ChoiceDialog() {
  const q = useStore(questionStore, (s) => s.question);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!q) return;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') q.answer('cancel');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [q]);
  if (!q) return null;
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="choice-title"
        data-testid="choice"
      >
        <h2 id="choice-title">{q.title}</h2>
        <p>{q.body}</p>
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 10, gap: 6 }}>
          {q.choices.map((c) => (
            <button
              key={c.id}
              type="button"
              className={c.primary ? 'btn primary' : 'btn'}
              onClick={() => q.answer(c.id)}
            >
              {c.label}
            </button>
          ))}
          <button ref={cancelRef} type="button" className="btn" onClick={() => q.answer('cancel')}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
