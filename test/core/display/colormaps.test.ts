import { describe, expect, test } from 'vitest';
import { COLORMAPS, colormapLut, isColormapName, paintFrame } from '../../../src/core/display/colormaps';

const rgb = (lut: Uint8Array, i: number) => [lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]];
const luminance = (lut: Uint8Array, i: number) =>
  0.2126 * lut[3 * i] + 0.7152 * lut[3 * i + 1] + 0.0722 * lut[3 * i + 2];

describe('colour maps', () => {
  test('every map has 256 entries running from its first to its last anchor', () => {
    for (const name of COLORMAPS) expect(colormapLut(name)).toHaveLength(768);
    expect(rgb(colormapLut('gray'), 0)).toEqual([0, 0, 0]);
    expect(rgb(colormapLut('gray'), 128)).toEqual([128, 128, 128]);
    expect(rgb(colormapLut('gray'), 255)).toEqual([255, 255, 255]);
    expect(rgb(colormapLut('inferno'), 0)).toEqual([0, 0, 4]);
    expect(rgb(colormapLut('inferno'), 255)).toEqual([252, 255, 164]);
    expect(rgb(colormapLut('viridis'), 255)).toEqual([253, 231, 37]);
    // matplotlib's hot reaches full red at 0.365 (entry 93), before green starts.
    expect(rgb(colormapLut('hot'), 93)).toEqual([255, 0, 0]);
    expect(rgb(colormapLut('magenta'), 255)).toEqual([255, 0, 255]);
  });

  test('sequential maps get brighter monotonically, so brighter pixels never look darker', () => {
    for (const name of ['gray', 'inferno', 'viridis', 'hot', 'green', 'magenta'] as const) {
      const lut = colormapLut(name);
      for (let i = 1; i < 256; i++)
        expect(luminance(lut, i)).toBeGreaterThanOrEqual(luminance(lut, i - 1) - 0.5);
    }
  });

  test('names are checked', () => {
    expect(isColormapName('viridis')).toBe(true);
    expect(isColormapName('jet')).toBe(false);
  });
});

describe('paintFrame', () => {
  const gray = colormapLut('gray');

  test('maps the window linearly and clips outside it', () => {
    const values = new Uint16Array([0, 100, 150, 200, 300, 65535]);
    const out = new Uint8ClampedArray(values.length * 4);
    paintFrame(values, 6, 1, { min: 100, max: 200 }, gray, out, 6);
    const r = [...out].filter((_, i) => i % 4 === 0);
    expect(r).toEqual([0, 0, 127, 255, 255, 255]);
    expect([...out].filter((_, i) => i % 4 === 3)).toEqual([255, 255, 255, 255, 255, 255]);
  });

  test('writes into a sub-rectangle of a wider image', () => {
    const out = new Uint8ClampedArray(5 * 2 * 4);
    paintFrame(new Float32Array([1, 1, 1, 1]), 2, 2, { min: 0, max: 1 }, gray, out, 5, 3, 0);
    const alpha = (x: number, y: number) => out[(y * 5 + x) * 4 + 3];
    expect([alpha(0, 0), alpha(2, 1), alpha(3, 0), alpha(4, 1)]).toEqual([0, 0, 255, 255]);
  });

  test('overlay adds channels and saturates instead of wrapping', () => {
    const out = new Uint8ClampedArray(4);
    paintFrame([10], 1, 1, { min: 0, max: 10 }, colormapLut('green'), out, 1);
    paintFrame([10], 1, 1, { min: 0, max: 10 }, colormapLut('magenta'), out, 1, 0, 0, true);
    expect([...out]).toEqual([255, 255, 255, 255]);
    paintFrame([10], 1, 1, { min: 0, max: 10 }, colormapLut('magenta'), out, 1, 0, 0, true);
    expect([...out]).toEqual([255, 255, 255, 255]);
  });

  test('a flat window is a step at min, and NaN is shown as the lowest colour', () => {
    const out = new Uint8ClampedArray(12);
    paintFrame([5, 6, Number.NaN], 3, 1, { min: 5, max: 5 }, gray, out, 3);
    expect([out[0], out[4], out[8]]).toEqual([0, 255, 0]);
  });
});
