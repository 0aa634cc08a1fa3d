// One reconstruction from settings: the single place that turns a LocTable, a view and the
// user's render settings into intensities and display colours. The render worker (screen views,
// exports) and `evscope render` both call it, so the browser and the CLI draw the same image.
import type { LocTable } from '../locs/table';
import { above, numIn, v } from '../schema';
import { renderColorByColumn, rgbAccumulationToRgba } from './colorByColumn';
import { autoContrast, type Contrast, RECON_COLORMAPS, toRgba } from './colormap';
import { type GaussianOptions, renderGaussian } from './gaussian';
import { renderHistogram } from './histogram';
import { overlayGreenMagenta } from './overlay';
import type { RenderView } from './view';

export const SigmaSettingSchema = v.variant('kind', [
  v.object({ kind: v.literal('precision'), factor: numIn(0.01, 1e6), minNm: numIn(0, 1e6) }),
  // 0: each localization fills its pixel (a histogram).
  v.object({ kind: v.literal('fixed'), nm: numIn(0, 1e6) }),
]);
export type SigmaSetting = v.InferOutput<typeof SigmaSettingSchema>;

export const ReconSettingsSchema = v.object({
  mode: v.picklist(['histogram', 'gaussian']),
  sigma: SigmaSettingSchema,
  colormap: v.picklist(RECON_COLORMAPS),
  /**
   * Display range. Manual limits are densities (localizations per µm²) so they mean the same at
   * every zoom, where the render pixel changes; auto saturates the given top percentile.
   */
  contrast: v.variant('kind', [
    v.object({ kind: v.literal('auto'), highPct: numIn(0, 100) }),
    v.object({ kind: v.literal('manual'), maxPerUm2: numIn(0.001) }),
  ]),
  gamma: numIn(0.05, 100),
  /** Colour each localization by this column (e.g. frame) instead of by density. */
  colorBy: v.nullable(v.pipe(v.string(), v.maxLength(64))),
  /** Overlay channels 0 and 1 in green/magenta when the table has a `channel` column. */
  overlayChannels: v.boolean(),
});
export type ReconSettings = v.InferOutput<typeof ReconSettingsSchema>;

export const DEFAULT_RECON: ReconSettings = {
  mode: 'gaussian',
  sigma: { kind: 'precision', factor: 1, minNm: 0 },
  colormap: 'hot',
  contrast: { kind: 'auto', highPct: 99.5 },
  gamma: 1,
  colorBy: null,
  overlayChannels: true,
};

export interface Reconstruction {
  /** Summed intensity (all channels): Σ = localizations drawn in the view. */
  intensity: Float32Array;
  rgba: Uint8ClampedArray;
  /** Display maximum that was used, as density (localizations per µm²). */
  maxPerUm2: number;
  /** Σ intensity. */
  sum: number;
  /** True when two channels were overlaid. */
  twoChannels: boolean;
}

function gaussianOpts(table: LocTable, s: ReconSettings): GaussianOptions | null {
  if (s.mode === 'histogram') return null;
  if (s.sigma.kind === 'fixed') return { sigmaNm: s.sigma.nm };
  // Without a precision column there is nothing to take σ from: fall back to the histogram
  // rather than fail, and the panel says so.
  if (!table.columns.precision) return null;
  return { precisionFactor: s.sigma.factor, minSigmaNm: s.sigma.minNm };
}

export function hasTwoChannels(table: LocTable): boolean {
  const ch = table.columns.channel;
  if (!ch) return false;
  let seen0 = false;
  let seen1 = false;
  for (let i = 0; i < table.length; i++) {
    if (ch[i] === 0) seen0 = true;
    else if (ch[i] === 1) seen1 = true;
    if (seen0 && seen1) return true;
  }
  return false;
}

function draw(table: LocTable, view: RenderView, s: ReconSettings, mask?: Uint8Array): Float32Array {
  const g = gaussianOpts(table, s);
  return g ? renderGaussian(table, view, { ...g, mask }) : renderHistogram(table, view, { mask });
}

function displayContrast(img: Float32Array, view: RenderView, s: ReconSettings): Contrast {
  const perUm2 = 1e6 / (view.pixelNm * view.pixelNm);
  if (s.contrast.kind === 'manual') return { min: 0, max: s.contrast.maxPerUm2 / perUm2, gamma: s.gamma };
  const c = autoContrast(img, { high: s.contrast.highPct });
  return { min: 0, max: c.max, gamma: s.gamma };
}

export function reconstruct(table: LocTable, view: RenderView, s: ReconSettings): Reconstruction {
  const perUm2 = 1e6 / (view.pixelNm * view.pixelNm);
  const n = view.width * view.height;
  let intensity: Float32Array;
  let rgba: Uint8ClampedArray;
  let contrast: Contrast;
  const two = s.overlayChannels && !s.colorBy && hasTwoChannels(table);
  if (two) {
    const ch = table.columns.channel;
    const m0 = new Uint8Array(table.length);
    const m1 = new Uint8Array(table.length);
    for (let i = 0; i < table.length; i++) {
      m0[i] = ch[i] === 0 ? 1 : 0;
      m1[i] = ch[i] === 1 ? 1 : 0;
    }
    const a = draw(table, view, s, m0);
    const b = draw(table, view, s, m1);
    const ca = displayContrast(a, view, s);
    const cb = displayContrast(b, view, s);
    rgba = overlayGreenMagenta(a, ca, b, cb);
    intensity = a;
    for (let i = 0; i < n; i++) intensity[i] += b[i];
    contrast = { min: 0, max: Math.max(ca.max, cb.max) };
  } else if (s.colorBy) {
    const g = gaussianOpts(table, s);
    const acc = renderColorByColumn(table, view, {
      column: s.colorBy,
      ...(g ?? {}),
      mode: g ? 'gaussian' : 'histogram',
    });
    intensity = acc.intensity;
    contrast = displayContrast(intensity, view, s);
    rgba = rgbAccumulationToRgba(acc, { max: contrast.max, gamma: s.gamma });
  } else {
    intensity = draw(table, view, s);
    contrast = displayContrast(intensity, view, s);
    rgba = toRgba(intensity, contrast, s.colormap);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += intensity[i];
  return { intensity, rgba, maxPerUm2: contrast.max * perUm2, sum, twoChannels: two };
}

/** Exports larger than this many pixels are refused with the pixel size that would fit. */
export const MAX_EXPORT_PIXELS = 64 * 1024 * 1024;

/** The camera field an export covers at least, nm (`evscope render --width/--height`): ≤ 1 m. */
export const ExportFieldSchema = v.object({ width: numIn(0, 1e9), height: numIn(0, 1e9) });

/** The nm rectangle an export covers: the camera field, grown to every localization. */
export function exportView(
  bounds: { x0: number; y0: number; x1: number; y1: number } | null,
  pixelNm: number,
  fieldNm?: { width: number; height: number },
): RenderView {
  if (!(pixelNm > 0)) throw new Error(`render pixel must be > 0 nm, got ${pixelNm}`);
  const x0 = Math.min(0, bounds ? Math.floor(bounds.x0 / pixelNm) * pixelNm : 0);
  const y0 = Math.min(0, bounds ? Math.floor(bounds.y0 / pixelNm) * pixelNm : 0);
  // The last localization's pixel is included: [k·px, (k+1)·px) with k = floor(x/px).
  const x1 = Math.max(fieldNm?.width ?? 0, bounds ? (Math.floor(bounds.x1 / pixelNm) + 1) * pixelNm : 0);
  const y1 = Math.max(fieldNm?.height ?? 0, bounds ? (Math.floor(bounds.y1 / pixelNm) + 1) * pixelNm : 0);
  if (!(x1 > x0 && y1 > y0)) throw new Error('nothing to export: no localizations and no field size');
  const width = Math.ceil((x1 - x0) / pixelNm);
  const height = Math.ceil((y1 - y0) / pixelNm);
  if (width * height > MAX_EXPORT_PIXELS) {
    const fit = Math.ceil(Math.sqrt(((x1 - x0) * (y1 - y0)) / MAX_EXPORT_PIXELS));
    throw new Error(
      `a ${width}×${height} px export at ${pixelNm} nm is too large; use a render pixel of at least ${fit} nm`,
    );
  }
  return { x0, y0, width, height, pixelNm };
}

/** Where the reconstruction view looks and what it exports (a session's view state). */
export const ReconViewSchema = v.object({
  settings: ReconSettingsSchema,
  /** Render pixel of exports, nm (the toolbar's limits; finer than 1 nm resolves nothing). */
  pixelNm: numIn(1, 1e6),
  scaleBar: v.boolean(),
  /** View centre (nm) and scale (nm per CSS pixel); used when `fit` is false. */
  cx: numIn(-1e12, 1e12),
  cy: numIn(-1e12, 1e12),
  nmPerPx: above(0, 1e9),
  fit: v.boolean(),
});
export type ReconView = v.InferOutput<typeof ReconViewSchema>;
