// sCMOS calibration maps in the Localize step's camera section: which maps the fit uses (the
// simulation's own, three loaded TIFFs, or none), and pickers for the offset, gain and
// read-noise-variance images, each read and checked in a worker, shown with its mean, removable.
import { useRef } from 'react';
import { MAP_ROLES, type MapRole } from '../../core/camera/scmosMaps';
import {
  cameraMapsStore,
  chooseMaps,
  loadCameraMap,
  simulationHasMaps,
  useCameraMaps,
} from '../../state/cameraMapsStore';
import type { LoadedStack } from '../../state/dataStore';
import './cameraMaps.css';

const ROLE_INFO: Record<MapRole, { label: string; unit: string; hint: string; digits: number }> = {
  offset: {
    label: 'Offset',
    unit: 'ADU',
    hint: 'Dark level of each pixel: the mean of many dark frames, in ADU',
    digits: 1,
  },
  gain: {
    label: 'Gain',
    unit: 'e⁻/ADU',
    hint: 'Photoelectrons per ADU for each pixel (not ADU per e⁻: invert such a map first, e.g. with Fiji’s Process › Math › Reciprocal)',
    digits: 3,
  },
  variance: {
    label: 'Variance',
    unit: 'ADU²',
    hint: 'Read-noise variance of each pixel: the variance of many dark frames, in ADU² (not e⁻²)',
    digits: 2,
  },
};

function MapRow({ st, role }: { st: LoadedStack; role: MapRole }) {
  const id = st.info.id;
  const slot = useCameraMaps((s) => s.byStack[id]?.slots[role]);
  const pending = useCameraMaps((s) => s.byStack[id]?.pending[role]);
  const error = useCameraMaps((s) => s.byStack[id]?.errors[role]);
  const input = useRef<HTMLInputElement>(null);
  const info = ROLE_INFO[role];
  return (
    <div className="map-row" title={info.hint}>
      <span className="map-label">
        {info.label} <span className="muted">({info.unit})</span>
      </span>
      <button type="button" className="btn small" onClick={() => input.current?.click()}>
        {slot ? 'Replace…' : 'Choose…'}
      </button>
      <input
        ref={input}
        className="sr-only"
        type="file"
        accept=".tif,.tiff"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={`scmos-map-${role}`}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) void loadCameraMap(id, role, f);
        }}
      />
      <div className="map-state" data-testid={`scmos-map-${role}-state`}>
        {pending ? (
          <span className="muted">Reading {pending}…</span>
        ) : slot ? (
          <>
            <span className="map-file" title={`${slot.file}: min ${slot.min}, max ${slot.max} ${info.unit}`}>
              {slot.file}
            </span>
            <span className="num">
              {' '}
              mean {slot.mean.toFixed(info.digits)} {info.unit}
            </span>
            <button
              type="button"
              className="link map-remove"
              aria-label={`Remove the ${role} map`}
              title={`Remove the ${role} map`}
              onClick={() => cameraMapsStore.getState().remove(id, role)}
            >
              ×
            </button>
          </>
        ) : null}
        {error && !pending && (
          <div className="invalid" role="alert">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}

/** For sCMOS stacks: which calibration maps the fit uses, and the TIFF pickers. */
export function CameraMaps({ st }: { st: LoadedStack }) {
  const maps = useCameraMaps((s) => s.byStack[st.info.id]);
  const choice = chooseMaps(st, maps);
  const anyFile = MAP_ROLES.some((r) => maps?.slots[r] || maps?.errors[r] || maps?.pending[r]);
  const r = st.info.recipe;
  const sim = simulationHasMaps(st) && r.kind === 'simulated' ? r.params.camera : null;
  const ref = choice.ok ? choice.ref : undefined;
  return (
    <div className="camera-maps" data-testid="scmos-maps">
      <div className="maps-status">
        <span className="muted">Calibration maps</span>{' '}
        {ref?.source === 'files' ? (
          <span className="ok" data-testid="scmos-maps-source">
            from 3 TIFF files
          </span>
        ) : ref?.source === 'simulation' ? (
          <span
            className="ok"
            data-testid="scmos-maps-source"
            title="The simulator’s per-pixel offset, gain and read-noise maps, exactly as it made the data"
          >
            maps from the simulation
          </span>
        ) : (
          <span
            className="warn"
            data-testid="scmos-maps-source"
            title="Without maps every pixel is given the offset and gain above and no read noise"
          >
            none: uniform offset and gain
          </span>
        )}
      </div>
      {sim && ref?.source === 'simulation' && (
        <div className="muted num maps-facts">
          offset {sim.offsetAdu} ± {sim.scmosOffsetSdAdu} ADU · gain {sim.electronsPerAdu} e⁻/ADU ±{' '}
          {(100 * sim.scmosGainCv).toFixed(0)} % · read noise {sim.readNoiseE} e⁻ (median)
        </div>
      )}
      <details open={anyFile || !sim}>
        <summary title="Per-pixel offset, gain and read-noise variance, each an image of the full camera frame (frame 0 is read)">
          Calibration maps (TIFF)…
        </summary>
        {MAP_ROLES.map((role) => (
          <MapRow key={role} st={st} role={role} />
        ))}
        {sim && (
          <p className="muted maps-note">Loaded maps replace the simulation’s once all three are there.</p>
        )}
      </details>
    </div>
  );
}
