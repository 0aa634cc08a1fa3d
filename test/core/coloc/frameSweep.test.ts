// The one-pass sweep must give exactly what a full signed-distance field sampled at each point
// gives, on both of its paths (contours for sparse structures, EDT otherwise), and per-structure
// distances for pooling.
import { describe, expect, test } from 'vitest';
import { labelComponents2D } from '../../../src/core/binarize/structures';
import { FrameSweep } from '../../../src/core/coloc/frameSweep';
import {
  PointSignedDistance,
  StructureDistances,
  sampleField,
  signedDistanceField,
} from '../../../src/core/coloc/signedDistance';
import { Rng } from '../../../src/core/random';
import { nm } from '../../../src/core/units';

const grid = { x0Nm: 100, y0Nm: -50, width: 96, height: 80, pixelNm: 10 };

function discMask(r: Rng, discs: number): Uint8Array {
  const m = new Uint8Array(grid.width * grid.height);
  for (let k = 0; k < discs; k++) {
    const cx = r.uniform() * grid.width;
    const cy = r.uniform() * grid.height;
    const rad = 2 + 8 * r.uniform();
    for (let j = 0; j < grid.height; j++)
      for (let i = 0; i < grid.width; i++)
        if ((i + 0.5 - cx) ** 2 + (j + 0.5 - cy) ** 2 < rad * rad) m[j * grid.width + i] = 1;
  }
  return m;
}

function points(r: Rng, frames: number, per: number) {
  const n = frames * per;
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    frame[i] = Math.floor(i / per);
    x[i] = grid.x0Nm + r.uniform() * grid.width * grid.pixelNm;
    y[i] = grid.y0Nm + r.uniform() * grid.height * grid.pixelNm;
  }
  return { frame, x, y };
}

describe('FrameSweep', () => {
  test.each([
    ['few points (contour path)', 5, false],
    ['many points (column path)', 400, false],
    ['pooled (per structure)', 20, true],
  ])('%s: equals the exact distance at the point', (_name, per, pooled) => {
    const r = new Rng(3);
    const frames = 4;
    const masks = [discMask(r, 3), discMask(r, 6), new Uint8Array(grid.width * grid.height), discMask(r, 1)];
    const q = points(r, frames, per);
    const sweep = new FrameSweep(frames, [q], { grid, perStructure: pooled });
    for (let t = 0; t < frames; t++) sweep.addFrame(t, masks[t]);
    const p = sweep.provider();
    const out = new Float64Array(64);
    for (let i = 0; i < q.frame.length; i++) {
      const f = q.frame[i];
      const want = new PointSignedDistance(masks[f], grid).at(q.x[i], q.y[i]);
      const got = p.distance(f, q.x[i], q.y[i]);
      if (want === Number.POSITIVE_INFINITY) expect(got).toBe(want);
      else expect(got).toBeCloseTo(want, 9);
      if (pooled) {
        const { labels, count } = labelComponents2D(masks[f], grid.width, grid.height, 8);
        const k = p.structureDistances!(f, q.x[i], q.y[i], out);
        expect(k).toBe(count);
        if (count) {
          const sd = new StructureDistances(labels, grid).signedDistances(q.x[i], q.y[i]);
          for (let s = 0; s < count; s++) expect(out[s]).toBeCloseTo(sd[s], 9);
        }
      }
    }
  });

  test.each([
    ['few points (contour path)', 5, false],
    ['many points (EDT path)', 400, false],
    ['pooled (per structure)', 20, true],
  ])('bilinear, %s: equals the sampled signed-distance field', (_name, per, pooled) => {
    const r = new Rng(3);
    const frames = 4;
    const masks = [discMask(r, 3), discMask(r, 6), new Uint8Array(grid.width * grid.height), discMask(r, 1)];
    const q = points(r, frames, per);
    const sweep = new FrameSweep(frames, [q], { grid, perStructure: pooled, sampling: 'bilinear' });
    for (let t = 0; t < frames; t++) sweep.addFrame(t, masks[t]);
    const p = sweep.provider();
    const out = new Float64Array(64);
    for (let i = 0; i < q.frame.length; i++) {
      const f = q.frame[i];
      const field = signedDistanceField(masks[f], grid.width, grid.height, nm(grid.pixelNm));
      const want = sampleField(field, grid, q.x[i], q.y[i]);
      const got = p.distance(f, q.x[i], q.y[i]);
      if (want === Number.POSITIVE_INFINITY) expect(got).toBe(want);
      else expect(got).toBeCloseTo(want, 4);
      if (pooled) {
        const { labels, count } = labelComponents2D(masks[f], grid.width, grid.height, 8);
        const k = p.structureDistances!(f, q.x[i], q.y[i], out);
        expect(k).toBe(count);
        if (count) {
          const sd = new StructureDistances(labels, grid).signedDistances(
            q.x[i],
            q.y[i],
            undefined,
            'bilinear',
          );
          for (let s = 0; s < count; s++) expect(out[s]).toBeCloseTo(sd[s], 6);
        }
      }
    }
  });

  test('points of frames without registered positions read NaN; frames must arrive in order', () => {
    const q = { frame: Uint32Array.of(1), x: Float64Array.of(300), y: Float64Array.of(100) };
    const sweep = new FrameSweep(3, [q], { grid });
    expect(sweep.needs(0)).toBe(false);
    expect(sweep.needs(1)).toBe(true);
    expect(() => sweep.addFrame(1, null)).toThrow(/in order/);
    sweep.addFrame(0, null);
    expect(() => sweep.addFrame(1, null)).toThrow(/mask is needed/);
    const m = new Uint8Array(grid.width * grid.height);
    m[5 * grid.width + 20] = 1;
    sweep.addFrame(1, m);
    expect(Number.isFinite(sweep.provider().distance(1, 300, 100))).toBe(true);
    expect(sweep.provider().distance(1, 301, 100)).toBeNaN();
    expect(sweep.provider().distance(2, 300, 100)).toBeNaN();
  });
});
