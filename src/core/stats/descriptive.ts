// Descriptive statistics for result tables and box plots. Inputs are numeric arrays (typed or
// not); NaN entries mean "not measured" and are skipped everywhere, so a column with missing
// EVs can be passed as is.

export type NumericArray = ArrayLike<number>;

/** The finite values of `x`, copied into a new sorted Float64Array. */
export function sortedFinite(x: NumericArray): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out[j++] = x[i];
  return out.sort();
}

export function mean(x: NumericArray): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : Number.NaN;
}

/** Sample variance (n − 1 denominator), two-pass for accuracy. */
export function variance(x: NumericArray): number {
  const m = mean(x);
  let ss = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      ss += (v - m) * (v - m);
      n++;
    }
  }
  return n > 1 ? ss / (n - 1) : Number.NaN;
}

export function standardDeviation(x: NumericArray): number {
  return Math.sqrt(variance(x));
}

/**
 * Quantile p ∈ [0, 1] of already sorted data by linear interpolation between order statistics
 * (Hyndman & Fan type 7: the default of R, NumPy and Excel's QUARTILE.INC).
 */
export function quantileSorted(sorted: NumericArray, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1] (got ${p})`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantile(x: NumericArray, p: number): number {
  return quantileSorted(sortedFinite(x), p);
}

export function median(x: NumericArray): number {
  return quantile(x, 0.5);
}

/** Median absolute deviation scaled by 1.4826, a consistent estimate of σ for normal data. */
export function robustSigma(x: NumericArray): number {
  const s = sortedFinite(x);
  const m = quantileSorted(s, 0.5);
  for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i] - m);
  s.sort();
  return 1.482602218505602 * quantileSorted(s, 0.5);
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** Everything a table row or a box plot needs, from one sort. */
export function summarize(x: NumericArray): Summary {
  const s = sortedFinite(x);
  return {
    n: s.length,
    mean: mean(s),
    sd: standardDeviation(s),
    min: s.length ? s[0] : Number.NaN,
    q1: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    q3: quantileSorted(s, 0.75),
    max: s.length ? s[s.length - 1] : Number.NaN,
  };
}

export interface BoxStats extends Summary {
  /** Tukey whiskers: the most extreme data within 1.5 × IQR of the quartiles. */
  whiskerLow: number;
  whiskerHigh: number;
  /** Values beyond the whiskers, ascending. */
  outliers: Float64Array;
}

export function boxStats(x: NumericArray, whiskerIqr = 1.5): BoxStats {
  const s = sortedFinite(x);
  const sum = summarize(s);
  const iqr = sum.q3 - sum.q1;
  const loFence = sum.q1 - whiskerIqr * iqr;
  const hiFence = sum.q3 + whiskerIqr * iqr;
  let lo = 0;
  while (lo < s.length && s[lo] < loFence) lo++;
  let hi = s.length - 1;
  while (hi >= 0 && s[hi] > hiFence) hi--;
  const outliers = new Float64Array(lo + (s.length - 1 - hi));
  outliers.set(s.subarray(0, lo), 0);
  outliers.set(s.subarray(hi + 1), lo);
  return {
    ...sum,
    whiskerLow: s.length ? s[lo] : Number.NaN,
    whiskerHigh: s.length ? s[hi] : Number.NaN,
    outliers,
  };
}
