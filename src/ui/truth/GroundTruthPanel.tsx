// Localizations against ground truth, for simulated stacks: the SMLM Challenge metrics (Jaccard,
// recall, precision, RMSE, bias, efficiency) with the CRLB of the simulated conditions, and plots
// of the errors. Rescored in the stack worker as localizations stream in (src/state/truthStore).
// Shown in the Data step's results; the Localize step can show it too (export GroundTruthPanel).

import { useEffect, useMemo, useState } from 'react';
import { stackService, type TruthComparison } from '../../engine/stackService';
import { Plot } from '../../plots/Plot';
import { errorHistogramFigure, errorVsPhotonsFigure, jaccardOverTimeFigure } from '../../plots/truth';
import { activeStack, useData } from '../../state/dataStore';
import { useLocs } from '../../state/locsStore';
import { simulationParamsOf } from '../../state/simulationActions';
import {
  comparedChannel,
  type FrameScope,
  startTruthScoring,
  truthStore,
  useTruth,
} from '../../state/truthStore';
import { useUi } from '../../state/uiStore';
import { downloadText } from '../download';
import './truth.css';

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '–');
const nm = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} nm` : '–');
const signedNm = (v: number) =>
  Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} nm` : '–';

/** The comparison as CSV rows (metric, value, unit), for the export button. */
export function comparisonCsv(r: TruthComparison, stackName: string): string {
  const rows: [string, number, string][] = [
    ['tolerance', r.toleranceNm, 'nm'],
    ['channel', r.channel + 1, ''],
    ['first frame', r.frames.start + 1, ''],
    ['last frame', r.frames.end, ''],
    ['truth', r.truthCount, ''],
    ['localizations', r.locCount, ''],
    ['TP', r.tp, ''],
    ['FP', r.fp, ''],
    ['FN', r.fn, ''],
    ['Jaccard', r.jaccard, ''],
    ['recall', r.recall, ''],
    ['precision', r.precision, ''],
    ['RMSE lateral', r.rmse, 'nm'],
    ['RMSE x', r.rmseX, 'nm'],
    ['RMSE y', r.rmseY, 'nm'],
    ['bias x', r.biasX, 'nm'],
    ['bias y', r.biasY, 'nm'],
    ['efficiency', r.efficiency, ''],
    ['CRLB lateral (matches)', r.crlbMatched.lateral, 'nm'],
    ['CRLB lateral (nominal)', r.crlbNominal.lateral, 'nm'],
    ['nominal photons', r.nominalPhotons, 'photon'],
    ['RMSE / CRLB', r.rmseOverCrlb, ''],
  ];
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  return [
    `${q('stack')},${q(stackName)},""`,
    '"metric","value","unit"',
    ...rows.map(([k, v, u]) => `${q(k)},${v},${q(u)}`),
  ].join('\n');
}

function ToleranceField() {
  const tol = useTruth((s) => s.toleranceNm);
  const [text, setText] = useState(String(tol));
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => setText(String(tol)), [tol]);
  const commit = () => {
    const v = Number(text.trim());
    if (!Number.isFinite(v) || v <= 0) return setReason('Must be a number greater than 0 nm.');
    if (v > 5000) return setReason('Must be at most 5000 nm.');
    setReason(null);
    truthStore.getState().setTolerance(v);
  };
  return (
    <div
      className="field"
      title="Largest distance between a localization and a true emitter of the same frame that still counts as a match (SMLM Challenge: 250 nm)"
    >
      <label htmlFor="truth-tol">Match tolerance (nm)</label>
      <input
        id="truth-tol"
        type="text"
        inputMode="decimal"
        className="num"
        value={text}
        aria-invalid={reason !== null}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {reason && (
        <span className="invalid" role="alert">
          {reason}
        </span>
      )}
    </div>
  );
}

function Metrics({ r }: { r: TruthComparison }) {
  const ratio = r.rmseOverCrlb;
  return (
    <dl className="truth-metrics" data-testid="truth-metrics">
      <dt title="TP / (TP + FP + FN)">Jaccard</dt>
      <dd className="num big" data-testid="truth-jaccard">
        {pct(r.jaccard)}
      </dd>
      <dt title="Efficiency = 1 − √((1 − J)² + (RMSE / 100 nm)²), SMLM Challenge 2016">Efficiency</dt>
      <dd className="num big">{pct(r.efficiency)}</dd>
      <dt title="Share of true emitters found: TP / (TP + FN)">Recall</dt>
      <dd className="num">{pct(r.recall)}</dd>
      <dt title="Share of localizations that are real: TP / (TP + FP)">Precision</dt>
      <dd className="num">{pct(r.precision)}</dd>
      <dt>TP · FP · FN</dt>
      <dd className="num">
        {r.tp.toLocaleString('en')} · {r.fp.toLocaleString('en')} · {r.fn.toLocaleString('en')}
      </dd>
      <dt title="√(mean(Δx² + Δy²)) over matches">RMSE lateral</dt>
      <dd className="num">{nm(r.rmse)}</dd>
      <dt>RMSE x · y</dt>
      <dd className="num">
        {nm(r.rmseX)} · {nm(r.rmseY)}
      </dd>
      <dt title="Mean localization − truth over matches">Bias x · y</dt>
      <dd className="num">
        {signedNm(r.biasX)} · {signedNm(r.biasY)}
      </dd>
      <dt title="√(mean CRLB²) over the matches at their true photons (lateral)">CRLB</dt>
      <dd className="num">{nm(r.crlbMatched.lateral)}</dd>
      <dt title={`Lateral CRLB at the channel's nominal ${r.nominalPhotons} photons and flat background`}>
        CRLB nominal
      </dt>
      <dd className="num">
        {nm(r.crlbNominal.lateral)} <small>at {r.nominalPhotons} ph</small>
      </dd>
      <dt title="Lateral RMSE over the CRLB of the same matches: 1 is an efficient (best possible unbiased) localizer">
        RMSE / CRLB
      </dt>
      <dd className={`num big ${ratio > 1.5 ? 'warn' : ''}`} data-testid="truth-ratio">
        {Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–'}
      </dd>
    </dl>
  );
}

function Plots({ r }: { r: TruthComparison }) {
  const theme = useUi((s) => s.theme);
  const figs = useMemo(
    () => ({
      dx: errorHistogramFigure(r.histX, 'x', r.crlbMatched.perAxis, theme),
      dy: errorHistogramFigure(r.histY, 'y', r.crlbMatched.perAxis, theme),
      photons: errorVsPhotonsFigure(r.photonBins, r.scatter, theme),
      time: jaccardOverTimeFigure(r.frameBlocks, theme),
    }),
    [r, theme],
  );
  if (r.tp === 0) {
    return (
      <p className="truth-note">
        No localization lies within the tolerance of a true emitter: no errors to plot.
      </p>
    );
  }
  return (
    <div className="truth-plots">
      <Plot
        className="truth-plot"
        figure={figs.dx}
        label="Localization error in x with the CRLB prediction"
      />
      <Plot
        className="truth-plot"
        figure={figs.dy}
        label="Localization error in y with the CRLB prediction"
      />
      <Plot
        className="truth-plot"
        figure={figs.photons}
        label="Lateral error against true photons with the CRLB"
      />
      <Plot className="truth-plot short" figure={figs.time} label="Jaccard index over the movie" />
    </div>
  );
}

/** The ground-truth comparison of the active stack's localizations; nothing for stacks without truth. */
export function GroundTruthPanel() {
  const st = useData(activeStack);
  const params = st ? simulationParamsOf(st.info) : null;
  const locsStack = useLocs((s) => s.stackId);
  const count = useLocs((s) => s.count);
  const locsParams = useLocs((s) => s.params);
  const runStatus = useLocs((s) => s.status);
  const result = useTruth((s) => s.result);
  const resultStack = useTruth((s) => s.resultStackId);
  const status = useTruth((s) => s.status);
  const error = useTruth((s) => s.error);
  const chosen = useTruth((s) => s.channel);
  const scope = useTruth((s) => s.frameScope);
  const hasLocs = st !== null && locsStack === st.info.id && count > 0;

  useEffect(() => (params ? startTruthScoring(stackService) : undefined), [params]);

  if (!st || !params) return null;
  const channels = params.channels.length;
  const channel = comparedChannel({ channel: chosen }, { params: locsParams }, channels);
  const r = result && resultStack === st.info.id ? result : null;

  return (
    <section className="section truth-panel" aria-labelledby="truth-title" data-testid="ground-truth-panel">
      <h2 id="truth-title">
        Ground truth{' '}
        {status === 'scoring' && hasLocs && (
          <span className="truth-busy" role="status">
            <span className="dot busy" />
            scoring…
          </span>
        )}
      </h2>
      {!hasLocs ? (
        <p className="truth-note">
          This stack is simulated: every emission is known. Localize it (or load localizations with{' '}
          <code>evscope.loadLocalizationsCsv</code>) and the comparison appears here — Jaccard, recall,
          precision, RMSE against the CRLB.
        </p>
      ) : (
        <>
          <ToleranceField />
          {channels > 1 && (
            <div className="field" title="Which channel's true emitters the localizations are compared with">
              <label htmlFor="truth-channel">Compared with channel</label>
              <select
                id="truth-channel"
                value={channel}
                onChange={(e) => truthStore.getState().setChannel(Number(e.target.value))}
              >
                {params.channels.map((c, i) => (
                  <option key={c.name} value={i}>
                    {i + 1}: {c.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div
            className="field"
            title="Truth of frames without localizations counts as missed: compare over the run's frames, or only over the frames the localizations span (e.g. a CSV of part of the stack)"
          >
            <label htmlFor="truth-frames">Frames compared</label>
            <select
              id="truth-frames"
              value={scope}
              onChange={(e) => truthStore.getState().setFrameScope(e.target.value as FrameScope)}
            >
              <option value="run">whole run</option>
              <option value="span">span of locs</option>
            </select>
          </div>
          {error && (
            <p className="invalid" role="alert">
              Scoring failed: {error}
            </p>
          )}
          {r && (
            <>
              <p className="truth-note num">
                {r.locCount.toLocaleString('en')} localizations vs {r.truthCount.toLocaleString('en')} true
                emissions, frames {r.frames.start + 1}–{r.frames.end}
                {runStatus === 'running' ? ' (run in progress)' : ''}
              </p>
              <Metrics r={r} />
              <div className="row" style={{ marginTop: 6 }}>
                <button
                  type="button"
                  className="btn small"
                  title="Save these numbers as a CSV table"
                  onClick={() =>
                    downloadText(`${st.info.name}-truth-comparison.csv`, comparisonCsv(r, st.info.name))
                  }
                >
                  Export CSV
                </button>
              </div>
              <Plots r={r} />
            </>
          )}
        </>
      )}
    </section>
  );
}
