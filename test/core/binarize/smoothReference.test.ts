// The optimised kernels against their slow reference versions (test/helpers/referenceKernels):
// the speed-ups (split borders, no per-pixel closures, reused buffers) must not change a bit.
import { expect, test } from 'vitest';
import { gaussianSmooth } from '../../../src/core/binarize/smooth';
import { PointSignedDistance } from '../../../src/core/coloc/signedDistance';
import { Rng } from '../../../src/core/random';
import { referenceGaussianSmooth, referencePointSignedDistance } from '../../helpers/referenceKernels';

test.each([
  [64, 48, 1],
  [37, 29, 0.7],
  [5, 9, 2], // narrower than the kernel: every column is a border column
  [7, 7, 1], // exactly one kernel wide
  [200, 3, 3.3],
  [1, 50, 1],
])('gaussianSmooth %i×%i σ %f is bit-identical to the reference', (w, h, sigma) => {
  const r = new Rng(w * 1000 + h);
  // Sparse bright spots on zeros, like a movie frame, plus a dense random part.
  const img = new Float32Array(w * h);
  for (let i = 0; i < img.length; i++)
    img[i] = r.uniform() < 0.1 ? 1000 * r.uniform() : i % 3 ? 0 : r.uniform();
  const fast = gaussianSmooth(img, w, h, sigma);
  const slow = referenceGaussianSmooth(img, w, h, sigma);
  expect(Array.from(fast)).toEqual(Array.from(slow));
  // Float64 input takes the same path.
  const img64 = Float64Array.from(img);
  expect(Array.from(gaussianSmooth(img64, w, h, sigma))).toEqual(Array.from(slow));
});

test('gaussianSmooth on a mostly empty frame (rows skipped) is bit-identical to the reference', () => {
  const w = 90;
  const h = 70;
  const r = new Rng(3);
  const img = new Float32Array(w * h);
  // A few isolated rows and a block, a NaN and a −0: the skipped rows must agree exactly.
  for (const y of [0, 5, 6, 30, 69]) for (let x = 0; x < w; x += 7) img[y * w + x] = 1 + r.uniform();
  for (let y = 40; y < 44; y++) for (let x = 80; x < 90; x++) img[y * w + x] = r.uniform();
  img[20 * w + 3] = Number.NaN;
  img[50 * w + 10] = -0;
  for (const sigma of [0.6, 1, 2.5]) {
    const fast = gaussianSmooth(img, w, h, sigma);
    const slow = referenceGaussianSmooth(img, w, h, sigma);
    expect(Array.from(fast)).toEqual(Array.from(slow));
    // Same zeros with the same sign (toEqual alone does not tell +0 from −0).
    expect(fast.every((v, i) => Object.is(v, slow[i]))).toBe(true);
  }
});

test('PointSignedDistance equals the brute force over every pixel square, bit for bit', () => {
  const r = new Rng(7);
  for (const [w, h, fill] of [
    [40, 30, 0.02],
    [33, 41, 0.3],
    [25, 25, 0.9],
  ]) {
    const grid = { x0Nm: 120, y0Nm: -40, width: w, height: h, pixelNm: 10 };
    // Blobs: a few discs of random size, so there are insides, outsides and thin parts.
    const mask = new Uint8Array(w * h);
    for (let k = 0; k < Math.ceil(fill * 20); k++) {
      const cx = r.uniform() * w;
      const cy = r.uniform() * h;
      const rad = 0.5 + 4 * r.uniform();
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad) mask[y * w + x] = 1;
    }
    const exact = new PointSignedDistance(mask, grid);
    let inside = 0;
    for (let n = 0; n < 3000; n++) {
      const x = grid.x0Nm + (r.uniform() * 1.02 - 0.01) * w * 10;
      const y = grid.y0Nm + (r.uniform() * 1.02 - 0.01) * h * 10;
      const want = referencePointSignedDistance(mask, grid, x, y);
      if (want < 0) inside++;
      expect(exact.at(x, y)).toBe(want);
    }
    expect(inside).toBeGreaterThan(10);
  }
});
