import { useUi } from '../../state/uiStore';

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'info' ? 'status' : 'alert'}>
          <div className="body">
            <strong>{n.title}</strong>
            <span>{n.message}</span>
            {n.hint && (
              <span className="muted" style={{ display: 'block', fontSize: 12 }}>
                {n.hint}
              </span>
            )}
          </div>
          <button type="button" className="close-x" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
