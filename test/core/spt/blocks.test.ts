import { describe, expect, test } from 'vitest';
import { movieFrameCount } from '../../../src/core/movie/window';
import {
  averageTrackOverBlocks,
  movieBlockOffset,
  trackPositionsForMovie,
} from '../../../src/core/spt/blocks';
import type { TrackTable } from '../../../src/core/spt/types';

function tracks(rows: [number, number, number][]): TrackTable {
  return {
    length: rows.length,
    columns: {
      track: Uint32Array.from(rows, (r) => r[0]),
      frame: Uint32Array.from(rows, (r) => r[1]),
      x: Float64Array.from(rows, (r) => r[2]),
      y: Float64Array.from(rows, (r) => 2 * r[2]),
      intensity: new Float64Array(rows.length).fill(3),
    },
  };
}

describe('block averaging', () => {
  test('averages positions per S-frame block, per track', () => {
    const t = tracks([
      [0, 0, 10],
      [0, 1, 20],
      [0, 5, 30],
      [0, 6, 100],
      [0, 13, 200],
      [4, 2, 7],
    ]);
    const b = averageTrackOverBlocks(t, 6);
    expect(Array.from(b.columns.track)).toEqual([0, 0, 0, 4]);
    expect(Array.from(b.columns.block)).toEqual([0, 1, 2, 0]);
    expect(Array.from(b.columns.x)).toEqual([20, 100, 200, 7]);
    expect(Array.from(b.columns.y)).toEqual([40, 200, 400, 14]);
    expect(Array.from(b.columns.count)).toEqual([3, 1, 1, 1]);
  });

  test('movie frame n takes the block holding its window centre (reference study: S=6, W=1002)', () => {
    expect(movieFrameCount(5008, { window: 1002, step: 6 })).toBe(668);
    expect(movieBlockOffset(6, 1002)).toBe(83);
    // Window of movie frame 0 is raw [0, 1002), centre 500.5 → block 83 = raw [498, 504).
    const t = tracks([
      [1, 497, 1],
      [1, 498, 10],
      [1, 503, 20],
      [1, 504, 99],
      [1, 5007, 50],
    ]);
    const m = trackPositionsForMovie(t, { step: 6, window: 1002, movieFrames: 668 });
    expect(Array.from(m.columns.frame)).toEqual([0, 1]);
    expect(Array.from(m.columns.x)).toEqual([15, 99]);
    // Raw frame 5007 is in block 834 → movie frame 751 ≥ 668: dropped.
    expect(m.length).toBe(2);
  });
});
