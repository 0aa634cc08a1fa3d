// One damaged row at frame 10⁹ must change nothing but itself: blink linking, NeNA's
// adjacent-frame distances and the movie's frame index give, for every other row, exactly what
// they give without it — while their memory follows the rows (a dense index would need 4 GB).
import { describe, expect, test } from 'vitest';
import { groupByFrame, groupByFrameSparse } from '../../../src/core/locs/groupByFrame';
import { linkBlinks } from '../../../src/core/locs/link';
import { adjacentFrameDistances } from '../../../src/core/locs/nena';
import { FrameIndexedLocs } from '../../../src/core/movie/frameIndexedLocs';
import { Rng } from '../../../src/core/random';

/** Emitters blinking over consecutive frames with 10 nm jitter, far apart from each other. */
function blinks(n: number): { frame: Uint32Array; x: Float64Array; y: Float64Array } {
  const rng = new Rng(7);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const emitter = i % 40;
    frame[i] = Math.floor(i / 40);
    x[i] = 1000 * (emitter % 8) + 10 * rng.normal();
    y[i] = 1000 * Math.floor(emitter / 8) + 10 * rng.normal();
  }
  return { frame, x, y };
}

function withOutlier(t: ReturnType<typeof blinks>) {
  const n = t.frame.length;
  const frame = new Uint32Array(n + 1);
  frame.set(t.frame);
  frame[n] = 1_000_000_000;
  const x = Float64Array.from([...t.x, 500]);
  const y = Float64Array.from([...t.y, 500]);
  return { frame, x, y };
}

describe('a stray frame number costs nothing', () => {
  const base = blinks(4000);
  const hostile = withOutlier(base);
  const n = base.frame.length;

  test('sparse grouping lists the same rows per frame as the dense one', () => {
    const dense = groupByFrame(base.frame, n);
    const sparse = groupByFrameSparse(hostile.frame, n + 1);
    expect(Array.from(sparse.frameIds)).toEqual([...Array.from({ length: 100 }, (_, f) => f), 1_000_000_000]);
    expect(Array.from(sparse.order.subarray(0, n))).toEqual(Array.from(dense.order));
    expect(sparse.order[n]).toBe(n);
  });

  test('blink linking: the same groups, plus one for the stray row', () => {
    const opts = { radiusNm: 60, maxGapFrames: 1 };
    const a = linkBlinks(base.frame, base.x, base.y, n, opts);
    const b = linkBlinks(hostile.frame, hostile.x, hostile.y, n + 1, opts);
    expect(a.groups).toBe(40); // ground truth: 40 emitters, on in every frame
    expect(b.groups).toBe(a.groups + 1);
    expect(Array.from(b.group.subarray(0, n))).toEqual(Array.from(a.group));
    expect(b.size[b.group[n]]).toBe(1);
  });

  test('NeNA distances: the stray row has no neighbour frame and adds none', () => {
    const a = adjacentFrameDistances(base.frame, base.x, base.y, n, 200);
    const b = adjacentFrameDistances(hostile.frame, hostile.x, hostile.y, n + 1, 200);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a.length).toBe(40 * 99);
  });

  test('the movie index finds the same rows for every raw-frame range', () => {
    const dense = new FrameIndexedLocs();
    const sparse = new FrameIndexedLocs();
    for (let i = 0; i < n; i++) {
      dense.push(base.frame[i], base.x[i], base.y[i], 10);
      sparse.push(hostile.frame[i], hostile.x[i], hostile.y[i], 10);
    }
    sparse.push(hostile.frame[n], hostile.x[n], hostile.y[n], 10);
    for (const [s, e] of [
      [0, 1],
      [5, 17],
      [90, 100],
      [99, 5000],
    ]) {
      const d = dense.rangeOf(s, e);
      const p = sparse.rangeOf(s, e);
      expect(Array.from(sparse.order.subarray(p.lo, p.hi))).toEqual(
        Array.from(dense.order.subarray(d.lo, d.hi)),
      );
    }
    const last = sparse.rangeOf(999_999_990, 1_000_000_010);
    expect(Array.from(sparse.order.subarray(last.lo, last.hi))).toEqual([n]);
  });
});
