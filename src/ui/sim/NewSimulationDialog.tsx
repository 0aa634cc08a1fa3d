// "New simulation": scene, photophysics, camera, optics, size and drift of a simulated dataset,
// starting from a preset. Every value is checked by the simulator's own validator and refused
// with its reason next to the field; Create stays disabled until everything is valid.
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { intIn, numIn } from '../../core/schema';
import type { CameraKind, Photophysics, PresetName, SimulationParams } from '../../core/sim/params';
import { PRESET_DESCRIPTIONS, PRESET_NAMES, presetParams } from '../../core/sim/presets';
import { openSimulation } from '../../state/simulationActions';
import { uiStore } from '../../state/uiStore';
import { NumberField, SelectField } from '../forms/fields';
import {
  allFields,
  cameraFields,
  channelFields,
  DRIFT_FIELDS,
  datasetSummary,
  formErrors,
  type NumField,
  OPTICS_FIELDS,
  PHOTOPHYSICS_LABELS,
  photophysicsChoices,
  SIZE_FIELDS,
  sceneFields,
  sceneUsesMolecules,
  withCamera,
  withChannel,
  withField,
  withPhotophysics,
  withPreset,
} from './simForm';
import './sim.css';

const PRESET_LABELS: Record<PresetName, string> = {
  demo: 'EV uptake demo (PALM + EV channel)',
  isolated: 'Isolated emitters (precision test)',
  dstorm: 'dSTORM of CD63 on EVs',
  evMarkers: 'EV markers CD9/CD63/CD81 + probe',
  dense: 'Crowded EVs (multi-emitter fitting)',
  calcium: 'Ca²⁺ response (simulated)',
  calciumNull: 'Ca²⁺ control, no responders (simulated)',
};

const CAMERA_LABELS: Record<CameraKind, string> = { ccd: 'CCD', emccd: 'EMCCD', scmos: 'sCMOS' };

/** A number: whole where the simulator needs it; its limits are the simulator's validator's. */
const NUMBER = numIn();
const WHOLE = intIn(-Number.MAX_SAFE_INTEGER);

/** Tab and Shift+Tab stay inside the dialog; Escape closes it. */
function trapKeys(e: KeyboardEvent<HTMLDivElement>, close: () => void) {
  if (e.key === 'Escape') {
    e.stopPropagation();
    close();
    return;
  }
  if (e.key !== 'Tab') return;
  const items = [
    ...e.currentTarget.querySelectorAll<HTMLElement>(
      'button, input, select, [tabindex]:not([tabindex="-1"])',
    ),
  ].filter((el) => !(el as HTMLButtonElement).disabled && el.offsetParent !== null);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export interface NewSimulationDialogProps {
  /** Parameters to start from (default: the demo preset). */
  initial?: SimulationParams;
  onClose(): void;
}

export function NewSimulationDialog({ initial, onClose }: NewSimulationDialogProps) {
  const [params, setParams] = useState<SimulationParams>(() => initial ?? presetParams('demo'));
  const [parseErrors, setParseErrors] = useState<ReadonlySet<string>>(new Set());
  const [submitError, setSubmitError] = useState<string | null>(null);
  const titleId = useId();
  const first = useRef<HTMLSelectElement>(null);
  const errors = useMemo(() => formErrors(params), [params]);
  const onParseError = useMemo(
    () => (id: string, bad: boolean) =>
      setParseErrors((s) => {
        if (s.has(id) === bad) return s;
        const n = new Set(s);
        if (bad) n.add(id);
        else n.delete(id);
        return n;
      }),
    [],
  );
  useEffect(() => first.current?.focus(), []);

  const invalid = errors.count > 0 || parseErrors.size > 0;
  const problemCount = errors.count + parseErrors.size;
  const field = (f: NumField) => (
    <NumberField
      key={f.id}
      live
      className="sim-field"
      id={`sim-${f.id}`}
      label={f.label}
      hint={f.hint}
      value={f.get(params)}
      schema={f.integer ? WHOLE : NUMBER}
      error={errors.byField[f.id]?.[0]}
      onCommit={(v) => setParams(withField(params, f, v))}
      onValidity={(ok) => onParseError(f.id, !ok)}
    />
  );
  // Fields of the model that this render shows; a message for a hidden field goes to the summary.
  const shown = new Set(allFields(params).map((f) => f.id));
  const molecules = sceneUsesMolecules(params);
  const hiddenMessages = Object.entries(errors.byField)
    .filter(([id]) => !shown.has(id))
    .flatMap(([, m]) => m);

  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (invalid || busy) return;
    setBusy(true);
    setSubmitError(null);
    try {
      // Some scenes pass validation yet cannot be built (e.g. too many EVs for their spacing):
      // the dialog stays open with the simulator's reason so the values can be fixed.
      if (await openSimulation(params)) return onClose();
      const n = uiStore.getState().notices.at(-1);
      setSubmitError(n ? `${n.title}: ${n.message}` : 'The simulation could not be created.');
    } catch (e) {
      setSubmitError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog sim-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => trapKeys(e, onClose)}
      >
        <h2 id={titleId}>New simulation</h2>
        <form
          className="sim-body"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <fieldset className="sim-section sim-scene">
            <legend>Scene</legend>
            <SelectField
              className="sim-field wide"
              id="sim-preset"
              selectRef={first}
              label="Preset"
              hint="A complete, consistent scene to start from; every value below can be changed"
              value={params.preset}
              options={PRESET_NAMES.map((n) => ({ value: n, label: PRESET_LABELS[n] }))}
              onChange={(n) => setParams(withPreset(n))}
            />
            <p className="sim-note">{PRESET_DESCRIPTIONS[params.preset]}</p>
            {sceneFields(params).map(field)}
          </fieldset>

          <fieldset className="sim-section">
            <legend>Size & optics</legend>
            {SIZE_FIELDS.map(field)}
            {OPTICS_FIELDS.map(field)}
          </fieldset>

          <fieldset className="sim-section">
            <legend>Camera</legend>
            <SelectField
              className="sim-field"
              id="sim-camera"
              label="Type"
              hint="Noise model of the camera; switching loads that camera's typical settings"
              value={params.camera.kind}
              options={(Object.keys(CAMERA_LABELS) as CameraKind[]).map((k) => ({
                value: k,
                label: CAMERA_LABELS[k],
              }))}
              onChange={(k) => setParams(withCamera(params, k))}
            />
            {cameraFields(params.camera.kind).map(field)}
          </fieldset>

          {molecules && (
            <fieldset className="sim-section">
              <legend>Stage drift</legend>
              {DRIFT_FIELDS.map(field)}
            </fieldset>
          )}

          {params.channels.map((ch, i) => (
            <fieldset className="sim-section" key={`${params.preset}:${ch.name}`}>
              <legend>
                Channel {i + 1}: {ch.name}
              </legend>
              {molecules && (
                <>
                  <SelectField
                    className="sim-field"
                    id={`sim-ch${i}-phys`}
                    label="Photophysics"
                    hint="How the channel's molecules switch on, blink and bleach"
                    value={ch.photophysics.kind}
                    options={photophysicsChoices(params).map((k) => ({
                      value: k,
                      label: PHOTOPHYSICS_LABELS[k],
                    }))}
                    onChange={(k: Photophysics['kind']) => setParams(withPhotophysics(params, i, k))}
                  />
                  <SelectField
                    className="sim-field"
                    id={`sim-ch${i}-var`}
                    label="Photon variability"
                    hint="Frame-to-frame variability of an on molecule's photons (shot noise comes on top)"
                    value={ch.photonVariability}
                    options={[
                      { value: 'none', label: 'none (fixed)' },
                      { value: 'poisson', label: 'Poisson' },
                      { value: 'exponential', label: 'exponential' },
                    ]}
                    onChange={(photonVariability) => setParams(withChannel(params, i, { photonVariability }))}
                  />
                </>
              )}
              {channelFields(params, i).map(field)}
            </fieldset>
          ))}
          {/* Enter in a field submits. */}
          <button type="submit" hidden tabIndex={-1} />
        </form>
        {(errors.other.length > 0 || hiddenMessages.length > 0 || submitError) && (
          <ul className="sim-problems" role="alert" aria-label="Other problems">
            {[...errors.other, ...hiddenMessages, ...(submitError ? [submitError] : [])].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
        <div className="sim-footer">
          <span className="sim-summary num" data-testid="sim-summary">
            {invalid
              ? `${problemCount} value${problemCount === 1 ? '' : 's'} to fix before creating`
              : datasetSummary(params)}
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary"
            disabled={invalid || busy}
            title={invalid ? 'Fix the values marked in red first' : 'Simulate and open as a new stack'}
            onClick={() => void create()}
          >
            {busy ? 'Simulating…' : 'Create'}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The Data panel's entry point: a button that opens the dialog and gives focus back on close. */
export function NewSimulationButton() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => button.current?.focus());
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        className="btn"
        title="Simulate a dataset with known ground truth: scene, photophysics, camera, optics, size"
        onClick={() => setOpen(true)}
      >
        New simulation…
      </button>
      {open && <NewSimulationDialog onClose={close} />}
    </>
  );
}
