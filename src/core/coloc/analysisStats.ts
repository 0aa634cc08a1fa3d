// Position-level comparisons of EV and control distances. Descriptive only: positions of one
// track are not independent, so these p-values overstate significance (the inferential test is
// trackTest.ts, on one summary per track).
// - two-sample Kolmogorov–Smirnov: D = sup |F₁ − F₂|, p from the asymptotic Kolmogorov
//   distribution Q(λ), λ = √(nm/(n+m))·D (Smirnov). Accurate for n, m ≳ 50; conservative-ish
//   for small samples. EV distances from one track are correlated in time, so p-values treat
//   positions as independent and overstate significance for long, slow tracks — report the
//   number of tracks alongside.
// - chi-square test of homogeneity on two histograms (same bins), df = bins used − 1.

import { regularizedGammaQ } from '../stats/specialFunctions';

/** Kolmogorov survival function Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // The alternating series converges slowly for small λ; use the Jacobi-theta dual form
    // P(K ≤ λ) = √(2π)/λ Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)}.
    const c = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k <= 10; k++) s += Math.exp(-(2 * k - 1) * (2 * k - 1) * c);
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * s;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += k % 2 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

export interface KsResult {
  /** Largest vertical distance between the empirical CDFs. */
  D: number;
  p: number;
  n: number;
  m: number;
}

/** Two-sample KS test; NaN values are ignored (±Infinity take part). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sa = Float64Array.from(a)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const sb = Float64Array.from(b)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const n = sa.length;
  const m = sb.length;
  if (!n || !m) return { D: Number.NaN, p: Number.NaN, n, m };
  let i = 0;
  let j = 0;
  let D = 0;
  while (i < n && j < m) {
    // Step past every copy of the smaller value in both samples before comparing CDFs, so ties
    // are handled exactly.
    const v = Math.min(sa[i], sb[j]);
    while (i < n && sa[i] === v) i++;
    while (j < m && sb[j] === v) j++;
    const d = Math.abs(i / n - j / m);
    if (d > D) D = d;
  }
  const ne = (n * m) / (n + m);
  return { D, p: kolmogorovQ(Math.sqrt(ne) * D), n, m };
}

// ln Γ and the regularised upper incomplete gamma come from the hypothesis-test library, so the
// two modules cannot drift apart; the old names stay exported for existing imports.
export { logGamma as lnGamma, regularizedGammaQ as gammaQ } from '../stats/specialFunctions';

/** Upper tail of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  return regularizedGammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Bins after merging (df = bins − 1), and the original bins with any count. */
  bins: number;
  originalBins: number;
}

/** Smallest expected count per bin (Cochran's rule) below which adjacent bins are merged. */
export const MIN_EXPECTED = 5;

/**
 * Chi-square test that two count vectors (same, ordered bins) come from one distribution.
 * Adjacent bins are merged, left to right, until both expected counts of every merged bin are
 * ≥ 5 (a short remainder at the end joins the last merged bin): with sparse tails the χ²
 * approximation is otherwise far off.
 */
export function chiSquareHomogeneity(a: ArrayLike<number>, b: ArrayLike<number>): ChiSquareResult {
  if (a.length !== b.length) throw new Error('chi-square: the histograms must have the same bins');
  let na = 0;
  let nb = 0;
  let originalBins = 0;
  for (let k = 0; k < a.length; k++) {
    na += a[k];
    nb += b[k];
    if (a[k] + b[k] > 0) originalBins++;
  }
  const N = na + nb;
  const ga: number[] = [];
  const gb: number[] = [];
  let ca = 0;
  let cb = 0;
  const enough = (x: number, y: number) =>
    ((x + y) * na) / N >= MIN_EXPECTED && ((x + y) * nb) / N >= MIN_EXPECTED;
  for (let k = 0; k < a.length; k++) {
    ca += a[k];
    cb += b[k];
    if (enough(ca, cb)) {
      ga.push(ca);
      gb.push(cb);
      ca = 0;
      cb = 0;
    }
  }
  if (ca + cb > 0) {
    if (ga.length) {
      ga[ga.length - 1] += ca;
      gb[gb.length - 1] += cb;
    } else {
      ga.push(ca);
      gb.push(cb);
    }
  }
  let stat = 0;
  for (let k = 0; k < ga.length; k++) {
    const col = ga[k] + gb[k];
    const ea = (col * na) / N;
    const eb = (col * nb) / N;
    stat += (ga[k] - ea) ** 2 / ea + (gb[k] - eb) ** 2 / eb;
  }
  const df = ga.length - 1;
  return {
    statistic: stat,
    df,
    p: df > 0 && na > 0 && nb > 0 ? chiSquareSf(stat, df) : Number.NaN,
    bins: ga.length,
    originalBins,
  };
}
