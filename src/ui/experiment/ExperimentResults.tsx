// The Experiment step's results (right): per metric a dot per cell in each condition with the
// condition's mean ± 95 % CI over cells, the cell-level tests (n cells, n inputs, effect with
// CI, permutation and Welch p, Holm-adjusted), CSV of every table. Redrawn as inputs finish.
import { useMemo, useState } from 'react';
import { metricKeys } from '../../core/experiment/cellStats';
import { describeMetric } from '../../core/experiment/summary';
import { unitNote } from '../../core/experiment/tables';
import { cellDotFigure, formatEffect, formatPValue, metricTitle } from '../../plots/experiment';
import { Plot } from '../../plots/Plot';
import { experimentActions } from '../../state/experiment';
import { useExperiment } from '../../state/experimentStore';
import { useUi } from '../../state/uiStore';
import { downloadText } from '../tracks/download';
import { resultsOf } from './results';
import { cellsCsv, conditionsCsv, inputsCsv, testsCsv } from './tablesCsv';

const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '—');

export function ExperimentResults() {
  const state = useExperiment((s) => s);
  const theme = useUi((s) => s.theme);
  const { summaries, stats, tested } = resultsOf(state);
  const metrics = useMemo(() => metricKeys(summaries), [summaries]);
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen && metrics.includes(chosen) ? chosen : (tested[0] ?? metrics[0]);
  const figure = useMemo(() => {
    if (!metric) return null;
    const cells = stats.cells.find((c) => c.metric === metric)?.values ?? [];
    return cellDotFigure(
      metric,
      cells,
      stats.conditions.filter((c) => c.metric === metric),
      theme,
    );
  }, [metric, stats, theme]);
  const truth = state.truth as { expected?: string } | null;
  if (!summaries.length)
    return (
      <section className="section" data-testid="ex-results">
        <h3>Experiment results</h3>
        <p className="muted">Results appear here as inputs finish.</p>
      </section>
    );
  return (
    <section className="section" data-testid="ex-results">
      <h3>Experiment results</h3>
      <p className="muted">
        {summaries.length} inputs, {new Set(summaries.map((s) => s.cell)).size} cells. The cell is the unit:
        each dot is one cell (the mean of its inputs).
      </p>
      {unitNote(summaries)
        .slice(1)
        .map((line) => (
          <p key={line} className="muted" data-testid="ex-unit">
            {line}
          </p>
        ))}
      {truth?.expected && (
        <p className="muted" data-testid="ex-truth">
          Known answer (simulation): {truth.expected}
        </p>
      )}
      <label className="ex-metric-pick">
        Metric{' '}
        <select aria-label="Metric" value={metric} onChange={(e) => setChosen(e.target.value)}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {metricTitle(m)}
            </option>
          ))}
        </select>
      </label>
      {figure && <Plot figure={figure} label="cells per condition" className="ex-plot" />}
      <details className="ex-tested">
        <summary>
          Tests (cell = unit), Holm over {tested.length} metric{tested.length === 1 ? '' : 's'}:{' '}
          {tested.join(', ')}
        </summary>
        <p className="muted">
          Choose the tested metrics before looking at the results. With 4 vs 4 cells the smallest two-sided
          permutation p is 2/70 ≈ 0.029, so a family of several metrics cannot reach 0.05 after Holm.
        </p>
        {metrics.map((m) => (
          <label key={m} className="ex-metric">
            <input
              type="checkbox"
              checked={tested.includes(m)}
              onChange={() =>
                experimentActions.setTested(
                  tested.includes(m) ? tested.filter((x) => x !== m) : [...tested, m],
                )
              }
            />{' '}
            {metricTitle(m)}
          </label>
        ))}
      </details>
      <div data-testid="ex-tests">
        {stats.comparisons.map((c) => (
          <table className="ex-tests" key={`${c.metric}:${c.a}:${c.b}`}>
            <caption title={describeMetric(c.metric).label}>
              {c.metric}: {c.a} − {c.b}
            </caption>
            <tbody>
              <tr>
                <th scope="row">n cells (inputs)</th>
                <td>
                  {c.nCellsA} ({c.nInputsA}) vs {c.nCellsB} ({c.nInputsB})
                </td>
              </tr>
              <tr>
                <th scope="row">difference [95 % CI]</th>
                <td>{formatEffect(c)}</td>
              </tr>
              <tr>
                <th scope="row">Hedges' g [95 % CI]</th>
                <td>
                  {fmt(c.hedgesG)} [{fmt(c.gLow)}, {fmt(c.gHigh)}]
                </td>
              </tr>
              <tr>
                <th scope="row">p, permutation over cells</th>
                <td>
                  {formatPValue(c.pPermutation)} (
                  {c.exact ? `exact, ${c.permutations}` : `${c.permutations} random`} relabellings); Holm{' '}
                  {formatPValue(c.pHolm)}
                </td>
              </tr>
              <tr>
                <th scope="row">p, Welch over cells</th>
                <td>
                  {formatPValue(c.pWelch)}; Holm {formatPValue(c.pWelchHolm)}
                </td>
              </tr>
            </tbody>
          </table>
        ))}
      </div>
      <div className="row ex-files">
        <button
          type="button"
          className="btn small"
          onClick={() => downloadText('inputs.csv', inputsCsv(summaries))}
        >
          Inputs CSV
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => downloadText('cells.csv', cellsCsv(stats))}
        >
          Cells CSV
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => downloadText('conditions.csv', conditionsCsv(stats))}
        >
          Conditions CSV
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => downloadText('tests.csv', testsCsv(stats))}
        >
          Tests CSV
        </button>
      </div>
    </section>
  );
}
