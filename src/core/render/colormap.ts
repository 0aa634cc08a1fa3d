// Reconstruction colour: its colour maps, and intensity → RGBA with percentile contrast.

import { type Lut, lutsByName } from '../color/lut';

/** The reconstruction's colour maps, in the order the toolbar offers them. */
export const RECON_COLORMAPS = ['hot', 'inferno', 'viridis', 'gray', 'hue'] as const;
export type ColormapName = (typeof RECON_COLORMAPS)[number];

export { hsvToRgb, type Lut } from '../color/lut';

/** The reconstruction's maps, from the LUT module it shares with the raw viewer. */
export const colormap: (name: ColormapName) => Lut = lutsByName<ColormapName>({
  gray: 'gray',
  hot: 'hot',
  inferno: 'inferno',
  viridis: 'viridis',
  hue: 'hue',
});

export interface Contrast {
  /** Value mapped to the bottom of the colour map. */
  min: number;
  /** Value mapped to the top of the colour map (saturates above). */
  max: number;
  /** Display gamma (1 = linear). */
  gamma?: number;
}

export interface AutoContrastOptions {
  /** Percentile (0–100) mapped to black; default 0. */
  low?: number;
  /** Percentile (0–100) mapped to white; default 99.5. */
  high?: number;
  /**
   * Ignore zero pixels (default true): an SMLM reconstruction is mostly empty, and counting the
   * empty pixels would push every percentile to zero.
   */
  ignoreZeros?: boolean;
}

const CONTRAST_BINS = 65536;

/**
 * Percentile contrast from a 65,536-bin histogram between the image's min and max: O(pixels),
 * no sort, and the percentile is exact to 1/65,536 of the range.
 */
export function autoContrast(img: ArrayLike<number>, opts: AutoContrastOptions = {}): Contrast {
  const low = opts.low ?? 0;
  const high = opts.high ?? 99.5;
  const ignoreZeros = opts.ignoreZeros ?? true;
  if (!(low >= 0 && high <= 100 && low <= high)) throw new Error(`bad percentiles ${low}, ${high}`);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < img.length; i++) {
    const v = img[i];
    if (!Number.isFinite(v) || (ignoreZeros && v === 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    n++;
  }
  if (n === 0) return { min: 0, max: 1 };
  if (hi === lo) return { min: ignoreZeros ? 0 : lo, max: hi > 0 ? hi : lo + 1 };
  const counts = new Uint32Array(CONTRAST_BINS);
  const scale = (CONTRAST_BINS - 1) / (hi - lo);
  for (let i = 0; i < img.length; i++) {
    const v = img[i];
    if (!Number.isFinite(v) || (ignoreZeros && v === 0)) continue;
    counts[Math.floor((v - lo) * scale)]++;
  }
  const at = (p: number) => {
    const target = (p / 100) * n;
    let acc = 0;
    for (let b = 0; b < CONTRAST_BINS; b++) {
      acc += counts[b];
      if (acc >= target && acc > 0) return lo + (b + 1) / scale;
    }
    return hi;
  };
  const min = low === 0 ? (ignoreZeros ? Math.min(0, lo) : lo) : at(low);
  const max = high === 100 ? hi : Math.min(hi, at(high));
  return { min, max: max > min ? max : min + (hi - lo) };
}

/** Intensity image → RGBA through a colour map. Alpha is 255 everywhere. */
export function toRgba(
  img: ArrayLike<number>,
  contrast: Contrast,
  map: ColormapName | Lut = 'gray',
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const lut = typeof map === 'string' ? colormap(map) : map;
  const rgba = out ?? new Uint8ClampedArray(img.length * 4);
  const { min, max } = contrast;
  const gamma = contrast.gamma ?? 1;
  const inv = max > min ? 1 / (max - min) : 0;
  for (let i = 0, o = 0; i < img.length; i++, o += 4) {
    let t = (img[i] - min) * inv;
    if (!(t > 0))
      t = 0; // also NaN
    else if (t > 1) t = 1;
    if (gamma !== 1) t = t ** gamma;
    const k = 3 * Math.round(t * 255);
    rgba[o] = lut[k];
    rgba[o + 1] = lut[k + 1];
    rgba[o + 2] = lut[k + 2];
    rgba[o + 3] = 255;
  }
  return rgba;
}
