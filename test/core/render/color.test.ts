import { expect, test } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { renderColorByColumn, rgbAccumulationToRgba } from '../../../src/core/render/colorByColumn';
import { autoContrast, colormap, toRgba } from '../../../src/core/render/colormap';
import { overlayGreenMagenta } from '../../../src/core/render/overlay';
import { formatLength, scaleBar } from '../../../src/core/render/scaleBar';

test('colour maps run dark to bright and match their anchors', () => {
  for (const name of ['gray', 'hot', 'inferno', 'viridis'] as const) {
    const lut = colormap(name);
    expect(lut.length).toBe(768);
    const lum = (i: number) => 0.299 * lut[3 * i] + 0.587 * lut[3 * i + 1] + 0.114 * lut[3 * i + 2];
    // Perceptually ordered: luminance never falls by more than a rounding step.
    for (let i = 1; i < 256; i++) expect(lum(i)).toBeGreaterThan(lum(i - 1) - 1);
    expect(lum(255) - lum(0)).toBeGreaterThan(150);
  }
  expect([...colormap('viridis').slice(0, 3)]).toEqual([0x44, 0x01, 0x54]);
  expect([...colormap('inferno').slice(765)]).toEqual([0xfc, 0xff, 0xa4]);
  // matplotlib's hot(128): green (0.502 − 0.365) / (0.746 − 0.365) = 0.359 of the way up.
  expect([...colormap('hot').slice(3 * 128, 3 * 128 + 3)]).toEqual([255, 92, 0]);
  // Hue runs red → blue.
  expect([...colormap('hue').slice(0, 3)]).toEqual([255, 0, 0]);
  expect([...colormap('hue').slice(765)]).toEqual([0, 0, 255]);
});

test('percentile contrast ignores empty pixels and finds the requested percentile', () => {
  const img = new Float32Array(10_000);
  for (let i = 0; i < 1000; i++) img[i] = i + 1; // 1…1000 in 10% of the pixels
  const c = autoContrast(img, { high: 90 });
  expect(c.min).toBe(0);
  expect(c.max).toBeGreaterThan(899);
  expect(c.max).toBeLessThan(901);
  const all = autoContrast(img, { low: 50, high: 100, ignoreZeros: false });
  expect(all.min).toBeLessThan(0.1);
  expect(all.max).toBe(1000);
  expect(autoContrast(new Float32Array(4))).toEqual({ min: 0, max: 1 });
});

test('RGBA conversion saturates, maps NaN to black and applies gamma', () => {
  const rgba = toRgba(Float32Array.from([0, 50, 100, 200, Number.NaN]), { min: 0, max: 100 });
  expect([...rgba.slice(0, 4)]).toEqual([0, 0, 0, 255]);
  expect(rgba[4]).toBe(128);
  expect(rgba[8]).toBe(255);
  expect(rgba[12]).toBe(255);
  expect(rgba[16]).toBe(0);
  const g = toRgba(Float32Array.from([25]), { min: 0, max: 100, gamma: 0.5 });
  expect(g[0]).toBe(128);
});

test('colour by frame: hue follows the column, brightness the density', () => {
  const t = locTableFromColumns({
    x: Float64Array.from([5, 5, 15, 15, 15]),
    y: Float64Array.from([5, 5, 5, 5, 5]),
    frame: Uint32Array.from([0, 0, 100, 100, 100]),
  });
  const view = { x0: 0, y0: 0, width: 2, height: 1, pixelNm: 10 };
  const acc = renderColorByColumn(t, view, { column: 'frame', mode: 'histogram' });
  expect([...acc.intensity]).toEqual([2, 3]);
  expect([acc.r[0], acc.g[0], acc.b[0]]).toEqual([2, 0, 0]); // frame 0 → red
  expect([acc.r[1], acc.g[1], acc.b[1]]).toEqual([0, 0, 3]); // last frame → blue
  const rgba = rgbAccumulationToRgba(acc, { max: 3 });
  expect([...rgba]).toEqual([170, 0, 0, 255, 0, 0, 255, 255]);
  expect(() => renderColorByColumn(t, view, { column: 'nope' })).toThrow(/no column/);
});

test('green/magenta overlay: A is green, B magenta, both white', () => {
  const a = Float32Array.from([10, 0, 10]);
  const b = Float32Array.from([0, 10, 10]);
  const o = overlayGreenMagenta(a, { min: 0, max: 10 }, b, { min: 0, max: 10 });
  expect([...o]).toEqual([0, 255, 0, 255, 255, 0, 255, 255, 255, 255, 255, 255]);
  expect(() =>
    overlayGreenMagenta(a, { min: 0, max: 1 }, Float32Array.from([1]), { min: 0, max: 1 }),
  ).toThrow();
});

test('scale bar: 1-2-5 lengths within a quarter of the view', () => {
  expect(scaleBar(10, 1000)).toMatchObject({ lengthNm: 2000, widthPx: 200, label: '2 µm' });
  expect(scaleBar(10, 400)).toMatchObject({ lengthNm: 1000, widthPx: 100, label: '1 µm' });
  expect(scaleBar(1, 1000)).toMatchObject({ lengthNm: 200, label: '200 nm' });
  expect(scaleBar(20, 2048).lengthNm).toBe(10_000);
  expect(scaleBar(160, 512, 0.5).lengthNm).toBe(20_000);
  expect(scaleBar(3, 100).lengthNm).toBe(50);
  expect(formatLength(500)).toBe('500 nm');
  expect(formatLength(2500)).toBe('2.5 µm');
});
