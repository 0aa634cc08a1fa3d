import { useUi } from '../../state/uiStore';

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <div className="body">
            <strong>{n.kind === 'error' ? `Could not open ${n.subject}` : n.subject}</strong>
            <span>{n.message}</span>
            {n.kind === 'error' && (
              <span className="muted" style={{ display: 'block', fontSize: 12 }}>
                Data already loaded are unchanged. Choose another file, or re-export this one as TIFF.
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
