// The Session step (left): title and notes, Save / Open session file, Copy link, review mode
// with Fork to edit, raw files to re-attach, and the recent (autosaved) sessions.
import { useEffect, useRef, useState } from 'react';
import {
  deleteRecent,
  downloadSession,
  forkSession,
  openRecent,
  openSession,
  reattachFiles,
  refreshRecent,
} from '../../state/sessionActions';
import { linkHash } from '../../state/sessionLink';
import { sessionStore, useSession } from '../../state/sessionStore';
import { uiStore } from '../../state/uiStore';
import { clockTime, formatBytes, formatTime } from './format';
import './session.css';

export function SessionPanel() {
  const mode = useSession((s) => s.mode);
  const title = useSession((s) => s.title);
  const notes = useSession((s) => s.notes);
  const source = useSession((s) => s.sourceName);
  const missing = useSession((s) => s.missing);
  const recent = useSession((s) => s.recent);
  const currentId = useSession((s) => s.id);
  const [busy, setBusy] = useState<string | null>(null);
  const openRef = useRef<HTMLInputElement>(null);
  const attachRef = useRef<HTMLInputElement>(null);
  const set = sessionStore.getState().set;
  useEffect(() => {
    void refreshRecent();
  }, []);

  const save = async () => {
    setBusy('Saving…');
    await downloadSession();
    setBusy(null);
  };
  const copyLink = async () => {
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}${linkHash()}`;
    try {
      await navigator.clipboard.writeText(url);
      uiStore
        .getState()
        .notify(
          'info',
          'Link copied',
          'It carries every step’s parameters and the view, not the data: whoever opens it is told to open the session file or the stack to see results.',
        );
    } catch {
      window.history.replaceState(null, '', url);
      uiStore
        .getState()
        .notify(
          'info',
          'Link in the address bar',
          'The clipboard is not available here: copy the address bar.',
        );
    }
  };

  return (
    <section className="section session-panel" aria-labelledby="session-title">
      <h2 id="session-title">
        Session{' '}
        {mode === 'review' && (
          <span className="review-badge" data-testid="review-badge">
            Review mode
          </span>
        )}
      </h2>
      {mode === 'review' && (
        <p className="muted" style={{ fontSize: 12 }}>
          Reviewing <b>{source}</b> as received. Views change freely; changing an analysis parameter (or Fork
          to edit) makes an editable copy.{' '}
          <button
            type="button"
            className="btn small"
            onClick={() => forkSession()}
            data-testid="fork-session"
          >
            Fork to edit
          </button>
        </p>
      )}
      <label className="stacked" htmlFor="session-name">
        Title
      </label>
      <input
        id="session-name"
        className="title-input"
        value={title}
        maxLength={200}
        placeholder="e.g. HeLa + EV uptake, coverslip 3"
        title="Names the session file and the autosave entry"
        readOnly={mode === 'review'}
        onChange={(e) => set({ title: e.target.value })}
      />
      <label className="stacked" htmlFor="session-notes">
        Notes
      </label>
      <textarea
        id="session-notes"
        value={notes}
        maxLength={100_000}
        placeholder="What was done and why; travels with the session file"
        readOnly={mode === 'review'}
        onChange={(e) => set({ notes: e.target.value })}
        data-testid="session-notes"
      />
      <div className="actions">
        <button
          type="button"
          className="btn primary"
          onClick={save}
          disabled={busy !== null}
          title="Download a .smlm session file (ShareLoc-compatible): inputs by fingerprint, every parameter, the localizations and the view (Ctrl/⌘+S)"
          data-testid="save-session"
        >
          {busy ?? 'Save session…'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => openRef.current?.click()}
          title="Open a .smlm session file for review (also: drop it anywhere on the window)"
          data-testid="open-session"
        >
          Open session…
        </button>
        <button
          type="button"
          className="btn"
          onClick={copyLink}
          title="A link with every step’s parameters and the view (not the data: send the session file for the results)"
          data-testid="copy-link"
        >
          Copy link
        </button>
        <input
          ref={openRef}
          type="file"
          accept=".smlm,.zip"
          hidden
          data-testid="open-session-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void openSession(f);
          }}
        />
      </div>
      {missing.length > 0 && (
        <div className="session-missing" data-testid="session-missing">
          <b>Raw data not attached</b> — results, plots and reconstructions show; frames do not. Drop the
          files on the window (or attach them) to re-attach; they are recognised by content fingerprint.
          <ul>
            {missing.map((m) => (
              <li key={m.stack}>
                {m.label}: {m.inputs.map((i) => `${i.name} (${formatBytes(i.size)})`).join(', ')}
              </li>
            ))}
          </ul>
          <button type="button" className="btn small" onClick={() => attachRef.current?.click()}>
            Attach raw files…
          </button>
          <input
            ref={attachRef}
            type="file"
            multiple
            hidden
            onChange={async (e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              const rest = await reattachFiles(files);
              if (rest.length)
                uiStore
                  .getState()
                  .notify(
                    'warning',
                    `${rest.length} file(s) did not match`,
                    rest.map((f) => f.name).join(', '),
                    'Choose the acquisitions this session was made from.',
                  );
            }}
          />
        </div>
      )}
      <h2 style={{ marginTop: 12 }}>Recent sessions</h2>
      {recent.length === 0 ? (
        <p className="muted" style={{ fontSize: 12 }}>
          Sessions autosave in this browser while you work; they appear here.
        </p>
      ) : (
        <table className="session-list" data-testid="recent-sessions">
          <tbody>
            {recent.map((r) => (
              <tr key={r.id}>
                <td title={r.stacks.join(', ')}>
                  {r.id === currentId ? (
                    <b>{r.title || r.stacks[0] || 'untitled'} (current)</b>
                  ) : (
                    r.title || r.stacks[0] || 'untitled'
                  )}
                  <div className="muted">
                    {formatTime(r.saved)} · {r.localizations.toLocaleString('en-US')} locs ·{' '}
                    {formatBytes(r.bytes)}
                  </div>
                </td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <button
                    type="button"
                    className="btn small"
                    disabled={r.id === currentId}
                    onClick={() => void openRecent(r.id)}
                    title={`Reopen the session saved ${clockTime(r.saved)}`}
                  >
                    Open
                  </button>{' '}
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => void deleteRecent(r.id)}
                    title="Delete this autosave from the browser"
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
