import { describe, expect, test } from 'vitest';
import { evFramesFor, meanOfFrames } from '../../../src/core/movie/evFrames';
import { movieBlockOffset } from '../../../src/core/spt/blocks';

describe('EV frames under a movie frame', () => {
  test('the averaged block is the S-frame block of the tracks that holds the window centre', () => {
    for (const [W, S] of [
      [1002, 6],
      [10, 4],
      [7, 7],
      [5, 10],
      [200, 20],
      [1, 1],
    ]) {
      for (let n = 0; n < 20; n++) {
        const { start, count } = evFramesFor(n, { window: W, step: S }, 1e6, 'mean');
        expect(count).toBe(S);
        expect(start % S).toBe(0);
        expect(start / S).toBe(n + movieBlockOffset(S, W));
        const centre = n * S + (W - 1) / 2;
        expect(start).toBeLessThanOrEqual(centre);
        expect(centre).toBeLessThan(start + S);
        const raw = evFramesFor(n, { window: W, step: S }, 1e6, 'raw');
        expect(raw.count).toBe(1);
        expect(Math.abs(raw.start - centre)).toBeLessThanOrEqual(0.5);
      }
    }
    // Reference study: movie frame n ↔ raw frames [6n + 498, 6n + 504).
    expect(evFramesFor(10, { window: 1002, step: 6 }, 5008, 'mean')).toEqual({ start: 558, count: 6 });
  });

  test('meanOfFrames averages pixel-wise and refuses mismatched frames', () => {
    const m = meanOfFrames([Uint16Array.of(1, 2, 65535), Uint16Array.of(3, 4, 65535)]);
    expect(Array.from(m)).toEqual([2, 3, 65535]);
    expect(() => meanOfFrames([Uint16Array.of(1), Uint16Array.of(1, 2)])).toThrow(/differ in size/);
  });
});
