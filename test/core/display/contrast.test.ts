import { describe, expect, test } from 'vitest';
import { frameStats, PERCENTILE_SAMPLES, percentileWindow } from '../../../src/core/display/contrast';

describe('percentileWindow', () => {
  test('matches exact percentiles of a ramp', () => {
    const ramp = Float64Array.from({ length: 10_001 }, (_, i) => i);
    expect(percentileWindow(ramp, 1, 99)).toEqual({ min: 100, max: 9900 });
    const w = percentileWindow(ramp);
    expect(w.min).toBeCloseTo(10, 6);
    expect(w.max).toBeCloseTo(9990, 6);
  });

  test('subsamples big frames and stays within one stride of the truth', () => {
    const n = 2048 * 2048;
    const ramp = new Float32Array(n);
    for (let i = 0; i < n; i++) ramp[i] = i;
    const w = percentileWindow(ramp, 0.1, 99.9);
    const stride = Math.ceil(n / PERCENTILE_SAMPLES);
    expect(Math.abs(w.min - 0.001 * (n - 1))).toBeLessThanOrEqual(stride);
    expect(Math.abs(w.max - 0.999 * (n - 1))).toBeLessThanOrEqual(stride);
  });

  test('a sparse frame (background plus a few blinks) still gets max above min', () => {
    const frame = new Uint16Array(256 * 256).fill(100);
    frame[500] = 2000;
    const w = percentileWindow(frame);
    expect(w.min).toBe(100);
    expect(w.max).toBe(2000);
  });

  test('flat and empty frames give a unit window; NaN is ignored', () => {
    expect(percentileWindow(new Uint16Array(100).fill(7))).toEqual({ min: 7, max: 8 });
    expect(percentileWindow(new Float32Array(0))).toEqual({ min: 0, max: 1 });
    expect(percentileWindow(new Float32Array([Number.NaN, 1, 2, 3, Number.NaN]), 0, 100)).toEqual({
      min: 1,
      max: 3,
    });
  });

  test('refuses percentiles out of order or out of range', () => {
    expect(() => percentileWindow([1, 2], 50, 10)).toThrow(RangeError);
    expect(() => percentileWindow([1, 2], -1, 10)).toThrow(RangeError);
    expect(() => percentileWindow([1, 2], 1, 101)).toThrow(RangeError);
  });
});

describe('frameStats', () => {
  test('min, max, mean and a histogram over all pixels', () => {
    const s = frameStats(new Uint16Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]), 5);
    expect(s.min).toBe(0);
    expect(s.max).toBe(10);
    expect(s.mean).toBeCloseTo(65 / 12, 10);
    expect([...s.counts]).toEqual([2, 2, 2, 2, 4]);
  });

  test('a flat frame puts everything in the first bin', () => {
    const s = frameStats(new Float32Array(10).fill(3), 4);
    expect([...s.counts]).toEqual([10, 0, 0, 0]);
  });
});
