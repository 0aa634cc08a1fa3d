// Post-process results (right panel): the drift trace, NeNA precision and FRC resolution.
import { Fragment, useMemo } from 'react';
import type { DriftSummary } from '../../../workers/render.api';
import { writeDriftCsv } from '../../core/io/driftCsv';
import type { DriftQuality } from '../../core/locs/driftQuality';
import { Plot } from '../../plots/Plot';
import { driftFigure, frcFigure, nenaFigure } from '../../plots/post';
import { useLocs } from '../../state/locsStore';
import { postStore, usePost } from '../../state/postStore';
import { useUi } from '../../state/uiStore';
import { downloadText } from '../download';
import { postRuntime } from './postRuntime';
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
      {drift.quality && <DriftQualityView drift={drift} quality={drift.quality} />}
      <Plot figure={fig} label="Drift trace" className="plot post-plot" />
      {drift.applied && (
        <button
          type="button"
          className="btn small"
          title="Frame (1-based), dx and dy in nm; corrected = observed − drift"
          onClick={() => downloadText('drift_trace.csv', writeDriftCsv(drift), 'text/csv')}
        >
          Export drift CSV
        </button>
      )}
    </section>
  );
}

/** The verdict beside the trace; an unreliable estimate is shown unapplied until the user says so. */
function DriftQualityView({ drift, quality }: { drift: DriftSummary; quality: DriftQuality }) {
  const step = usePost((s) => s.steps[drift.stepIndex]);
  const setForce = (force: boolean) => {
    if (step?.kind !== 'drift') return;
    postStore.getState().updateStep(drift.stepIndex, { ...step, force });
  };
  const forced = step?.kind === 'drift' && step.force === true;
  return (
    <div
      className={`drift-quality ${quality.reliable ? 'ok' : 'bad'}`}
      data-testid="drift-quality"
      data-reliable={quality.reliable}
      data-applied={drift.applied}
    >
      <div className="drift-verdict">
        {quality.reliable
          ? 'Estimate looks reliable — applied'
          : drift.applied
            ? 'Estimate is UNRELIABLE — applied because you asked'
            : 'Estimate is UNRELIABLE — not applied'}
      </div>
      <ul className="drift-problems">
        {quality.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
        {quality.notes.map((p) => (
          <li key={p} className="muted">
            {p}
          </li>
        ))}
      </ul>
      <dl className="meta-grid num">
        {quality.metrics.map((m) => (
          <Fragment key={m.label}>
            <dt>{m.label}</dt>
            <dd title={m.limit === undefined ? undefined : `unreliable beyond ${m.limit} ${m.unit}`}>
              {Number.isFinite(m.value) ? (Number.isInteger(m.value) ? m.value : m.value.toFixed(2)) : '∞'}{' '}
              {m.unit}
            </dd>
          </Fragment>
        ))}
      </dl>
      {!quality.reliable && (
        <div className="row">
          {drift.applied ? (
            forced && (
              <button type="button" className="btn small" onClick={() => setForce(false)}>
                Don't apply
              </button>
            )
          ) : (
            <button
              type="button"
              className="btn small"
              title="Correct with this estimate although the checks distrust it (recorded in the step, so sessions keep the choice)"
              onClick={() => setForce(true)}
            >
              Apply anyway
            </button>
          )}
          {quality.method === 'rcc' && (
            <span className="post-note">
              For live cells try Pair reach 2 (neighbouring segments only) or fiducials.
            </span>
          )}
        </div>
      )}
    </div>
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
          title="Nearest-neighbour distances between adjacent frames, fitted for the localization precision (Endesfelder et al. 2014). Computed on the localizations before any merge step."
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
      {nena.status === 'done' && nena.result.beforeMerge && (
        <div className="post-note" data-testid="nena-before-merge">
          Computed on the localizations before the merge step: merging fuses the adjacent-frame pairs NeNA
          measures.
        </div>
      )}
      {nena.status === 'done' && nena.result.warning && (
        <div className="post-error" data-testid="nena-warning">
          {nena.result.warning}
        </div>
      )}
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
