// Localize step, left panel: detection and fit parameters with units and explanations, the
// camera settings read from the stack's metadata, frame range and region, the live preview on
// the frame shown, and Run / Cancel with progress.
import { useEffect, useMemo, useState } from 'react';
import { LocalizeRoiSchema, LocalizeSettingsSchema } from '../../core/localize/settings';
import { offsetWarning, PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { MetaOverridesSchema } from '../../core/stack/metaOverrides';
import { localizeService } from '../../engine/localizeService';
import { chooseMaps, useCameraMaps } from '../../state/cameraMapsStore';
import { activeStack, effectiveCameraKind, effectiveMeta, useData } from '../../state/dataStore';
import { useFrame } from '../../state/frameStore';
import { localizeActions } from '../../state/localizeActions';
import {
  FALLBACK_PIXEL_NM,
  FALLBACK_SIGMA_NM,
  localizeParamsStore,
  planRun,
  stackSigmaNm,
  useLocalizeParams,
} from '../../state/localizeParamsStore';
import { useLocs } from '../../state/locsStore';
import { uiStore } from '../../state/uiStore';
import { within } from '../forms/fieldCheck';
import { NumberField, SelectField } from '../forms/fields';
import { overlayStore } from '../viewer/overlays';
import { CameraMaps } from './CameraMaps';
import { ROI_OVERLAY, roiOverlay, usePreview } from './preview';
import { RunProgressBar } from './RunProgressBar';
import { formatCount, useIsStale } from './runState';
import { SigmaFromData } from './SigmaFromData';
import './localize.css';

const F = LocalizeSettingsSchema.entries;

const set = (patch: Parameters<ReturnType<typeof localizeParamsStore.getState>['set']>[0]) =>
  localizeParamsStore.getState().set(patch);

/** The frame on screen tells whether an assumed offset of 0 leaves a pedestal in the data. */
function OffsetCheck({ stackId, offsetAssumed }: { stackId: number; offsetAssumed: boolean }) {
  const tile = useFrame((f) => (f.result?.stackId === stackId ? f.result.tiles[0] : undefined));
  const warning = useMemo(
    () => (offsetAssumed && tile ? offsetWarning(tile.values, PHYSICAL_DEFAULTS.offsetAdu) : null),
    [tile, offsetAssumed],
  );
  if (!warning) return null;
  return (
    <div className="warn" role="alert" data-testid="offset-warning">
      {warning}. Set the offset in Data (or with evscope.setCamera).
    </div>
  );
}

function CameraFacts() {
  const st = useData(activeStack)!;
  const m = effectiveMeta(st);
  const kind = effectiveCameraKind(st);
  const maps = useCameraMaps((x) => x.byStack[st.info.id]);
  const choice = chooseMaps(st, maps);
  const perPixel = choice.ok && choice.ref !== undefined;
  const known = (v: number | undefined, fallback: number) =>
    perPixel ? (
      <span className="muted" title="The sCMOS calibration maps give every pixel its own value">
        per pixel (maps)
      </span>
    ) : v === undefined ? (
      <span className="warn" title="The file does not say; this default is used">
        {fallback} (assumed)
      </span>
    ) : (
      String(v)
    );
  return (
    <div
      className="camera-facts"
      title="Camera settings come from the stack's metadata (your corrections in Data win)"
    >
      <dl>
        <dt>Camera</dt>
        <dd>{kind === 'scmos' ? 'sCMOS' : kind.toUpperCase()}</dd>
        <dt>Offset (ADU)</dt>
        <dd className="num">{known(m.offsetAdu, PHYSICAL_DEFAULTS.offsetAdu)}</dd>
        <dt>Gain (e⁻/ADU)</dt>
        <dd className="num">{known(m.electronsPerAdu, PHYSICAL_DEFAULTS.electronsPerAdu)}</dd>
        {kind === 'emccd' && (
          <>
            <dt>EM gain</dt>
            <dd className="num">{known(m.emGain, PHYSICAL_DEFAULTS.emGain)}</dd>
          </>
        )}
      </dl>
      {!perPixel && <OffsetCheck stackId={st.info.id} offsetAssumed={m.offsetAdu === undefined} />}
      <button type="button" className="link" onClick={() => uiStore.getState().setActiveStep('data')}>
        Edit in Data…
      </button>
      {kind === 'scmos' && <CameraMaps st={st} />}
    </div>
  );
}

function PixelSizeField() {
  const st = useData(activeStack)!;
  const setOverride = useData((s) => s.setOverride);
  const m = effectiveMeta(st);
  return (
    <NumberField
      label="Pixel size"
      unit="nm"
      hint="Camera pixel size in the sample plane. This is the stack’s metadata: changing it here changes it in Data too."
      schema={MetaOverridesSchema.entries.pixelSizeNm}
      placeholder={`${FALLBACK_PIXEL_NM} (assumed)`}
      value={m.pixelSizeNm ?? null}
      onCommit={(v) =>
        setOverride(st.info.id, 'pixelSizeNm', v === null || v === st.info.meta.pixelSizeNm ? undefined : v)
      }
    />
  );
}

function RoiFields() {
  const st = useData(activeStack)!;
  const roi = useLocalizeParams((s) => s.settings.roi);
  const { width, height } = st.info;
  const r = roi ?? { x: 0, y: 0, width, height };
  const setPart = (k: 'x' | 'y' | 'width' | 'height', v: number | null) => {
    const next = { ...r, [k]: v ?? (k === 'width' ? width : k === 'height' ? height : 0) };
    const whole = next.x === 0 && next.y === 0 && next.width === width && next.height === height;
    set({ roi: whole ? null : next });
  };
  const R = LocalizeRoiSchema.entries;
  return (
    <fieldset className="group">
      <legend title="Only this rectangle of each frame is localized; positions stay in full-frame coordinates">
        Region (camera px)
      </legend>
      <div className="pair">
        <NumberField
          label="Left"
          hint="Left edge of the region, in camera pixels from 0"
          schema={within(R.x, width - 1)}
          value={r.x}
          onCommit={(v) => setPart('x', v)}
        />
        <NumberField
          label="Top"
          hint="Top edge of the region, in camera pixels from 0"
          schema={within(R.y, height - 1)}
          value={r.y}
          onCommit={(v) => setPart('y', v)}
        />
        <NumberField
          label="Width"
          hint="Width of the region in camera pixels"
          schema={within(R.width, width)}
          value={r.width}
          onCommit={(v) => setPart('width', v)}
        />
        <NumberField
          label="Height"
          hint="Height of the region in camera pixels"
          schema={within(R.height, height)}
          value={r.height}
          onCommit={(v) => setPart('height', v)}
        />
      </div>
      {roi && (
        <button type="button" className="link" onClick={() => set({ roi: null })}>
          Use the whole frame
        </button>
      )}
    </fieldset>
  );
}

function PreviewLine({ enabled, setEnabled }: { enabled: boolean; setEnabled: (b: boolean) => void }) {
  const state = usePreview(enabled);
  return (
    <div className="preview-line" data-testid="preview-state">
      <label
        className="row"
        title="Detect and fit the frame shown in the viewer with these parameters, and draw the result over it"
      >
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Live preview on the frame shown
      </label>
      {state.kind === 'ok' && (
        <div className="muted num" data-testid="preview-summary">
          Frame {state.summary.frame + 1}: {state.summary.candidates} candidates, {state.summary.fits} fits
          {state.summary.rejected > 0 ? `, ${state.summary.rejected} rejected` : ''} ·{' '}
          {state.summary.ms.toFixed(0)} ms
        </div>
      )}
      {state.kind === 'waiting' && <div className="muted">Previewing…</div>}
      {state.kind === 'paused' && <div className="muted">Preview paused while the run uses the workers</div>}
      {state.kind === 'error' && (
        <div className="invalid" role="alert">
          Preview: {state.message}
        </div>
      )}
    </div>
  );
}

export function LocalizePanel() {
  const st = useData(activeStack);
  const s = useLocalizeParams((x) => x.settings);
  const canUndo = useLocalizeParams((x) => x.past.length > 0);
  const canRedo = useLocalizeParams((x) => x.future.length > 0);
  const status = useLocs((x) => x.status);
  const count = useLocs((x) => x.count);
  const stale = useIsStale();
  const [preview, setPreview] = useState(true);
  const maps = useCameraMaps((x) => (st ? x.byStack[st.info.id] : undefined));
  const roi = s.roi;

  const stackId = st?.info.id;
  // The run's workers start while the user looks at the preview, not when Run is pressed.
  useEffect(() => {
    if (stackId !== undefined) localizeService.warm();
  }, [stackId]);

  useEffect(() => {
    if (roi) overlayStore.getState().set(roiOverlay(roi));
    else overlayStore.getState().remove(ROI_OVERLAY);
    return () => overlayStore.getState().remove(ROI_OVERLAY);
  }, [roi]);

  if (!st) {
    return (
      <section className="section" data-step-panel="localize" aria-labelledby="loc-title">
        <h2 id="loc-title">Localize</h2>
        <p className="muted small-text">Open a stack (or the demo) in the Data step to localize it.</p>
        <button type="button" className="btn" onClick={() => uiStore.getState().setActiveStep('data')}>
          Go to Data
        </button>
      </section>
    );
  }
  const planned = planRun(s, st, maps);
  const running = status === 'running';
  const sigmaDefault = stackSigmaNm(st.info, s.channel);
  const pixelNm = effectiveMeta(st).pixelSizeNm ?? FALLBACK_PIXEL_NM;
  const sigmaPx = (s.sigmaNm ?? sigmaDefault ?? FALLBACK_SIGMA_NM) / pixelNm;
  const channelNames = st.info.meta.channelNames;

  return (
    <section
      className="section localize-panel"
      data-step-panel="localize"
      aria-labelledby="loc-title"
      onKeyDown={(e) => {
        // Undo/redo of parameters while the focus is in this panel (not inside a text field, where
        // the browser's own undo applies).
        if (!(e.ctrlKey || e.metaKey) || e.target instanceof HTMLInputElement) return;
        if (e.key.toLowerCase() === 'z') {
          e.preventDefault();
          if (e.shiftKey) localizeParamsStore.getState().redo();
          else localizeParamsStore.getState().undo();
        }
      }}
    >
      <div className="row head-row">
        <h2 id="loc-title">Localize</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          disabled={!canUndo}
          title="Undo the last parameter change (Ctrl+Z)"
          onClick={() => localizeParamsStore.getState().undo()}
        >
          Undo
        </button>
        <button
          type="button"
          className="btn small"
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          onClick={() => localizeParamsStore.getState().redo()}
        >
          Redo
        </button>
        <button
          type="button"
          className="btn small"
          title="Back to the default parameters"
          onClick={() => localizeParamsStore.getState().reset()}
        >
          Defaults
        </button>
      </div>

      {st.info.channels > 1 && (
        <SelectField
          label="Channel"
          hint="Which channel of the stack to localize"
          value={String(s.channel)}
          options={Array.from({ length: st.info.channels }, (_, c) => ({
            value: String(c),
            label: `${c + 1}${channelNames?.[c] ? ` · ${channelNames[c]}` : ''}`,
          }))}
          onChange={(v) => set({ channel: Number(v) })}
        />
      )}

      <fieldset className="group">
        <legend>Optics and camera</legend>
        <PixelSizeField />
        <NumberField
          label="PSF σ"
          unit="nm"
          hint="Standard deviation of the Gaussian point-spread function in the sample plane (≈ 0.21 λ / NA). Fixed in the fit, or its start value when σ is fitted."
          schema={F.sigmaNm}
          placeholder={`${sigmaDefault ?? FALLBACK_SIGMA_NM}${sigmaDefault !== undefined ? ' (simulated)' : ' (default)'}`}
          value={s.sigmaNm}
          onCommit={(v) => set({ sigmaNm: v })}
        />
        <SigmaFromData st={st} disabled={running} />
        <CameraFacts />
      </fieldset>

      <fieldset className="group">
        <legend>Detection</legend>
        <SelectField
          label="Detector"
          hint="Wavelet: à trous B-spline filter, second level (ThunderSTORM's default). DoG: difference of Gaussians at σ and 1.6 σ."
          value={s.detector}
          options={[
            { value: 'wavelet', label: 'Wavelet' },
            { value: 'dog', label: 'DoG' },
          ]}
          onChange={(v) => set({ detector: v })}
        />
        <NumberField
          label="Threshold"
          unit="× std"
          hint="A local maximum is a candidate when it exceeds k × the standard deviation of the first wavelet level (ThunderSTORM: std(Wave.F1), k = 1). Raise it to drop dim spots and noise."
          schema={F.thresholdFactor}
          value={s.thresholdFactor}
          onCommit={(v) => set({ thresholdFactor: v ?? 1 })}
        />
        <NumberField
          label="Min. distance"
          unit="px"
          hint="Of two candidates closer than this, only the brighter is fitted (overlapping spots fit badly)."
          schema={F.minDistancePx}
          value={s.minDistancePx}
          onCommit={(v) => set({ minDistancePx: v ?? 3 })}
        />
      </fieldset>

      <fieldset className="group">
        <legend>Fit</legend>
        <SelectField
          label="Fitter"
          hint="MLE: Poisson maximum likelihood, reaches the Cramér–Rao bound. MLE, multi-emitter: where one spot does not explain a window (χ² goodness of fit), fits 2…N overlapping spots jointly, each accepted by a likelihood-ratio test; for dense data, σ fixed. LSQ: least squares (ThunderSTORM's default). WLSQ: weighted least squares."
          value={s.fitter}
          options={[
            { value: 'mle', label: 'MLE (Poisson)' },
            { value: 'mle-multi', label: 'MLE, multi-emitter' },
            { value: 'lsq', label: 'Least squares' },
            { value: 'wlsq', label: 'Weighted LSQ' },
          ]}
          onChange={(v) => set({ fitter: v, ...(v === 'mle-multi' ? { fitSigma: false } : {}) })}
        />
        {s.fitter === 'mle-multi' && (
          <div className="pair">
            <NumberField
              label="Max. emitters"
              hint="Most spots fitted together in one window (ThunderSTORM MFA: 5)."
              schema={F.maxEmitters}
              value={s.maxEmitters}
              onCommit={(v) => set({ maxEmitters: v ?? 5 })}
              testId="max-emitters"
            />
            <NumberField
              label="Add-emitter p"
              hint="Significance of the likelihood-ratio test (χ², 3 degrees of freedom) that accepts one more spot in a window. Smaller: fewer, surer extra spots."
              schema={F.multiAlpha}
              value={s.multiAlpha}
              onCommit={(v) => set({ multiAlpha: v ?? 1e-4 })}
            />
            <SelectField
              label="Coincident emitters"
              hint="Emitters closer than about σ/2 (two dyes on one small EV) make one spot no fit can split, but it carries the photons of both. Count by brightness: after the run, a mixture of 1–4 emitters' brightness is fitted to all spots and each spot gives one row per emitter it most probably holds (at its position). Declines, saying why, when one emitter's brightness is too broad to tell one from two."
              value={s.countByBrightness ? 'count' : 'off'}
              options={[
                { value: 'count', label: 'Count by brightness' },
                { value: 'off', label: 'One row per fitted spot' },
              ]}
              onChange={(v) => set({ countByBrightness: v === 'count' })}
            />
          </div>
        )}
        <SelectField
          label="PSF σ in the fit"
          hint="Fixed: σ is the PSF σ above (faster, more precise for in-focus spots; needed by the multi-emitter fitter). Free: fitted per spot (reports defocus and blur)."
          value={s.fitSigma ? 'free' : 'fixed'}
          options={[
            { value: 'fixed', label: 'Fixed' },
            { value: 'free', label: 'Free' },
          ]}
          onChange={(v) => set({ fitSigma: v === 'free' })}
        />
        <NumberField
          label="Fit radius"
          unit="px"
          hint="Half-width of the fitting window; the window is 2r + 1 pixels wide. Empty: round(2.5 σ)."
          schema={F.fitRadiusPx}
          placeholder={`auto (${Math.max(2, Math.round(2.5 * sigmaPx))})`}
          value={s.fitRadiusPx}
          onCommit={(v) => set({ fitRadiusPx: v })}
        />
      </fieldset>

      <fieldset className="group">
        <legend title="1-based, inclusive, like ImageJ and ThunderSTORM">Frames</legend>
        <div className="pair">
          <NumberField
            label="First"
            hint="First frame to localize (1-based)"
            schema={within(F.firstFrame, st.info.frameCount)}
            placeholder="1"
            value={s.firstFrame}
            onCommit={(v) => set({ firstFrame: v })}
            testId="first-frame"
          />
          <NumberField
            label="Last"
            hint="Last frame to localize (1-based, inclusive)"
            schema={within(F.lastFrame, st.info.frameCount)}
            placeholder={String(st.info.frameCount)}
            value={s.lastFrame}
            onCommit={(v) => set({ lastFrame: v })}
            testId="last-frame"
          />
        </div>
      </fieldset>
      <RoiFields />

      <PreviewLine enabled={preview} setEnabled={setPreview} />

      <div className="run-block">
        {!planned.ok && (
          <ul className="plan-errors" role="alert">
            {planned.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}

        <div className="row">
          {running ? (
            <button
              type="button"
              className="btn"
              data-testid="cancel-localize"
              onClick={() => localizeActions.cancel()}
            >
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="btn primary"
              data-testid="run-localize"
              disabled={!planned.ok}
              title={
                planned.ok ? 'Localize every frame in the range on all cores' : 'Correct the parameters first'
              }
              onClick={() => void localizeActions.start()}
            >
              {status === 'idle' ? 'Run' : 'Run again'}
            </button>
          )}
          {!running && status !== 'idle' && (
            <span className={`muted small-text ${stale ? 'warn' : ''}`}>
              {stale ? 'Parameters changed since the last run' : `${formatCount(count)} localizations`}
            </span>
          )}
        </div>
        <RunProgressBar />
      </div>
    </section>
  );
}
