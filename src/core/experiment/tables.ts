// The aggregate's tables as CSV text: per input, per cell, per condition and the tests. Fixed
// order (ids, metrics and conditions sorted by code unit), fixed number formatting (integers
// exactly, else 7 significant digits) and nothing that depends on where or when it ran, so
// sharded and unsharded batches aggregate to the same bytes.
import { csvField } from '../io/csv';
import { csvText, formatNumber } from '../io/resultCsv';
import { type Comparison, type ExperimentStats, metricKeys } from './cellStats';
import { compareIds } from './model';
import { describeMetric, type InputSummary, type MetricValue } from './summary';

const num = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '' : formatNumber(v, 7);

export function sortSummaries(s: readonly InputSummary[]): InputSummary[] {
  return [...s].sort((a, b) => compareIds(a.id, b.id));
}

/** One row per input, one column per metric (empty: not measured). */
export function inputsCsv(summaries: readonly InputSummary[]): string {
  const rows = sortSummaries(summaries);
  const metrics = metricKeys(rows);
  return csvText(['id', 'cell', 'condition', ...metrics], rows.length, (r, c) => {
    const s = rows[r];
    if (c === 0) return csvField(s.id);
    if (c === 1) return csvField(s.cell);
    if (c === 2) return csvField(s.condition);
    return num(s.metrics[metrics[c - 3]] as MetricValue);
  });
}

/** A table whose rows each start with their metric, its unit and their condition. */
function metricRowsCsv<R extends { metric: string; condition: string }>(
  header: string[],
  rows: readonly R[],
  fields: (x: R) => string[],
): string {
  return csvText(['metric', 'unit', 'condition', ...header], rows.length, (r, c) => {
    const x = rows[r];
    if (c === 0) return csvField(x.metric);
    if (c === 1) return csvField(describeMetric(x.metric).unit);
    if (c === 2) return csvField(x.condition);
    return fields(x)[c - 3];
  });
}

/** Long format: one row per metric and cell. */
export function cellsCsv(stats: ExperimentStats): string {
  const rows = stats.cells.flatMap((m) => m.values.map((v) => ({ metric: m.metric, ...v })));
  return metricRowsCsv(['cell', 'inputs', 'value'], rows, (x) => [
    csvField(x.cell),
    String(x.inputs),
    num(x.value),
  ]);
}

export function conditionsCsv(stats: ExperimentStats): string {
  const header = ['n_cells', 'n_inputs', 'mean', 'sd', 'ci95_low', 'ci95_high'];
  return metricRowsCsv(header, stats.conditions, (x) => [
    String(x.nCells),
    String(x.nInputs),
    num(x.mean),
    num(x.sd),
    num(x.ciLow),
    num(x.ciHigh),
  ]);
}

/** What every n and p counts (tests.csv says it on every row). */
export const REPLICATE_UNIT = 'experiment cell';

const TEST_COLUMNS: [string, (x: Comparison) => string][] = [
  ['metric', (x) => csvField(x.metric)],
  ['unit', (x) => csvField(describeMetric(x.metric).unit)],
  ['a', (x) => csvField(x.a)],
  ['b', (x) => csvField(x.b)],
  ['n_cells_a', (x) => String(x.nCellsA)],
  ['n_cells_b', (x) => String(x.nCellsB)],
  ['n_inputs_a', (x) => String(x.nInputsA)],
  ['n_inputs_b', (x) => String(x.nInputsB)],
  ['mean_a', (x) => num(x.meanA)],
  ['mean_b', (x) => num(x.meanB)],
  ['difference_a_minus_b', (x) => num(x.difference)],
  ['difference_ci95_low', (x) => num(x.differenceLow)],
  ['difference_ci95_high', (x) => num(x.differenceHigh)],
  ['hedges_g', (x) => num(x.hedgesG)],
  ['g_ci95_low', (x) => num(x.gLow)],
  ['g_ci95_high', (x) => num(x.gHigh)],
  ['p_permutation', (x) => num(x.pPermutation)],
  ['permutations', (x) => String(x.permutations)],
  ['exact', (x) => (x.exact ? 'yes' : 'no')],
  ['p_permutation_holm', (x) => num(x.pHolm)],
  ['p_welch', (x) => num(x.pWelch)],
  ['p_welch_holm', (x) => num(x.pWelchHolm)],
  ['replicate_unit', () => REPLICATE_UNIT],
];

export function testsCsv(stats: ExperimentStats): string {
  const rows = stats.comparisons;
  return csvText(
    TEST_COLUMNS.map(([h]) => h),
    rows.length,
    (r, c) => TEST_COLUMNS[c][1](rows[r]),
  );
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : 'n/a');
const fmtP = (p: number) => (!Number.isFinite(p) ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** One line per test, for the terminal: n, effect with CI, p values. */
export function formatTests(stats: ExperimentStats): string[] {
  return stats.comparisons.map((x) => {
    const u = describeMetric(x.metric).unit;
    const unit = u ? ` ${u}` : '';
    return (
      `${x.metric}: ${x.a} − ${x.b} = ${fmt(x.difference)}${unit} [95 % CI ${fmt(x.differenceLow)}, ${fmt(x.differenceHigh)}], ` +
      `g ${fmt(x.hedgesG)} [${fmt(x.gLow)}, ${fmt(x.gHigh)}]; n cells ${x.nCellsA} vs ${x.nCellsB} (inputs ${x.nInputsA} vs ${x.nInputsB}); ` +
      `permutation p ${fmtP(x.pPermutation)} (${x.exact ? `exact, ${x.permutations} relabellings` : `${x.permutations} random relabellings`}), Holm ${fmtP(x.pHolm)}; ` +
      `Welch p ${fmtP(x.pWelch)}, Holm ${fmtP(x.pWelchHolm)}`
    );
  });
}

/** Per condition of each tested metric: mean ± 95 % CI over cells, n cells and n inputs. */
export function formatConditions(stats: ExperimentStats, metrics: readonly string[]): string[] {
  return stats.conditions
    .filter((c) => metrics.includes(c.metric))
    .map((c) => {
      const u = describeMetric(c.metric).unit;
      return `${c.metric} ${c.condition}: ${fmt(c.mean)}${u ? ` ${u}` : ''} [95 % CI ${fmt(c.ciLow)}, ${fmt(c.ciHigh)}], n cells ${c.nCells} (inputs ${c.nInputs})`;
    });
}

/**
 * What the tests' unit is, in words, for the terminal and the panel. Ca²⁺ inputs hold many
 * segmented recipient cells: their counts per condition are given so that nobody mistakes them
 * for the n of the test.
 */
export function unitNote(summaries: readonly InputSummary[]): string[] {
  const lines = [
    'unit of every test: the experiment cell (the "cell" of each input: one biological replicate — a cell, coverslip, dish or field, as the experiment groups its inputs); a cell\'s inputs are averaged first',
  ];
  const ca = summaries.filter((s) => typeof s.metrics['calcium.cells'] === 'number');
  if (!ca.length) return lines;
  const by = new Map<string, { cells: number; inputs: number }>();
  for (const s of ca) {
    const c = by.get(s.condition) ?? { cells: 0, inputs: 0 };
    c.cells += s.metrics['calcium.cells'] as number;
    c.inputs++;
    by.set(s.condition, c);
  }
  const parts = [...by.entries()]
    .sort((a, b) => compareIds(a[0], b[0]))
    .map(([k, c]) => `${k}: ${c.cells} in ${c.inputs} input${c.inputs === 1 ? '' : 's'}`);
  lines.push(
    `Ca²⁺: segmented recipient cells (${parts.join('; ')}) are summarised per input (responder fraction, medians) — they are not independent and are not the unit`,
  );
  return lines;
}
