// Statistics with the cell as the unit. Inputs of one cell (several stacks of the same cell) are
// not independent, and positions or tracks within a stack even less so: every test here first
// reduces each cell to one value per metric, then compares conditions over cells.
//
// - Per cell: the UNWEIGHTED mean of its inputs' values (each stack counts once, however many
//   localizations or tracks it holds: a long stack must not outvote the cell's other stacks).
//   Inputs whose value is null (not measured) are left out of that metric's mean.
// - Per condition: mean over cells ± 95 % Student-t interval over cells (n − 1 df).
// - Between two conditions: permutation test of the difference of cell means (exact over every
//   relabelling of cells when there are at most EXACT_LIMIT, e.g. 4 vs 4 → 70; otherwise a seeded
//   Monte-Carlo of MONTE_CARLO relabellings with p = (1 + #≥)/(1 + B)), Welch's t over cells,
//   difference of means with its Welch 95 % CI, Hedges' g with its 95 % CI (normal approximation
//   of Hedges & Olkin), and Holm's step-down adjustment of the permutation p over every metric
//   and comparison in the table. n cells and n inputs go with every p.
import { Rng } from '../random';
import { mean, variance } from '../stats/descriptive';
import { studentTCdf } from '../stats/specialFunctions';
import { welchTTest } from '../stats/welch';
import { compareIds } from './model';
import type { InputSummary } from './summary';

export const EXACT_LIMIT = 20_000;
export const MONTE_CARLO = 9_999;

export interface CellValue {
  cell: string;
  condition: string;
  /** Unweighted mean over the cell's inputs with a value. */
  value: number;
  /** Inputs that contributed a value. */
  inputs: number;
}

export interface ConditionStats {
  condition: string;
  metric: string;
  nCells: number;
  nInputs: number;
  mean: number;
  sd: number;
  /** 95 % Student-t interval over cells; NaN with fewer than two cells. */
  ciLow: number;
  ciHigh: number;
}

export interface Comparison {
  metric: string;
  /** Difference is a − b. */
  a: string;
  b: string;
  nCellsA: number;
  nCellsB: number;
  nInputsA: number;
  nInputsB: number;
  meanA: number;
  meanB: number;
  difference: number;
  /** Welch 95 % CI of the difference. */
  differenceLow: number;
  differenceHigh: number;
  hedgesG: number;
  gLow: number;
  gHigh: number;
  /** Two-sided permutation p over cells. */
  pPermutation: number;
  /** Relabellings used; `exact` when every one was enumerated. */
  permutations: number;
  exact: boolean;
  /** Welch's t over cells (NaN when a group has < 2 cells or no variance). */
  pWelch: number;
  /** Holm-adjusted permutation and Welch p over the tested family (experimentStats). */
  pHolm: number;
  pWelchHolm: number;
}

/** Per-cell values of one metric, sorted by condition then cell. */
export function cellValues(summaries: readonly InputSummary[], metric: string): CellValue[] {
  const cells = new Map<string, { condition: string; sum: number; n: number }>();
  for (const s of summaries) {
    const v = s.metrics[metric];
    const key = `${s.condition}\u0000${s.cell}`;
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const c = cells.get(key) ?? { condition: s.condition, sum: 0, n: 0 };
    c.sum += v;
    c.n++;
    cells.set(key, c);
  }
  const out: CellValue[] = [];
  for (const [key, c] of cells)
    out.push({
      cell: key.slice(key.indexOf('\u0000') + 1),
      condition: c.condition,
      value: c.sum / c.n,
      inputs: c.n,
    });
  return out.sort((x, y) => compareIds(x.condition, y.condition) || compareIds(x.cell, y.cell));
}

/** Quantile of Student's t (bisection on the CDF: a handful of calls per table). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile needs 0 < p < 1 (got ${p})`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const Z975 = 1.959963984540054;

export function conditionStats(values: readonly CellValue[], metric: string): ConditionStats[] {
  const conditions = [...new Set(values.map((v) => v.condition))].sort(compareIds);
  return conditions.map((condition) => {
    const cells = values.filter((v) => v.condition === condition);
    const x = cells.map((c) => c.value);
    const n = x.length;
    const m = mean(x);
    const sd = n > 1 ? Math.sqrt(variance(x)) : Number.NaN;
    const half = n > 1 ? (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : Number.NaN;
    return {
      condition,
      metric,
      nCells: n,
      nInputs: cells.reduce((s, c) => s + c.inputs, 0),
      mean: m,
      sd,
      ciLow: m - half,
      ciHigh: m + half,
    };
  });
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Two-sided permutation test of mean(a) − mean(b): the share of relabellings of the pooled cells
 * whose |difference| reaches the observed one (with a relative tolerance for rounding).
 */
export function permutationTest(
  a: readonly number[],
  b: readonly number[],
  seed = 1,
): { p: number; permutations: number; exact: boolean } {
  const pooled = [...a, ...b];
  const n = pooled.length;
  const k = a.length;
  if (k === 0 || b.length === 0) return { p: Number.NaN, permutations: 0, exact: true };
  const total = pooled.reduce((s, v) => s + v, 0);
  // mean(A) − mean(B) is a monotone function of sum(A): compare sums, no divisions per relabelling.
  const diff = (sumA: number) => sumA / k - (total - sumA) / (n - k);
  const observed = Math.abs(diff(a.reduce((s, v) => s + v, 0)));
  const tol = 1e-9 * Math.max(1, Math.abs(observed));
  const count = binomial(n, k);
  if (count <= EXACT_LIMIT) {
    let hits = 0;
    const idx = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      let s = 0;
      for (const i of idx) s += pooled[i];
      if (Math.abs(diff(s)) >= observed - tol) hits++;
      let j = k - 1;
      while (j >= 0 && idx[j] === n - k + j) j--;
      if (j < 0) break;
      idx[j]++;
      for (let t = j + 1; t < k; t++) idx[t] = idx[t - 1] + 1;
    }
    return { p: hits / count, permutations: count, exact: true };
  }
  const rng = new Rng(seed);
  const work = pooled.slice();
  let hits = 0;
  for (let r = 0; r < MONTE_CARLO; r++) {
    // Partial Fisher–Yates: the first k slots are a uniformly random subset.
    let s = 0;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng.uniform() * (n - i));
      const t = work[i];
      work[i] = work[j];
      work[j] = t;
      s += work[i];
    }
    if (Math.abs(diff(s)) >= observed - tol) hits++;
  }
  return { p: (1 + hits) / (1 + MONTE_CARLO), permutations: MONTE_CARLO, exact: false };
}

/** Hedges' g (bias-corrected standardised difference) with a normal-approximation 95 % CI. */
export function hedgesG(
  a: readonly number[],
  b: readonly number[],
): { g: number; low: number; high: number } {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return { g: Number.NaN, low: Number.NaN, high: Number.NaN };
  const pooledVar = ((na - 1) * variance(a) + (nb - 1) * variance(b)) / (na + nb - 2);
  const d = (mean(a) - mean(b)) / Math.sqrt(pooledVar);
  const g = (1 - 3 / (4 * (na + nb) - 9)) * d;
  const se = Math.sqrt((na + nb) / (na * nb) + (g * g) / (2 * (na + nb)));
  return Number.isFinite(g)
    ? { g, low: g - Z975 * se, high: g + Z975 * se }
    : { g, low: Number.NaN, high: Number.NaN };
}

/** a − b over cells for one metric. */
export function compareConditions(
  values: readonly CellValue[],
  metric: string,
  a: string,
  b: string,
  seed = 1,
): Comparison {
  const A = values.filter((v) => v.condition === a);
  const B = values.filter((v) => v.condition === b);
  const xa = A.map((c) => c.value);
  const xb = B.map((c) => c.value);
  const perm = permutationTest(xa, xb, seed);
  let pWelch = Number.NaN;
  let low = Number.NaN;
  let high = Number.NaN;
  try {
    const w = welchTTest(xa, xb);
    pWelch = w.p;
    const half = studentTQuantile(0.975, w.df) * w.standardError;
    low = w.meanDifference - half;
    high = w.meanDifference + half;
  } catch {
    // Fewer than two cells in a group, or no spread at all: Welch is undefined, said by NaN.
  }
  const g = hedgesG(xa, xb);
  const meanA = xa.length ? mean(xa) : Number.NaN;
  const meanB = xb.length ? mean(xb) : Number.NaN;
  return {
    metric,
    a,
    b,
    nCellsA: xa.length,
    nCellsB: xb.length,
    nInputsA: A.reduce((s, c) => s + c.inputs, 0),
    nInputsB: B.reduce((s, c) => s + c.inputs, 0),
    meanA,
    meanB,
    difference: meanA - meanB,
    differenceLow: low,
    differenceHigh: high,
    hedgesG: g.g,
    gLow: g.low,
    gHigh: g.high,
    pPermutation: perm.p,
    permutations: perm.permutations,
    exact: perm.exact,
    pWelch,
    pHolm: Number.NaN,
    pWelchHolm: Number.NaN,
  };
}

/** Holm's step-down adjustment (NaN p-values are left out of the family and stay NaN). */
export function holm(p: readonly number[]): number[] {
  const idx = p.map((_, i) => i).filter((i) => Number.isFinite(p[i]));
  idx.sort((x, y) => p[x] - p[y] || x - y);
  const out = p.map(() => Number.NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (idx.length - rank) * p[i]));
    out[i] = running;
  });
  return out;
}

export interface ExperimentStats {
  cells: { metric: string; values: CellValue[] }[];
  conditions: ConditionStats[];
  comparisons: Comparison[];
}

/** Every metric present, sorted; markers' subtype metrics included. */
export function metricKeys(summaries: readonly InputSummary[]): string[] {
  const keys = new Set<string>();
  for (const s of summaries) for (const k of Object.keys(s.metrics)) keys.add(k);
  return [...keys].sort(compareIds);
}

export interface ExperimentStatsOptions {
  /** Metrics summarised per cell and condition (default: every metric present). */
  metrics?: string[];
  /**
   * Metrics tested between conditions — the Holm family is these × every pair of conditions
   * (default: `metrics`). Name the primary metrics in advance: with 4 vs 4 cells the smallest
   * two-sided permutation p is 2/70 ≈ 0.029, so a family of several metrics cannot reach 0.05
   * by permutation after Holm (Welch's p, also Holm-adjusted, can).
   */
  tested?: string[];
  /** Seed of the Monte-Carlo permutations (used only beyond EXACT_LIMIT relabellings). */
  seed?: number;
}

/**
 * Cell values and condition summaries for each metric, and every pairwise comparison of
 * conditions (sorted, difference a − b with a < b) for each tested metric; Holm over the tests.
 */
export function experimentStats(
  summaries: readonly InputSummary[],
  options: ExperimentStatsOptions = {},
): ExperimentStats {
  const metrics = options.metrics ?? metricKeys(summaries);
  const tested = new Set(options.tested ?? metrics);
  const out: ExperimentStats = { cells: [], conditions: [], comparisons: [] };
  for (const metric of new Set([...metrics, ...tested])) {
    const values = cellValues(summaries, metric);
    if (metrics.includes(metric)) {
      out.cells.push({ metric, values });
      out.conditions.push(...conditionStats(values, metric));
    }
    if (!tested.has(metric)) continue;
    const conds = [...new Set(values.map((v) => v.condition))].sort(compareIds);
    for (let i = 0; i < conds.length; i++)
      for (let j = i + 1; j < conds.length; j++)
        out.comparisons.push(compareConditions(values, metric, conds[i], conds[j], options.seed));
  }
  const perm = holm(out.comparisons.map((c) => c.pPermutation));
  const welch = holm(out.comparisons.map((c) => c.pWelch));
  out.comparisons.forEach((c, i) => {
    c.pHolm = perm[i];
    c.pWelchHolm = welch[i];
  });
  return out;
}
