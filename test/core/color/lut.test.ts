import { describe, expect, test } from 'vitest';
import {
  contrastingColours,
  LUT_STOPS,
  lutFromStops,
  namedLut,
  srgbToLab,
} from '../../../src/core/color/lut';
import { COLORMAPS, colormapLut } from '../../../src/core/display/colormaps';
import { colormap } from '../../../src/core/render/colormap';

// FNV-1a of the whole table and a few entries, recorded from the two separate implementations
// before they were merged: the raw viewer and the reconstruction must look exactly as they did —
// but for "viridis" and "hot", where each view had its own variant and both now use matplotlib's
// (checked against matplotlib's values below).
const fnv = (a: Uint8Array) => {
  let h = 0x811c9dc5;
  for (const v of a) {
    h ^= v;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
};
/** The table's hash, then entries 0, 37, 128, 200, 255 as "r g b". */
const signature = (a: Uint8Array) =>
  [fnv(a), ...[0, 37, 128, 200, 255].map((i) => `${a[3 * i]} ${a[3 * i + 1]} ${a[3 * i + 2]}`)].join(', ');

const GRAY = '7f16e8c5, 0 0 0, 37 37 37, 128 128 128, 200 200 200, 255 255 255';
const INFERNO = 'edc9c480, 0 0 4, 40 12 78, 187 55 84, 249 157 21, 252 255 164';
const DISPLAY_BEFORE: Record<string, string> = {
  gray: GRAY,
  inferno: INFERNO,
  green: '1f7243c5, 0 0 0, 0 37 0, 0 128 0, 0 200 0, 0 255 0',
  magenta: 'e8e83dc5, 0 0 0, 37 0 37, 128 0 128, 200 0 200, 255 0 255',
};
const RENDER_BEFORE: Record<string, string> = {
  gray: GRAY,
  inferno: INFERNO,
  hue: '409180c5, 255 0 0, 255 148 0, 0 255 2, 0 220 255, 0 0 255',
};

describe('shared colour LUTs', () => {
  test('the raw viewer maps are unchanged by the merge', () => {
    for (const name of COLORMAPS.filter((n) => n in DISPLAY_BEFORE)) {
      expect(signature(colormapLut(name)), name).toBe(DISPLAY_BEFORE[name]);
    }
  });

  test('the reconstruction maps are unchanged by the merge', () => {
    for (const name of ['gray', 'inferno', 'hue'] as const) {
      expect(signature(colormap(name)), name).toBe(RENDER_BEFORE[name]);
    }
  });

  test('maps both views offer are one shared table', () => {
    for (const name of ['gray', 'inferno', 'viridis', 'hot'] as const)
      expect(colormap(name)).toBe(colormapLut(name));
    expect(colormap('gray')).toBe(namedLut('gray'));
    // Each view refuses names it does not offer, even ones the other view has.
    expect(() => colormapLut('hue' as 'gray')).toThrow(/unknown colour map "hue"/);
    expect(() => colormap('magenta' as 'gray')).toThrow(/unknown colour map "magenta"/);
    expect(() => colormap('constructor' as 'gray')).toThrow(/unknown colour map/);
  });

  test('positioned stops hit their colours at their knots and interpolate linearly between', () => {
    const lut = lutFromStops({
      rgb: [
        [0, 0, 0],
        [200, 100, 0],
        [200, 100, 250],
      ],
      at: [0, 0.2, 1],
    });
    expect(Array.from(lut.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(lut.subarray(51 * 3, 51 * 3 + 3))).toEqual([200, 100, 0]); // 51/255 = 0.2
    expect(Array.from(lut.subarray(255 * 3))).toEqual([200, 100, 250]);
    expect(lut[25 * 3]).toBe(Math.round((200 * 25) / 51));
    expect(() => lutFromStops({ rgb: [[0, 0, 0]] })).toThrow(/two stops/);
    expect(Object.keys(LUT_STOPS)).not.toContain('hotThirds');
    expect(() => namedLut('nope' as 'gray')).toThrow(/unknown colour map/);
  });
});

// matplotlib 3.x, as 0–1 floats: viridis from its 256-entry table (_cm_listed.py, `_viridis_data`
// rows 0, 64, 128, 192, 255); hot as `matplotlib.colormaps['hot'](i)` for the same i (segment data
// red 0.0416→1 on [0, 0.365079], green 0→1 on [0.365079, 0.746032], blue 0→1 on [0.746032, 1]).
const MATPLOTLIB: Record<'viridis' | 'hot', [number, [number, number, number]][]> = {
  viridis: [
    [0, [0.267004, 0.004874, 0.329415]],
    [64, [0.229739, 0.322361, 0.545706]],
    [128, [0.127568, 0.566949, 0.550556]],
    [192, [0.369214, 0.788888, 0.382914]],
    [255, [0.993248, 0.906157, 0.143936]],
  ],
  hot: [
    [0, [0.0416, 0, 0]],
    [64, [0.700468, 0, 0]],
    [128, [1, 0.359319, 0]],
    [192, [1, 1, 0.027202]],
    [255, [1, 1, 1]],
  ],
};

describe('one table per colour-map name, equal to matplotlib', () => {
  test.each(['viridis', 'hot'] as const)(
    '%s matches matplotlib at five entries (to the nearest level)',
    (name) => {
      for (const lut of [colormapLut(name), colormap(name)]) {
        for (const [i, rgb] of MATPLOTLIB[name]) {
          const got = Array.from(lut.subarray(3 * i, 3 * i + 3));
          expect(got, `${name}[${i}]`).toEqual(rgb.map((v) => Math.round(v * 255)));
        }
      }
    },
  );
});

describe('outline colours that contrast with the colour map', () => {
  const labOf = (lut: Uint8Array, i: number) => srgbToLab([lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]]);
  /** Smallest CIE76 ΔE between a colour and any entry of the map. */
  const worstContrast = (c: readonly [number, number, number], lut: Uint8Array) => {
    const lab = srgbToLab(c);
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 256; i++) {
      const e = labOf(lut, i);
      min = Math.min(min, Math.hypot(lab[0] - e[0], lab[1] - e[1], lab[2] - e[2]));
    }
    return min;
  };

  test('CIELAB of known colours (white, black, sRGB red)', () => {
    const near = (a: number[], b: number[]) => {
      for (let k = 0; k < 3; k++) expect(a[k]).toBeCloseTo(b[k], 0);
    };
    near(srgbToLab([255, 255, 255]), [100, 0, 0]);
    near(srgbToLab([0, 0, 0]), [0, 0, 0]);
    near(srgbToLab([255, 0, 0]), [53.24, 80.09, 67.2]);
  });

  test('yellow vanishes on "hot"; the chosen outline stands out from every level of every map', () => {
    expect(worstContrast([255, 255, 0], colormapLut('hot'))).toBeLessThan(1);
    for (const name of COLORMAPS) {
      const lut = colormapLut(name);
      const [outline, selected] = contrastingColours([lut], 2);
      expect(worstContrast(outline, lut), name).toBeGreaterThan(45);
      expect(worstContrast(selected, lut), name).toBeGreaterThan(30);
      expect(outline).not.toEqual(selected);
    }
  });

  test('a layer drawn over the map (magenta EVs) is avoided too', () => {
    const hot = colormapLut('hot');
    const ev = colormapLut('magenta');
    const [alone] = contrastingColours([hot], 1);
    const [withEv] = contrastingColours([hot, ev], 1);
    expect(worstContrast(alone, ev)).toBeLessThan(1); // magenta is best on hot alone…
    expect(worstContrast(withEv, ev)).toBeGreaterThan(45); // …but not under a magenta layer
    expect(worstContrast(withEv, hot)).toBeGreaterThan(45);
  });
});
