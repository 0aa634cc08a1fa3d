// Colour lookup tables for display. Each map is 256 RGB entries built once from a few anchor
// colours, so the worker maps a pixel with one table read instead of per-pixel maths.

export type ColormapName = 'gray' | 'inferno' | 'viridis' | 'hot' | 'green' | 'magenta';

export const COLORMAPS: readonly ColormapName[] = ['gray', 'inferno', 'viridis', 'hot', 'green', 'magenta'];

/** 256 × RGB, row-major: entry i is [3i, 3i+1, 3i+2]. */
export type Lut = Uint8Array;

type Anchor = readonly [number, number, number];

// Anchors sampled at equal steps from matplotlib's perceptually uniform maps (CC0), close
// enough by linear interpolation that a reader cannot tell the difference on a frame.
const ANCHORS: Record<ColormapName, readonly Anchor[]> = {
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  inferno: [
    [0, 0, 4],
    [31, 12, 72],
    [85, 15, 109],
    [136, 34, 106],
    [186, 54, 85],
    [227, 89, 51],
    [249, 140, 10],
    [249, 201, 50],
    [252, 255, 164],
  ],
  viridis: [
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
  hot: [
    [0, 0, 0],
    [255, 0, 0],
    [255, 255, 0],
    [255, 255, 255],
  ],
  green: [
    [0, 0, 0],
    [0, 255, 0],
  ],
  magenta: [
    [0, 0, 0],
    [255, 0, 255],
  ],
};

function buildLut(anchors: readonly Anchor[]): Lut {
  const lut = new Uint8Array(256 * 3);
  const segments = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(t));
    const f = t - k;
    const a = anchors[k];
    const b = anchors[k + 1];
    for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round(a[c] + (b[c] - a[c]) * f);
  }
  return lut;
}

const cache = new Map<ColormapName, Lut>();

export function colormapLut(name: ColormapName): Lut {
  let lut = cache.get(name);
  if (!lut) {
    const anchors = ANCHORS[name];
    if (!anchors) throw new Error(`unknown colour map "${name}"`);
    lut = buildLut(anchors);
    cache.set(name, lut);
  }
  return lut;
}

export function isColormapName(s: string): s is ColormapName {
  return (COLORMAPS as readonly string[]).includes(s);
}

export interface DisplayWindow {
  min: number;
  max: number;
}

type Numeric = ArrayLike<number>;

/**
 * Writes `values` (one frame) through contrast window + LUT into RGBA pixels of `out`, starting at
 * pixel (x0, y0) of an image `outWidth` wide. `add` sums onto what is there (saturating), which is
 * how two channels overlay in green + magenta.
 */
export function paintFrame(
  values: Numeric,
  width: number,
  height: number,
  win: DisplayWindow,
  lut: Lut,
  out: Uint8ClampedArray,
  outWidth: number,
  x0 = 0,
  y0 = 0,
  add = false,
): void {
  const span = win.max - win.min;
  // A flat window (min = max) would divide by zero: treat it as a step at min.
  const scale = span > 0 ? 255 / span : Number.POSITIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    let src = y * width;
    let dst = ((y + y0) * outWidth + x0) * 4;
    for (let x = 0; x < width; x++, src++, dst += 4) {
      const v = values[src];
      let idx: number;
      if (!(v > win.min)) idx = 0;
      else if (v >= win.max) idx = 255;
      else idx = Math.min(255, Math.floor((v - win.min) * scale));
      const l = idx * 3;
      if (add) {
        out[dst] += lut[l];
        out[dst + 1] += lut[l + 1];
        out[dst + 2] += lut[l + 2];
      } else {
        out[dst] = lut[l];
        out[dst + 1] = lut[l + 1];
        out[dst + 2] = lut[l + 2];
      }
      out[dst + 3] = 255;
    }
  }
}
