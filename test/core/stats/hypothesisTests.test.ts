import { describe, expect, test } from 'vitest';
import { mannWhitneyU } from '../../../src/core/stats/mannWhitney';
import { bonferroni, pairwiseComparisons } from '../../../src/core/stats/multipleComparisons';
import {
  logGamma,
  normalCdf,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
} from '../../../src/core/stats/specialFunctions';
import { welchTTest } from '../../../src/core/stats/welch';

describe('special functions', () => {
  test('log-gamma matches closed forms and tabulated values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13); // Γ(½) = √π
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12); // Γ(6) = 5!
    expect(logGamma(3.7)).toBeCloseTo(1.428072326665388, 12); // scipy.special.gammaln
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 9);
  });

  test('regularised incomplete beta matches closed forms and scipy.special.betainc', () => {
    // I_x(2, 3) = 6x²/2 − 8x³/3 + 3x⁴/4 integrated Beta(2,3) density: at 0.3 → 0.3483 exactly.
    expect(regularizedIncompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 13);
    // I_x(½, ½) = (2/π)·asin(√x), the arcsine law.
    expect(regularizedIncompleteBeta(0.9, 0.5, 0.5)).toBeCloseTo(
      (2 / Math.PI) * Math.asin(Math.sqrt(0.9)),
      13,
    );
    expect(regularizedIncompleteBeta(0.7, 50, 40)).toBeCloseTo(0.9979524488148462, 11);
    const tiny = regularizedIncompleteBeta(0.01, 10, 0.5);
    expect(tiny / 1.770034965528571e-21).toBeCloseTo(1, 9);
  });

  test("Student's t CDF: closed form for df = 1 and 2, scipy for fractional df", () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13); // Cauchy: ½ + atan(t)/π
    expect(studentTCdf(-2.5, 1)).toBeCloseTo(0.5 + Math.atan(-2.5) / Math.PI, 13);
    expect(studentTCdf(1.3, 2)).toBeCloseTo(0.5 + 1.3 / (2 * Math.sqrt(2 + 1.3 * 1.3)), 13); // df=2 closed form
    expect(studentTCdf(2, 5)).toBeCloseTo(0.9490302605850708, 12);
    expect(studentTTwoSidedP(3.5, 2.5)).toBeCloseTo(0.052345546960320344, 12);
    expect(studentTTwoSidedP(-0.7, 30.3)).toBeCloseTo(0.48926739352677245, 12);
    expect(studentTTwoSidedP(10, 7) / 2.1394202890772802e-5).toBeCloseTo(1, 9);
  });

  test('incomplete gamma: Q(1, x) = e^−x and Q(½, z²/2) = erfc(z/√2)', () => {
    for (const x of [0.1, 0.9, 2, 7.5, 30]) expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 12);
    expect(regularizedGammaQ(0.5, 0.5 * 9)).toBeCloseTo(0.0026997960632601866, 14); // 2(1−Φ(3))
  });

  test('normal CDF at the familiar quantiles', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 13);
  });
});

describe("Welch's t-test", () => {
  // Wikipedia, "Welch's t-test", Examples 1 and 2 (published: t = −2.46, ν = 24.9, p = 0.021 and
  // t = −1.57, ν = 9.9, p = 0.149); full-precision values from scipy.stats.ttest_ind(equal_var=False).
  test('Example 1: equal sizes, equal-ish variances', () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTTest(a1, a2);
    expect(r.t).toBeCloseTo(-2.455356398286006, 10);
    expect(r.df).toBeCloseTo(24.988529290231416, 9);
    expect(r.p).toBeCloseTo(0.021378001462866992, 10);
  });

  test('Example 2: unequal sizes and variances', () => {
    const a1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    const a2 = [
      21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5,
      23.5, 21.5, 21.8,
    ];
    const r = welchTTest(a1, a2);
    expect(r.t).toBeCloseTo(-1.5654335235985037, 10);
    expect(r.df).toBeCloseTo(9.904741248650831, 9);
    expect(r.p).toBeCloseTo(0.14884169660532817, 10);
    expect(r.nA).toBe(10);
    expect(r.nB).toBe(20);
  });

  test('is antisymmetric, ignores NaN and refuses degenerate input', () => {
    const a = [1, 2, 3, 4, Number.NaN];
    const b = [2, 4, 6, 9];
    const ab = welchTTest(a, b);
    const ba = welchTTest(b, a);
    expect(ab.t).toBeCloseTo(-ba.t, 14);
    expect(ab.p).toBeCloseTo(ba.p, 14);
    expect(ab.nA).toBe(4);
    expect(() => welchTTest([1], [1, 2])).toThrow(/≥ 2 values/);
    expect(() => welchTTest([1, 1], [2, 2])).toThrow(/variance/);
  });
});

describe('Mann–Whitney U', () => {
  test('exact null, derived by hand for 3 vs 3', () => {
    // U for m = n = 3 takes 0..9 with counts 1,1,2,3,3,3,3,2,1,1 over C(6,3) = 20 arrangements.
    const separated = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(separated.u).toBe(0);
    expect(separated.p).toBeCloseTo(2 / 20, 14);
    expect(separated.method).toBe('exact');
    const interleaved = mannWhitneyU([1, 3, 5], [2, 4, 6]); // U = 3 (3>2, 5>2, 5>4)
    expect(interleaved.u).toBe(3);
    expect(interleaved.p).toBeCloseTo((2 * (1 + 1 + 2 + 3)) / 20, 14);
  });

  test('exact and asymptotic p for 8 vs 7 match scipy.stats.mannwhitneyu', () => {
    const a = [0.8, 1.2, 3.3, 4.1, 5.0, 2.2, 7.7, 6.1];
    const b = [2.5, 9.1, 8.8, 7.9, 10.2, 6.6, 11.0];
    const exact = mannWhitneyU(a, b);
    expect(exact.u).toBe(6);
    expect(exact.p).toBeCloseTo(0.009324009324009324, 12); // = 60/6435 arrangements
    const asym = mannWhitneyU(a, b, 'asymptotic');
    expect(asym.p).toBeCloseTo(0.012841262337219548, 10);
  });

  test('ties: mid-ranks, tie-corrected variance and continuity correction', () => {
    // By hand: pairs with a > b: 6 > 5 (1), plus ½ for each tie 5 = 5 and 6 = 6 → U = 2.
    const r = mannWhitneyU([3, 4, 2, 6, 2, 5], [9, 7, 5, 10, 6, 8]);
    expect(r.u).toBe(2);
    expect(r.method).toBe('asymptotic');
    expect(r.p).toBeCloseTo(0.012591911490379705, 10); // scipy, use_continuity=True
    expect(() => mannWhitneyU([1, 2], [2, 3], 'exact')).toThrow(/ties/);
  });

  test('many ties among small integer counts (as molecule counts are) match scipy', () => {
    const x = [
      6, 0, 1, 1, 1, 6, 6, 4, 0, 0, 2, 3, 4, 3, 2, 1, 5, 5, 0, 0, 3, 3, 7, 4, 3, 3, 5, 4, 1, 5, 6, 7, 6, 2,
    ];
    x.push(2, 5, 5, 5, 6, 2);
    const y = [
      9, 1, 1, 9, 9, 3, 2, 3, 1, 9, 6, 6, 3, 5, 2, 7, 5, 1, 3, 7, 5, 4, 3, 1, 6, 6, 5, 9, 9, 2, 6, 6, 3,
    ];
    y.push(3, 5);
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(505.5);
    expect(r.p).toBeCloseTo(0.037606010514866874, 10);
  });
});

describe('Bonferroni', () => {
  test('multiplies by the number of tests and caps at 1', () => {
    expect(Array.from(bonferroni([0.01, 0.02, 0.5]))).toEqual([0.03, 0.06, 1]);
  });

  test('pairwise Welch between groups without spread: equal → p 1, different → p 0', () => {
    const res = pairwiseComparisons(
      [
        { name: 'a', values: [0, 0, 0] },
        { name: 'b', values: [0, 0] },
        { name: 'c', values: [2, 2, 2] },
      ],
      'welch',
    );
    expect(res.map((r) => [r.groupA, r.groupB, r.p, r.pAdjusted])).toEqual([
      ['a', 'b', 1, 1],
      ['a', 'c', 0, 0],
      ['b', 'c', 0, 0],
    ]);
    expect(res[1].statistic).toBe(Number.NEGATIVE_INFINITY);
  });

  test('pairwise comparisons among three groups use m = 3', () => {
    const groups = [
      { name: 'CD63-only', values: [1, 2, 2, 3, 1, 2, 3, 2] },
      { name: 'CD9+CD63+CD81+', values: [5, 6, 7, 5, 6, 8, 7, 6] },
      { name: 'CD9+CD81+', values: [1, 3, 2, 2, 3, 1, 2, 2] },
      { name: 'too-small', values: [4] },
    ];
    const res = pairwiseComparisons(groups, 'welch');
    expect(res).toHaveLength(3);
    for (const r of res) {
      const raw = welchTTest(
        groups.find((g) => g.name === r.groupA)!.values,
        groups.find((g) => g.name === r.groupB)!.values,
      ).p;
      expect(r.pAdjusted).toBeCloseTo(Math.min(1, 3 * raw), 14);
    }
    const byPair = (a: string, b: string) => res.find((r) => r.groupA === a && r.groupB === b)!;
    expect(byPair('CD63-only', 'CD9+CD63+CD81+').significant).toBe(true);
    expect(byPair('CD63-only', 'CD9+CD81+').significant).toBe(false);
    const mw = pairwiseComparisons(groups, 'mann-whitney');
    expect(mw[0].statistic).toBe(0); // every CD63-only count is below every triple-positive count
  });
});
