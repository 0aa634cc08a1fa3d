// Colour by column: each localization carries a colour picked from a map by one of its columns
// (e.g. frame → hue shows drift and reblinking); colours are accumulated as weighted R, G, B
// planes plus the plain intensity, so overlapping localizations mix and brightness follows
// density.
import type { LocTable } from '../locs/table';
import { autoContrast, type ColormapName, colormap } from './colormap';
import { type GaussianOptions, renderGaussian } from './gaussian';
import { renderHistogram } from './histogram';
import type { RenderView } from './view';

export interface ColorByColumnOptions extends GaussianOptions {
  column: string;
  /** Column value mapped to the start of the map (default: the column's minimum). */
  min?: number;
  /** Column value mapped to the end of the map (default: the column's maximum). */
  max?: number;
  map?: ColormapName;
  /** 'gaussian' (default when σ or precision is available) or 'histogram'. */
  mode?: 'histogram' | 'gaussian';
}

export interface RgbAccumulation {
  width: number;
  height: number;
  /** Σ weight·red, Σ weight·green, Σ weight·blue (colour components in [0, 1]). */
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  /** Σ weight: the ordinary rendering. */
  intensity: Float32Array;
}

export function renderColorByColumn(
  table: LocTable,
  view: RenderView,
  opts: ColorByColumnOptions,
): RgbAccumulation {
  const col = table.columns[opts.column];
  if (!col) throw new Error(`no column "${opts.column}"`);
  const n = table.length;
  let lo = opts.min;
  let hi = opts.max;
  if (lo === undefined || hi === undefined) {
    let a = Number.POSITIVE_INFINITY;
    let b = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (opts.mask && !opts.mask[i]) continue;
      const v = col[i];
      if (v < a) a = v;
      if (v > b) b = v;
    }
    lo ??= Number.isFinite(a) ? a : 0;
    hi ??= Number.isFinite(b) ? b : 1;
  }
  const lut = colormap(opts.map ?? 'hue');
  const span = hi > lo ? hi - lo : 1;
  // Per-row colour × weight, then three weighted renderings reuse the plain renderers.
  const wr = new Float32Array(n);
  const wg = new Float32Array(n);
  const wb = new Float32Array(n);
  const base = opts.weights;
  for (let i = 0; i < n; i++) {
    let t = (col[i] - lo) / span;
    if (!(t > 0)) t = 0;
    else if (t > 1) t = 1;
    const k = 3 * Math.round(t * 255);
    const w = base ? base[i] : 1;
    wr[i] = (lut[k] / 255) * w;
    wg[i] = (lut[k + 1] / 255) * w;
    wb[i] = (lut[k + 2] / 255) * w;
  }
  const gaussian =
    (opts.mode ?? (opts.sigmaNm !== undefined || table.columns.precision ? 'gaussian' : 'histogram')) ===
    'gaussian';
  const draw = (weights: Float32Array | Float64Array | undefined) =>
    gaussian
      ? renderGaussian(table, view, { ...opts, weights })
      : renderHistogram(table, view, { mask: opts.mask, rows: opts.rows, weights });
  return {
    width: view.width,
    height: view.height,
    r: draw(wr),
    g: draw(wg),
    b: draw(wb),
    intensity: draw(base),
  };
}

/**
 * Accumulated colour → RGBA: hue is the weighted mean colour of the pixel, brightness the
 * pixel's intensity under percentile contrast (so density still reads as brightness).
 */
export function rgbAccumulationToRgba(
  acc: RgbAccumulation,
  contrast: { max: number; gamma?: number } = autoContrast(acc.intensity),
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const n = acc.width * acc.height;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  const gamma = contrast.gamma ?? 1;
  const inv = contrast.max > 0 ? 1 / contrast.max : 0;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const s = acc.intensity[i];
    if (!(s > 0)) {
      rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
      rgba[o + 3] = 255;
      continue;
    }
    let bright = s * inv;
    if (bright > 1) bright = 1;
    if (gamma !== 1) bright = bright ** gamma;
    const f = (255 * bright) / s;
    rgba[o] = acc.r[i] * f;
    rgba[o + 1] = acc.g[i] * f;
    rgba[o + 2] = acc.b[i] * f;
    rgba[o + 3] = 255;
  }
  return rgba;
}
