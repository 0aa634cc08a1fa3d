// The reconstruction: the post-processed localizations rendered in the render worker for the
// visible region at screen resolution, redrawn with the old image transformed while a new one
// renders (so pan and zoom stay smooth), with a scale bar, a cursor readout in nm, and
// rectangles drawn for region filters and fiducial picks.
import { useEffect, useMemo, useRef, useState } from 'react';
import { contrastingColours } from '../../core/color/lut';
import type { PostStep } from '../../core/locs/pipeline';
import type { Region } from '../../core/locs/region';
import { colormap } from '../../core/render/colormap';
import { scaleBar } from '../../core/render/scaleBar';
import { useLocs } from '../../state/locsStore';
import { postStore, usePost } from '../../state/postStore';
import { reconStore, screenToNm, useRecon } from '../../state/reconStore';
import { clearedContext, drawScaleBar, useZoomPanCanvas } from '../canvas/zoomPan';
import { postRuntime } from '../post/postRuntime';
import { ReconToolbar } from './ReconToolbar';
import './recon.css';

type Rect = { x0: number; y0: number; x1: number; y1: number };

function formatNm(nm: number): string {
  return Math.abs(nm) >= 10_000 ? `${(nm / 1000).toFixed(2)} µm` : `${nm.toFixed(0)} nm`;
}

function regionsOf(steps: PostStep[]): { rect: Rect; kind: 'region' | 'fiducial' }[] {
  const out: { rect: Rect; kind: 'region' | 'fiducial' }[] = [];
  const add = (r: Region, kind: 'region' | 'fiducial') => {
    if (r.kind === 'rect') out.push({ rect: r, kind });
  };
  for (const s of steps) {
    if (s.enabled === false) continue;
    if (s.kind === 'region') add(s.region, 'region');
    if (s.kind === 'drift' && s.method === 'fiducial')
      for (const r of s.options?.regions ?? []) add(r, 'fiducial');
  }
  return out;
}

/** Hands a drawn rectangle to the step that asked for it. */
function applyDrawn(rect: Rect) {
  const { draw, drawStep } = reconStore.getState();
  const post = postStore.getState();
  const step = post.steps[drawStep];
  const region: Region = { kind: 'rect', ...rect };
  if (draw === 'region' && step?.kind === 'region') post.updateStep(drawStep, { ...step, region });
  else if (draw === 'fiducial' && step?.kind === 'drift' && step.method === 'fiducial')
    post.updateStep(drawStep, {
      ...step,
      options: { ...step.options, regions: [...(step.options?.regions ?? []), region] },
    });
  // Fiducial picking continues (several beads); a region is one rectangle.
  if (draw === 'region') reconStore.getState().setDraw(null);
}

const RECON_HANDLERS = {
  onResize: (w: number, h: number) => reconStore.getState().setViewport(w, h, window.devicePixelRatio || 1),
  zoomAt: (f: number, sx: number, sy: number) => reconStore.getState().zoomAt(f, sx, sy),
};

export function ReconView() {
  useEffect(() => void postRuntime(), []);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const bitmap = useRef<{ src: object; canvas: HTMLCanvasElement } | null>(null);
  const image = useRecon((s) => s.image);
  const cx = useRecon((s) => s.cx);
  const cy = useRecon((s) => s.cy);
  const nmPerPx = useRecon((s) => s.nmPerPx);
  const viewport = useRecon((s) => s.viewport);
  const showBar = useRecon((s) => s.scaleBar);
  const draw = useRecon((s) => s.draw);
  const error = useRecon((s) => s.error);
  // Region and fiducial rectangles in the colours that stand out most from the map shown.
  const map = useRecon((s) => (s.settings.colorBy ? 'hue' : s.settings.colormap));
  const rectColours = useMemo(
    () => contrastingColours([colormap(map)], 2).map(([r, g, b]) => `rgb(${r},${g},${b})`),
    [map],
  );
  const steps = usePost((s) => s.steps);
  const count = useLocs((s) => s.count);
  const [hover, setHover] = useState<{ sx: number; sy: number } | null>(null);
  const [drag, setDrag] = useState<{
    sx: number;
    sy: number;
    ex: number;
    ey: number;
    mode: 'pan' | 'rect';
  } | null>(null);

  useZoomPanCanvas(wrap, canvas, RECON_HANDLERS);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && reconStore.getState().draw) reconStore.getState().setDraw(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const dpr = viewport.dpr;
    const ctx = clearedContext(canvas.current!, viewport, dpr);
    const toScreen = (x: number, y: number) => [
      (x - cx) / nmPerPx + viewport.w / 2,
      (y - cy) / nmPerPx + viewport.h / 2,
    ];
    if (image) {
      if (bitmap.current?.src !== image) {
        const off = bitmap.current?.canvas ?? document.createElement('canvas');
        off.width = image.width;
        off.height = image.height;
        off
          .getContext('2d')!
          .putImageData(
            new ImageData(image.rgba as Uint8ClampedArray<ArrayBuffer>, image.width, image.height),
            0,
            0,
          );
        bitmap.current = { src: image, canvas: off };
      }
      const [sx, sy] = toScreen(image.view.x0, image.view.y0);
      const scale = image.view.pixelNm / nmPerPx;
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * sx, dpr * sy);
      // Zoomed past 1 nm per device pixel the render pixels are magnified: keep them crisp.
      ctx.imageSmoothingEnabled = scale < 1;
      ctx.drawImage(bitmap.current!.canvas, 0, 0);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineWidth = 1.5;
    for (const { rect, kind } of regionsOf(steps)) {
      const [x0, y0] = toScreen(rect.x0, rect.y0);
      const [x1, y1] = toScreen(rect.x1, rect.y1);
      ctx.strokeStyle = kind === 'region' ? rectColours[0] : rectColours[1];
      ctx.setLineDash([6, 4]);
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    }
    ctx.setLineDash([]);
    if (drag?.mode === 'rect') {
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(drag.sx, drag.sy, drag.ex - drag.sx, drag.ey - drag.sy);
    }
    if (showBar && image) {
      const bar = scaleBar(nmPerPx, viewport.w, 0.2);
      drawScaleBar(ctx, viewport, bar.widthPx, bar.label);
    }
  }, [image, cx, cy, nmPerPx, viewport, showBar, steps, drag, rectColours]);

  const readout = (() => {
    if (!hover) return null;
    const p = screenToNm(reconStore.getState(), hover.sx, hover.sy);
    return `x ${formatNm(p.x)}, y ${formatNm(p.y)}`;
  })();

  const local = (e: React.PointerEvent) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { sx: e.clientX - r.left, sy: e.clientY - r.top };
  };

  return (
    <>
      <ReconToolbar />
      <div
        ref={wrap}
        className={`canvas-wrap recon-wrap ${drag?.mode === 'pan' ? 'panning' : ''} ${draw ? 'drawing' : ''}`}
      >
        <canvas
          ref={canvas}
          data-testid="recon-canvas"
          aria-label={image ? `Reconstruction, ${image.count} localizations` : 'No reconstruction yet'}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            const { sx, sy } = local(e);
            setDrag({ sx, sy, ex: sx, ey: sy, mode: draw || e.shiftKey ? 'rect' : 'pan' });
          }}
          onPointerMove={(e) => {
            const { sx, sy } = local(e);
            setHover({ sx, sy });
            if (!drag) return;
            if (drag.mode === 'pan') reconStore.getState().panBy(e.movementX, e.movementY);
            setDrag({ ...drag, ex: sx, ey: sy });
          }}
          onPointerUp={() => {
            if (drag?.mode === 'rect' && Math.abs(drag.ex - drag.sx) > 3 && Math.abs(drag.ey - drag.sy) > 3) {
              const s = reconStore.getState();
              const a = screenToNm(s, Math.min(drag.sx, drag.ex), Math.min(drag.sy, drag.ey));
              const b = screenToNm(s, Math.max(drag.sx, drag.ex), Math.max(drag.sy, drag.ey));
              const q = (v: number) => Math.round(v);
              if (s.draw) applyDrawn({ x0: q(a.x), y0: q(a.y), x1: q(b.x), y1: q(b.y) });
              else
                postStore.getState().addStep({
                  kind: 'region',
                  region: { kind: 'rect', x0: q(a.x), y0: q(a.y), x1: q(b.x), y1: q(b.y) },
                });
            }
            setDrag(null);
          }}
          onPointerCancel={() => setDrag(null)}
          onPointerLeave={() => setHover(null)}
        />
        {readout && (
          <div className="readout num" data-testid="recon-readout">
            {readout}
            {image ? ` · rendered at ${image.view.pixelNm.toPrecision(3)} nm/px` : ''}
          </div>
        )}
        {draw && (
          <div className="recon-banner" role="status">
            {draw === 'region'
              ? 'Drag a rectangle for the region filter'
              : 'Drag rectangles around fiducial beads'}{' '}
            ·{' '}
            <button type="button" className="btn small" onClick={() => reconStore.getState().setDraw(null)}>
              Done (Esc)
            </button>
          </div>
        )}
        {count === 0 && (
          <div className="empty">
            <h2>No localizations yet</h2>
            <div>Run Localize, or open a ThunderSTORM CSV from the Data or Post-process step.</div>
          </div>
        )}
        {error && count > 0 && (
          <div className="recon-error" role="alert">
            Rendering failed: {error}
          </div>
        )}
      </div>
    </>
  );
}
