// The one notice area: a stack in its own grid cell under the Results column, above the status
// bar, so it never covers toolbars, tabs, the viewer or results. Newest at the bottom;
// information times out (uiStore), warnings and errors stay until dismissed.
import { useUi } from '../../state/uiStore';

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${n.kind}`}
          role={n.kind === 'info' ? 'status' : 'alert'}
          data-kind={n.kind}
        >
          <div className="body">
            <strong>{n.title}</strong>
            <span>{n.message}</span>
            {n.hint && <span className="muted hint">{n.hint}</span>}
          </div>
          <button type="button" className="close-x" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
