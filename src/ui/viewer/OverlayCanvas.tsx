// Draws the registered overlays (overlays.ts) on a canvas above the image, with the viewer's
// zoom and pan, and a legend to toggle each one.
import { useEffect, useRef } from 'react';
import { useViewer } from '../../state/viewerStore';
import { clearedContext } from '../canvas/zoomPan';
import { type OverlayView, overlayStore, useOverlays } from './overlays';

export function OverlayCanvas() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlays = useOverlays((s) => s.overlays);
  const hidden = useOverlays((s) => s.hidden);
  const zoom = useViewer((s) => s.zoom);
  const panX = useViewer((s) => s.panX);
  const panY = useViewer((s) => s.panY);
  const viewport = useViewer((s) => s.viewport);

  useEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    const ctx = clearedContext(canvas.current!, viewport, dpr);
    const view: OverlayView = { zoom, panX, panY, width: viewport.w, height: viewport.h };
    for (const o of overlays) {
      if (hidden[o.id]) continue;
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      o.draw(ctx, view);
      ctx.restore();
    }
  }, [overlays, hidden, zoom, panX, panY, viewport]);

  return (
    <>
      <canvas ref={canvas} className="overlay-canvas" data-testid="overlay-canvas" />
      {overlays.length > 0 && (
        <fieldset className="overlay-legend" aria-label="Overlays">
          {overlays.map((o) => (
            <label key={o.id} title={`Show or hide: ${o.label}`}>
              <input
                type="checkbox"
                checked={!hidden[o.id]}
                onChange={(e) => overlayStore.getState().setVisible(o.id, e.target.checked)}
              />
              <span className="swatch" style={{ background: o.color }} />
              {o.label}
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
