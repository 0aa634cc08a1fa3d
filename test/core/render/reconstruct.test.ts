import { expect, test } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { DEFAULT_RECON, exportView, reconstruct } from '../../../src/core/render/reconstruct';

const view = { x0: 0, y0: 0, width: 4, height: 1, pixelNm: 10 };

test('two channels overlay green (0) and magenta (1); the intensity sums both', () => {
  const t = locTableFromColumns({
    x: Float64Array.from([5, 25]),
    y: Float64Array.from([5, 5]),
    channel: Uint32Array.from([0, 1]),
  });
  const r = reconstruct(t, view, { ...DEFAULT_RECON, mode: 'histogram' });
  expect(r.twoChannels).toBe(true);
  expect(r.sum).toBe(2);
  expect([...r.rgba.subarray(0, 4)]).toEqual([0, 255, 0, 255]);
  expect([...r.rgba.subarray(8, 12)]).toEqual([255, 0, 255, 255]);
});

test('manual contrast is a density, so the same setting means the same at any pixel size', () => {
  const t = locTableFromColumns({ x: Float64Array.from([5]), y: Float64Array.from([5]) });
  // 1 localization in a 10 nm pixel = 10,000 per µm²: a 20,000 /µm² ceiling shows it at half grey.
  const s = { ...DEFAULT_RECON, mode: 'histogram' as const, colormap: 'gray' as const };
  const r = reconstruct(t, view, { ...s, contrast: { kind: 'manual', maxPerUm2: 20_000 } });
  expect(r.rgba[0]).toBe(128);
  expect(r.maxPerUm2).toBeCloseTo(20_000);
});

test('exports cover the field from the origin and refuse sizes that would not fit in memory', () => {
  expect(exportView({ x0: 5, y0: 5, x1: 95, y1: 45 }, 10)).toEqual({
    x0: 0,
    y0: 0,
    width: 10,
    height: 5,
    pixelNm: 10,
  });
  expect(exportView(null, 10, { width: 1000, height: 500 })).toMatchObject({ width: 100, height: 50 });
  expect(() => exportView(null, 1, { width: 50_000, height: 50_000 })).toThrow(/at least 7 nm/);
});
