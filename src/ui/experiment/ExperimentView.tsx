// The experiment in the centre, large: a dot plot per metric (a dot per cell, each condition's
// mean ± 95 % CI over cells) and the cell-level table — one row per cell, the unit of every test.
// The tested metrics come first; the others are one tick away. Redrawn as inputs finish.
import { useMemo, useState } from 'react';
import { metricKeys } from '../../core/experiment/cellStats';
import { compareIds } from '../../core/experiment/model';
import { describeMetric } from '../../core/experiment/summary';
import { cellDotFigure, metricTitle } from '../../plots/experiment';
import { Plot } from '../../plots/Plot';
import { useExperiment } from '../../state/experimentStore';
import { useUi } from '../../state/uiStore';
import { PRIMARY_METRICS, resultsOf } from './results';

/** The tested metrics, then the primary metrics of the steps that ran: a screenful of plots. */
function defaultShown(metrics: readonly string[], tested: readonly string[]): string[] {
  const present = new Set(metrics);
  return [...new Set([...tested, ...PRIMARY_METRICS.filter((m) => present.has(m))])].slice(0, 4);
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toPrecision(4);

export function ExperimentView() {
  const state = useExperiment((s) => s);
  const theme = useUi((s) => s.theme);
  const { summaries, stats, tested } = resultsOf(state);
  const metrics = useMemo(() => metricKeys(summaries), [summaries]);
  const [picked, setPicked] = useState<string[] | null>(null);
  const shown = (picked ?? defaultShown(metrics, tested)).filter((m) => metrics.includes(m));
  // A fresh array on every render: the plots are rebuilt only when the list itself changes.
  const shownKey = shown.join('\n');
  const figures = useMemo(
    () =>
      (shownKey ? shownKey.split('\n') : []).map((m) => ({
        metric: m,
        figure: cellDotFigure(
          m,
          stats.cells.find((c) => c.metric === m)?.values ?? [],
          stats.conditions.filter((c) => c.metric === m),
          theme,
          60,
        ),
      })),
    [shownKey, stats, theme],
  );
  const cells = useMemo(() => {
    const byCell = new Map<
      string,
      { cell: string; condition: string; inputs: number; v: Map<string, number | null> }
    >();
    for (const m of stats.cells)
      for (const c of m.values) {
        const row = byCell.get(c.cell) ?? { cell: c.cell, condition: c.condition, inputs: 0, v: new Map() };
        row.v.set(m.metric, c.value);
        row.inputs = Math.max(row.inputs, c.inputs);
        byCell.set(c.cell, row);
      }
    return [...byCell.values()].sort(
      (a, b) => compareIds(a.condition, b.condition) || compareIds(a.cell, b.cell),
    );
  }, [stats]);
  if (!summaries.length)
    return (
      <div className="ex-centre ex-centre-empty" data-testid="ex-centre">
        <p className="muted">
          No results yet. Run the batch in the Experiment step (left): a dot plot per metric and the table of
          cells fill in here as inputs finish.
        </p>
      </div>
    );
  const toggle = (m: string) => setPicked(shown.includes(m) ? shown.filter((x) => x !== m) : [...shown, m]);
  return (
    <div className="ex-centre" data-testid="ex-centre">
      <details className="ex-shown">
        <summary>
          Metrics shown ({shown.length} of {metrics.length}); tested: {tested.join(', ')}
        </summary>
        {metrics.map((m) => (
          <label key={m} className="ex-metric">
            <input type="checkbox" checked={shown.includes(m)} onChange={() => toggle(m)} /> {metricTitle(m)}
          </label>
        ))}
      </details>
      <div className="ex-centre-plots">
        {figures.map((f) => (
          <Plot
            key={f.metric}
            figure={f.figure}
            label={`cells per condition: ${f.metric}`}
            className="ex-centre-plot"
          />
        ))}
      </div>
      <table className="ex-cells" data-testid="ex-cells">
        <caption>
          Cells ({cells.length}): each value is the mean over the cell's inputs; the tests compare these.
        </caption>
        <thead>
          <tr>
            <th>condition</th>
            <th>cell</th>
            <th>inputs</th>
            {shown.map((m) => (
              <th key={m} title={describeMetric(m).label}>
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((c) => (
            <tr key={c.cell}>
              <td>{c.condition}</td>
              <td>{c.cell}</td>
              <td>{c.inputs}</td>
              {shown.map((m) => (
                <td key={m}>{fmt(c.v.get(m))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
