// Ca²⁺ response step, left panel: the EV addition frame and baseline, how cells are found
// (segmentation parameters or ImageJ ROIs), response criteria, bleach correction, Run/Cancel.
import { useEffect, useRef } from 'react';
import { CalciumResponseFields as R, SegmentOptionsSchema } from '../../core/calcium/params';
import { presetParams } from '../../core/sim/presets';
import { calciumParamErrors, calciumStore, useCalcium } from '../../state/calciumStore';
import { dataActions } from '../../state/dataActions';
import { activeStack, useData } from '../../state/dataStore';
import { uiStore } from '../../state/uiStore';
import { NumberField as SchemaField } from '../forms/fields';
import { NumberField, SelectField } from '../markers/fields';
import './calcium.css';

// The limits and messages of the fields below are the Ca²⁺ step's schema (as the CLI's and
// experiment files'); the frame fields are 1-based and bounded by the open stack.
const S = SegmentOptionsSchema.entries;

function openCalciumDemo() {
  void dataActions.openRecipe(
    { kind: 'simulated', params: presetParams('calcium') },
    'Simulating Ca²⁺ responses after EV addition',
  );
}

function RoiImport() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="btn"
        title="ImageJ ROIs (.roi or RoiSet .zip): one cell per area ROI, in the set's order"
        onClick={() => input.current?.click()}
      >
        Import ImageJ ROIs…
      </button>
      <input
        ref={input}
        className="sr-only"
        type="file"
        accept=".roi,.zip"
        data-testid="ca-roi-input"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) calciumStore.getState().importRois(new Uint8Array(await f.arrayBuffer()), f.name);
        }}
      />
    </>
  );
}

export function CalciumPanel() {
  const st = useData(activeStack);
  const p = useCalcium((s) => s.params);
  const status = useCalcium((s) => s.status);
  const progress = useCalcium((s) => s.progress);
  const error = useCalcium((s) => s.error);
  const notes = useCalcium((s) => s.notes);
  const count = useCalcium((s) => s.count);
  const source = useCalcium((s) => s.cellSource);
  const hasMean = useCalcium((s) => s.meanImage !== null);

  useEffect(() => {
    calciumStore.getState().forStack(st?.info ?? null);
  }, [st?.info]);

  if (!st || !p)
    return (
      <div className="ca-panel">
        <p>Open a Ca²⁺-indicator time-lapse (Fluo-4, Cal-520, GCaMP…) recorded while EVs were added.</p>
        <button type="button" className="btn" onClick={openCalciumDemo} data-testid="ca-demo">
          Ca²⁺ response (simulated)
        </button>
      </div>
    );
  const info = st.info;
  const problems = calciumParamErrors(p, info.frameCount);
  const set = calciumStore.getState().setParams;
  const running = status === 'running' || status === 'preparing';
  const frames = info.frameCount;
  const isCalciumSim =
    info.recipe.kind === 'simulated' &&
    (info.recipe as { params: { scene: { kind: string } } }).params.scene.kind === 'calcium';
  return (
    <div className="ca-panel" data-testid="ca-panel">
      {!isCalciumSim && (
        <button type="button" className="btn" onClick={openCalciumDemo} data-testid="ca-demo">
          Ca²⁺ response (simulated)
        </button>
      )}
      <h3>EV addition</h3>
      <NumberField
        label="EVs added at frame"
        hint="The frame (1-based, as in ImageJ) at which EVs were added: the first frame that may respond"
        value={p.addFrame + 1}
        rule={{ integer: true, min: 2, max: frames }}
        onCommit={(v) => v !== undefined && set({ addFrame: v - 1 })}
        testId="ca-add-frame"
      />
      <NumberField
        label="Baseline from frame"
        hint="First baseline frame (1-based); F₀ and the noise come from the baseline"
        value={p.baselineStart + 1}
        rule={{ integer: true, min: 1, max: frames }}
        onCommit={(v) => v !== undefined && set({ baselineStart: v - 1 })}
        testId="ca-baseline-start"
      />
      <NumberField
        label="Baseline to frame"
        hint="Last baseline frame (1-based, inclusive), before the addition"
        value={p.baselineEnd}
        rule={{ integer: true, min: 1, max: frames }}
        onCommit={(v) => v !== undefined && set({ baselineEnd: v })}
        testId="ca-baseline-end"
      />
      <SchemaField
        label="Frame interval"
        hint="Seconds per frame, for latency and AUC (from the file when it says)"
        value={p.frameIntervalS}
        schema={R.frameIntervalS}
        unit="s"
        live
        onCommit={(v) => v !== undefined && set({ frameIntervalS: v })}
      />
      {info.channels > 1 && (
        <NumberField
          label="Indicator channel"
          hint="Channel (1-based) with the Ca²⁺ indicator"
          value={p.channel + 1}
          rule={{ integer: true, min: 1, max: info.channels }}
          onCommit={(v) => v !== undefined && set({ channel: v - 1 })}
        />
      )}

      <h3>Cells</h3>
      <p className="ca-note" data-testid="ca-cells">
        {count
          ? `${count} cells (${source === 'rois' ? 'ImageJ ROIs' : source === 'edited' ? 'edited' : 'segmented'}); edit them over the mean image in the centre.`
          : 'No cells yet: segment the baseline mean image or import ROIs.'}
      </p>
      <SelectField
        label="Threshold"
        hint="Triangle keeps dim cells next to bright ones; Otsu splits two classes"
        value={p.thresholdMethod}
        options={[
          { value: 'triangle', label: 'Triangle (default)' },
          { value: 'otsu', label: 'Otsu' },
        ]}
        onChange={(v) => set({ thresholdMethod: v })}
      />
      <SchemaField
        label="Smoothing"
        hint="Gaussian σ before thresholding"
        value={p.smoothSigmaPx}
        schema={S.smoothSigmaPx}
        unit="px"
        live
        onCommit={(v) => v !== undefined && set({ smoothSigmaPx: v })}
      />
      <SchemaField
        label="Smallest cell"
        hint="Regions smaller than this are dropped"
        value={p.minAreaPx}
        schema={S.minAreaPx}
        unit="px"
        live
        onCommit={(v) => v !== undefined && set({ minAreaPx: v })}
      />
      <label className="ca-check">
        <input
          type="checkbox"
          checked={p.splitTouching}
          onChange={(e) => set({ splitTouching: e.target.checked })}
        />
        Split touching cells (distance watershed)
      </label>
      <div className="ca-buttons">
        <button
          type="button"
          className="btn"
          disabled={running}
          data-testid="ca-segment"
          onClick={() => {
            uiStore.getState().setCentreView('calcium');
            void (hasMean ? calciumStore.getState().resegment() : calciumStore.getState().prepare(info));
          }}
        >
          {hasMean ? 'Segment again' : 'Find cells'}
        </button>
        <RoiImport />
      </div>

      <h3>Response</h3>
      <SchemaField
        label="Threshold"
        hint="ΔF/F₀ must exceed k × the SD of ΔF/F₀ over the baseline"
        value={p.k}
        schema={R.k}
        unit="× baseline SD"
        live
        onCommit={(v) => v !== undefined && set({ k: v })}
        testId="ca-k"
      />
      <SchemaField
        label="For at least"
        hint="Consecutive frames above threshold for a response"
        value={p.minFrames}
        schema={R.minFrames}
        unit="frames"
        live
        onCommit={(v) => v !== undefined && set({ minFrames: v })}
      />
      <SchemaField
        label="Transients apart by"
        hint="Runs above threshold closer than this count as one transient"
        value={p.refractoryFrames}
        schema={R.refractoryFrames}
        unit="frames"
        live
        onCommit={(v) => v !== undefined && set({ refractoryFrames: v })}
      />
      <SelectField
        label="Bleach correction"
        hint="Exponential: a mono-exponential fitted to the baseline divides the trace"
        value={p.bleach}
        options={[
          { value: 'none', label: 'None (F₀ = baseline mean)' },
          { value: 'exp', label: 'Exponential fit to the baseline' },
        ]}
        onChange={(v) => set({ bleach: v })}
        testId="ca-bleach"
      />
      <div className="ca-buttons">
        {running ? (
          <button type="button" className="btn" onClick={() => calciumStore.getState().cancel()}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            data-testid="ca-run"
            disabled={problems.length > 0}
            onClick={() => {
              uiStore.getState().setCentreView('calcium');
              void calciumStore.getState().run(info);
            }}
          >
            Analyse responses
          </button>
        )}
      </div>
      {status === 'running' && progress && (
        <progress
          className="ca-progress"
          max={progress.frameCount}
          value={progress.framesDone}
          aria-label="frames read"
        />
      )}
      {problems.map((m) => (
        <p key={m} className="mk-invalid" role="alert">
          {m}
        </p>
      ))}
      {error && (
        <p className="mk-invalid" role="alert" data-testid="ca-error">
          {error}
        </p>
      )}
      {notes.map((n) => (
        <p key={n} className="ca-note">
          {n}
        </p>
      ))}
    </div>
  );
}
