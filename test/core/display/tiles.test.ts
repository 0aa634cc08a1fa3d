import { expect, test } from 'vitest';
import { SIDE_GAP, tilesAt } from '../../../src/core/display/tiles';

const side = [
  { channel: 0, x0: 0, y0: 0, width: 10, height: 8 },
  { channel: 1, x0: 10 + SIDE_GAP, y0: 0, width: 10, height: 8 },
];

test('side by side: the point falls in one channel, in that channel’s own pixels', () => {
  expect(tilesAt(side, 3.7, 2.2).map((h) => [h.tile.channel, h.px, h.py])).toEqual([[0, 3, 2]]);
  expect(tilesAt(side, 10 + SIDE_GAP + 9.5, 7.9).map((h) => [h.tile.channel, h.px, h.py])).toEqual([
    [1, 9, 7],
  ]);
  expect(tilesAt(side, 11, 2)).toEqual([]);
  expect(tilesAt(side, -0.5, 2)).toEqual([]);
});

test('overlay: every channel is under the point', () => {
  const over = side.map((t) => ({ ...t, x0: 0 }));
  expect(tilesAt(over, 1, 1).map((h) => h.tile.channel)).toEqual([0, 1]);
});
