// Raw-frame display: the viewer's colour maps and contrast-window painting.

import { type Lut, lutsByName } from '../color/lut';

export type ColormapName = 'gray' | 'inferno' | 'viridis' | 'hot' | 'green' | 'magenta';

export const COLORMAPS: readonly ColormapName[] = ['gray', 'inferno', 'viridis', 'hot', 'green', 'magenta'];

export type { Lut } from '../color/lut';

/** The raw viewer's maps, from the LUT module it shares with the reconstruction. */
export const colormapLut: (name: ColormapName) => Lut = lutsByName<ColormapName>({
  gray: 'gray',
  inferno: 'inferno',
  viridis: 'viridis',
  hot: 'hot',
  green: 'green',
  magenta: 'magenta',
});

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
