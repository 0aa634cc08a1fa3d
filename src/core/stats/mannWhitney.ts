// Mann–Whitney U (Wilcoxon rank-sum) test: the rank-based alternative to Welch's t for
// molecule counts, which are small integers with many ties and skewed distributions.
import type { NumericArray } from './descriptive';
import { normalTwoSidedP } from './specialFunctions';

export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic';

export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (a_i, b_j) with a_i > b_j, ties counting ½. */
  u: number;
  /** z of the normal approximation (with tie and continuity corrections); NaN when exact. */
  z: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
  nA: number;
  nB: number;
}

/** Above this many arrangements' worth of work the exact null is not worth computing. */
const EXACT_MAX_N = 50;

/**
 * NaN entries are ignored. 'auto' is exact for tie-free samples of ≤ 50 values each (the null
 * distribution is enumerated), and otherwise the normal approximation with the tie-corrected
 * variance and a ½ continuity correction (the convention of R's wilcox.test and SciPy).
 */
export function mannWhitneyU(
  a: NumericArray,
  b: NumericArray,
  method: MannWhitneyMethod = 'auto',
): MannWhitneyResult {
  const xs = finite(a);
  const ys = finite(b);
  const nA = xs.length;
  const nB = ys.length;
  if (nA === 0 || nB === 0)
    throw new RangeError(`Mann–Whitney needs values in both groups (got ${nA} and ${nB})`);
  const n = nA + nB;
  // Rank the pooled sample once; tie groups get their mid-rank and feed the variance correction.
  const values = new Float64Array(n);
  values.set(xs, 0);
  values.set(ys, nA);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => values[i] - values[j]);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k] < nA) rankSumA += midRank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const u = rankSumA - (nA * (nA + 1)) / 2;
  const hasTies = tieTerm > 0;
  const useExact =
    method === 'exact' || (method === 'auto' && !hasTies && nA <= EXACT_MAX_N && nB <= EXACT_MAX_N);
  if (useExact) {
    if (hasTies)
      throw new RangeError('the exact Mann–Whitney null assumes no ties; use the asymptotic method');
    return { u, z: Number.NaN, p: exactTwoSidedP(u, nA, nB), method: 'exact', nA, nB };
  }
  const mu = (nA * nB) / 2;
  const sigma = Math.sqrt(((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const dev = Math.abs(u - mu);
  const z = sigma > 0 ? Math.max(0, dev - 0.5) / sigma : 0;
  return { u, z: u >= mu ? z : -z, p: Math.min(1, normalTwoSidedP(z)), method: 'asymptotic', nA, nB };
}

/**
 * P under H0 that U is at least as far from its mean as observed, doubled. The counts of
 * arrangements obey f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u) (the largest value belongs to
 * sample A or to B); only additions, so the doubles stay exact-ish even for C(100, 50).
 */
function exactTwoSidedP(u: number, nA: number, nB: number): number {
  const maxU = nA * nB;
  const width = maxU + 1;
  let prev = new Float64Array((nB + 1) * width);
  let cur = new Float64Array((nB + 1) * width);
  for (let j = 0; j <= nB; j++) prev[j * width] = 1; // i = 0: one arrangement, U = 0
  for (let i = 1; i <= nA; i++) {
    cur.fill(0);
    cur[0] = 1; // j = 0: U = 0
    for (let j = 1; j <= nB; j++) {
      const row = j * width;
      const left = (j - 1) * width;
      const limit = i * j;
      for (let v = 0; v <= limit; v++) cur[row + v] = (v >= j ? prev[row + v - j] : 0) + cur[left + v];
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  const dist = prev.subarray(nB * width, nB * width + width);
  let total = 0;
  for (let v = 0; v <= maxU; v++) total += dist[v];
  const lower = Math.min(u, maxU - u);
  let tail = 0;
  for (let v = 0; v <= Math.floor(lower + 1e-9); v++) tail += dist[v];
  return Math.min(1, (2 * tail) / total);
}

function finite(x: NumericArray): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out[j++] = x[i];
  return out;
}
