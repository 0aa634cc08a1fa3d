// EdgeIndex (per-point search over the edge pixels) given one mask must give PointSignedDistance's
// values bit for bit, and both the slow reference's (test/helpers/referenceKernels), on blobs,
// noise, thin lines, structures touching the image border, empty and full masks. Sequences of
// masks (the index updated where they change): edgeIndex.test.ts.
import { expect, test } from 'vitest';
import { EdgeIndex } from '../../../src/core/coloc/edgeIndex';
import { PointSignedDistance } from '../../../src/core/coloc/signedDistance';
import { Rng } from '../../../src/core/random';
import { referencePointSignedDistance } from '../../helpers/referenceKernels';

function blobs(r: Rng, w: number, h: number, count: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  for (let k = 0; k < count; k++) {
    const cx = r.uniform() * w;
    const cy = r.uniform() * h;
    const rad = 0.5 + 4 * r.uniform();
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad) mask[y * w + x] = 1;
  }
  return mask;
}

function indexOf(
  mask: Uint8Array,
  grid: { x0Nm: number; y0Nm: number; width: number; height: number; pixelNm: number },
) {
  const index = new EdgeIndex(grid, 8);
  index.update(mask);
  return index;
}

function expectSameEverywhere(mask: Uint8Array, w: number, h: number, r: Rng, points = 2000) {
  const grid = { x0Nm: 120, y0Nm: -40, width: w, height: h, pixelNm: 10 };
  const edge = indexOf(mask, grid);
  const point = new PointSignedDistance(mask, grid);
  const seen = { inside: 0, outside: 0, nan: 0 };
  for (let n = 0; n < points; n++) {
    // Slightly beyond the grid too (NaN there), and some points exactly on pixel edges.
    const snap = r.uniform() < 0.2;
    const fx = snap ? Math.round(r.uniform() * w) / w : r.uniform() * 1.02 - 0.01;
    const fy = snap ? Math.round(r.uniform() * h) / h : r.uniform() * 1.02 - 0.01;
    const x = grid.x0Nm + fx * w * 10;
    const y = grid.y0Nm + fy * h * 10;
    const got = edge.at(x, y);
    expect(got).toBe(point.at(x, y));
    expect(got).toBe(referencePointSignedDistance(mask, grid, x, y));
    if (Number.isNaN(got)) seen.nan++;
    else if (got < 0 || Object.is(got, -0)) seen.inside++;
    else seen.outside++;
  }
  return seen;
}

test.each([
  [40, 30, 4],
  [33, 41, 6],
  [64, 48, 18],
  [25, 25, 40],
])('%i×%i with %i blobs: the same values as PointSignedDistance and the reference', (w, h, count) => {
  const r = new Rng(w * 100 + count);
  const seen = expectSameEverywhere(blobs(r, w, h, count), w, h, r);
  expect(seen.inside).toBeGreaterThan(10);
  expect(seen.outside).toBeGreaterThan(10);
  expect(seen.nan).toBeGreaterThan(0);
});

test('noise, thin lines, the image border, empty and full masks', () => {
  const r = new Rng(19);
  const w = 31;
  const h = 23;
  const noise = Uint8Array.from({ length: w * h }, () => (r.uniform() < 0.45 ? 1 : 0));
  expectSameEverywhere(noise, w, h, r);
  const lines = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) lines[7 * w + x] = 1; // a row across the whole image
  for (let y = 0; y < h; y++) lines[y * w + (w - 1)] = 1; // the last column
  expectSameEverywhere(lines, w, h, r);
  const single = new Uint8Array(w * h);
  single[0] = 1; // a corner pixel
  expectSameEverywhere(single, w, h, r);
  const holeOnly = new Uint8Array(w * h).fill(1);
  holeOnly[12 * w + 15] = 0; // all structure but one background pixel
  expectSameEverywhere(holeOnly, w, h, r);
  const empty = new Uint8Array(w * h);
  const grid = { x0Nm: 0, y0Nm: 0, width: w, height: h, pixelNm: 10 };
  expect(indexOf(empty, grid).at(55, 55)).toBe(Number.POSITIVE_INFINITY);
  expect(indexOf(new Uint8Array(w * h).fill(1), grid).at(55, 55)).toBe(Number.NEGATIVE_INFINITY);
  expect(() => indexOf(new Uint8Array(5), grid)).toThrow(/size/);
});
