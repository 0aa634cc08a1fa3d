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
// before they were merged: the raw viewer and the reconstruction must look exactly as they did.
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
  viridis: '4bb581ad, 68 1 84, 69 51 126, 33 145 140, 116 206 84, 253 231 37',
  hot: 'fc2c8061, 0 0 0, 111 0 0, 255 129 0, 255 255 90, 255 255 255',
  green: '1f7243c5, 0 0 0, 0 37 0, 0 128 0, 0 200 0, 0 255 0',
  magenta: 'e8e83dc5, 0 0 0, 37 0 37, 128 0 128, 200 0 200, 255 0 255',
};
const RENDER_BEFORE: Record<string, string> = {
  gray: GRAY,
  hot: 'bf69f3c5, 0 0 0, 99 0 0, 255 86 0, 255 255 35, 255 255 255',
  inferno: INFERNO,
  viridis: 'a102482c, 68 1 84, 69 50 125, 33 144 141, 113 205 86, 253 231 37',
  hue: '409180c5, 255 0 0, 255 148 0, 0 255 2, 0 220 255, 0 0 255',
};

describe('shared colour LUTs', () => {
  test('the raw viewer maps are unchanged by the merge', () => {
    for (const name of COLORMAPS) {
      expect(signature(colormapLut(name)), name).toBe(DISPLAY_BEFORE[name]);
    }
  });

  test('the reconstruction maps are unchanged by the merge', () => {
    for (const name of ['gray', 'hot', 'inferno', 'viridis', 'hue'] as const) {
      expect(signature(colormap(name)), name).toBe(RENDER_BEFORE[name]);
    }
  });

  test('maps both views offer are one shared table', () => {
    expect(colormap('inferno')).toBe(colormapLut('inferno'));
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
    expect(Object.keys(LUT_STOPS)).toContain('hotThirds');
    expect(() => namedLut('nope' as 'gray')).toThrow(/unknown colour map/);
  });
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
