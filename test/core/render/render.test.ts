import { expect, test } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { erf } from '../../../src/core/psf/erf';
import { Rng } from '../../../src/core/random';
import { renderGaussian } from '../../../src/core/render/gaussian';
import { renderHistogram } from '../../../src/core/render/histogram';

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

function table(xs: number[], ys: number[], precision?: number[]) {
  return locTableFromColumns({
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    ...(precision ? { precision: Float32Array.from(precision) } : {}),
  });
}

const view = { x0: 100, y0: 200, width: 20, height: 10, pixelNm: 10 };

test('histogram: a point lands in the pixel containing it; exact edges go right/down', () => {
  const t = table([100, 109.999, 110, 295, 299.9999, 300, 99.9999], [200, 200, 200, 299, 299.99, 250, 250]);
  const img = renderHistogram(t, view);
  expect(img[0]).toBe(2); // 100 and 109.999 → column 0
  expect(img[1]).toBe(1); // exactly 110 → column 1
  expect(img[9 * 20 + 19]).toBe(2); // 295 and 299.9999 at y≈299 → last pixel
  expect(sum(img)).toBe(5); // x=300 is the right edge (outside), 99.9999 is left of the view
});

test('histogram honours weights, masks and row subsets', () => {
  const t = table([105, 115, 125], [205, 205, 205]);
  const img = renderHistogram(t, view, {
    weights: Float32Array.from([0.5, 2, 4]),
    mask: Uint8Array.from([1, 1, 0]),
    rows: Uint32Array.from([0, 2]),
  });
  expect([img[0], img[1], img[2]]).toEqual([0.5, 0, 0]);
});

test('Gaussian: fully visible localizations each contribute exactly 1', () => {
  const r = new Rng(7);
  const xs: number[] = [];
  const ys: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < 500; i++) {
    xs.push(150 + r.uniform() * 100);
    ys.push(240 + r.uniform() * 20);
    ps.push(3 + r.uniform() * 5); // 0.3–0.8 px: small kernels that still take the Gaussian path
  }
  const img = renderGaussian(table(xs, ys, ps), view);
  expect(sum(img)).toBeCloseTo(500, 3);
  // The mean position is preserved by the kernel (first moment).
  let mx = 0;
  for (let j = 0; j < 10; j++) for (let i = 0; i < 20; i++) mx += img[j * 20 + i] * (100 + (i + 0.5) * 10);
  expect(mx / 500).toBeCloseTo(xs.reduce((a, b) => a + b) / 500, 1);
});

test('Gaussian: a localization cut by the border contributes its visible fraction', () => {
  const sigma = 12;
  // 5 nm left of the view's left edge and 3 nm above its top edge.
  const t = table([95], [197]);
  const img = renderGaussian(t, view, { sigmaNm: sigma });
  const fx = 0.5 * (1 - erf(5 / (Math.SQRT2 * sigma)));
  const fy = 0.5 * (1 - erf(3 / (Math.SQRT2 * sigma)));
  expect(sum(img)).toBeCloseTo(fx * fy, 3);
  // Per-pixel values are erf differences: the corner pixel integrates [100,110)×[200,210).
  const px = 0.5 * (erf(15 / (Math.SQRT2 * sigma)) - erf(5 / (Math.SQRT2 * sigma)));
  const py = 0.5 * (erf(13 / (Math.SQRT2 * sigma)) - erf(3 / (Math.SQRT2 * sigma)));
  expect(img[0]).toBeCloseTo(px * py, 3);
});

test('Gaussian: σ from precision × factor, tiny σ collapses to the histogram, weights scale', () => {
  const t = table([155, 155], [255, 255], [10, 1]);
  const wide = { x0: 0, y0: 0, width: 60, height: 60, pixelNm: 10 };
  const a = renderGaussian(t, wide, { precisionFactor: 2, weights: Float32Array.from([3, 1]) });
  expect(sum(a)).toBeCloseTo(4, 4);
  // In the small view σ = 20 nm reaches past the left (55 nm), top (55 nm) and bottom (45 nm) edges.
  // (A wide truncation so the kernel is the plain Gaussian the erf values describe.)
  const cut = sum(
    renderGaussian(t, view, { precisionFactor: 2, weights: Float32Array.from([3, 1]), truncate: 6 }),
  );
  // With the default 3σ truncation the cut-off tails are redistributed: within 0.5%.
  const cut3 = sum(renderGaussian(t, view, { precisionFactor: 2, weights: Float32Array.from([3, 1]) }));
  expect(Math.abs(cut3 - cut)).toBeLessThan(0.005 * 3);
  const e = (d: number) => erf(d / (Math.SQRT2 * 20));
  expect(cut).toBeCloseTo(1 + 3 * 0.5 * (1 + e(55)) * 0.5 * (e(55) + e(45)), 3);
  // The second (σ = 2 nm = 0.2 px) is a single pixel.
  const b = renderGaussian(t, view, { mask: Uint8Array.from([0, 1]), precisionFactor: 1 });
  expect(b[5 * 20 + 5]).toBe(1);
  expect(sum(b)).toBe(1);
  // The first is spread: its centre pixel holds only part of it, symmetric neighbours agree.
  const c = renderGaussian(t, view, { mask: Uint8Array.from([1, 0]) });
  const centre = c[5 * 20 + 5];
  const expected = (0.5 * (erf(5 / (Math.SQRT2 * 10)) - erf(-5 / (Math.SQRT2 * 10)))) ** 2;
  expect(centre).toBeCloseTo(expected, 3);
  expect(c[5 * 20 + 4]).toBeCloseTo(c[5 * 20 + 6], 6);
  expect(() => renderGaussian(table([1], [1]), view)).toThrow(/precision/);
});
