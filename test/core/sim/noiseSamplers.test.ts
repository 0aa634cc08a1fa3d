// The camera's fast samplers must have the exact distributions they replace.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import {
  guidedPoissonTable,
  poissonCdfTable,
  sampleGuidedPoisson,
  samplePoissonFromCdf,
} from '../../../src/core/sim/camera';
import { gammaWhole, zigguratNormal } from '../../../src/core/sim/noiseSamplers';
import { normalCdf, regularizedGammaQ } from '../../../src/core/stats/specialFunctions';

/** One-sample Kolmogorov–Smirnov distance of `xs` from the CDF `F`. */
function ksDistance(xs: Float64Array, F: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = F(s[i]);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}

/** Mean, variance, standardised third and fourth moments. */
function moments(xs: Float64Array) {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  return { mean: m, variance: m2, skew: m3 / n / m2 ** 1.5, kurtosis: m4 / n / (m2 * m2) };
}

// KS critical value at α = 0.001 is 1.95/√n.
const ksLimit = (n: number) => 1.95 / Math.sqrt(n);

describe('ziggurat normal', () => {
  const n = 400_000;
  const r = new Rng(42);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = zigguratNormal(r);

  test('moments of N(0, 1): mean 0, variance 1, skewness 0, kurtosis 3', () => {
    const m = moments(xs);
    // Standard errors: mean 1/√n = 0.0016, variance √(2/n) = 0.0022, skew √(6/n) = 0.004, kurtosis √(24/n) = 0.008.
    expect(Math.abs(m.mean)).toBeLessThan(0.0065);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.009);
    expect(Math.abs(m.skew)).toBeLessThan(0.016);
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(0.032);
  });

  test('matches Φ by Kolmogorov–Smirnov, and the tail beyond the ziggurat base has the right mass', () => {
    expect(ksDistance(xs, normalCdf)).toBeLessThan(ksLimit(n));
    // P(|Z| > 3.4426) = 5.76e-4: the sampler's separate tail branch must put exactly that there.
    let tail = 0;
    let far = 0;
    for (const x of xs) {
      if (Math.abs(x) > 3.442619855899) tail++;
      if (Math.abs(x) > 4) far++;
    }
    const pTail = 2 * normalCdf(-3.442619855899);
    expect(Math.abs(tail - n * pTail)).toBeLessThan(4 * Math.sqrt(n * pTail));
    const pFar = 2 * normalCdf(-4);
    expect(Math.abs(far - n * pFar)).toBeLessThan(4 * Math.sqrt(n * pFar) + 1);
  });
});

describe('EM register Gamma(n, G) for whole n', () => {
  for (const shape of [1, 3, 12, 200, 5000]) {
    test(`n = ${shape}: mean nG, variance nG², skewness 2/√n, and the exact CDF by KS`, () => {
      const G = 100;
      const count = 100_000;
      const r = new Rng(shape);
      const xs = new Float64Array(count);
      for (let i = 0; i < count; i++) xs[i] = gammaWhole(r, shape, G);
      const m = moments(xs);
      const sd = Math.sqrt(shape) * G;
      expect(Math.abs(m.mean - shape * G)).toBeLessThan((4 * sd) / Math.sqrt(count));
      // Var of the sample variance of a Gamma: σ⁴(2 + 6/n)/count.
      expect(Math.abs(m.variance / (shape * G * G) - 1)).toBeLessThan(4 * Math.sqrt((2 + 6 / shape) / count));
      const skew = 2 / Math.sqrt(shape);
      expect(Math.abs(m.skew - skew)).toBeLessThan(0.05 + 0.15 * skew);
      expect(ksDistance(xs, (x) => 1 - regularizedGammaQ(shape, x / G))).toBeLessThan(ksLimit(count));
    });
  }

  test('no electrons in, nothing out (and no draw)', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect(gammaWhole(a, 0, 100)).toBe(0);
    expect(a.nextU32()).toBe(b.nextU32());
  });
});

describe('guided Poisson inversion', () => {
  test('returns exactly what plain inversion returns', () => {
    const r = new Rng(9);
    for (const mean of [0, 0.3, 4, 10, 37.5, 400]) {
      const t = guidedPoissonTable(mean);
      const cdf = poissonCdfTable(mean);
      let mismatches = 0;
      const check = (u: number) => {
        if (sampleGuidedPoisson(t, u) !== samplePoissonFromCdf(cdf, u)) mismatches++;
      };
      for (let i = 0; i < 20_000; i++) check(r.uniform());
      // The guide's bucket edges themselves, and the ends of [0, 1).
      for (let g = 0; g < t.guide.length; g++) check(g / t.guide.length);
      check(0);
      check(1 - 2 ** -53);
      expect(mismatches, `mean ${mean}`).toBe(0);
    }
  });
});
