// The experiment's results as the panel and scripts read them: the current summaries (inputs
// done with the current steps, grouped as edited now) and the cell-level statistics over them.
import { type ExperimentStats, experimentStats, metricKeys } from '../../core/experiment/cellStats';
import type { InputSummary } from '../../core/experiment/summary';
import { currentSummaries } from '../../state/experimentActions';
import type { ExperimentState } from '../../state/experimentStore';

/** Metrics tested between conditions: the primary ones of each step that ran (a small Holm family). */
export const PRIMARY_METRICS = [
  'calcium.responderFraction',
  'coloc.deltaFractionWithin',
  'coloc.deltaDistanceNm',
  'coloc.meanDistanceNm',
  'tracks.medianD',
  'structures.perFrameMean',
  'locs.count',
];

export function testedMetrics(summaries: readonly InputSummary[]): string[] {
  const present = new Set(metricKeys(summaries));
  const primary = PRIMARY_METRICS.filter((m) => present.has(m));
  // The first primary metric of the furthest step only: with 4 vs 4 cells a family of several
  // metrics cannot reach 0.05 by permutation after Holm (cellStats.ts).
  return primary.length ? [primary[0]] : [...present].slice(0, 1);
}

let memo: {
  key: string;
  refs: unknown[];
  summaries: InputSummary[];
  tested: string[];
  stats: ExperimentStats;
} | null = null;

/**
 * Statistics of the current summaries; recomputed only when an input finishes, is regrouped or
 * excluded (not on every progress tick of the running input).
 */
export function resultsOf(
  s: ExperimentState,
  tested?: string[],
): { summaries: InputSummary[]; tested: string[]; stats: ExperimentStats } {
  const summaries = currentSummaries(s);
  const refs = summaries.map((x) => s.runs[x.id]?.summary);
  const present = new Set(summaries.flatMap((x) => Object.keys(x.metrics)));
  const chosen = (tested ?? s.tested)?.filter((m) => present.has(m));
  const t = chosen?.length ? chosen : testedMetrics(summaries);
  const key = `${t.join()}\u0000${summaries.map((x) => `${x.id}\u0001${x.cell}\u0001${x.condition}`).join('\u0000')}`;
  if (memo && memo.key === key && memo.refs.every((r, i) => r === refs[i])) return memo;
  memo = { key, refs, summaries, tested: t, stats: experimentStats(summaries, { tested: t }) };
  return memo;
}
