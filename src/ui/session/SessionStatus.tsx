// The status bar's Session slot: autosave state, review badge, and "Start fresh" after a reload
// brought the last session back. Mounting it starts autosave and the start-up restore (once).
import { useEffect } from 'react';
import { bootSession, startAutosave, startFresh } from '../../state/sessionActions';
import { useSession } from '../../state/sessionStore';
import { demoFromUrl } from '../../state/simulationActions';
import { uiStore } from '../../state/uiStore';
import { clockTime, formatBytes } from './format';
import './session.css';

let booted = false;

export function SessionStatus() {
  const autosave = useSession((s) => s.autosave);
  const mode = useSession((s) => s.mode);
  const restoredAt = useSession((s) => s.restoredAt);
  useEffect(() => {
    if (booted) return;
    booted = true;
    startAutosave();
    void bootSession(window.location);
  }, []);
  const text =
    autosave.state === 'saving'
      ? 'saving…'
      : autosave.state === 'saved' && autosave.at
        ? `saved ${clockTime(autosave.at)}`
        : autosave.state === 'failed'
          ? 'autosave failed'
          : autosave.state === 'unavailable'
            ? 'no browser storage'
            : 'not saved yet';
  const hint =
    autosave.state === 'saved'
      ? `Autosaved in this browser (${formatBytes(autosave.bytes)}${autosave.written !== undefined ? `, the last save wrote ${formatBytes(autosave.written)} that changed` : ''}); it comes back after a reload. Ctrl/⌘+S saves a file.`
      : (autosave.error ?? 'Autosaves 2 s after a change (at least every 10 s while you work).');
  return (
    <span className="session-slot" title={hint} data-testid="session-status">
      {mode === 'review' && <span className="review-badge">Review mode</span>}
      Session:{' '}
      <b className={autosave.state === 'failed' ? 'invalid' : ''} data-state={autosave.state}>
        {restoredAt && autosave.state !== 'saving' ? `restored (saved ${clockTime(restoredAt)})` : text}
      </b>
      {restoredAt && (
        <button
          type="button"
          className="btn small"
          title="Begin a new session on the demo; the restored one stays in Recent sessions"
          onClick={() => {
            void startFresh(demoFromUrl(window.location.search));
            uiStore
              .getState()
              .notify(
                'info',
                'Started a fresh session',
                'The previous one is in Recent sessions (Session step).',
              );
          }}
          data-testid="start-fresh"
        >
          Start fresh
        </button>
      )}
    </span>
  );
}
