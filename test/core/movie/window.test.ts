import { describe, expect, test } from 'vitest';
import { movieFrameCount, movieFrameRange, movieFrameTimes } from '../../../src/core/movie/window';

describe('movie windows', () => {
  test('the reference PALM run gives 668 frames', () => {
    expect(movieFrameCount(5008, { window: 1002, step: 6 })).toBe(668);
    const last = movieFrameRange(667, { window: 1002, step: 6 });
    expect(last).toEqual({ start: 4002, end: 5004 });
  });

  test('count is the number of windows that fit, for any W, S (also W not a multiple of S)', () => {
    for (let F = 0; F < 40; F++)
      for (let W = 1; W < 12; W++)
        for (let S = 1; S < 9; S++) {
          let fits = 0;
          while (movieFrameRange(fits, { window: W, step: S }).end <= F) fits++;
          expect(movieFrameCount(F, { window: W, step: S })).toBe(fits);
        }
  });

  test('edge cases: W = S tiles, F < W has no frame, bad parameters throw', () => {
    expect(movieFrameCount(30, { window: 6, step: 6 })).toBe(5);
    expect(movieFrameRange(4, { window: 6, step: 6 })).toEqual({ start: 24, end: 30 });
    expect(movieFrameCount(1001, { window: 1002, step: 6 })).toBe(0);
    expect(movieFrameCount(1002, { window: 1002, step: 6 })).toBe(1);
    expect(movieFrameCount(1007, { window: 1002, step: 6 })).toBe(1);
    expect(movieFrameCount(1008, { window: 1002, step: 6 })).toBe(2);
    expect(() => movieFrameCount(10, { window: 0, step: 1 })).toThrow(RangeError);
    expect(() => movieFrameCount(10, { window: 3, step: 1.5 })).toThrow(RangeError);
  });

  test('time labels: window start and centre at 200 frames/s', () => {
    const t = movieFrameTimes(10, { window: 1002, step: 6 }, 0.005);
    expect(t.startS).toBeCloseTo(0.3, 12);
    expect(t.centreS).toBeCloseTo(0.3 + 501 * 0.005, 12);
    expect(t.endS).toBeCloseTo(0.3 + 1002 * 0.005, 12);
  });
});
