import { describe, expect, test } from 'vitest';
import {
  evenlySpacedIndices,
  histogramOf,
  otsuSplit,
  otsuThreshold,
  otsuThresholdExact,
  pooledOtsuThreshold,
} from '../../../src/core/binarize/otsu';
import { binarize, gaussianSmooth } from '../../../src/core/binarize/smooth';
import { Rng } from '../../../src/core/random';

// Brute force: every split, class means and weights from scratch.
function bruteVariance(counts: ArrayLike<number>, k: number, value = (i: number) => i): number {
  let n0 = 0;
  let n1 = 0;
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i <= k) {
      n0 += counts[i];
      s0 += counts[i] * value(i);
    } else {
      n1 += counts[i];
      s1 += counts[i] * value(i);
    }
  }
  if (!n0 || !n1) return 0;
  const n = n0 + n1;
  return (n0 / n) * (n1 / n) * (s0 / n0 - s1 / n1) ** 2;
}

function bruteBest(counts: ArrayLike<number>): { k: number; v: number } {
  let best = { k: -1, v: -1 };
  for (let k = 0; k < counts.length - 1; k++) {
    const v = bruteVariance(counts, k);
    if (v > best.v) best = { k, v };
  }
  return best;
}

function mixtureHistogram(seed: number, bins: number, a: number[], b: number[]): Float64Array {
  // Two Gaussian classes (mean, sd, count) binned to integers.
  const r = new Rng(seed);
  const h = new Float64Array(bins);
  for (const [m, sd, n] of [a, b])
    for (let i = 0; i < n; i++) {
      const v = Math.round(m + sd * r.normal());
      if (v >= 0 && v < bins) h[v]++;
    }
  return h;
}

describe('Otsu', () => {
  test.each([
    ['bimodal, equal classes', 1, [60, 12, 5000], [180, 15, 5000]],
    ['unequal classes (1:20)', 2, [40, 10, 20000], [150, 25, 1000]],
    ['overlapping, skewed', 3, [90, 30, 8000], [140, 8, 3000]],
  ])('%s: the split maximises the brute-force between-class variance', (_, seed, a, b) => {
    const h = mixtureHistogram(seed as number, 256, a as number[], b as number[]);
    const { first, last, variance } = otsuSplit(h);
    const brute = bruteBest(h);
    expect(first).toBeLessThanOrEqual(brute.k);
    expect(last).toBeGreaterThanOrEqual(brute.k);
    expect(Math.abs(variance - brute.v)).toBeLessThan(1e-12 * brute.v);
    expect(Math.abs(bruteVariance(h, first) - brute.v)).toBeLessThan(1e-12 * brute.v);
  });

  test('a gap of empty bins ties; the threshold sits in its middle', () => {
    const h = new Float64Array(10);
    h[1] = 5;
    h[2] = 3;
    h[7] = 4;
    h[8] = 4;
    const s = otsuSplit(h);
    expect([s.first, s.last]).toEqual([2, 6]);
    const values = [...[1, 1, 1, 1, 1], 2, 2, 2, 7, 7, 7, 7, 8, 8, 8, 8, 9.999];
    const t = otsuThreshold(values, 10);
    expect(t).toBeGreaterThan(2);
    expect(t).toBeLessThan(7);
  });

  test('exact Otsu on samples equals the brute force over distinct values', () => {
    const r = new Rng(9);
    const v: number[] = [];
    for (let i = 0; i < 300; i++) v.push(r.uniform() < 0.7 ? r.normal() : 4 + 0.5 * r.normal());
    const t = otsuThresholdExact(v);
    const distinct = [...new Set(v)].sort((a, b) => a - b);
    const counts = distinct.map((d) => v.filter((x) => x === d).length);
    const best = (() => {
      let b = { k: -1, val: -1 };
      for (let k = 0; k < distinct.length - 1; k++) {
        const val = bruteVariance(counts, k, (i) => distinct[i]);
        if (val > b.val) b = { k, val };
      }
      return b;
    })();
    expect(t).toBeGreaterThan(distinct[best.k]);
    expect(t).toBeLessThanOrEqual(distinct[best.k + 1]);
    // Binned Otsu lands close to the exact one.
    expect(Math.abs(otsuThreshold(v, 1024) - t)).toBeLessThan(0.05);
  });

  test('histogram bins are half-open, the last one closed at max', () => {
    const h = histogramOf([0, 0.24, 0.25, 0.5, 0.99, 1], 4);
    expect([...h.counts]).toEqual([2, 1, 1, 2]);
    expect([h.min, h.max]).toEqual([0, 1]);
  });

  test('no split: constant or empty input gives +∞ (nothing is structure)', () => {
    expect(otsuThreshold([3, 3, 3])).toBe(Number.POSITIVE_INFINITY);
    expect(otsuThresholdExact([])).toBe(Number.POSITIVE_INFINITY);
    expect(otsuSplit(new Float64Array([0, 5, 0])).first).toBe(-1);
  });

  test('pooled threshold samples evenly spaced frames, binned or exact', () => {
    expect(evenlySpacedIndices(668, 10)).toEqual([0, 74, 148, 222, 296, 371, 445, 519, 593, 667]);
    expect(evenlySpacedIndices(3, 10)).toEqual([0, 1, 2]);
    expect(evenlySpacedIndices(5, 1)).toEqual([2]);
    // Frames whose background/foreground split point drifts: the pooled threshold is that of
    // all sampled pixels together, not of any one frame.
    const frames = Array.from({ length: 30 }, (_, n) => {
      const r = new Rng(n);
      return Float32Array.from({ length: 400 }, (_, i) =>
        i < 300 ? r.uniform() : 10 + n / 10 + r.uniform(),
      );
    });
    const picks = evenlySpacedIndices(30, 10);
    const pooled = picks.flatMap((n) => [...frames[n]]);
    const calls: number[] = [];
    const get = (n: number) => {
      calls.push(n);
      return frames[n];
    };
    expect(pooledOtsuThreshold(30, get, { bins: 512 })).toBe(otsuThreshold(pooled, 512));
    expect(new Set(calls)).toEqual(new Set(picks));
    expect(pooledOtsuThreshold(30, get, { bins: 'exact' })).toBe(otsuThresholdExact(pooled));
    expect(pooledOtsuThreshold(0, get)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('smoothing and binarizing', () => {
  test('smoothing keeps flat images flat, conserves an interior spot, and is symmetric', () => {
    const flat = gaussianSmooth(new Float32Array(100).fill(2), 10, 10, 1.5);
    for (const v of flat) expect(v).toBeCloseTo(2, 6);
    const spot = new Float32Array(31 * 31);
    spot[15 * 31 + 15] = 1;
    const s = gaussianSmooth(spot, 31, 31, 2);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(s[15 * 31 + 13]).toBeCloseTo(s[13 * 31 + 15], 7);
    expect(s[15 * 31 + 15] / s[15 * 31 + 17]).toBeCloseTo(Math.exp(0.5), 4);
  });

  test('binarize: ≥ threshold is structure', () => {
    expect([...binarize([0, 1, 2, 3], 2)]).toEqual([0, 0, 1, 1]);
  });
});
