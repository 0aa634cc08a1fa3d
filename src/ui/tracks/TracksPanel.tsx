// Tracks & distances step, left panel: EV tracking (channel, detection, linking, filters) or a
// track import, then the distance analysis (movie, binarization, histogram, cut-off, control),
// each with Run/Cancel and progress with rate and time left.
import { useEffect, useRef } from 'react';
import { TracksParamsSchema } from '../../core/coloc/schema';
import { activeStack, type LoadedStack, useData } from '../../state/dataStore';
import { useLocs } from '../../state/locsStore';
import { sourceLabel } from '../../state/movieStore';
import { usePost } from '../../state/postStore';
import { distanceErrors, type TracksParams, trackingErrors } from '../../state/tracksParams';
import {
  distancesStale,
  type TracksRunProgress,
  tracksStale,
  tracksStore,
  useTracks,
} from '../../state/tracksStore';
import { uiStore } from '../../state/uiStore';
import { type FieldTable, paramFields, SelectField } from '../forms/fields';
import '../markers/markers.css';
import './tracks.css';
import './overlay';

const T = TracksParamsSchema.entries;

/** The step's number fields; their limits are the parameter schema's. */
const TRACK_FIELDS: FieldTable<TracksParams> = {
  thresholdFactor: [
    'Detection threshold (× noise)',
    "Spots above this many × std of the first wavelet level (ThunderSTORM's k); EVs are bright, 2 rejects noise",
  ],
  sigmaNm: [
    'PSF σ (nm)',
    "Start value of the fitted σ; empty: the stack's (simulations know it) or 150 nm. EVs are up to a few hundred nm, so σ is fitted",
    { placeholder: 'auto' },
  ],
  radiusNm: [
    'Search radius (nm)',
    'Largest displacement between consecutive frames; gaps allow radius × √(frames)',
    { testId: 'tracks-radius' },
  ],
  maxGap: [
    'Max gap (frames)',
    'Missing frames a track may bridge (blinking, missed detections); 0 disables gap closing',
  ],
  minLength: [
    'Min length (positions)',
    'Shorter tracks are dropped (their MSD is too noisy)',
    { testId: 'tracks-min-length' },
  ],
  minIntensity: ['Min intensity (photons)', 'Tracks with a lower mean intensity are dropped; 0 keeps all'],
  window: [
    'Window W (frames)',
    'Raw frames per movie frame (the study: 1002), as in the Movie step',
    { testId: 'tracks-window' },
  ],
  step: [
    'Step S (frames)',
    'Raw frames the window advances (the study: 6 = 30 ms); EV positions are averaged over the same S frames',
    { testId: 'tracks-step' },
  ],
  renderPxNm: [
    'Render pixel (nm)',
    'Pixel of the super-resolution movie (camera px / render px = scale, e.g. 100 → 10 nm: ×10)',
  ],
  smoothSigmaPx: ['Smoothing σ (render px)', 'Gaussian smoothing before thresholding; 0: none'],
  manualThreshold: [
    'Threshold (locs/px/frame)',
    'Movie intensity: localizations per render pixel per raw frame',
  ],
  histStartNm: ['Bins from (nm)', 'Left edge of the first histogram bin (the study: −500 nm)'],
  histWidthNm: ['Bin width (nm)', 'Histogram bin width (the study: 50 nm)'],
  histCount: ['Bins', 'Number of bins; values beyond go to the under/overflow rows of the CSV'],
  cutoffNm: [
    'Cut-off (nm)',
    "Within = signed distance ≤ cut-off (240 nm in the lab's single-molecule work); inside is within",
    { testId: 'tracks-cutoff' },
  ],
  controlPerFrame: [
    'Control points / movie frame',
    'Random positions per movie frame measured the same way (the null model)',
  ],
};

const PHASES: Record<string, [string, string]> = {
  detect: ['Detecting EVs', 'frames'],
  link: ['Linking', ''],
  movie: ['Rendering the movie', ''],
  threshold: ['Otsu threshold', ''],
  cell: ['Cell mask', ''],
  distances: ['Measuring distances', 'movie frames'],
  statistics: ['Statistics', ''],
};

function formatEta(s: number): string {
  if (!Number.isFinite(s)) return '';
  if (s < 60) return `${Math.ceil(s)} s left`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s left`;
}

export function Progress({ p }: { p: TracksRunProgress | null }) {
  const [name, unit] = p ? (PHASES[p.phase] ?? [p.phase, '']) : ['Starting', ''];
  const frac = p && p.total > 0 ? p.done / p.total : 0;
  return (
    <div className="tk-progress" data-testid="tracks-progress">
      <div
        className="tk-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(100 * frac)}
      >
        <span style={{ width: `${100 * frac}%` }} />
      </div>
      <span className="muted num">
        {name}
        {p && p.total > 1 ? ` ${p.done}/${p.total}` : ''}
        {p && p.rate > 0 && unit ? ` · ${p.rate.toFixed(0)} ${unit}/s · ${formatEta(p.etaSeconds)}` : ''}
      </span>
    </div>
  );
}

export function TracksPanel() {
  const st = useData(activeStack);
  const params = useTracks((s) => s.params);
  useEffect(() => {
    tracksStore.getState().forStack(st?.info ?? null);
  }, [st?.info]);
  return (
    <section className="section mk-panel tk-panel" aria-labelledby="tk-title" data-step-panel="tracks">
      <h2 id="tk-title">Tracks &amp; distances</h2>
      {!st || !params ? (
        <p className="muted mk-note">
          Open a two-channel stack (PALM of the structures + EVs) or the demo first.
        </p>
      ) : (
        <Form st={st} params={params} />
      )}
    </section>
  );
}

function readText(file: File): Promise<string> {
  return file.text();
}

function Form({ st, params }: { st: LoadedStack; params: TracksParams }) {
  const set = tracksStore.getState().setParams;
  const field = paramFields(TRACK_FIELDS, T, params, set, true);
  const running = useTracks((s) => s.running);
  const progress = useTracks((s) => s.progress);
  const error = useTracks((s) => s.error);
  const trackStatus = useTracks((s) => s.trackStatus);
  const distanceStatus = useTracks((s) => s.distanceStatus);
  const tracks = useTracks((s) => s.tracks);
  const tStale = useTracks(tracksStale);
  const dStale = useTracks(distancesStale);
  const locCount = useLocs((s) => (s.stackId === st.info.id ? s.count : 0));
  const postSteps = usePost((s) => s.steps.filter((x) => x.enabled !== false).length);
  const tErrors = trackingErrors(params, st);
  const dErrors = distanceErrors(params, st);
  const fileInput = useRef<HTMLInputElement>(null);
  const importFormat = useRef<'csv' | 'text'>('csv');
  const channels = Array.from({ length: st.info.channels }, (_, c) => ({
    value: String(c),
    label: `${c + 1}`,
  }));
  const showFigures = () => uiStore.getState().setCentreView('tracks');

  const trackingLabel =
    trackStatus === 'done' && tracks
      ? `${tracks.summary.length} tracks${tStale ? ' · stale' : ''}`
      : trackStatus === 'running'
        ? 'running'
        : trackStatus === 'idle'
          ? ''
          : trackStatus;

  return (
    <>
      {error && !running && (
        <p className="mk-error" role="alert" data-testid="tracks-error">
          {error}
        </p>
      )}
      <fieldset className="mk-group" disabled={running !== null}>
        <legend>EV tracking</legend>
        <SelectField
          label="EV channel"
          hint="The channel with the EVs (the study's CD63-Halo7/SF650T channel)"
          value={String(params.channel)}
          options={channels}
          onChange={(v) => set({ channel: Number(v) })}
          testId="tracks-channel"
        />
        {field('thresholdFactor')}
        {field('sigmaNm')}
        <label className="mk-check" title="Fit σ per spot (EVs are larger than the PSF); off: fixed σ">
          <input
            type="checkbox"
            checked={params.fitSigma}
            onChange={(e) => set({ fitSigma: e.target.checked })}
          />{' '}
          fit σ
        </label>
        {field('radiusNm')}
        {field('maxGap')}
        {field('minLength')}
        {field('minIntensity')}
        {tErrors.length > 0 && (
          <ul className="mk-errors" role="alert">
            {tErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
      </fieldset>
      <div className="row mk-run">
        {running === 'tracking' ? (
          <button
            type="button"
            className="btn"
            onClick={() => tracksStore.getState().cancel()}
            data-testid="tracks-cancel"
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            disabled={running !== null || tErrors.length > 0}
            title={tErrors[0] ?? 'Detect, fit and link the EVs of the chosen channel'}
            onClick={() =>
              void tracksStore
                .getState()
                .runTracking(st)
                .then((r) => r && showFigures())
            }
            data-testid="tracks-run"
          >
            Run tracking
          </button>
        )}
        <span className="muted mk-state" data-testid="tracks-status">
          {trackingLabel}
        </span>
      </div>
      {running === 'tracking' && <Progress p={progress} />}
      <div className="row tk-import">
        <button
          type="button"
          className="btn"
          disabled={running !== null}
          title="ThunderSTORM-style CSV with a track column (track, frame, x [nm], y [nm], intensity)"
          onClick={() => {
            importFormat.current = 'csv';
            fileInput.current?.click();
          }}
        >
          Import CSV…
        </button>
        <button
          type="button"
          className="btn"
          disabled={running !== null}
          title="7-column SPT text: frame, x px, y px, intensity, … (blank lines or frame resets separate tracks)"
          onClick={() => {
            importFormat.current = 'text';
            fileInput.current?.click();
          }}
        >
          Import text…
        </button>
        <SelectField
          label="frames from"
          hint="First frame number in imported files (ThunderSTORM writes 1)"
          value={String(params.frameBase) as '0' | '1'}
          options={[
            { value: '1', label: '1' },
            { value: '0', label: '0' },
          ]}
          onChange={(v) => set({ frameBase: Number(v) as 0 | 1 })}
        />
        <input
          ref={fileInput}
          className="sr-only"
          type="file"
          accept=".csv,.txt,.tsv,.dat"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="tracks-import-file"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (!f) return;
            void readText(f).then((text) =>
              tracksStore
                .getState()
                .importTracks(st, text, f.name, importFormat.current)
                .then((r) => r && showFigures()),
            );
          }}
        />
      </div>

      <fieldset className="mk-group" disabled={running !== null}>
        <legend>Movie &amp; structures</legend>
        <p className="muted mk-note">
          PALM localizations of this stack: <span className="num">{locCount.toLocaleString()}</span>
          {locCount === 0 && ' — run Localize (channel 1) or load a CSV first.'}
        </p>
        <p className="muted mk-note" data-testid="tracks-source">
          Movie built from: {sourceLabel('raw', locCount)}
          {postSteps > 0 && ` — the ${postSteps} Post-process step(s) are not applied here.`}
        </p>
        {field('window')}
        {field('step')}
        {field('renderPxNm')}
        {field('smoothSigmaPx')}
        <SelectField
          label="Threshold"
          hint="Otsu on pixels pooled from 10 evenly spaced movie frames, or a value set by hand"
          value={params.thresholdMode}
          options={[
            { value: 'otsu', label: 'Otsu (pooled)' },
            { value: 'manual', label: 'manual' },
          ]}
          onChange={(v) => set({ thresholdMode: v })}
        />
        {params.thresholdMode === 'manual' && field('manualThreshold')}
      </fieldset>
      <fieldset className="mk-group" disabled={running !== null}>
        <legend>Distances</legend>
        <div className="tk-triple">
          {field('histStartNm')}
          {field('histWidthNm')}
          {field('histCount')}
        </div>
        {field('cutoffNm')}
        {field('controlPerFrame')}
        <SelectField
          label="Control region"
          hint="Uniform over the whole field, over the cell (mean projection of channel 1, smoothed, Otsu threshold), or inside the region drawn in Post-process (Region step, Shift+drag on the reconstruction)"
          value={params.controlRegion}
          options={[
            { value: 'field', label: 'whole field' },
            { value: 'cell', label: 'cell mask (raw image)' },
            { value: 'drawn', label: 'drawn region (Post-process)' },
          ]}
          onChange={(v) => set({ controlRegion: v })}
          testId="tracks-control-region"
        />
        <SelectField
          label="Pooling"
          hint="Histogram of the distance to the nearest structure only, or to every structure in the frame"
          value={params.pooling}
          options={[
            { value: 'nearest', label: 'nearest structure' },
            { value: 'pooled', label: 'all structures' },
          ]}
          onChange={(v) => set({ pooling: v })}
        />
        {dErrors.length > 0 && (
          <ul className="mk-errors" role="alert">
            {dErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
      </fieldset>
      <div className="row mk-run">
        {running === 'distances' ? (
          <button
            type="button"
            className="btn"
            onClick={() => tracksStore.getState().cancel()}
            data-testid="distances-cancel"
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            disabled={running !== null || dErrors.length > 0 || !tracks || locCount === 0}
            title={
              dErrors[0] ??
              (!tracks
                ? 'Track or import EVs first'
                : locCount === 0
                  ? 'Localize channel 1 first'
                  : 'Build the movie, binarize it and measure every EV position and control point')
            }
            onClick={() =>
              void tracksStore
                .getState()
                .runDistances(st)
                .then((r) => r && showFigures())
            }
            data-testid="distances-run"
          >
            Run distances
          </button>
        )}
        <span className="muted mk-state" data-testid="distances-status">
          {distanceStatus === 'done'
            ? dStale
              ? 'done · stale'
              : 'done'
            : distanceStatus === 'idle'
              ? ''
              : distanceStatus}
        </span>
      </div>
      {running === 'distances' && <Progress p={progress} />}
    </>
  );
}
