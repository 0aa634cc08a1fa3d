import { describe, expect, it } from 'vitest';
import {
  addPolygonCell,
  autoBackgroundMask,
  CellTraceAccumulator,
  cellGeometry,
  deleteCells,
  labelAt,
  mergeCells,
  segmentCells,
  triangleThreshold,
} from '../../../src/core/calcium';
import { Rng } from '../../../src/core/random';

const W = 96;
const H = 64;

/** Discs of given brightness on a background of 100, with Gaussian noise. */
function discs(list: { x: number; y: number; r: number; v: number }[], noise = 2, seed = 1): Float32Array {
  const rng = new Rng(seed, 0);
  const img = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 100;
      for (const d of list) if ((x + 0.5 - d.x) ** 2 + (y + 0.5 - d.y) ** 2 <= d.r * d.r) v = 100 + d.v;
      img[y * W + x] = v + noise * rng.normal();
    }
  return img;
}

describe('segmentCells', () => {
  it('finds separate cells of very different brightness (triangle threshold keeps the dim one)', () => {
    const img = discs([
      { x: 20, y: 20, r: 9, v: 200 },
      { x: 60, y: 30, r: 10, v: 25 },
    ]);
    const seg = segmentCells(img, W, H);
    expect(seg.count).toBe(2);
    const otsu = segmentCells(img, W, H, { method: 'otsu' });
    expect(otsu.count).toBe(1);
    expect(labelAt(seg.labels, W, H, 60, 30)).toBeGreaterThan(0);
    // Areas close to πr² (smoothing moves the edge by at most a pixel or so).
    const geo = cellGeometry(seg.labels, seg.count, W);
    const bright = labelAt(seg.labels, W, H, 20, 20) - 1;
    expect(geo.area[bright]).toBeGreaterThan(Math.PI * 8 * 8);
    expect(geo.area[bright]).toBeLessThan(Math.PI * 11 * 11);
    expect(geo.x[bright]).toBeCloseTo(20, 0);
    expect(geo.y[bright]).toBeCloseTo(20, 0);
  });

  it('splits two touching cells at their neck, and keeps one elongated cell whole', () => {
    const img = discs([
      { x: 30, y: 32, r: 12, v: 100 },
      { x: 52, y: 32, r: 12, v: 100 },
    ]);
    const seg = segmentCells(img, W, H);
    expect(seg.count).toBe(2);
    const a = labelAt(seg.labels, W, H, 30, 32);
    const b = labelAt(seg.labels, W, H, 52, 32);
    expect(a).not.toBe(b);
    // The boundary runs through the neck at x ≈ 41.
    expect(labelAt(seg.labels, W, H, 38, 32)).toBe(a);
    expect(labelAt(seg.labels, W, H, 44, 32)).toBe(b);
    expect(segmentCells(img, W, H, { splitTouching: false }).count).toBe(1);

    const rng = new Rng(5, 0);
    const ell = new Float32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const u = (x + 0.5 - 48) / 30;
        const v = (y + 0.5 - 32) / 12;
        ell[y * W + x] = (u * u + v * v <= 1 ? 200 : 100) + 2 * rng.normal();
      }
    expect(segmentCells(ell, W, H).count).toBe(1);
  });

  it('drops specks smaller than the minimum area', () => {
    const img = discs([
      { x: 20, y: 20, r: 9, v: 100 },
      { x: 70, y: 40, r: 1.5, v: 100 },
    ]);
    expect(segmentCells(img, W, H, { minAreaPx: 20 }).count).toBe(1);
    expect(segmentCells(img, W, H, { minAreaPx: 1, smoothSigmaPx: 0, threshold: 150 }).count).toBe(2);
  });

  it('triangle threshold lies just above a dominant background peak', () => {
    const img = discs([{ x: 40, y: 30, r: 15, v: 100 }], 2);
    const t = triangleThreshold(img);
    expect(t).toBeGreaterThan(100);
    expect(t).toBeLessThan(150);
  });
});

describe('traces', () => {
  it('accumulate per-cell background-corrected means frame by frame', () => {
    const labels = new Int32Array(W * H);
    for (let i = 0; i < 50; i++) labels[i] = 1;
    for (let i = 200; i < 230; i++) labels[i] = 2;
    const bg = new Uint8Array(W * H);
    bg.fill(1, 3000, 3100);
    const acc = new CellTraceAccumulator(labels, 2, bg, 3);
    for (let f = 0; f < 3; f++) {
      const px = new Float64Array(W * H).fill(10 + f);
      for (let i = 0; i < 50; i++) px[i] = 100 + (i % 2 ? 1 : -1) + 10 * f;
      for (let i = 200; i < 230; i++) px[i] = 50;
      acc.addFrame(f, px);
    }
    expect(Array.from(acc.trace(0))).toEqual([90, 99, 108]);
    expect(Array.from(acc.trace(1))).toEqual([40, 39, 38]);
    expect(Array.from(acc.background)).toEqual([10, 11, 12]);
  });

  it('the automatic background stays away from cells and keeps the dimmest pixels', () => {
    const img = new Float32Array(W * H);
    const labels = new Int32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        img[y * W + x] = x < 48 ? 10 : 50; // a dim left half
        if (x >= 20 && x < 30 && y >= 20 && y < 30) labels[y * W + x] = 1;
      }
    const m = autoBackgroundMask(img, labels, W, H, { marginPx: 3, percentile: 20 });
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (!m[y * W + x]) continue;
        expect(x).toBeLessThan(48);
        const dx = Math.max(0, 20 - x, x - 29);
        const dy = Math.max(0, 20 - y, y - 29);
        expect(dx * dx + dy * dy).toBeGreaterThan(9);
      }
    expect(m.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(() => autoBackgroundMask(img, new Int32Array(W * H).fill(1), W, H)).toThrow(/no background/);
  });
});

describe('label edits', () => {
  const base = () => {
    const l = new Int32Array(W * H);
    for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) l[y * W + x] = 1;
    for (let y = 10; y < 20; y++) for (let x = 30; x < 40; x++) l[y * W + x] = 2;
    for (let y = 40; y < 50; y++) for (let x = 10; x < 20; x++) l[y * W + x] = 3;
    return l;
  };
  it('delete renumbers the rest 1…n', () => {
    const r = deleteCells(base(), [2]);
    expect(r.count).toBe(2);
    expect(labelAt(r.labels, W, H, 35, 15)).toBe(0);
    expect(labelAt(r.labels, W, H, 15, 45)).toBe(2);
  });
  it('merge makes one cell of two', () => {
    const r = mergeCells(base(), [1, 3]);
    expect(r.count).toBe(2);
    expect(labelAt(r.labels, W, H, 15, 15)).toBe(labelAt(r.labels, W, H, 15, 45));
    expect(() => mergeCells(base(), [1])).toThrow(/two/);
  });
  it('a drawn polygon becomes a new cell on free pixels only', () => {
    const r = addPolygonCell(base(), W, H, [15, 25, 25, 15], [12, 12, 18, 18]);
    expect(r.count).toBe(4);
    const added = labelAt(r.labels, W, H, 22, 15);
    expect(added).toBeGreaterThan(0);
    expect(labelAt(r.labels, W, H, 17, 15)).toBe(1);
    let area = 0;
    for (const l of r.labels) if (l === added) area++;
    expect(area).toBe(5 * 6); // x 20–24 (15–19 are cell 1), y 12–17
    expect(() => addPolygonCell(base(), W, H, [11, 18, 18], [11, 11, 18])).toThrow(/no free pixel/);
  });
});
