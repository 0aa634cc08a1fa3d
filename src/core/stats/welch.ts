// Welch's unequal-variance t-test: the lab's default for comparing probe counts between EV
// subtypes, whose spreads differ (CD63-only EVs are stiffer and bind fewer probes).
import { mean, type NumericArray, variance } from './descriptive';
import { studentTTwoSidedP } from './specialFunctions';

export interface TTestResult {
  /** t statistic for mean(a) − mean(b). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value. */
  p: number;
  meanDifference: number;
  /** Standard error of the difference of means. */
  standardError: number;
  nA: number;
  nB: number;
}

/** NaN entries are ignored. Needs at least two values per group and some variance. */
export function welchTTest(a: NumericArray, b: NumericArray): TTestResult {
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a);
  const vb = variance(b);
  const nA = countFinite(a);
  const nB = countFinite(b);
  if (nA < 2 || nB < 2)
    throw new RangeError(`Welch's t-test needs ≥ 2 values per group (got ${nA} and ${nB})`);
  const sa = va / nA;
  const sb = vb / nB;
  const se2 = sa + sb;
  if (!(se2 > 0)) throw new RangeError("Welch's t-test needs some variance: both groups are constant");
  const t = (ma - mb) / Math.sqrt(se2);
  const df = (se2 * se2) / ((sa * sa) / (nA - 1) + (sb * sb) / (nB - 1));
  return {
    t,
    df,
    p: studentTTwoSidedP(t, df),
    meanDifference: ma - mb,
    standardError: Math.sqrt(se2),
    nA,
    nB,
  };
}

function countFinite(x: NumericArray): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  return n;
}
