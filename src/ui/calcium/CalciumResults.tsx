// Ca²⁺ step, right: responder fraction with its 95 % CI, latency distribution, the selected
// cells' traces and the per-cell table (click a row to plot the cell; CSV download).
import { useMemo } from 'react';
import { cellsCsv, tracesCsv } from '../../core/calcium';
import { latencyFigure, responderFigure, selectedTracesFigure } from '../../plots/calcium';
import { Plot } from '../../plots/Plot';
import { calciumStore, useCalcium } from '../../state/calciumStore';
import { useUi } from '../../state/uiStore';
import { downloadText } from '../tracks/download';

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toPrecision(d) : '–');

export function CalciumResults() {
  const result = useCalcium((s) => s.result);
  const selected = useCalcium((s) => s.selected);
  const stale = useCalcium((s) => s.stale);
  const params = useCalcium((s) => s.params);
  const live = useCalcium((s) => (s.status === 'running' ? s.live : null));
  const theme = useUi((s) => s.theme);
  const figs = useMemo(
    () =>
      result
        ? { resp: responderFigure(result.summary, theme), lat: latencyFigure(result.cells, theme) }
        : null,
    [result, theme],
  );
  const liveFigs = useMemo(
    () =>
      live
        ? {
            resp: responderFigure(live.summary, theme, live),
            lat: latencyFigure(live.cells, theme, live),
          }
        : null,
    [live, theme],
  );
  const traces = useMemo(
    () =>
      result?.dff && params
        ? selectedTracesFigure(
            {
              dff: result.dff,
              frames: result.frames,
              frameIntervalS: result.params.frameIntervalS,
              addFrame: result.params.addFrame,
              cells: result.cells,
              selected,
            },
            theme,
          )
        : null,
    [result, selected, params, theme],
  );
  // While frames stream in, the responses decided so far replace the last result's plots.
  if (liveFigs && live)
    return (
      <div className="ca-results" data-testid="ca-results-live">
        <p data-testid="ca-summary-live">
          So far (frame {live.framesDone} of {live.frameCount}): {live.summary.responders} of{' '}
          {live.summary.cells} cells have responded; median latency {fmt(live.summary.medianLatencyS)} s.
        </p>
        <Plot figure={liveFigs.resp} label="Responder fraction" className="ca-plot" />
        <Plot figure={liveFigs.lat} label="Latency distribution" className="ca-plot" />
      </div>
    );
  if (!result || !figs)
    return <p className="ca-note">Analyse responses to see the cells' ΔF/F₀ and responders.</p>;
  const s = result.summary;
  const select = (cell: number, add: boolean) => {
    const cur = calciumStore.getState().selected;
    calciumStore
      .getState()
      .select(add ? (cur.includes(cell) ? cur.filter((c) => c !== cell) : [...cur, cell]) : [cell]);
  };
  return (
    <div className="ca-results" data-testid="ca-results">
      {stale && <p className="mk-invalid">Cells or parameters changed since this result: analyse again.</p>}
      <p data-testid="ca-summary">
        {s.responders} of {s.cells} cells respond ({(100 * s.fraction).toFixed(1)} %, 95 % CI{' '}
        {(100 * s.ci95[0]).toFixed(1)}–{(100 * s.ci95[1]).toFixed(1)} %); median latency{' '}
        {fmt(s.medianLatencyS)} s, median peak ΔF/F₀ {fmt(s.medianPeakDff)}. Nominal false-responder
        probability per cell {result.alpha.toExponential(1)} (k = {result.params.k}, ≥{' '}
        {result.params.minFrames} frames,{' '}
        {result.params.bleach === 'exp' ? 'exponential bleach correction' : 'no bleach correction'}).
      </p>
      <Plot figure={figs.resp} label="Responder fraction" className="ca-plot" />
      <Plot figure={figs.lat} label="Latency distribution" className="ca-plot" />
      {traces && <Plot figure={traces} label="Selected cell traces" className="ca-plot" />}
      <div className="ca-buttons">
        <button
          type="button"
          className="btn"
          data-testid="ca-download"
          onClick={() => downloadText('calcium_cells.csv', cellsCsv(result))}
        >
          Download per-cell CSV
        </button>
        {result.dff && (
          <button
            type="button"
            className="btn"
            data-testid="ca-download-traces"
            onClick={() =>
              downloadText(
                'calcium_traces.csv',
                tracesCsv({
                  count: result.count,
                  frames: result.frames,
                  dff: result.dff!,
                  traces: result.traces,
                  background: result.background,
                  params: result.params,
                }),
              )
            }
          >
            {result.traces ? 'Download traces CSV' : 'Download ΔF/F₀ traces CSV'}
          </button>
        )}
      </div>
      <div className="ca-table">
        <table aria-label="Per-cell responses">
          <thead>
            <tr>
              <th>cell</th>
              <th>area px</th>
              <th>F₀</th>
              <th>responder</th>
              <th>latency s</th>
              <th>peak ΔF/F₀</th>
              <th>AUC ΔF/F₀·s</th>
              <th>transients</th>
            </tr>
          </thead>
          <tbody>
            {result.cells.map((c) => (
              <tr
                key={c.cell}
                className={selected.includes(c.cell) ? 'selected' : undefined}
                onClick={(e) => select(c.cell, e.shiftKey)}
                title={c.note || undefined}
              >
                <td>{c.cell}</td>
                <td>{c.areaPx}</td>
                <td>{fmt(c.f0, 4)}</td>
                <td>{c.note ? '–' : c.responder ? 'yes' : 'no'}</td>
                <td>{c.responder ? fmt(c.latencyS) : ''}</td>
                <td>{fmt(c.peakDff)}</td>
                <td>{fmt(c.aucDffS)}</td>
                <td>{c.transients}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
