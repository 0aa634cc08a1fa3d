// The image: draws the worker's RGBA at the current zoom/pan, with a scale bar, and reports
// the pixel under the cursor.
import { useEffect, useRef, useState } from 'react';
import { niceScaleBar } from '../../core/display/scaleBar';
import { tilesAt } from '../../core/display/tiles';
import type { RenderResult } from '../../engine/stackService';
import { activeStack, effectiveMeta, useData } from '../../state/dataStore';
import { useFrame } from '../../state/frameStore';
import { useViewer, viewerStore } from '../../state/viewerStore';
import { clearedContext, drawScaleBar, useZoomPanCanvas } from '../canvas/zoomPan';
import { SimulatedCorner } from '../sim/SimulatedBadge';
import { OverlayCanvas } from './OverlayCanvas';
import './overlays.css';

interface Hover {
  sx: number;
  sy: number;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(5);
}

function formatNm(nm: number): string {
  return nm >= 1000 ? `${(nm / 1000).toFixed(2)} µm` : `${nm.toFixed(0)} nm`;
}

const VIEWER_HANDLERS = {
  onResize: (w: number, h: number) => viewerStore.getState().setViewport(w, h),
  zoomAt: (f: number, sx: number, sy: number) => viewerStore.getState().zoomAt(f, sx, sy),
};

export function ViewerCanvas() {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  // The frame at native resolution; the visible canvas scales it.
  const image = useRef<HTMLCanvasElement | null>(null);
  const drawnResult = useRef<RenderResult | null>(null);
  const result = useFrame((s) => s.result);
  const zoom = useViewer((s) => s.zoom);
  const panX = useViewer((s) => s.panX);
  const panY = useViewer((s) => s.panY);
  const viewport = useViewer((s) => s.viewport);
  const st = useData(activeStack);
  const pixelSizeNm = st ? effectiveMeta(st).pixelSizeNm : undefined;
  const [hover, setHover] = useState<Hover | null>(null);
  const [panning, setPanning] = useState(false);

  useZoomPanCanvas(wrap, canvas, VIEWER_HANDLERS);

  useEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    const ctx = clearedContext(canvas.current!, viewport, dpr);
    if (!result) return;
    if (drawnResult.current !== result) {
      const img = image.current ?? document.createElement('canvas');
      image.current = img;
      img.width = result.width;
      img.height = result.height;
      img
        .getContext('2d')!
        .putImageData(
          new ImageData(result.rgba as Uint8ClampedArray<ArrayBuffer>, result.width, result.height),
          0,
          0,
        );
      drawnResult.current = result;
    }
    ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * panX, dpr * panY);
    // Magnified camera pixels must stay crisp squares; minified frames read better smoothed.
    ctx.imageSmoothingEnabled = zoom < 1;
    ctx.drawImage(image.current!, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const bar = pixelSizeNm ? niceScaleBar(pixelSizeNm, zoom) : null;
    if (bar) drawScaleBar(ctx, viewport, bar.screenPx, bar.label);
  }, [result, zoom, panX, panY, viewport, pixelSizeNm]);

  const readout = (() => {
    if (!hover || !result) return null;
    const ix = (hover.sx - panX) / zoom;
    const iy = (hover.sy - panY) / zoom;
    const hits = tilesAt(result.tiles, ix, iy);
    if (hits.length === 0) return null;
    const { px, py } = hits[0];
    const pos = `x ${px}, y ${py} px`;
    const nm = pixelSizeNm
      ? ` (${formatNm((px + 0.5) * pixelSizeNm)}, ${formatNm((py + 0.5) * pixelSizeNm)})`
      : '';
    const values = hits
      .map(({ tile, px, py }) => {
        const v = tile.values[py * tile.width + px];
        return result.tiles.length > 1
          ? `ch${tile.channel + 1} ${formatValue(v)}`
          : `value ${formatValue(v)}`;
      })
      .join(' · ');
    return `${pos}${nm} · ${values}`;
  })();

  return (
    <div ref={wrap} className={`canvas-wrap ${panning ? 'panning' : ''}`}>
      <canvas
        ref={canvas}
        data-testid="viewer-canvas"
        aria-label={result ? `Frame ${result.frame + 1}` : 'No image loaded'}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          setPanning(true);
        }}
        onPointerMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setHover({ sx: e.clientX - r.left, sy: e.clientY - r.top });
          if (panning) viewerStore.getState().panBy(e.movementX, e.movementY);
        }}
        onPointerUp={() => setPanning(false)}
        onPointerCancel={() => setPanning(false)}
        onPointerLeave={() => setHover(null)}
      />
      <OverlayCanvas />
      {result && st && (
        <ChannelLabels
          tiles={result.tiles}
          names={st.info.meta.channelNames}
          zoom={zoom}
          panX={panX}
          panY={panY}
        />
      )}
      {readout && (
        <div className="readout num" data-testid="readout">
          {readout}
        </div>
      )}
      <SimulatedCorner />
      {!st && <EmptyState />}
    </div>
  );
}

/** Which channel is which when channels sit side by side: its name over each panel's corner. */
function ChannelLabels(p: {
  tiles: RenderResult['tiles'];
  names: readonly string[] | undefined;
  zoom: number;
  panX: number;
  panY: number;
}) {
  const sideBySide = p.tiles.length > 1 && new Set(p.tiles.map((t) => t.x0)).size === p.tiles.length;
  if (!sideBySide) return null;
  return (
    <>
      {p.tiles.map((t) => (
        <div
          key={t.channel}
          className="channel-label"
          data-testid="channel-label"
          style={{
            left: Math.max(4, p.panX + t.x0 * p.zoom + 4),
            top: Math.max(4, p.panY + t.y0 * p.zoom + 4),
          }}
        >
          {t.channel + 1} · {p.names?.[t.channel] ?? `channel ${t.channel + 1}`}
        </div>
      ))}
    </>
  );
}

function EmptyState() {
  return (
    <div className="empty">
      <h2>Drop a frame stack anywhere</h2>
      <div>or use “Open your own data…” on the left</div>
      <div className="formats">
        TIFF, OME-TIFF, ImageJ hyperstacks · several files chosen together become one stack
      </div>
      <div className="formats">
        Press <kbd>?</kbd> for keyboard shortcuts
      </div>
    </div>
  );
}
