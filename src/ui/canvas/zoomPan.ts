// The canvas mechanics the raw viewer, the reconstruction and the movie player share: the window
// size reported to the view's store, the wheel zooming about the cursor, the device-pixel canvas
// sized and cleared for a frame, and the scale bar. Zoom and pan maths: src/core/display/view2d.ts.
import { type RefObject, useEffect } from 'react';
import { wheelZoomFactor } from '../../core/display/view2d';

export interface ZoomPanHandlers {
  /** The canvas's box changed (CSS px). */
  onResize(w: number, h: number): void;
  /** Zoom by `factor` about screen point (sx, sy), CSS px from the canvas's top left. */
  zoomAt(factor: number, sx: number, sy: number): void;
}

/**
 * Watches `wrap`'s size and zooms on the wheel over `canvas`. Pass stable handlers (module
 * constants calling the store): new functions would re-subscribe on every render.
 */
export function useZoomPanCanvas(
  wrap: RefObject<HTMLElement | null>,
  canvas: RefObject<HTMLCanvasElement | null>,
  handlers: ZoomPanHandlers,
): void {
  const { onResize, zoomAt } = handlers;
  useEffect(() => {
    const el = wrap.current!;
    const ro = new ResizeObserver(() => onResize(el.clientWidth, el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [wrap, onResize]);
  // Wheel must be a non-passive listener to stop the page from scrolling.
  useEffect(() => {
    const el = canvas.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(wheelZoomFactor(e.deltaY), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [canvas, zoomAt]);
}

/** Sizes the canvas to `viewport` (CSS px) × `dpr` and clears it; returns its 2-D context. */
export function clearedContext(
  c: HTMLCanvasElement,
  viewport: { w: number; h: number },
  dpr: number,
): CanvasRenderingContext2D {
  const w = Math.max(1, Math.round(viewport.w * dpr));
  const h = Math.max(1, Math.round(viewport.h * dpr));
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  const ctx = c.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

/** A scale bar `widthPx` long, labelled, in the bottom-right corner (context in CSS px). */
export function drawScaleBar(
  ctx: CanvasRenderingContext2D,
  viewport: { w: number; h: number },
  widthPx: number,
  label: string,
): void {
  const x = viewport.w - 16 - widthPx;
  const y = viewport.h - 18;
  ctx.fillStyle = 'rgba(0,0,0,0.55)';
  ctx.fillRect(x - 6, y - 18, widthPx + 12, 28);
  ctx.fillStyle = '#fff';
  ctx.fillRect(x, y, widthPx, 4);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(label, x + widthPx / 2, y - 5);
}
