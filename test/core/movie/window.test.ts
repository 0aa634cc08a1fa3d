import { describe, expect, test } from 'vitest';
import {
  framesPastEnd,
  MAX_MOVIE_FRAMES,
  movieFrameCount,
  movieFrameLimitError,
  movieFrameRange,
  movieFrameTimes,
} from '../../../src/core/movie/window';
import { frame0 } from '../../../src/core/units';

describe('movie windows', () => {
  test('the reference PALM run gives 668 frames', () => {
    expect(movieFrameCount(5008, { window: 1002, step: 6 })).toBe(668);
    const last = movieFrameRange(frame0(667), { window: 1002, step: 6 });
    expect(last).toEqual({ start: 4002, end: 5004 });
  });

  test('count is the number of windows that fit, for any W, S (also W not a multiple of S)', () => {
    for (let F = 0; F < 40; F++)
      for (let W = 1; W < 12; W++)
        for (let S = 1; S < 9; S++) {
          let fits = 0;
          while (movieFrameRange(frame0(fits), { window: W, step: S }).end <= F) fits++;
          expect(movieFrameCount(F, { window: W, step: S })).toBe(fits);
        }
  });

  test('edge cases: W = S tiles, F < W has no frame, bad parameters throw', () => {
    expect(movieFrameCount(30, { window: 6, step: 6 })).toBe(5);
    expect(movieFrameRange(frame0(4), { window: 6, step: 6 })).toEqual({ start: 24, end: 30 });
    expect(movieFrameCount(1001, { window: 1002, step: 6 })).toBe(0);
    expect(movieFrameCount(1002, { window: 1002, step: 6 })).toBe(1);
    expect(movieFrameCount(1007, { window: 1002, step: 6 })).toBe(1);
    expect(movieFrameCount(1008, { window: 1002, step: 6 })).toBe(2);
    expect(() => movieFrameCount(10, { window: 0, step: 1 })).toThrow(RangeError);
    expect(() => movieFrameCount(10, { window: 3, step: 1.5 })).toThrow(RangeError);
  });

  test('time labels: window start and centre at 200 frames/s', () => {
    const t = movieFrameTimes(frame0(10), { window: 1002, step: 6 }, 0.005);
    expect(t.startS).toBeCloseTo(0.3, 12);
    expect(t.centreS).toBeCloseTo(0.3 + 501 * 0.005, 12);
    expect(t.endS).toBeCloseTo(0.3 + 1002 * 0.005, 12);
  });
});

describe('the movie frame limit (issue 13)', () => {
  test('at most MAX_MOVIE_FRAMES movie frames; one more is refused with the count, range and window', () => {
    expect(MAX_MOVIE_FRAMES).toBe(100_000);
    // F raw frames, W = 1, S = 1 → F movie frames.
    expect(movieFrameLimitError(100_000, { window: 1, step: 1 })).toBeNull();
    expect(movieFrameLimitError(100_001, { window: 1, step: 1 })).toBe(
      'the movie would have 100,001 frames (raw frames 1…100,001, W = 1, S = 1), more than the limit of 100,000',
    );
    // The reference study's window and step allow ~6·10⁵ raw frames: ⌊(F − 1002)/6⌋ + 1 ≤ 10⁵.
    expect(movieFrameLimitError(600_996, { window: 1002, step: 6 })).toBeNull();
    expect(movieFrameLimitError(601_002, { window: 1002, step: 6 })).toMatch(/100,001 frames/);
    // A stray frame 10⁹ with the reference window.
    expect(movieFrameLimitError(1e9, { window: 1002, step: 6 })).toMatch(/166,666,500 frames/);
  });

  test('localizations past the last raw frame are counted, with the largest frame', () => {
    const a = Uint32Array.from([0, 4, 5, 999_999_999]);
    const b = Float64Array.from([3, 7]);
    expect(framesPastEnd([a, b], 5)).toEqual({ count: 3, last: 999_999_999 });
    expect(framesPastEnd([a, b], 1e9)).toEqual({ count: 0, last: -1 });
    expect(framesPastEnd([], 5)).toEqual({ count: 0, last: -1 });
  });
});
