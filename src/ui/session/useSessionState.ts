import { useSession } from '../../state/sessionStore';

/** The Session step's label in the pipeline: review, saving, saved or not yet. */
export function useSessionStateLabel(): string {
  const mode = useSession((s) => s.mode);
  const state = useSession((s) => s.autosave.state);
  if (mode === 'review') return 'review';
  return state === 'saved'
    ? 'autosaved'
    : state === 'saving'
      ? 'saving…'
      : state === 'failed'
        ? 'not saved'
        : 'new';
}
