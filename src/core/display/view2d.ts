// Zoom and pan of a 2-D image in a canvas, shared by the raw viewer, the reconstruction and the
// movie player: screen = pan + image · zoom (CSS pixels). Pure maths, so the views cannot drift
// apart in how the wheel zooms or how far an image can be dragged.

export interface View2D {
  zoom: number;
  panX: number;
  panY: number;
}

export interface Size {
  w: number;
  h: number;
}

export interface ZoomLimits {
  min: number;
  max: number;
}

/** The raw viewer's and the movie's bounds: 1/32 to 64 screen pixels per image pixel. */
export const IMAGE_ZOOM: ZoomLimits = { min: 1 / 32, max: 64 };

/** Space left around an image fitted to its window (CSS px). */
export const FIT_MARGIN = 16;

/** Screen pixels of an image kept inside the window when panning, so it cannot be lost. */
export const PAN_KEEP_PX = 48;

/** The zoom factor of one wheel event: a notch (deltaY ≈ 100) is about ×0.86 or ×1.16. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

export function clampZoom(zoom: number, limits: ZoomLimits): number {
  return Math.max(limits.min, Math.min(limits.max, zoom));
}

/** The image point under screen point (sx, sy). */
export function screenToImage(v: View2D, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.panX) / v.zoom, y: (sy - v.panY) / v.zoom };
}

/** Zooms by `factor` (clamped to `limits`) keeping the image point under (ax, ay) where it is. */
export function zoomAbout(v: View2D, factor: number, ax: number, ay: number, limits: ZoomLimits): View2D {
  const zoom = clampZoom(v.zoom * factor, limits);
  const p = screenToImage(v, ax, ay);
  return { zoom, panX: ax - p.x * zoom, panY: ay - p.y * zoom };
}

/** The largest zoom showing all of `image` inside `viewport` less the margin, centred. */
export function fitView(viewport: Size, image: Size, limits: ZoomLimits, margin = FIT_MARGIN): View2D {
  if (image.w <= 0 || image.h <= 0) return { zoom: 1, panX: 0, panY: 0 };
  const aw = Math.max(1, viewport.w - 2 * margin);
  const ah = Math.max(1, viewport.h - 2 * margin);
  const zoom = clampZoom(Math.min(aw / image.w, ah / image.h), limits);
  return { zoom, panX: (viewport.w - image.w * zoom) / 2, panY: (viewport.h - image.h * zoom) / 2 };
}

/** One axis: the pan that keeps `keep` screen px of an extent `span` (screen px) inside [0, size]. */
function clampAxis(pan: number, span: number, size: number, keep: number): number {
  const k = Math.min(keep, span, size);
  return Math.max(k - span, Math.min(size - k, pan));
}

/**
 * Pans by (dx, dy) screen px, stopping where only `keep` px of the image (or all of it, if
 * smaller) would still be in the window. A window of size 0 (not laid out yet) does not clamp.
 */
export function panView(
  v: View2D,
  dx: number,
  dy: number,
  viewport: Size,
  image: Size,
  keep = PAN_KEEP_PX,
): View2D {
  const panX = v.panX + dx;
  const panY = v.panY + dy;
  if (viewport.w <= 0 || viewport.h <= 0 || image.w <= 0 || image.h <= 0) return { zoom: v.zoom, panX, panY };
  return {
    zoom: v.zoom,
    panX: clampAxis(panX, image.w * v.zoom, viewport.w, keep),
    panY: clampAxis(panY, image.h * v.zoom, viewport.h, keep),
  };
}
