// Colour maps as 256-entry RGB lookup tables, and intensity → RGBA with percentile contrast.

export type ColormapName = 'gray' | 'hot' | 'inferno' | 'viridis' | 'hue';

/** 256 × RGB, 0–255. */
export type Lut = Uint8Array;

// Nine evenly spaced stops sampled from matplotlib's maps; linear interpolation between them
// stays within a few levels of the originals and keeps them perceptually ordered.
const STOPS: Record<'inferno' | 'viridis', string[]> = {
  inferno: ['000004', '1f0c48', '550f6d', '88226a', 'ba3655', 'e35933', 'f98c0a', 'f9c932', 'fcffa4'],
  viridis: ['440154', '472c7a', '3b518b', '2c718e', '21908d', '27ad81', '5cc863', 'aadc32', 'fde725'],
};

const luts = new Map<ColormapName, Lut>();

export function colormap(name: ColormapName): Lut {
  let lut = luts.get(name);
  if (lut) return lut;
  lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let r: number;
    let g: number;
    let b: number;
    switch (name) {
      case 'gray':
        r = g = b = t;
        break;
      case 'hot':
        // Black → red → yellow → white, the classic ImageJ/matplotlib "hot".
        r = Math.min(1, t / 0.375);
        g = Math.min(1, Math.max(0, (t - 0.375) / 0.375));
        b = Math.min(1, Math.max(0, (t - 0.75) / 0.25));
        break;
      case 'hue':
        // Red → yellow → green → cyan → blue: a hue wheel stopped before it returns to red, so
        // first and last values stay distinguishable when colouring by frame.
        [r, g, b] = hsvToRgb(t * (240 / 360), 1, 1);
        break;
      default:
        [r, g, b] = interpolateStops(STOPS[name], t);
    }
    lut[3 * i] = Math.round(r * 255);
    lut[3 * i + 1] = Math.round(g * 255);
    lut[3 * i + 2] = Math.round(b * 255);
  }
  luts.set(name, lut);
  return lut;
}

function interpolateStops(stops: string[], t: number): [number, number, number] {
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const a = hex(stops[i]);
  const b = hex(stops[i + 1]);
  const u = f - i;
  return [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2])];
}

function hex(s: string): [number, number, number] {
  const v = Number.parseInt(s, 16);
  return [((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255];
}

/** h, s, v in [0, 1]. */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const hh = (((h % 1) + 1) % 1) * 6;
  const i = Math.floor(hh);
  const f = hh - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  switch (i) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

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
