import { describe, expect, test } from 'vitest';
import {
  chiSquareHomogeneity,
  chiSquareSf,
  kolmogorovQ,
  ksTwoSample,
  lnGamma,
} from '../../../src/core/coloc/analysisStats';
import { Rng } from '../../../src/core/random';

describe('Kolmogorov–Smirnov', () => {
  test('Q(λ) matches the Kolmogorov distribution on both sides of the series switch', () => {
    // Reference values of the limiting Kolmogorov survival function (scipy kstwobign.sf).
    expect(kolmogorovQ(0.5)).toBeCloseTo(0.9639452436648751, 12);
    expect(kolmogorovQ(1)).toBeCloseTo(0.26999967167735456, 12);
    // Textbook critical values: λ = 1.3581 at 5 %, 1.6276 at 1 %.
    expect(kolmogorovQ(1.3580986393225507)).toBeCloseTo(0.05, 6);
    expect(kolmogorovQ(1.6276236115189)).toBeCloseTo(0.01, 6);
    // Continuity across the switch between the two series at λ = 1.18.
    expect(Math.abs(kolmogorovQ(1.18 - 1e-9) - kolmogorovQ(1.18 + 1e-9))).toBeLessThan(1e-8);
    expect(kolmogorovQ(0)).toBe(1);
    expect(kolmogorovQ(5)).toBeLessThan(1e-20);
  });

  test('two-sample D by hand, with ties, and its asymptotic p', () => {
    const r = ksTwoSample([1, 2, 3, 4, 5], [3.5, 6, 7, 8, 9, 10]);
    expect(r.D).toBeCloseTo(5 / 6, 15);
    expect(r.p).toBeCloseTo(kolmogorovQ(Math.sqrt(30 / 11) * (5 / 6)), 15);
    // Ties across samples: both CDFs jump together at 2, so D is reached at 1 (1/2 vs 0).
    const t = ksTwoSample([1, 2, 2, 3], [2, 2, 3, 4]);
    expect(t.D).toBeCloseTo(0.25, 15);
    expect(ksTwoSample([1, 2, 3], [1, 2, 3]).D).toBe(0);
    expect(ksTwoSample([1, Number.NaN], [2]).n).toBe(1);
  });

  test('p-values are uniform under the null and small under a shift', () => {
    const r = new Rng(4);
    let rejections = 0;
    for (let t = 0; t < 300; t++) {
      const a = Float64Array.from({ length: 200 }, () => r.normal());
      const b = Float64Array.from({ length: 300 }, () => r.normal());
      if (ksTwoSample(a, b).p < 0.05) rejections++;
    }
    // The asymptotic test is slightly conservative at these sizes: 2–8 % of 300 trials.
    expect(rejections).toBeGreaterThanOrEqual(6);
    expect(rejections).toBeLessThanOrEqual(24);
    const a = Float64Array.from({ length: 300 }, () => r.normal());
    const b = Float64Array.from({ length: 300 }, () => r.normal() + 0.5);
    // Expected D ≈ 2Φ(0.25) − 1 ≈ 0.20, λ ≈ 2.4, p ≈ 2e-5.
    expect(ksTwoSample(a, b).p).toBeLessThan(1e-3);
  });
});

describe('chi-square', () => {
  test('survival function matches reference values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSf(18.307038053275146, 10)).toBeCloseTo(0.05, 10);
    expect(chiSquareSf(10, 5)).toBeCloseTo(0.07523524614651217, 10);
    expect(chiSquareSf(2, 2)).toBeCloseTo(Math.exp(-1), 12);
    expect(chiSquareSf(0.1, 30)).toBeCloseTo(1, 12);
  });

  test('homogeneity of two histograms, by hand', () => {
    // Expected 15 in every cell: χ² = 4 · 25/15, df = 1, p = erfc(√(10/3)).
    const r = chiSquareHomogeneity([10, 20, 0], [20, 10, 0]);
    expect(r.statistic).toBeCloseTo(20 / 3, 12);
    expect(r.df).toBe(1);
    expect(r.p).toBeCloseTo(0.009823274507519245, 10);
    expect(chiSquareHomogeneity([5, 10, 15], [10, 20, 30]).statistic).toBeCloseTo(0, 12);
  });
});
