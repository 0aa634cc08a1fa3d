// Tests for "do EVs sit closer to structures than random positions?":
// - two-sample Kolmogorov–Smirnov: D = sup |F₁ − F₂|, p from the asymptotic Kolmogorov
//   distribution Q(λ), λ = √(nm/(n+m))·D (Smirnov). Accurate for n, m ≳ 50; conservative-ish
//   for small samples. EV distances from one track are correlated in time, so p-values treat
//   positions as independent and overstate significance for long, slow tracks — report the
//   number of tracks alongside.
// - chi-square test of homogeneity on two histograms (same bins), df = bins used − 1.

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

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~15 digits). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(s, x) = Γ(s, x)/Γ(s) (series below s+1, else Lentz CF). */
export function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  const lead = s * Math.log(x) - x - lnGamma(s);
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** Upper tail of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
}

/** Chi-square test that two count vectors (same bins) come from one distribution. */
export function chiSquareHomogeneity(a: ArrayLike<number>, b: ArrayLike<number>): ChiSquareResult {
  if (a.length !== b.length) throw new Error('chi-square: the histograms must have the same bins');
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    na += a[k];
    nb += b[k];
  }
  const N = na + nb;
  let stat = 0;
  let used = 0;
  for (let k = 0; k < a.length; k++) {
    const col = a[k] + b[k];
    if (col === 0) continue;
    used++;
    const ea = (col * na) / N;
    const eb = (col * nb) / N;
    stat += (a[k] - ea) ** 2 / ea + (b[k] - eb) ** 2 / eb;
  }
  const df = used - 1;
  return { statistic: stat, df, p: df > 0 ? chiSquareSf(stat, df) : Number.NaN };
}
