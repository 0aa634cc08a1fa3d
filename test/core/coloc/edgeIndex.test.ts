// EdgeIndex (edge pixels kept from the previous mask, updated where it changed) must give
// PointSignedDistance's values bit for bit (and the slow reference's, edgeIndexMasks.test.ts)
// after every update of a sequence of masks: blobs that grow,
// shrink, move and vanish, jumps to unrelated masks (noise, empty, full), masks that are not
// 0/1 bytes, and whatever the cell size (1 px cells to one cell over the whole grid).
import { describe, expect, test } from 'vitest';
import { EdgeIndex } from '../../../src/core/coloc/edgeIndex';
import { PointSignedDistance } from '../../../src/core/coloc/signedDistance';
import type { RenderGrid } from '../../../src/core/movie/grid';
import { Rng } from '../../../src/core/random';
import { referencePointSignedDistance } from '../../helpers/referenceKernels';

interface Blob {
  x: number;
  y: number;
  r: number;
}

function render(blobs: Blob[], w: number, h: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  for (const b of blobs)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if ((x + 0.5 - b.x) ** 2 + (y + 0.5 - b.y) ** 2 <= b.r * b.r) mask[y * w + x] = 1;
  return mask;
}

// A movie-like sequence: blobs drift and breathe, appear and disappear, then a few jumps.
function maskSequence(r: Rng, w: number, h: number): ArrayLike<number>[] {
  const blobs: Blob[] = Array.from({ length: 4 }, () => ({
    x: r.uniform() * w,
    y: r.uniform() * h,
    r: 1 + 5 * r.uniform(),
  }));
  const out: ArrayLike<number>[] = [];
  for (let t = 0; t < 25; t++) {
    for (const b of blobs) {
      b.x += r.normal();
      b.y += r.normal();
      b.r = Math.max(0.3, b.r + 0.6 * r.normal());
    }
    if (r.uniform() < 0.2) blobs.pop();
    if (r.uniform() < 0.25) blobs.push({ x: r.uniform() * w, y: r.uniform() * h, r: 1 + 4 * r.uniform() });
    out.push(render(blobs, w, h));
  }
  out.push(new Uint8Array(w * h));
  out.push(Uint8Array.from({ length: w * h }, () => (r.uniform() < 0.45 ? 1 : 0)));
  out.push(new Uint8Array(w * h).fill(1));
  const hole = new Uint8Array(w * h).fill(1);
  hole[Math.floor(h / 2) * w + 3] = 0;
  out.push(hole);
  // Values other than 0/1 (any non-zero byte is structure, 128 included), and a plain array.
  out.push(Uint8Array.from(render(blobs, w, h), (v, i) => v * (i % 2 ? 128 : 7)));
  out.push(Array.from(render([{ x: 3, y: 4, r: 2.5 }], w, h)));
  // A view at an odd offset into a larger buffer (no 4-byte words to compare).
  const shifted = new Uint8Array(w * h + 1);
  shifted.set(render([{ x: w - 2, y: h - 3, r: 4 }], w, h), 1);
  out.push(shifted.subarray(1));
  out.push(new Uint8Array(w * h));
  return out;
}

function expectSame(index: EdgeIndex, mask: ArrayLike<number>, grid: RenderGrid, r: Rng, points: number) {
  const edge = new PointSignedDistance(mask, grid);
  const { width: w, height: h, pixelNm } = grid;
  let finite = 0;
  for (let n = 0; n < points; n++) {
    // Slightly beyond the grid too (NaN there), and some points exactly on pixel edges.
    const snap = r.uniform() < 0.2;
    const fx = snap ? Math.round(r.uniform() * w) / w : r.uniform() * 1.02 - 0.01;
    const fy = snap ? Math.round(r.uniform() * h) / h : r.uniform() * 1.02 - 0.01;
    const x = grid.x0Nm + fx * w * pixelNm;
    const y = grid.y0Nm + fy * h * pixelNm;
    const got = index.at(x, y);
    expect(Object.is(got, edge.at(x, y)), `(${x}, ${y}): ${got} vs ${edge.at(x, y)}`).toBe(true);
    if (Number.isFinite(got)) finite++;
  }
  return finite;
}

describe('EdgeIndex', () => {
  test.each([
    [41, 29, 1],
    [41, 29, 3],
    [64, 48, 7],
    [64, 48, 32],
    [30, 30, 64],
  ])('%i×%i, %i px cells: PointSignedDistance bit for bit after every update', (w, h, cell) => {
    const r = new Rng(w * 31 + cell);
    const grid: RenderGrid = { x0Nm: 120.3, y0Nm: -40, width: w, height: h, pixelNm: 10 };
    const index = new EdgeIndex(grid, cell);
    let finite = 0;
    let changed = 0;
    for (const mask of maskSequence(r, w, h)) {
      index.update(mask);
      changed += index.lastChanged;
      finite += expectSame(index, mask, grid, r, 300);
    }
    expect(finite).toBeGreaterThan(1000);
    expect(changed).toBeGreaterThan(0);
  });

  test('against the slow reference on a drifting blob, and rejects a wrong size', () => {
    const grid: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 37, height: 23, pixelNm: 7 };
    const index = new EdgeIndex(grid, 4);
    const r = new Rng(5);
    for (let t = 0; t < 8; t++) {
      const mask = render([{ x: 5 + 3 * t, y: 11, r: 2 + t / 3 }], grid.width, grid.height);
      index.update(mask);
      for (let k = 0; k < 100; k++) {
        const x = r.uniform() * grid.width * 7;
        const y = r.uniform() * grid.height * 7;
        expect(index.at(x, y)).toBe(referencePointSignedDistance(mask, grid, x, y));
      }
    }
    expect(() => index.update(new Uint8Array(5))).toThrow(/size/);
    expect(() => new EdgeIndex(grid, 0)).toThrow(/cell/);
  });
});
