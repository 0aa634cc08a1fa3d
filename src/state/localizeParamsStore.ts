// The Localize step's parameters as plain data (what a session saves), with undo/redo of
// parameter changes, and the pure mapping from them plus the stack's (corrected) metadata to
// the request the engine runs. Pixel size and camera settings are not kept here: they belong to
// the stack (Data step) so the viewer's scale bar and the fit always agree.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../core/localize/params';
import { DEFAULT_SETTINGS, type LocalizeSettings } from '../core/localize/settings';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import type { RegionOfInterest } from '../engine/localizeRun';
import type { StackInfo } from '../engine/stackService';
import { chooseMaps, type MapsRef, type StackMaps, stackMaps } from './cameraMapsStore';
import { effectiveCameraKind, effectiveMeta, type LoadedStack } from './dataStore';

export { DEFAULT_SETTINGS, type LocalizeSettings } from '../core/localize/settings';

export const FALLBACK_SIGMA_NM = 130;
export const FALLBACK_PIXEL_NM = PHYSICAL_DEFAULTS.pixelSizeNm;

/** What the stack says the PSF σ is: simulations carry it; files do not. */
export function stackSigmaNm(info: Pick<StackInfo, 'recipe'>, channel: number): number | undefined {
  const r = info.recipe;
  if (r.kind === 'simulated') return r.params.channels[channel]?.psfSigmaNm;
  return undefined;
}

export interface RunPlan {
  stackId: number;
  channel: number;
  params: LocalizeParamsInput;
  frames: { start: number; end: number };
  roi: RegionOfInterest | undefined;
  /** The sCMOS calibration maps used (sCMOS cameras only); `attachMaps` turns it into arrays. */
  scmosMaps: MapsRef | undefined;
  /** Identifies the inputs: a finished run whose plan differs is stale. */
  signature: string;
}

export type PlanResult = { ok: true; plan: RunPlan } | { ok: false; errors: string[] };

/** The engine's parameters from the user's settings and the stack's corrected metadata. */
export function localizeInput(s: LocalizeSettings, st: LoadedStack): LocalizeParamsInput {
  const meta = effectiveMeta(st);
  const cam = st.info.meta.camera;
  const kind = effectiveCameraKind(st);
  return {
    pixelSizeNm: meta.pixelSizeNm ?? FALLBACK_PIXEL_NM,
    sigmaNm: s.sigmaNm ?? stackSigmaNm(st.info, s.channel) ?? FALLBACK_SIGMA_NM,
    fitSigma: s.fitSigma,
    fitter: s.fitter,
    maxEmitters: s.maxEmitters,
    multiAlpha: s.multiAlpha,
    countByBrightness: s.countByBrightness,
    detector: s.detector,
    thresholdFactor: s.thresholdFactor,
    fitRadiusPx: s.fitRadiusPx ?? undefined,
    minDistancePx: s.minDistancePx,
    camera: {
      kind,
      offsetAdu: meta.offsetAdu ?? 0,
      electronsPerAdu: meta.electronsPerAdu ?? 1,
      emGain: kind === 'emccd' ? (meta.emGain ?? 1) : 1,
      quantumEfficiency: cam?.quantumEfficiency ?? 1,
      readNoiseE: cam?.readNoiseE ?? 0,
    },
  };
}

/**
 * Checks the settings against the stack; every problem is a sentence a user can act on. `maps`:
 * the stack's loaded sCMOS calibration maps (default: from cameraMapsStore).
 */
export function planRun(
  s: LocalizeSettings,
  st: LoadedStack,
  maps: StackMaps = stackMaps(st.info.id),
): PlanResult {
  const errors: string[] = [];
  const mapsChoice = chooseMaps(st, maps);
  if (!mapsChoice.ok) errors.push(mapsChoice.error);
  const { info } = st;
  if (!(Number.isInteger(s.channel) && s.channel >= 0 && s.channel < info.channels))
    errors.push(`Channel ${s.channel + 1} does not exist: the stack has ${info.channels}.`);
  const first = s.firstFrame ?? 1;
  const last = s.lastFrame ?? info.frameCount;
  if (!(Number.isInteger(first) && first >= 1 && first <= info.frameCount))
    errors.push(`First frame must be a whole number from 1 to ${info.frameCount}.`);
  if (!(Number.isInteger(last) && last >= 1 && last <= info.frameCount))
    errors.push(`Last frame must be a whole number from 1 to ${info.frameCount}.`);
  if (last < first) errors.push(`Last frame (${last}) is before the first (${first}).`);
  const roi = s.roi ?? undefined;
  if (roi) {
    const whole = [roi.x, roi.y, roi.width, roi.height].every(Number.isInteger);
    if (!whole || roi.x < 0 || roi.y < 0 || roi.width < 1 || roi.height < 1)
      errors.push('The region needs whole, non-negative pixel numbers and a size of at least 1 px.');
    else if (roi.x + roi.width > info.width || roi.y + roi.height > info.height)
      errors.push(
        `The region (${roi.x}+${roi.width} × ${roi.y}+${roi.height} px) reaches past the ${info.width}×${info.height} px frame.`,
      );
  }
  const params = localizeInput(s, st);
  try {
    const p = resolveLocalizeParams(params);
    const w = roi?.width ?? info.width;
    const h = roi?.height ?? info.height;
    const n = 2 * p.fitRadiusPx + 1;
    if (w < n || h < n)
      errors.push(
        `The ${w}×${h} px ${roi ? 'region' : 'frame'} is smaller than the ${n}×${n} px fitting window: lower the fit radius or enlarge the region.`,
      );
  } catch (e) {
    errors.push(`${(e as Error).message.replace(/^./, (c) => c.toUpperCase())}.`);
  }
  if (errors.length) return { ok: false, errors };
  const frames = { start: first - 1, end: last };
  const scmosMaps = mapsChoice.ok ? mapsChoice.ref : undefined;
  const plan = { stackId: info.id, channel: s.channel, params, frames, roi, scmosMaps };
  return { ok: true, plan: { ...plan, signature: JSON.stringify(plan) } };
}

/** Rough preview of the chosen ROI for labels: "whole frame" or "x 10–49, y 0–63 px". */
export function describeRoi(roi: RegionOfInterest | null): string {
  if (!roi) return 'whole frame';
  return `x ${roi.x}–${roi.x + roi.width - 1}, y ${roi.y}–${roi.y + roi.height - 1} px`;
}

const HISTORY = 100;

export interface LocalizeParamsState {
  settings: LocalizeSettings;
  past: LocalizeSettings[];
  future: LocalizeSettings[];
  /** Changes settings; each call is one undo step. */
  set(patch: Partial<LocalizeSettings>): void;
  undo(): void;
  redo(): void;
  reset(): void;
  /** Replaces the settings without history (sessions). */
  load(settings: LocalizeSettings): void;
}

function same(a: LocalizeSettings, b: LocalizeSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const localizeParamsStore = createStore<LocalizeParamsState>()((set) => ({
  settings: DEFAULT_SETTINGS,
  past: [],
  future: [],
  set: (patch) =>
    set((s) => {
      const next = { ...s.settings, ...patch };
      if (same(next, s.settings)) return s;
      return { settings: next, past: [...s.past, s.settings].slice(-HISTORY), future: [] };
    }),
  undo: () =>
    set((s) => {
      const prev = s.past.at(-1);
      if (!prev) return s;
      return { settings: prev, past: s.past.slice(0, -1), future: [s.settings, ...s.future] };
    }),
  redo: () =>
    set((s) => {
      const next = s.future[0];
      if (!next) return s;
      return { settings: next, past: [...s.past, s.settings], future: s.future.slice(1) };
    }),
  reset: () =>
    set((s) =>
      same(s.settings, DEFAULT_SETTINGS)
        ? s
        : { settings: DEFAULT_SETTINGS, past: [...s.past, s.settings].slice(-HISTORY), future: [] },
    ),
  load: (settings) => set({ settings: { ...DEFAULT_SETTINGS, ...settings }, past: [], future: [] }),
}));

export const useLocalizeParams = <T>(sel: (s: LocalizeParamsState) => T): T =>
  useStore(localizeParamsStore, sel);
