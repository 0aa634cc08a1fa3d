import { describe, expect, test } from 'vitest';
import { groupByFrame } from '../../../src/core/locs/groupByFrame';

const rowsOf = (g: ReturnType<typeof groupByFrame>, f: number) =>
  Array.from(g.order.subarray(g.start[f], g.start[f + 1]));

describe('groupByFrame', () => {
  test('rows of each frame in table order, empty frames included', () => {
    const g = groupByFrame(Uint32Array.from([2, 0, 2, 4, 0]), 5);
    expect(g.frames).toBe(5);
    expect(rowsOf(g, 0)).toEqual([1, 4]);
    expect(rowsOf(g, 1)).toEqual([]);
    expect(rowsOf(g, 2)).toEqual([0, 2]);
    expect(rowsOf(g, 3)).toEqual([]);
    expect(rowsOf(g, 4)).toEqual([3]);
  });

  test('a mask drops rows (and the frames beyond the last kept one); n limits the rows read', () => {
    const frame = [0, 3, 1, 1, 9];
    const g = groupByFrame(frame, 4, { mask: Uint8Array.from([1, 0, 1, 1, 1]) });
    expect(g.frames).toBe(2);
    expect(Array.from(g.order)).toEqual([0, 2, 3]);
    expect(Array.from(g.start)).toEqual([0, 1, 3]);
  });

  test('a given frame count pads with empty frames; no rows gives no frames', () => {
    const g = groupByFrame([1], 1, { frames: 4 });
    expect(Array.from(g.start)).toEqual([0, 0, 1, 1, 1]);
    const none = groupByFrame([], 0);
    expect(none.frames).toBe(0);
    expect(Array.from(none.start)).toEqual([0]);
  });
});
