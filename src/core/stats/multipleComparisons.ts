// Pairwise comparisons among EV subtypes, Bonferroni-corrected as in the lab's papers: with k
// subtypes there are k(k−1)/2 tests, and each raw p is multiplied by that number (capped at 1).
import type { NumericArray } from './descriptive';
import { mannWhitneyU } from './mannWhitney';
import { welchTTest } from './welch';

/** Bonferroni-adjusted p-values: min(1, p · m) with m the number of tests. */
export function bonferroni(pValues: NumericArray): Float64Array {
  const m = pValues.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.min(1, pValues[i] * m);
  return out;
}

export interface PairwiseComparison {
  groupA: string;
  groupB: string;
  /** Test statistic: t for Welch, U for Mann–Whitney. */
  statistic: number;
  p: number;
  pAdjusted: number;
  /** pAdjusted < alpha. */
  significant: boolean;
}

export interface Group {
  name: string;
  values: NumericArray;
}

/**
 * Every pair of groups with ≥ 2 values, in input order; groups too small to test are skipped
 * and do not count towards the correction.
 */
export function pairwiseComparisons(
  groups: readonly Group[],
  test: 'welch' | 'mann-whitney',
  alpha = 0.05,
): PairwiseComparison[] {
  const usable = groups.filter((g) => countFinite(g.values) >= 2);
  const raw: Omit<PairwiseComparison, 'pAdjusted' | 'significant'>[] = [];
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const a = usable[i];
      const b = usable[j];
      if (test === 'welch') {
        const r = constantPair(a.values, b.values) ?? welchTTest(a.values, b.values);
        raw.push({ groupA: a.name, groupB: b.name, statistic: r.t, p: r.p });
      } else {
        const r = mannWhitneyU(a.values, b.values);
        raw.push({ groupA: a.name, groupB: b.name, statistic: r.u, p: r.p });
      }
    }
  }
  const adjusted = bonferroni(raw.map((r) => r.p));
  return raw.map((r, k) => ({ ...r, pAdjusted: adjusted[k], significant: adjusted[k] < alpha }));
}

/**
 * Two groups without any spread (e.g. every EV of both subtypes bound no probe) have no t: equal
 * values cannot differ (p = 1), different ones cannot be the same distribution (p = 0).
 */
function constantPair(a: NumericArray, b: NumericArray): { t: number; p: number } | null {
  const va = finiteValues(a);
  const vb = finiteValues(b);
  const all = [...va, ...vb];
  if (va.some((v) => v !== va[0]) || vb.some((v) => v !== vb[0]) || all.length === 0) return null;
  if (va[0] === vb[0]) return { t: 0, p: 1 };
  return { t: va[0] > vb[0] ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, p: 0 };
}

function finiteValues(x: NumericArray): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out.push(x[i]);
  return out;
}

function countFinite(x: NumericArray): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  return n;
}
