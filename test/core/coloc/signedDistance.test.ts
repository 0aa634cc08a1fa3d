import { describe, expect, test } from 'vitest';
import { EdgeIndex } from '../../../src/core/coloc/edgeIndex';
import {
  nearestStructureField,
  PointSignedDistance,
  pixelIndexAt,
  StructureDistances,
  sampleField,
  signedDistanceField,
} from '../../../src/core/coloc/signedDistance';
import type { RenderGrid } from '../../../src/core/movie/grid';
import { Rng } from '../../../src/core/random';
import { nm } from '../../../src/core/units';

// Half a render pixel. The 1% margin covers the few raster configurations where a disc's or
// ring's nearest inside pixel centre sits a hair more than half a pixel off the curve (measured
// worst 0.5015 px); a wrong convention (no ½ px shift, or centres at integers) misses by ≥ 0.7 px.
const HALF_PX = 0.505;

const grid: RenderGrid = { x0Nm: 2000, y0Nm: 3000, width: 96, height: 90, pixelNm: 10 };

type Sdf = (x: number, y: number) => number; // analytic signed distance, nm

const disc =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;
const ring =
  (cx: number, cy: number, r: number, half: number): Sdf =>
  (x, y) =>
    Math.abs(Math.hypot(x - cx, y - cy) - r) - half;
const square =
  (cx: number, cy: number, half: number): Sdf =>
  (x, y) => {
    const dx = Math.abs(x - cx) - half;
    const dy = Math.abs(y - cy) - half;
    return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0);
  };

function rasterise(sdf: Sdf): Uint8Array {
  const m = new Uint8Array(grid.width * grid.height);
  for (let j = 0; j < grid.height; j++)
    for (let i = 0; i < grid.width; i++)
      if (sdf(grid.x0Nm + (i + 0.5) * grid.pixelNm, grid.y0Nm + (j + 0.5) * grid.pixelNm) <= 0)
        m[j * grid.width + i] = 1;
  return m;
}

function randomShapes(): [string, Sdf, number][] {
  const r = new Rng(12);
  const c = () => [grid.x0Nm + 480 + r.uniform() * 10, grid.y0Nm + 450 + r.uniform() * 10];
  const out: [string, Sdf, number][] = [];
  for (let k = 0; k < 6; k++) {
    const [x, y] = c();
    out.push([`disc ${k}`, disc(x, y, 100 + r.uniform() * 200), HALF_PX]);
    const [u, v] = c();
    out.push([`ring ${k}`, ring(u, v, 180 + r.uniform() * 100, 40 + r.uniform() * 30), HALF_PX]);
  }
  // Squares with sides on pixel edges: the corners' raster excess is √2·½ − ½ ≈ 0.21 px.
  for (const half of [100, 150, 230])
    out.push([`square ${half}`, square(grid.x0Nm + 480, grid.y0Nm + 450, half), 0.21]);
  return out;
}

function threeStructures(): Uint32Array {
  const labels = new Uint32Array(grid.width * grid.height);
  const shapes: Sdf[] = [disc(2300, 3300, 120), ring(2600, 3500, 180, 50), square(2250, 3700, 80)];
  shapes.forEach((sdf, k) => {
    const m = rasterise(sdf);
    for (let i = 0; i < m.length; i++) if (m[i]) labels[i] = k + 1;
  });
  return labels;
}

describe('signed distance to binarized structures', () => {
  test.each(randomShapes())(
    '%s: pixel-centre values are within the raster error of the analytic distance',
    (_, sdf, tolPx) => {
      const f = signedDistanceField(rasterise(sdf), grid.width, grid.height, nm(grid.pixelNm));
      let inside = 0;
      for (let j = 0; j < grid.height; j++)
        for (let i = 0; i < grid.width; i++) {
          const truth = sdf(grid.x0Nm + (i + 0.5) * grid.pixelNm, grid.y0Nm + (j + 0.5) * grid.pixelNm);
          const v = f[j * grid.width + i];
          expect(Math.abs(v - truth)).toBeLessThanOrEqual(tolPx * grid.pixelNm);
          if (v < 0) inside++;
        }
      expect(inside).toBeGreaterThan(100);
    },
  );

  test('sub-pixel positions on, just inside and just outside the edge interpolate within half a pixel', () => {
    const r = new Rng(5);
    const shapes: Sdf[] = [disc(2481.3, 3457.9, 167), ring(2477.1, 3452.2, 230, 55), square(2480, 3450, 150)];
    for (const sdf of shapes) {
      const f = signedDistanceField(rasterise(sdf), grid.width, grid.height, nm(grid.pixelNm));
      let checked = 0;
      for (let k = 0; k < 200_000 && checked < 2000; k++) {
        const x = grid.x0Nm + 100 + r.uniform() * 760;
        const y = grid.y0Nm + 100 + r.uniform() * 700;
        const truth = sdf(x, y);
        if (Math.abs(truth) > grid.pixelNm) continue;
        checked++;
        expect(Math.abs(sampleField(f, grid, x, y) - truth)).toBeLessThanOrEqual(HALF_PX * grid.pixelNm);
      }
      expect(checked).toBe(2000);
      // Far from the edge the sign and magnitude hold whatever the sampling.
      expect(sampleField(f, grid, 2480, 3450 - 400, 'nearest')).toBeGreaterThan(0);
    }
    // A disc's centre is R inside; a point 200 nm beyond its edge is +200.
    const d = signedDistanceField(
      rasterise(disc(2485, 3455, 150)),
      grid.width,
      grid.height,
      nm(grid.pixelNm),
    );
    expect(Math.abs(sampleField(d, grid, 2485, 3455) + 150)).toBeLessThanOrEqual(10);
    expect(Math.abs(sampleField(d, grid, 2485 + 350, 3455) - 200)).toBeLessThanOrEqual(5);
    expect(sampleField(d, grid, 0, 0)).toBeNaN();
  });

  test('no structure: +∞ everywhere; all structure: −∞', () => {
    const none = signedDistanceField(new Uint8Array(12), 4, 3);
    expect(none.every((v) => v === Number.POSITIVE_INFINITY)).toBe(true);
    const all = signedDistanceField(new Uint8Array(12).fill(1), 4, 3);
    expect(all.every((v) => v === Number.NEGATIVE_INFINITY)).toBe(true);
  });

  test('per-structure distances equal the field of each structure alone, at centres and between', () => {
    const labels = threeStructures();
    const sd = new StructureDistances(labels, grid);
    expect(sd.count).toBe(3);
    const alone = [1, 2, 3].map((k) =>
      signedDistanceField(
        labels.map((l) => (l === k ? 1 : 0)),
        grid.width,
        grid.height,
        nm(grid.pixelNm),
      ),
    );
    const r = new Rng(8);
    const out = new Float64Array(3);
    const exact = [1, 2, 3].map(
      (k) =>
        new PointSignedDistance(
          labels.map((l) => (l === k ? 1 : 0)),
          grid,
        ),
    );
    for (let n = 0; n < 3000; n++) {
      const x = grid.x0Nm + r.uniform() * grid.width * grid.pixelNm;
      const y = grid.y0Nm + r.uniform() * grid.height * grid.pixelNm;
      sd.signedDistances(x, y, out, 'bilinear');
      for (let k = 0; k < 3; k++) {
        expect(out[k]).toBeCloseTo(sampleField(alone[k], grid, x, y), 3);
        expect(sd.signedDistance(k + 1, x, y)).toBeCloseTo(exact[k].at(x, y), 6);
        expect(sd.signedDistance(k + 1, x, y, 'nearest')).toBeCloseTo(alone[k][pixelIndexAt(grid, x, y)], 3);
      }
    }
    expect(sd.signedDistance(4, 2300, 3300)).toBeNaN();
  });

  test('the nearest-structure field picks the closest structure and its label', () => {
    const labels = threeStructures();
    const sd = new StructureDistances(labels, grid);
    const { distance, label } = nearestStructureField(labels, grid.width, grid.height, nm(grid.pixelNm));
    for (let p = 0; p < labels.length; p += 7) {
      const x = grid.x0Nm + ((p % grid.width) + 0.5) * grid.pixelNm;
      const y = grid.y0Nm + (Math.floor(p / grid.width) + 0.5) * grid.pixelNm;
      const each = sd.signedDistances(x, y, new Float64Array(3), 'nearest');
      expect(distance[p]).toBeCloseTo(Math.min(...each), 3);
      expect(each[label[p] - 1]).toBeCloseTo(distance[p], 3);
      if (labels[p]) expect(label[p]).toBe(labels[p]);
    }
  });
});

// Issue #12: the distance at an EV's own position, exact to the pixel grid. Rasterised discs,
// rings and half-planes (pixel centres inside = structure), random sub-pixel positions,
// structure centres included: every value within half a pixel diagonal of the analytic one.
describe('exact signed distance at the point', () => {
  const edges = new EdgeIndex(grid);
  const HALF_DIAGONAL = Math.SQRT1_2 * grid.pixelNm * (1 + 1e-9);
  const halfPlane =
    (angle: number, offset: number): Sdf =>
    (x, y) =>
      (x - grid.x0Nm - 480) * Math.cos(angle) + (y - grid.y0Nm - 450) * Math.sin(angle) - offset;

  // A half-plane is cut by the image, and outside the image is not background: keep the points
  // whose nearest analytic edge point lies in the image (≥ 1 px in).
  const edgeInImage = (sdf: Sdf) => (x: number, y: number) => {
    const h = 1e-3;
    const d = sdf(x, y);
    const nx = (sdf(x + h, y) - d) / h;
    const ny = (sdf(x, y + h) - d) / h;
    const fx = x - d * nx;
    const fy = y - d * ny;
    const m = grid.pixelNm;
    return (
      fx > grid.x0Nm + m &&
      fy > grid.y0Nm + m &&
      fx < grid.x0Nm + (grid.width - 1) * m &&
      fy < grid.y0Nm + (grid.height - 1) * m
    );
  };

  function shapes(): [string, Sdf, [number, number][], (x: number, y: number) => boolean][] {
    const r = new Rng(21);
    const all = () => true;
    const out: [string, Sdf, [number, number][], (x: number, y: number) => boolean][] = [];
    for (let k = 0; k < 5; k++) {
      const cx = grid.x0Nm + 470 + r.uniform() * 20;
      const cy = grid.y0Nm + 440 + r.uniform() * 20;
      out.push([`disc ${k}`, disc(cx, cy, 60 + r.uniform() * 300), [[cx, cy]], all]);
      const rr = 200 + r.uniform() * 120;
      out.push([`ring ${k}`, ring(cx, cy, rr, 30 + r.uniform() * 40), [[cx + rr, cy]], all]);
      const hp = halfPlane(2 * Math.PI * r.uniform(), r.uniform() * 30);
      out.push([`half-plane ${k}`, hp, [], edgeInImage(hp)]);
    }
    return out;
  }

  test.each(shapes())('%s: within half a pixel diagonal everywhere', (_, sdf, special, keep) => {
    const mask = rasterise(sdf);
    const exact = new PointSignedDistance(mask, grid);
    // The per-frame distances' index, moved from the previous shape to this one.
    edges.update(mask);
    const r = new Rng(4);
    const pts: [number, number][] = [...special];
    for (let n = 0; n < 4000; n++)
      pts.push([
        grid.x0Nm + r.uniform() * grid.width * grid.pixelNm,
        grid.y0Nm + r.uniform() * grid.height * grid.pixelNm,
      ]);
    let worst = 0;
    let tested = 0;
    for (const [x, y] of pts) {
      if (!keep(x, y)) continue;
      tested++;
      worst = Math.max(worst, Math.abs(exact.at(x, y) - sdf(x, y)), Math.abs(edges.at(x, y) - sdf(x, y)));
    }
    expect(tested).toBeGreaterThan(1000);
    expect(worst).toBeLessThanOrEqual(HALF_DIAGONAL);
    // Not trivially so: the raster does move the edge.
    expect(worst).toBeGreaterThan(0.2 * grid.pixelNm);
  });

  test('the centre of a 300 nm disc at 10 nm reads −300 nm (bilinear read −289)', () => {
    const g: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 128, height: 128, pixelNm: 10 };
    const m = new Uint8Array(128 * 128);
    for (let j = 0; j < 128; j++)
      for (let i = 0; i < 128; i++) if (Math.hypot(i + 0.5 - 64, j + 0.5 - 64) < 30) m[j * 128 + i] = 1;
    const v = new PointSignedDistance(m, g).at(640, 640);
    expect(Math.abs(v + 300)).toBeLessThanOrEqual(Math.SQRT1_2 * 10);
    const field = signedDistanceField(m, 128, 128, nm(10));
    expect(Math.abs(sampleField(field, g, 640, 640) + 300)).toBeGreaterThan(Math.SQRT1_2 * 10);
  });

  test('per-structure contours give the same values as the column search', () => {
    const labels = threeStructures();
    const sd = new StructureDistances(labels, grid);
    const nearest = new PointSignedDistance(labels, grid);
    const r = new Rng(9);
    for (let n = 0; n < 3000; n++) {
      const x = grid.x0Nm + r.uniform() * grid.width * grid.pixelNm;
      const y = grid.y0Nm + r.uniform() * grid.height * grid.pixelNm;
      const v = Math.min(...Array.from(sd.signedDistances(x, y)));
      expect(nearest.at(x, y)).toBeCloseTo(v, 9);
    }
  });

  test('pixel edges read 0, axis-neighbour centres ±½ px; no structure +∞, all structure −∞, off-grid NaN', () => {
    const g: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 10, height: 10, pixelNm: 10 };
    const m = new Uint8Array(100);
    for (let j = 3; j < 7; j++) for (let i = 3; i < 7; i++) m[j * 10 + i] = 1;
    const e = new PointSignedDistance(m, g);
    expect(e.at(30, 45)).toBeCloseTo(0, 12);
    expect(e.at(25, 45)).toBeCloseTo(5, 12);
    expect(e.at(35, 45)).toBeCloseTo(-5, 12);
    expect(e.at(25, 25)).toBeCloseTo(Math.hypot(5, 5), 12);
    expect(e.at(-1, 5)).toBeNaN();
    expect(new PointSignedDistance(new Uint8Array(100), g).at(5, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(new PointSignedDistance(new Uint8Array(100).fill(1), g).at(5, 5)).toBe(Number.NEGATIVE_INFINITY);
  });
});
