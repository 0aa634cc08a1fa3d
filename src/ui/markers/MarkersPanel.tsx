// EV markers step, left panel: which channel is which marker (or the fluidity probe), how EVs
// are found and traced, presence thresholds and subtype names, and Run/Cancel with progress.
import { useEffect } from 'react';
import { formatDuration, PHASE_NAMES, PHASE_UNITS } from '../../core/ev/format';
import {
  LocsCountSchema,
  MarkerChannelSchema,
  MarkersParamsSchema,
  MIN_TRACE_FRAMES,
} from '../../core/ev/schema';
import { defaultSubtypeName } from '../../core/ev/subtypes';
import { intIn } from '../../core/schema';
import { presetParams } from '../../core/sim/presets';
import { inputFiles } from '../../engine/stackService';
import { dataActions } from '../../state/dataActions';
import { activeStack, effectiveMeta, useData } from '../../state/dataStore';
import { useLocs } from '../../state/locsStore';
import {
  type ChannelRole,
  MARKER_DATA_NEEDED,
  type MarkersParams,
  type MarkersStackInfo,
  markerDataAdvice,
  markersParamErrors,
} from '../../state/markersParams';
import { isStale, markersStore, useMarkers } from '../../state/markersStore';
import { useRegistration } from '../../state/registrationStore';
import { uiStore } from '../../state/uiStore';
import { FileButton } from '../data/FileButton';
import { within } from '../forms/fieldCheck';
import { type FieldTable, NumberField, paramFields, SelectField } from '../forms/fields';
import './markers.css';

const P = MarkersParamsSchema.entries;
const L = LocsCountSchema.entries;
const C = MarkerChannelSchema.entries;

/** The step's number fields; their limits are the parameter schema's. */
const FIELDS: FieldTable<MarkersParams & MarkersParams['locs']> = {
  thresholdK: [
    'Threshold (× noise σ)',
    "Wavelet detection threshold in units of the image noise (ThunderSTORM's default detector)",
  ],
  projectionFrames: [
    'Projection (frames)',
    'Frames averaged from the first analysed frame to find EVs, before they bleach',
  ],
  minSeparationPx: ['Min. separation (px)', 'EVs closer than this are left out: their ROIs would mix'],
  radiusPx: ['ROI radius (px)', 'Disc summed around each EV for its intensity'],
  annulusInnerPx: [
    'Background ring from (px)',
    'Inner radius of the annulus whose median is the local background',
  ],
  annulusOuterPx: ['Background ring to (px)', 'Outer radius of the background annulus'],
  penaltyFactor: [
    'Step penalty (× BIC)',
    "Cost of one more bleaching step: multiplies the Bayesian information criterion's penalty; higher finds fewer steps",
  ],
  minSegment: [
    'Shortest level (frames)',
    'A level must last this many frames, so a frame caught mid-bleach is not a molecule',
  ],
  disagreementZ: [
    'Disagreement (z)',
    'Flag EVs whose two counts differ by more than this many combined standard deviations',
  ],
  radiusNm: ['EV radius (nm)', 'Localizations within this distance of an EV centre belong to it'],
  mergeRadiusNm: [
    'Blink radius (nm)',
    'Detections in nearby frames within this distance are one blink (burst)',
  ],
  maxDarkFrames: ['Dark frames in a blink', 'Frames a molecule may be missed inside one blink'],
  burstsPerMolecule: [
    'Bursts per molecule',
    "The dye's mean number of blinks per molecule, from a calibration (e.g. single dyes on glass)",
  ],
};

/** One file per channel, in the order chosen (sorted by name: the picker's order is not the user's). */
function openPerChannel(files: File[]) {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  if (sorted.length === 1) return void dataActions.openFiles(sorted);
  void dataActions.openRecipe(
    { kind: 'channels', inputs: inputFiles(sorted).map((f) => ({ kind: 'files', files: [f] })) },
    `Opening ${sorted.length} channels`,
  );
}

function openDemo() {
  void dataActions.openRecipe(
    { kind: 'simulated', params: presetParams('evMarkers') },
    'Simulating EVs on glass',
  );
}

export function MarkersPanel() {
  const st = useData(activeStack);
  const params = useMarkers((s) => s.params);
  useEffect(() => {
    markersStore.getState().forStack(st?.info ?? null);
  }, [st?.info]);

  return (
    <section className="section mk-panel" aria-labelledby="mk-title" data-step-panel="markers">
      <h2 id="mk-title">EV markers</h2>
      {!st || !params ? <NoStack /> : <ParamsForm params={params} />}
    </section>
  );
}

function NoStack() {
  return (
    <div className="mk-group">
      <p className="muted mk-note">
        Count CD9/CD63/CD81 molecules on single EVs from photobleaching steps. Open one multi-channel stack,
        or one file per marker.
      </p>
      <div className="row">
        <FileButton className="btn primary" testId="markers-channel-files" onFiles={openPerChannel}>
          Open one file per channel…
        </FileButton>
      </div>
      <div className="row">
        <OpenSimulationButton />
      </div>
    </div>
  );
}

function OpenSimulationButton() {
  return (
    <button
      type="button"
      className="btn"
      onClick={openDemo}
      data-testid="markers-open-simulation"
      title="A simulated TIRF movie of EVs on glass (CD9, CD63, CD81, fluidity probe), with ground truth"
    >
      Open the EV-markers simulation
    </button>
  );
}

/** What the step needs, and a way to marker data when the open stack has none. */
function DataNeeds({ info }: { info: MarkersStackInfo }) {
  const advice = markerDataAdvice(info);
  return (
    <div className="mk-needs" data-testid="markers-needs">
      <p className="muted mk-note">{MARKER_DATA_NEEDED}</p>
      {advice && (
        <div className="mk-advice" role="status" data-testid="markers-advice">
          <p className="mk-note">{advice}</p>
          <OpenSimulationButton />
        </div>
      )}
    </div>
  );
}

function ParamsForm({ params }: { params: MarkersParams }) {
  const st = useData(activeStack)!;
  const info = st.info;
  const pixelSizeNm = effectiveMeta(st).pixelSizeNm;
  const status = useMarkers((s) => s.status);
  const progress = useMarkers((s) => s.progress);
  const error = useMarkers((s) => s.error);
  // A new registration makes the count stale: re-render when it changes.
  useRegistration((s) => s.byStack);
  const stale = useMarkers((s) => isStale(s, pixelSizeNm));
  const set = markersStore.getState().setParams;
  const field = paramFields(FIELDS, P, params, set, true);
  const setChannel = markersStore.getState().setChannel;
  const errors = markersParamErrors(params, info, pixelSizeNm);
  const running = status === 'running';
  const markers = params.channels.filter((c) => c.role === 'marker').map((c) => c.name);
  const subtypeDefaults =
    markers.length <= 4
      ? Array.from({ length: 1 << markers.length }, (_, code) => defaultSubtypeName(code, markers))
      : [];

  return (
    <>
      <DataNeeds info={info} />
      {errors.length > 0 && (
        <ul className="mk-errors" role="alert" data-testid="markers-errors">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <div className="row mk-run">
        {running ? (
          <button
            type="button"
            className="btn"
            onClick={() => markersStore.getState().cancel()}
            data-testid="markers-cancel"
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            disabled={errors.length > 0}
            title={errors.length ? errors[0] : 'Find the EVs and count molecules in every channel'}
            onClick={() =>
              void markersStore
                .getState()
                .run(info, pixelSizeNm)
                .then((r) => {
                  // The figures live in the centre: show them when a count arrives.
                  if (r) uiStore.getState().setCentreView('markers');
                })
            }
            data-testid="markers-run"
          >
            {stale ? 'Run again' : 'Count markers'}
          </button>
        )}
        <span className="muted mk-state" data-testid="markers-status">
          {running
            ? 'running'
            : status === 'done'
              ? stale
                ? 'stale: parameters changed'
                : 'done'
              : status === 'idle'
                ? ''
                : status}
        </span>
      </div>
      {running && <Progress progress={progress} />}
      {error && !running && (
        <p className="mk-error" role="alert">
          {error}
        </p>
      )}
      <fieldset className="mk-group" disabled={running}>
        <legend>Channels</legend>
        <table className="mk-channels">
          <thead>
            <tr>
              <th title="Channel of the stack">#</th>
              <th title="Marker or probe name, used in tables and subtype names">name</th>
              <th title="Markers define subtypes; the fluidity probe is counted per EV; skip leaves a channel out">
                role
              </th>
              <th title="Molecules needed to call the marker present on an EV">≥ n</th>
            </tr>
          </thead>
          <tbody>
            {params.channels.map((c, i) => (
              <tr key={c.channel}>
                <td className="num">{c.channel + 1}</td>
                <td>
                  <input
                    type="text"
                    value={c.name}
                    aria-label={`Name of channel ${c.channel + 1}`}
                    title="Marker name (e.g. CD63); must be unique"
                    aria-invalid={c.name.trim() ? undefined : 'true'}
                    onChange={(e) => setChannel(i, { name: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    value={c.role}
                    aria-label={`Role of channel ${c.channel + 1}`}
                    onChange={(e) => setChannel(i, { role: e.target.value as ChannelRole })}
                  >
                    <option value="marker">marker</option>
                    <option value="probe">probe</option>
                    <option value="skip">skip</option>
                  </select>
                </td>
                <td>
                  <NumberField
                    live
                    compact
                    label={`Presence threshold of ${c.name} (molecules)`}
                    hint="A marker is present on an EV when its count is at least this many molecules"
                    value={c.threshold}
                    schema={C.threshold}
                    onCommit={(v) => setChannel(i, { threshold: v ?? 1 })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {info.channels === 1 && (
          <p className="muted mk-note">
            One channel: add the others in the Data step, or open one file per channel here.
          </p>
        )}
      </fieldset>

      <fieldset className="mk-group" disabled={running}>
        <legend>Finding EVs</legend>
        <SelectField
          label="Detect in"
          hint="EVs are spots in this channel, or in any marker channel (union)"
          value={String(params.reference)}
          options={[
            { value: 'union', label: 'union of markers' },
            ...params.channels
              .filter((c) => c.role !== 'skip')
              .map((c) => ({ value: String(c.channel), label: c.name })),
          ]}
          onChange={(v) => set({ reference: v === 'union' ? 'union' : Number(v) })}
        />
        {field('thresholdK')}
        <SelectField
          label="Projection"
          hint="Mean of the first frames (bleaching data), or their maximum (blinking PALM/dSTORM data)"
          value={params.projection}
          options={[
            { value: 'mean', label: 'mean' },
            { value: 'max', label: 'maximum' },
          ]}
          onChange={(projection) => set({ projection })}
        />
        {field('projectionFrames')}
        {field('minSeparationPx')}
      </fieldset>

      <fieldset className="mk-group" disabled={running}>
        <legend>Traces and steps</legend>
        {field('radiusPx')}
        {field('annulusInnerPx')}
        {field('annulusOuterPx')}
        {field('penaltyFactor')}
        {field('minSegment')}
        <NumberField
          live
          label="First frame"
          hint="First analysed frame (1-based): bleaching should start here"
          value={params.frameStart + 1}
          schema={within(intIn(1), info.frameCount)}
          onCommit={(v) =>
            set({ frameStart: v! - 1, frameCount: Math.min(params.frameCount, info.frameCount - v! + 1) })
          }
        />
        <NumberField
          live
          label="Frames"
          hint="Number of frames analysed: long enough for the EVs to bleach to background"
          value={params.frameCount}
          schema={within(P.frameCount, info.frameCount - params.frameStart, MIN_TRACE_FRAMES)}
          onCommit={(v) => set({ frameCount: v! })}
        />
      </fieldset>

      <LocalizationFields params={params} stackId={info.id} running={running} />

      <fieldset className="mk-group">
        <legend>Counting and subtypes</legend>
        <SelectField
          label="Count from"
          hint="Bleaching steps (a principled step finder), or initial intensity ÷ single-dye intensity"
          value={params.method}
          options={[
            { value: 'steps', label: 'bleaching steps' },
            { value: 'ratio', label: 'intensity ratio' },
            ...(params.locs.use ? [{ value: 'locs' as const, label: 'localizations' }] : []),
          ]}
          onChange={(method) => set({ method })}
        />
        {field('disagreementZ')}
        {subtypeDefaults.length > 0 && (
          <details className="mk-rename">
            <summary title="Give subtypes the names your lab uses">Subtype names</summary>
            {subtypeDefaults.map((d) => (
              <div className="mk-field" key={d}>
                <label htmlFor={`mk-rn-${d}`}>{d}</label>
                <input
                  id={`mk-rn-${d}`}
                  type="text"
                  placeholder={d}
                  value={params.rename[d] ?? ''}
                  onChange={(e) => markersStore.getState().rename(d, e.target.value)}
                />
              </div>
            ))}
          </details>
        )}
      </fieldset>
    </>
  );
}

/** Count (c): localizations of PALM/dSTORM data, merged into blinks, per EV. */
function LocalizationFields({
  params,
  stackId,
  running,
}: {
  params: MarkersParams;
  stackId: number;
  running: boolean;
}) {
  const available = useLocs((s) => (s.stackId === stackId ? s.count : 0));
  const l = params.locs;
  const setLocs = (patch: Partial<MarkersParams['locs']>) => {
    const locs = { ...l, ...patch };
    markersStore
      .getState()
      .setParams({ locs, method: !locs.use && params.method === 'locs' ? 'steps' : params.method });
  };
  const locsField = paramFields(FIELDS, L, l, setLocs, true);
  return (
    <fieldset className="mk-group" disabled={running}>
      <legend>From localizations (PALM/dSTORM)</legend>
      <label
        className="mk-check"
        title="Count each EV's molecules from the localizations of this stack, after merging blinks"
      >
        <input
          type="checkbox"
          checked={l.use}
          disabled={available === 0 && !l.use}
          onChange={(e) => setLocs({ use: e.target.checked })}
        />
        Count localizations{' '}
        <span className="muted num">
          {available > 0 ? `(${available.toLocaleString()} of this stack)` : '(none yet: run Localize)'}
        </span>
      </label>
      {l.use && (
        <>
          <SelectField
            label="Made from channel"
            hint="The channel the localizations were fitted in"
            value={String(l.channel)}
            options={params.channels
              .filter((c) => c.role !== 'skip')
              .map((c) => ({ value: String(c.channel), label: c.name }))}
            onChange={(v) => setLocs({ channel: Number(v) })}
          />
          {locsField('radiusNm')}
          {locsField('mergeRadiusNm')}
          {locsField('maxDarkFrames')}
          {locsField('burstsPerMolecule')}
        </>
      )}
    </fieldset>
  );
}

function Progress({ progress }: { progress: ReturnType<typeof markersStore.getState>['progress'] }) {
  if (!progress) {
    return (
      <div className="mk-progress" role="status">
        <progress aria-label="EV count progress" />
        <span className="muted">opening the stack…</span>
      </div>
    );
  }
  const frac = progress.total ? progress.done / progress.total : 0;
  const rate = progress.rate > 0 ? `${progress.rate.toFixed(0)} ${PHASE_UNITS[progress.phase]}/s` : '';
  const eta = formatDuration(progress.etaSeconds);
  return (
    <div className="mk-progress" role="status">
      <progress aria-label="EV count progress" value={frac} max={1} />
      <span className="muted num">
        {PHASE_NAMES[progress.phase]} {Math.round(100 * frac)} %{rate ? ` · ${rate}` : ''}
        {eta ? ` · ${eta} left` : ''}
      </span>
    </div>
  );
}
