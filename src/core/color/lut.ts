// Colour lookup tables shared by the raw-frame viewer (src/core/display/colormaps.ts) and the
// reconstruction renderer (src/core/render/colormap.ts): 256 RGB entries built once per map, so
// colouring a pixel is one table read instead of per-pixel maths.

/** 256 × RGB, row-major: entry i is [3i, 3i+1, 3i+2]. */
export type Lut = Uint8Array;

export type Rgb = readonly [number, number, number];

/** A colour map as RGB stops (0–255); `at` gives their positions in [0, 1] (evenly spaced if absent). */
export interface LutStops {
  rgb: readonly Rgb[];
  at?: readonly number[];
}

// Anchors sampled at equal steps from matplotlib's perceptually uniform maps (CC0), close
// enough by linear interpolation that a reader cannot tell the difference on an image.
const INFERNO: Rgb[] = [
  [0, 0, 4],
  [31, 12, 72],
  [85, 15, 109],
  [136, 34, 106],
  [186, 54, 85],
  [227, 89, 51],
  [249, 140, 10],
  [249, 201, 50],
  [252, 255, 164],
];

/**
 * Every map either view offers, one table per name. "viridis" and "hot" are matplotlib's: viridis
 * through nine entries of its 256-entry table (indices 0, 32, …, 224, 255, placed where they stand
 * in it, so those entries are exact and the rest within a few levels); hot from its segment data.
 * (The raw viewer and the reconstruction once had a variant each, ≤ 3 levels apart; these replace both.)
 */
export const LUT_STOPS = {
  gray: {
    rgb: [
      [0, 0, 0],
      [255, 255, 255],
    ],
  },
  inferno: { rgb: INFERNO },
  viridis: {
    rgb: [
      [68, 1, 84],
      [71, 45, 123],
      [59, 82, 139],
      [44, 114, 142],
      [33, 145, 140],
      [40, 174, 128],
      [94, 201, 98],
      [173, 220, 48],
      [253, 231, 37],
    ],
    at: [0, 32 / 255, 64 / 255, 96 / 255, 128 / 255, 160 / 255, 192 / 255, 224 / 255, 1],
  },
  /** matplotlib's hot: red from 0.0416 up to 1 by 0.365079, then green by 0.746032, then blue. */
  hot: {
    rgb: [
      [0.0416 * 255, 0, 0],
      [255, 0, 0],
      [255, 255, 0],
      [255, 255, 255],
    ],
    at: [0, 0.365079, 0.746032, 1],
  },
  green: {
    rgb: [
      [0, 0, 0],
      [0, 255, 0],
    ],
  },
  magenta: {
    rgb: [
      [0, 0, 0],
      [255, 0, 255],
    ],
  },
} satisfies Record<string, LutStops>;

/** Maps built from stops, plus 'hue' (a function of t, below). */
export type LutKey = keyof typeof LUT_STOPS | 'hue';

export function lutFromStops(stops: LutStops): Lut {
  const { rgb, at } = stops;
  const segments = rgb.length - 1;
  if (segments < 1) throw new Error('a colour map needs at least two stops');
  const lut = new Uint8Array(256 * 3);
  let k = 0;
  for (let i = 0; i < 256; i++) {
    let f: number;
    if (at) {
      const t = i / 255;
      while (k < segments - 1 && t > at[k + 1]) k++;
      f = (t - at[k]) / (at[k + 1] - at[k]);
    } else {
      const t = (i / 255) * segments;
      k = Math.min(segments - 1, Math.floor(t));
      f = t - k;
    }
    const a = rgb[k];
    const b = rgb[k + 1];
    for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round(a[c] + (b[c] - a[c]) * f);
  }
  return lut;
}

/** A LUT sampled from `colour(t)` (components in [0, 1]) at t = i/255. */
export function lutFromFunction(colour: (t: number) => readonly [number, number, number]): Lut {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = colour(i / 255);
    lut[3 * i] = Math.round(r * 255);
    lut[3 * i + 1] = Math.round(g * 255);
    lut[3 * i + 2] = Math.round(b * 255);
  }
  return lut;
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

/**
 * A view's own map names → the shared LUTs (each view offers a subset of them). Names
 * outside the table (from untyped callers: saved settings, scripting) are refused by name.
 */
export function lutsByName<N extends string>(table: Record<N, LutKey>): (name: N) => Lut {
  return (name) => {
    const key = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!key) throw new Error(`unknown colour map "${name}"`);
    return namedLut(key);
  };
}

const cache = new Map<LutKey, Lut>();

/** The (cached, shared — do not write into it) LUT of a named map. */
export function namedLut(key: LutKey): Lut {
  let lut = cache.get(key);
  if (lut) return lut;
  if (key === 'hue') {
    // Red → yellow → green → cyan → blue: a hue wheel stopped before it returns to red, so the
    // first and last values stay distinguishable (colouring by frame).
    lut = lutFromFunction((t) => hsvToRgb(t * (240 / 360), 1, 1));
  } else {
    const stops = (LUT_STOPS as Record<string, LutStops>)[key];
    if (!stops) throw new Error(`unknown colour map "${key}"`);
    lut = lutFromStops(stops);
  }
  cache.set(key, lut);
  return lut;
}

/** sRGB (0–255) → CIELAB (D65): distances there follow how different colours look. */
export function srgbToLab([r, g, b]: Rgb): [number, number, number] {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const fx = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const fy = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const fz = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Bright, saturated colours an outline can take: thin lines must read at a glance. */
export const OUTLINE_CANDIDATES: readonly Rgb[] = [
  [0, 255, 255],
  [255, 255, 0],
  [0, 255, 0],
  [255, 0, 255],
  [255, 255, 255],
  [255, 128, 0],
  [0, 160, 255],
];

/**
 * `count` colours from `candidates`, each as far (CIE76 ΔE, worst case) as possible from every
 * entry of the given maps and from the colours picked before it: an outline on the "hot" map
 * must not be yellow, nor magenta over a magenta EV layer.
 */
export function contrastingColours(
  luts: readonly Lut[],
  count: number,
  candidates: readonly Rgb[] = OUTLINE_CANDIDATES,
): Rgb[] {
  const labs = candidates.map(srgbToLab);
  const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  const nearest = labs.map((c) => {
    let best = Number.POSITIVE_INFINITY;
    for (const lut of luts)
      for (let i = 0; i < 256; i++)
        best = Math.min(best, dist(c, srgbToLab([lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]])));
    return best;
  });
  const picked: number[] = [];
  while (picked.length < Math.min(count, candidates.length)) {
    let bestI = -1;
    let bestScore = -1;
    for (let i = 0; i < labs.length; i++) {
      if (picked.includes(i)) continue;
      const score = Math.min(nearest[i], ...picked.map((p) => dist(labs[i], labs[p])));
      if (score > bestScore) {
        bestScore = score;
        bestI = i;
      }
    }
    picked.push(bestI);
  }
  return picked.map((i) => candidates[i]);
}
