// The reconstruction view: render settings, where the view looks (centre and scale in nm, so
// zooming re-renders at the visible resolution instead of magnifying a fixed image), and the
// last image the render worker returned. The render pixel follows the zoom: one device pixel,
// never finer than MIN_PIXEL_NM.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { type View2D, type ZoomLimits, zoomAbout } from '../core/display/view2d';
import { DEFAULT_RECON, type ReconSettings } from '../core/render/reconstruct';
import type { RenderView } from '../core/render/view';
import type { RenderedImage } from '../engine/renderService';
import { registerResults } from './inputResults';

/** Finest render pixel (nm) the workbench offers. */
export const MIN_PIXEL_NM = 1;
export const FIT_MARGIN_PX = 16;
/** Zoom limits, nm per screen pixel. */
export const MIN_NM_PER_PX = 0.25;
export const MAX_NM_PER_PX = 5000;

export type DrawMode = null | 'region' | 'fiducial';

export interface ReconState {
  settings: ReconSettings;
  /** Render pixel of exports (nm). The view's own follows the zoom (renderPixelNm). */
  pixelNm: number;
  scaleBar: boolean;
  /** View centre (nm) and scale (nm per CSS pixel). */
  cx: number;
  cy: number;
  nmPerPx: number;
  /** While true the view follows the field and the window size. */
  fit: boolean;
  viewport: { w: number; h: number; dpr: number };
  image: RenderedImage | null;
  error: string | null;
  /** What a drag on the image does: pan (null) or draw a rectangle for a post-processing step. */
  draw: DrawMode;
  /** The post-processing step the drawn rectangle goes to. */
  drawStep: number;
  setSettings(patch: Partial<ReconSettings>): void;
  /** Export pixel; false (nothing changes) unless a finite number ≥ MIN_PIXEL_NM. */
  setPixelNm(nm: number): boolean;
  /** Zooms so the view renders at this pixel (one device pixel); false as for setPixelNm. */
  setViewPixelNm(nm: number): boolean;
  setScaleBar(on: boolean): void;
  setViewport(w: number, h: number, dpr: number): void;
  fitTo(field: { x0: number; y0: number; x1: number; y1: number } | null): void;
  setFit(fit: boolean): void;
  zoomAt(factor: number, sx?: number, sy?: number): void;
  panBy(dx: number, dy: number): void;
  setImage(img: RenderedImage): void;
  setError(e: string | null): void;
  setDraw(d: DrawMode, step?: number): void;
}

export const reconStore = createStore<ReconState>()((set) => ({
  settings: DEFAULT_RECON,
  pixelNm: 10,
  scaleBar: true,
  cx: 0,
  cy: 0,
  nmPerPx: 10,
  fit: true,
  viewport: { w: 0, h: 0, dpr: 1 },
  image: null,
  error: null,
  draw: null,
  drawStep: -1,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  setPixelNm: (nm) => {
    if (!validPixel(nm)) return false;
    set({ pixelNm: nm });
    return true;
  },
  setViewPixelNm: (nm) => {
    if (!validPixel(nm)) return false;
    set((s) => ({ nmPerPx: clampScale(nm * (s.viewport.dpr || 1)), fit: false }));
    return true;
  },
  setScaleBar: (scaleBar) => set({ scaleBar }),
  setViewport: (w, h, dpr) => set({ viewport: { w, h, dpr } }),
  fitTo: (field) =>
    set((s) => {
      if (!field || s.viewport.w <= 0) return s;
      const aw = Math.max(1, s.viewport.w - 2 * FIT_MARGIN_PX);
      const ah = Math.max(1, s.viewport.h - 2 * FIT_MARGIN_PX);
      const nmPerPx = clampScale(Math.max((field.x1 - field.x0) / aw, (field.y1 - field.y0) / ah));
      return { cx: (field.x0 + field.x1) / 2, cy: (field.y0 + field.y1) / 2, nmPerPx };
    }),
  setFit: (fit) => set({ fit }),
  zoomAt: (factor, sx, sy) =>
    set((s) => {
      // The shared zoom-about-a-point, in this view's terms (zoom = 1/nmPerPx, centred on cx, cy).
      const v = zoomAbout(toView2D(s), factor, sx ?? s.viewport.w / 2, sy ?? s.viewport.h / 2, NM_ZOOM);
      return { ...fromView2D(v, s.viewport), fit: false };
    }),
  panBy: (dx, dy) => set((s) => ({ cx: s.cx - dx * s.nmPerPx, cy: s.cy - dy * s.nmPerPx, fit: false })),
  setImage: (image) => set({ image, error: null }),
  setError: (error) => set({ error }),
  setDraw: (draw, step = -1) => set({ draw, drawStep: step }),
}));

/** Screen px per nm, for the shared view maths. */
const NM_ZOOM: ZoomLimits = { min: 1 / MAX_NM_PER_PX, max: 1 / MIN_NM_PER_PX };

function toView2D(s: Pick<ReconState, 'cx' | 'cy' | 'nmPerPx' | 'viewport'>): View2D {
  return {
    zoom: 1 / s.nmPerPx,
    panX: s.viewport.w / 2 - s.cx / s.nmPerPx,
    panY: s.viewport.h / 2 - s.cy / s.nmPerPx,
  };
}

function fromView2D(v: View2D, viewport: { w: number; h: number }) {
  const nmPerPx = clampScale(1 / v.zoom);
  return { nmPerPx, cx: (viewport.w / 2 - v.panX) * nmPerPx, cy: (viewport.h / 2 - v.panY) * nmPerPx };
}

function clampScale(v: number): number {
  return Math.min(MAX_NM_PER_PX, Math.max(MIN_NM_PER_PX, v));
}

/** The render pixel at this zoom: one device pixel, never finer than MIN_PIXEL_NM. */
export function renderPixelNm(s: Pick<ReconState, 'nmPerPx' | 'viewport'>): number {
  return Math.max(MIN_PIXEL_NM, s.nmPerPx / (s.viewport.dpr || 1));
}

function validPixel(nm: number): boolean {
  return Number.isFinite(nm) && nm >= MIN_PIXEL_NM;
}

/**
 * The render grid for what is on screen: the visible nm rectangle at screen resolution (device
 * pixels, never finer than MIN_PIXEL_NM), snapped to whole render pixels so panning does not
 * shimmer. Its size is bounded by the window, whatever the field and the zoom.
 */
export function visibleView(s: Pick<ReconState, 'cx' | 'cy' | 'nmPerPx' | 'viewport'>): RenderView {
  const { w, h } = s.viewport;
  const px = renderPixelNm(s);
  const vx0 = s.cx - (w / 2) * s.nmPerPx;
  const vy0 = s.cy - (h / 2) * s.nmPerPx;
  const x0 = Math.floor(vx0 / px) * px;
  const y0 = Math.floor(vy0 / px) * px;
  return {
    x0,
    y0,
    width: Math.max(1, Math.ceil((vx0 + w * s.nmPerPx - x0) / px)),
    height: Math.max(1, Math.ceil((vy0 + h * s.nmPerPx - y0) / px)),
    pixelNm: px,
  };
}

/** Screen (CSS px) → nm. */
export function screenToNm(
  s: Pick<ReconState, 'cx' | 'cy' | 'nmPerPx' | 'viewport'>,
  sx: number,
  sy: number,
) {
  return {
    x: s.cx + (sx - s.viewport.w / 2) * s.nmPerPx,
    y: s.cy + (sy - s.viewport.h / 2) * s.nmPerPx,
  };
}

export const useRecon = <T>(sel: (s: ReconState) => T): T => useStore(reconStore, sel);

// The image and where the view looked belong to the input; render settings stay the user's.
registerResults<ReconState>('recon', {
  store: reconStore,
  capture: ({ image, error, cx, cy, nmPerPx, fit }) => ({ image, error, cx, cy, nmPerPx, fit }),
  restore: (saved) => ({ image: null, error: null, fit: true, draw: null, drawStep: -1, ...saved }),
});
