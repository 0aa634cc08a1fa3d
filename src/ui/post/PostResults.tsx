// Post-process results (right panel): the drift trace, NeNA precision and FRC resolution.
import { useMemo } from 'react';
import { writeDriftCsv } from '../../core/io/driftCsv';
import { Plot } from '../../plots/Plot';
import { driftFigure, frcFigure, nenaFigure } from '../../plots/post';
import { useLocs } from '../../state/locsStore';
import { usePost } from '../../state/postStore';
import { useUi } from '../../state/uiStore';
import { postRuntime, saveFile } from './postRuntime';
import './post.css';

function rms(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return a.length ? Math.sqrt(s / a.length) : 0;
}

function DriftResult() {
  const drift = usePost((s) => s.summary?.drift ?? null);
  const theme = useUi((s) => s.theme);
  const fig = useMemo(() => (drift ? driftFigure(drift, theme) : null), [drift, theme]);
  if (!drift || !fig) return null;
  const n = drift.dx.length;
  return (
    <section className="section" aria-labelledby="drift-title">
      <h2 id="drift-title">Drift trace</h2>
      <div className="post-note num" data-testid="drift-summary">
        {drift.method === 'rcc' ? 'RCC' : 'fiducials'} · final x {drift.dx[n - 1].toFixed(1)} nm, y{' '}
        {drift.dy[n - 1].toFixed(1)} nm · RMS x {rms(drift.dx).toFixed(1)}, y {rms(drift.dy).toFixed(1)} nm
      </div>
      <Plot figure={fig} label="Drift trace" className="plot post-plot" />
      <button
        type="button"
        className="btn small"
        title="Frame (1-based), dx and dy in nm; corrected = observed − drift"
        onClick={() => saveFile('drift_trace.csv', writeDriftCsv(drift), 'text/csv')}
      >
        Export drift CSV
      </button>
    </section>
  );
}

function Stale({ forVersion }: { forVersion: number }) {
  const current = usePost((s) => s.processedVersion);
  return forVersion === current ? null : (
    <span className="post-note" title="The steps or the localizations changed since this was computed">
      (before the latest changes: recompute)
    </span>
  );
}

function NenaResult() {
  const nena = usePost((s) => s.nena);
  const theme = useUi((s) => s.theme);
  const fig = useMemo(() => (nena.status === 'done' ? nenaFigure(nena.result, theme) : null), [nena, theme]);
  return (
    <section className="section" aria-labelledby="nena-title">
      <h2 id="nena-title">Precision (NeNA)</h2>
      <div className="row">
        <button
          type="button"
          className="btn small"
          disabled={nena.status === 'running'}
          title="Nearest-neighbour distances between adjacent frames, fitted for the localization precision (Endesfelder et al. 2014). Run it before merging blinks."
          onClick={() => void postRuntime().post.computeNena()}
        >
          {nena.status === 'running' ? 'Computing…' : 'Compute NeNA'}
        </button>
        {nena.status === 'done' && (
          <span className="num" data-testid="nena-value">
            σ<sub>NeNA</sub> = {nena.result.sigmaNm.toFixed(1)} nm
          </span>
        )}
        {nena.status === 'done' && <Stale forVersion={nena.forVersion} />}
      </div>
      {nena.status === 'failed' && <div className="post-error">{nena.error}</div>}
      {fig && <Plot figure={fig} label="NeNA histogram" className="plot post-plot" />}
    </section>
  );
}

function FrcResult() {
  const f = usePost((s) => s.frc);
  const theme = useUi((s) => s.theme);
  const fig = useMemo(() => (f.status === 'done' ? frcFigure(f.result, theme) : null), [f, theme]);
  return (
    <section className="section" aria-labelledby="frc-title">
      <h2 id="frc-title">Resolution (FRC)</h2>
      <div className="row">
        <button
          type="button"
          className="btn small"
          disabled={f.status === 'running'}
          title="Fourier ring correlation of two halves split by alternating frame blocks; resolution where it falls below 1/7 (Nieuwenhuizen et al. 2013)"
          onClick={() => void postRuntime().post.computeFrc()}
        >
          {f.status === 'running' ? 'Computing…' : 'Compute FRC'}
        </button>
        {f.status === 'done' && (
          <span className="num" data-testid="frc-value">
            {Number.isFinite(f.result.resolutionNm)
              ? `${f.result.resolutionNm.toFixed(1)} nm`
              : 'not resolved'}
          </span>
        )}
      </div>
      {f.status === 'failed' && <div className="post-error">{f.error}</div>}
      {fig && <Plot figure={fig} label="FRC curve" className="plot post-plot" />}
    </section>
  );
}

export function PostResults() {
  const count = useLocs((s) => s.count);
  const summary = usePost((s) => s.summary);
  if (count === 0)
    return (
      <section className="section">
        <h2>Post-process</h2>
        <p className="muted">Results appear here once localizations are loaded.</p>
      </section>
    );
  return (
    <>
      <section className="section" aria-labelledby="post-sum-title">
        <h2 id="post-sum-title">Localizations</h2>
        <dl className="meta-grid num">
          <dt>raw</dt>
          <dd>{count.toLocaleString()}</dd>
          <dt>after steps</dt>
          <dd data-testid="result-count">{summary ? summary.rowsOut.toLocaleString() : '…'}</dd>
          {summary && summary.ms > 0 && (
            <>
              <dt>pipeline</dt>
              <dd>{summary.ms.toFixed(0)} ms</dd>
            </>
          )}
        </dl>
      </section>
      <DriftResult />
      <NenaResult />
      <FrcResult />
    </>
  );
}
