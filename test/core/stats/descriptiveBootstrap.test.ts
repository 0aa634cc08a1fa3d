import { describe, expect, test } from 'vitest';
import { bootstrapFractionCi } from '../../../src/core/stats/bootstrap';
import {
  boxStats,
  mean,
  median,
  quantile,
  robustSigma,
  standardDeviation,
  summarize,
  variance,
} from '../../../src/core/stats/descriptive';

describe('descriptive statistics', () => {
  test('mean, variance and quartiles by hand', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9]; // the classic σ = 2 example: Σ(x−5)² = 32
    expect(mean(x)).toBe(5);
    expect(variance(x)).toBeCloseTo(32 / 7, 14);
    expect(standardDeviation(x)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    // Type 7: h = (n−1)p = 1.75 → 4 + 0.75·(4−4) = 4; median h = 3.5 → 4.5; q3 h = 5.25 → 5 + 0.25·2 = 5.5
    expect(quantile(x, 0.25)).toBe(4);
    expect(median(x)).toBe(4.5);
    expect(quantile(x, 0.75)).toBe(5.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([Number.NaN, 10, 1])).toBe(5.5);
    expect(Number.isNaN(mean([]))).toBe(true);
  });

  test('summary and Tukey box statistics', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    const s = summarize(x);
    expect(s.n).toBe(10);
    expect(s.q1).toBeCloseTo(3.25, 14); // h = 2.25
    expect(s.q3).toBeCloseTo(7.75, 14); // h = 6.75
    const b = boxStats(x);
    // IQR 4.5 → upper fence 14.5: 100 is an outlier, the whisker stops at 9.
    expect(b.whiskerHigh).toBe(9);
    expect(b.whiskerLow).toBe(1);
    expect(Array.from(b.outliers)).toEqual([100]);
  });

  test('robust σ is the scaled MAD', () => {
    // median 3, |x−3| = 2,1,0,1,97 → MAD 1
    expect(robustSigma([1, 2, 3, 4, 100])).toBeCloseTo(1.482602218505602, 12);
  });
});

describe('bootstrap CIs of subtype fractions', () => {
  test('percentile intervals cover the observed fraction with the binomial width', () => {
    const n = 400;
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = i < 120 ? 0 : i < 300 ? 1 : 2; // 30 %, 45 %, 25 %
    const ci = bootstrapFractionCi(labels, 3, { seed: 7 });
    expect(Array.from(ci.fraction)).toEqual([0.3, 0.45, 0.25]);
    for (let c = 0; c < 3; c++) {
      const p = ci.fraction[c];
      const half = 1.96 * Math.sqrt((p * (1 - p)) / n); // Wald half-width, what the bootstrap approximates
      expect(ci.lower[c]).toBeLessThan(p);
      expect(ci.upper[c]).toBeGreaterThan(p);
      expect((ci.upper[c] - ci.lower[c]) / (2 * half)).toBeGreaterThan(0.85);
      expect((ci.upper[c] - ci.lower[c]) / (2 * half)).toBeLessThan(1.15);
    }
  });

  test('is reproducible from its seed, skips unclassified EVs and rejects bad labels', () => {
    const labels = [0, 1, 1, -1, 0, 1, 2, 2, 1, 0];
    const a = bootstrapFractionCi(labels, 3, { seed: 3, iterations: 500 });
    const b = bootstrapFractionCi(labels, 3, { seed: 3, iterations: 500 });
    expect(Array.from(a.lower)).toEqual(Array.from(b.lower));
    expect(a.n).toBe(9);
    expect(a.fraction[1]).toBeCloseTo(4 / 9, 14);
    expect(() => bootstrapFractionCi([0, 3], 3)).toThrow(/class/);
  });
});
