// The Movie step's parameters (left): window W and step S with the resulting frame count live,
// render pixel, splat σ, region of interest, and Build / Cancel with progress.
import { useEffect, useState } from 'react';
import { MovieParamsSchema, MovieSigmaSchema } from '../../core/movie/params';
import { activeStack, effectiveMeta, useData } from '../../state/dataStore';
import { useLocs } from '../../state/locsStore';
import { formatRoi, liveFrameCount, parseRoi, REFERENCE_MOVIE } from '../../state/movieParams';
import {
  buildMovie,
  cancelBuild,
  checkAgainstActive,
  hasPostSteps,
  movieSource,
  movieStore,
  sourceLabel,
  useMovie,
} from '../../state/movieStore';
import { usePost } from '../../state/postStore';
import { useUi } from '../../state/uiStore';
import { NumberField, SelectField } from '../forms/fields';
import { postRuntime } from '../post/postRuntime';
import { ProgressLine } from './ProgressLine';
import './movie.css';

const M = MovieParamsSchema.entries;
const [{ entries: PRECISION }, { entries: FIXED }] = MovieSigmaSchema.options;

export function MoviePanel() {
  const st = useData(activeStack);
  const params = useMovie((s) => s.params);
  const errors = useMovie((s) => s.errors);
  const notes = useMovie((s) => s.notes);
  const status = useMovie((s) => s.status);
  const build = useMovie((s) => s.build);
  const info = useMovie((s) => s.info);
  const locCount = useLocs((s) => s.count);
  const locStatus = useLocs((s) => s.status);
  const hasPrecision = useLocs((s) => (s.chunks[0] ? !!s.chunks[0].columns.precision : true));
  const setCentre = useUi((s) => s.setCentreView);
  const built = useMovie((s) => s.built);
  // Re-render when the steps or their result change: the default source and the counts follow.
  const postSteps = usePost((s) => s.steps);
  const postRows = usePost((s) => (s.status === 'done' && s.summary ? s.summary.rowsOut : null));
  const [roiText, setRoiText] = useState(formatRoi(params.roi));
  const [roiError, setRoiError] = useState<string | null>(null);
  const m = movieStore.getState();
  const F = st?.info.frameCount ?? 0;
  const count = liveFrameCount(F, params.window, params.step);
  const checked = st ? checkAgainstActive(params) : null;
  const live = checked && !checked.ok ? checked.errors : {};
  const cam = st ? effectiveMeta(st).pixelSizeNm : undefined;
  const interval = st ? effectiveMeta(st).frameIntervalMs : undefined;
  // An ROI drawn on the movie (Shift-drag) shows up in the field.
  useEffect(() => {
    if (document.activeElement?.id !== 'movie-roi') {
      setRoiText(formatRoi(params.roi));
      setRoiError(null);
    }
  }, [params.roi]);

  if (!st) {
    return (
      <section className="section movie-panel">
        <h2>Movie</h2>
        <p className="hint">
          Open a stack (or the demo) in the Data step, then localize it or load localizations.
        </p>
      </section>
    );
  }
  const busy = status === 'building';
  void postSteps;
  const source = movieSource(params);
  const postReady = hasPostSteps();
  const canBuild = !busy && (locCount > 0 || locStatus === 'running') && checked?.ok === true;
  return (
    <section className="section movie-panel" aria-labelledby="movie-title">
      <h2 id="movie-title">Sliding-window movie</h2>
      <NumberField
        live
        id="movie-window"
        label="Window W (frames)"
        hint="Raw frames rendered into each movie frame"
        value={params.window}
        schema={M.window}
        onCommit={(window) => m.setParams({ window })}
        error={live.window ?? errors.window}
      />
      <NumberField
        live
        id="movie-step"
        label="Step S (frames)"
        hint="Raw frames the window advances between movie frames"
        value={params.step}
        schema={M.step}
        onCommit={(step) => m.setParams({ step })}
        error={live.step ?? errors.step}
      />
      <div className="count num" data-testid="movie-count">
        {count === null ? '—' : `⌊(${F} − ${params.window}) / ${params.step}⌋ + 1 = `}
        <strong>{count ?? ''}</strong> movie frames
        {interval ? (
          <span className="muted">
            {' '}
            · {((params.window * interval) / 1000).toFixed(2)} s windows every{' '}
            {((params.step * interval) / 1000).toFixed(3)} s
          </span>
        ) : null}
      </div>
      <p className="hint">
        Reference study: {REFERENCE_MOVIE.frames} / {REFERENCE_MOVIE.window} / {REFERENCE_MOVIE.step} →{' '}
        {REFERENCE_MOVIE.movieFrames} frames at {REFERENCE_MOVIE.renderPxNm} nm.{' '}
        <button
          type="button"
          className="btn small"
          title="Use W = 1002, S = 6, 10 nm"
          onClick={() => m.setParams({ window: 1002, step: 6, renderPxNm: 10 })}
        >
          Use
        </button>
      </p>
      <NumberField
        live
        id="movie-px"
        label="Render pixel (nm)"
        hint="Size of a movie pixel; 10 nm in the reference study"
        value={params.renderPxNm}
        schema={M.renderPxNm}
        onCommit={(renderPxNm) => m.setParams({ renderPxNm })}
        error={live.renderPxNm}
      />
      <SelectField
        id="movie-kernel"
        label="Kernel σ"
        hint="Each localization is drawn as a normalised Gaussian: σ = its precision × a factor, or one fixed σ"
        value={params.sigma.kind}
        options={[
          { value: 'precision', label: 'precision ×' },
          { value: 'fixed', label: 'fixed (nm)' },
        ]}
        onChange={(kind) =>
          m.setParams({
            sigma: kind === 'fixed' ? { kind: 'fixed', nm: 20 } : { kind: 'precision', factor: 1, minNm: 5 },
          })
        }
      />
      {params.sigma.kind === 'precision' ? (
        <NumberField
          live
          id="movie-factor"
          label="Precision factor"
          hint="σ of each splat = localization precision × this (floored at 5 nm)"
          value={params.sigma.factor}
          schema={PRECISION.factor}
          onCommit={(factor) => m.setParams({ sigma: { kind: 'precision', factor, minNm: 5 } })}
          error={
            live.sigma ?? (hasPrecision ? undefined : 'These localizations have no precision: use a fixed σ')
          }
        />
      ) : (
        <NumberField
          live
          id="movie-sigma"
          label="Fixed σ (nm)"
          hint="One σ for every localization; 0 draws a histogram"
          value={params.sigma.nm}
          schema={FIXED.nm}
          onCommit={(nm) => m.setParams({ sigma: { kind: 'fixed', nm } })}
          error={live.sigma}
        />
      )}
      <div
        className="field"
        title="Region of interest in camera pixels x0,y0,x1,y1 (x1, y1 exclusive); empty = the whole field. Or Shift-drag on the movie."
      >
        <label htmlFor="movie-roi">ROI (camera px)</label>
        <input
          id="movie-roi"
          type="text"
          className="num"
          placeholder={`whole ${st.info.width}×${st.info.height}`}
          value={roiText}
          aria-invalid={!!(roiError ?? live.roi)}
          onChange={(e) => {
            setRoiText(e.target.value);
            const r = parseRoi(e.target.value);
            if (typeof r === 'string') setRoiError(r);
            else {
              setRoiError(null);
              m.setParams({ roi: r });
            }
          }}
        />
        {(roiError ?? live.roi) && (
          <span className="invalid" role="alert">
            {roiError ?? live.roi}
          </span>
        )}
      </div>
      {live.pixel && (
        <p className="invalid hint" role="alert" style={{ color: 'var(--danger)' }}>
          {live.pixel}
        </p>
      )}
      {checked?.ok && (
        <p className="hint num">
          Movie frame {checked.grid.width} × {checked.grid.height} px ({cam} nm camera px →{' '}
          {params.renderPxNm} nm) · {((checked.grid.width * checked.grid.height * 4) / 2 ** 20).toFixed(1)} MB
          per frame
        </p>
      )}
      {notes.map((n) => (
        <div key={n} className="note">
          {n}
        </div>
      ))}
      <SelectField
        id="movie-source"
        testId="movie-source"
        label="Localizations"
        hint="The table the movie is built from: every localization of the run, or what the Post-process steps leave (filters, drift correction, merging)"
        value={source}
        options={[
          { value: 'raw', label: sourceLabel('raw', locCount) },
          {
            value: 'post',
            label: postReady ? sourceLabel('post', postRows) : 'After post-process (no steps)',
            disabled: !postReady && source !== 'post',
          },
        ]}
        onChange={(src) => m.setParams({ source: src })}
      />
      {built && (
        <p className="hint num" data-testid="movie-built-from">
          Built from: {sourceLabel(built.source, built.sourceRows)}
        </p>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <button
          type="button"
          className="btn primary"
          disabled={!canBuild}
          title={
            locCount === 0 && locStatus !== 'running'
              ? 'No localizations yet: run Localize or load a CSV'
              : `Build the movie from: ${sourceLabel(source, source === 'raw' ? locCount : postRows)}`
          }
          onClick={() => {
            postRuntime();
            setCentre('movie');
            void buildMovie();
          }}
        >
          {status === 'ready' || status === 'stale' || status === 'streaming' ? 'Rebuild' : 'Build movie'}
        </button>
        {busy && (
          <button type="button" className="btn" onClick={cancelBuild}>
            Cancel
          </button>
        )}
        <span className="muted num" data-testid="movie-status">
          {statusText(status, info?.ready ?? 0, info?.expected ?? 0, locCount)}
        </span>
      </div>
      {build && <ProgressLine p={build} unit="chunks" />}
      {info && info.dropped > 0 && (
        <p className="hint">{info.dropped} localizations fell outside the ROI or had no valid position/σ.</p>
      )}
    </section>
  );
}

function statusText(status: string, ready: number, expected: number, locs: number): string {
  switch (status) {
    case 'building':
      return 'building…';
    case 'streaming':
      return `${ready} of ${expected} frames final (localizing)`;
    case 'ready':
      return `${ready} frames ready`;
    case 'stale':
      return 'localizations changed: rebuild';
    case 'failed':
      return 'failed';
    default:
      return `${locs.toLocaleString()} localizations`;
  }
}
