// The experiment's results as the panel and scripts read them: the current summaries (inputs
// done with the current steps, grouped as edited now) and the cell-level statistics over them.
import { type ExperimentStats, experimentStats, metricKeys } from '../../core/experiment/cellStats';
import type { InputSummary } from '../../core/experiment/summary';
import { currentSummaries } from '../../state/experimentActions';
import type { ExperimentState } from '../../state/experimentStore';

/** Metrics tested between conditions: the primary ones of each step that ran (a small Holm family). */
export const PRIMARY_METRICS = [
  'coloc.deltaDistanceNm',
  'coloc.deltaFractionWithin',
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

let memo: { summaries: InputSummary[]; tested: string[]; stats: ExperimentStats } | null = null;

/** Statistics of the current summaries; recomputed only when they change (inputs finishing). */
export function resultsOf(
  s: ExperimentState,
  tested?: string[],
): {
  summaries: InputSummary[];
  tested: string[];
  stats: ExperimentStats;
} {
  const summaries = currentSummaries(s);
  const t = tested ?? testedMetrics(summaries);
  if (
    memo &&
    memo.summaries.length === summaries.length &&
    memo.summaries.every(
      (x, i) => x === summaries[i] || JSON.stringify(x) === JSON.stringify(summaries[i]),
    ) &&
    memo.tested.join() === t.join()
  )
    return memo;
  memo = { summaries, tested: t, stats: experimentStats(summaries, { tested: t }) };
  return memo;
}
