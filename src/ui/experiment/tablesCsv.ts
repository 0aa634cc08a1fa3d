// CSV of the Experiment step's tables (per input, per cell, per condition, tests). The CLI's
// `evscope aggregate` writes the same tables (core/experiment/tables.ts on branch expcore);
// once that lands on main these should become re-exports of it so both write identical bytes.
import { type ExperimentStats, metricKeys } from '../../core/experiment/cellStats';
import type { InputSummary } from '../../core/experiment/summary';
import { csvField } from '../../core/io/csv';
import { csvText, formatNumber } from '../../core/io/resultCsv';

const num = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '' : formatNumber(v, 7);

export function inputsCsv(summaries: readonly InputSummary[]): string {
  const metrics = metricKeys(summaries);
  return csvText(['id', 'cell', 'condition', ...metrics], summaries.length, (r, c) => {
    const s = summaries[r];
    if (c < 3) return csvField([s.id, s.cell, s.condition][c]);
    return num(s.metrics[metrics[c - 3]]);
  });
}

export function cellsCsv(stats: ExperimentStats): string {
  const rows = stats.cells.flatMap((m) => m.values.map((v) => ({ metric: m.metric, ...v })));
  return csvText(['metric', 'condition', 'cell', 'inputs', 'value'], rows.length, (r, c) => {
    const x = rows[r];
    return [csvField(x.metric), csvField(x.condition), csvField(x.cell), String(x.inputs), num(x.value)][c];
  });
}

export function conditionsCsv(stats: ExperimentStats): string {
  const rows = stats.conditions;
  const head = ['metric', 'condition', 'n_cells', 'n_inputs', 'mean', 'sd', 'ci95_low', 'ci95_high'];
  return csvText(head, rows.length, (r, c) => {
    const x = rows[r];
    return [
      csvField(x.metric),
      csvField(x.condition),
      String(x.nCells),
      String(x.nInputs),
      num(x.mean),
      num(x.sd),
      num(x.ciLow),
      num(x.ciHigh),
    ][c];
  });
}

export function testsCsv(stats: ExperimentStats): string {
  const rows = stats.comparisons;
  const head = [
    'metric',
    'a',
    'b',
    'n_cells_a',
    'n_cells_b',
    'n_inputs_a',
    'n_inputs_b',
    'difference_a_minus_b',
    'difference_ci95_low',
    'difference_ci95_high',
    'hedges_g',
    'p_permutation',
    'p_permutation_holm',
    'p_welch',
    'p_welch_holm',
  ];
  return csvText(head, rows.length, (r, c) => {
    const x = rows[r];
    return [
      csvField(x.metric),
      csvField(x.a),
      csvField(x.b),
      String(x.nCellsA),
      String(x.nCellsB),
      String(x.nInputsA),
      String(x.nInputsB),
      num(x.difference),
      num(x.differenceLow),
      num(x.differenceHigh),
      num(x.hedgesG),
      num(x.pPermutation),
      num(x.pHolm),
      num(x.pWelch),
      num(x.pWelchHolm),
    ][c];
  });
}
