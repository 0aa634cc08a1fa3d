import { activeStack, useData } from '../../state/dataStore';
import { useFrame } from '../../state/frameStore';
import { useUi } from '../../state/uiStore';
import { useViewer, viewerStore } from '../../state/viewerStore';
import { ZoomControls } from '../canvas/ZoomControls';

export function ViewerToolbar() {
  const zoom = useViewer((s) => s.zoom);
  const layout = useViewer((s) => s.layout);
  const channel = useViewer((s) => s.channel);
  const channels = useData((s) => activeStack(s)?.info.channels ?? 0);
  const frame = useFrame((s) => s.result?.frame);
  const error = useFrame((s) => s.error);
  const setShortcuts = useUi((s) => s.setShortcutsOpen);
  const v = viewerStore.getState();
  const none = channels === 0;
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="View">
      <ZoomControls
        disabled={none}
        scale={`${Math.round(zoom * 100)}%`}
        scaleTitle="Zoom (screen px per camera px)"
        zoomAt={(f) => v.zoomAt(f)}
        fit={() => v.fitToWindow()}
        fitTitle="Fit to window (0)"
        oneToOne={{ title: 'Show camera pixels 1:1', run: () => v.zoomAt(1 / zoom) }}
        keyHints
      />
      {channels > 1 && (
        <>
          <span className="sep" />
          <label className="row">
            <span className="muted">Channels</span>
            <select value={layout} onChange={(e) => v.setLayout(e.target.value as typeof layout)}>
              <option value="overlay">overlay</option>
              <option value="side-by-side">side by side</option>
              <option value="single">one at a time</option>
            </select>
          </label>
          {layout === 'single' && (
            <select
              aria-label="Channel shown"
              value={channel}
              onChange={(e) => v.setChannel(Number(e.target.value))}
            >
              {Array.from({ length: channels }, (_, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: channels are identified by index
                <option key={c} value={c}>
                  channel {c + 1}
                </option>
              ))}
            </select>
          )}
        </>
      )}
      <span className="spacer" />
      {error && (
        <span role="alert" style={{ color: 'var(--danger)' }}>
          Frame {frame !== undefined ? frame + 1 : ''} could not be shown: {error}
        </span>
      )}
      <button
        type="button"
        className="btn icon"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={() => setShortcuts(true)}
      >
        ?
      </button>
    </div>
  );
}
