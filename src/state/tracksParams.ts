// Parameters of the Tracks & distances step as the user sets them, their checks (every problem a
// sentence naming the field and what to do) and the requests they become. Pure, so the panel,
// the scripting API, the CLI-free tests and the store share one set of rules.

import type { HistogramSpec } from '../core/coloc/analysisHistogram';
import { DEFAULT_TRACKS_PARAMS, FALLBACK_EV_SIGMA_NM, type TracksParams } from '../core/coloc/schema';
import { resolveLocalizeParams } from '../core/localize/params';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import type { StackInfo } from '../engine/stackService';
import type { MovieSettings, ThresholdChoice, TrackFilterParams } from '../engine/tracksService';
import type { LoadedStack } from './dataStore';
import { effectiveMeta } from './dataStore';
import type { LocalizeSettings } from './localizeParamsStore';
import { DEFAULT_SETTINGS, localizeInput, stackSigmaNm } from './localizeParamsStore';

export { DEFAULT_TRACKS_PARAMS, FALLBACK_EV_SIGMA_NM, type TracksParams } from '../core/coloc/schema';

/** Largest movie side in render pixels: one frame's fields are ~4 bytes × 3 per pixel. */
export const MAX_GRID_SIDE = 4096;

/** Defaults for a stack: the last channel holds the EVs (channel 2 of the study), W ≤ the stack. */
export function defaultTracksParams(info: Pick<StackInfo, 'channels' | 'frameCount'>): TracksParams {
  const window = Math.min(DEFAULT_TRACKS_PARAMS.window, info.frameCount);
  return { ...DEFAULT_TRACKS_PARAMS, channel: Math.max(0, info.channels - 1), window };
}

const isInt = (v: number) => Number.isInteger(v);

/** Problems with the tracking parameters for this stack. */
export function trackingErrors(p: TracksParams, st: LoadedStack): string[] {
  const e: string[] = [];
  const { info } = st;
  if (!(isInt(p.channel) && p.channel >= 0 && p.channel < info.channels))
    e.push(`EV channel ${p.channel + 1} does not exist: the stack has ${info.channels}.`);
  if (!(p.thresholdFactor > 0)) e.push('Detection threshold must be > 0 (× noise std).');
  if (p.sigmaNm !== null && !(p.sigmaNm > 0)) e.push('PSF σ must be > 0 nm.');
  if (!(p.radiusNm > 0)) e.push('Search radius must be > 0 nm.');
  if (!(isInt(p.maxGap) && p.maxGap >= 0 && p.maxGap <= 50))
    e.push('Max gap must be a whole number of frames, 0–50.');
  if (!(isInt(p.minLength) && p.minLength >= 1))
    e.push('Min length must be a whole number of positions ≥ 1.');
  if (!(p.minIntensity >= 0)) e.push('Min intensity must be ≥ 0 photons.');
  if (!e.length) {
    try {
      const lp = resolveLocalizeParams(localizeFor(p, st));
      const n = 2 * lp.fitRadiusPx + 1;
      if (info.width < n || info.height < n)
        e.push(`The ${info.width}×${info.height} px frame is smaller than the ${n}×${n} px fitting window.`);
    } catch (err) {
      e.push(`${(err as Error).message.replace(/^./, (c) => c.toUpperCase())}.`);
    }
  }
  return e;
}

/** Localizer parameters for the EV channel: the stack's camera, σ free (EVs are not points). */
export function localizeFor(p: TracksParams, st: LoadedStack) {
  const settings: LocalizeSettings = {
    ...DEFAULT_SETTINGS,
    channel: p.channel,
    sigmaNm: p.sigmaNm ?? stackSigmaNm(st.info, p.channel) ?? FALLBACK_EV_SIGMA_NM,
    fitSigma: p.fitSigma,
    thresholdFactor: p.thresholdFactor,
  };
  return localizeInput(settings, st);
}

export function filterFor(p: TracksParams): TrackFilterParams {
  return { minLength: p.minLength, minMeanIntensity: p.minIntensity };
}

export function frameIntervalS(st: LoadedStack): number {
  return (effectiveMeta(st).frameIntervalMs ?? 5) / 1000;
}

/** Problems with the movie and distance parameters for this stack. */
export function distanceErrors(p: TracksParams, st: LoadedStack): string[] {
  const e: string[] = [];
  const { info } = st;
  if (!(isInt(p.window) && p.window >= 1)) e.push('Window W must be a whole number of raw frames ≥ 1.');
  else if (p.window > info.frameCount)
    e.push(
      `Window W (${p.window}) is longer than the stack (${info.frameCount} frames): no movie frame fits.`,
    );
  if (!(isInt(p.step) && p.step >= 1)) e.push('Step S must be a whole number of raw frames ≥ 1.');
  if (!(p.renderPxNm > 0)) e.push('Render pixel must be > 0 nm.');
  else {
    const px = effectiveMeta(st).pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
    const side = Math.max(info.width, info.height) * (px / p.renderPxNm);
    if (side > MAX_GRID_SIDE)
      e.push(
        `A ${p.renderPxNm} nm render pixel makes the movie ${Math.round(side)} px wide (limit ${MAX_GRID_SIDE}): use a larger render pixel.`,
      );
  }
  if (!(p.smoothSigmaPx >= 0 && p.smoothSigmaPx <= 20)) e.push('Smoothing must be 0–20 render px.');
  if (p.thresholdMode === 'manual' && !(p.manualThreshold > 0)) e.push('The manual threshold must be > 0.');
  if (!(p.histWidthNm > 0)) e.push('Bin width must be > 0 nm.');
  if (!Number.isFinite(p.histStartNm)) e.push('First bin must be a number of nm.');
  if (!(isInt(p.histCount) && p.histCount >= 1 && p.histCount <= 1000))
    e.push('Bins must be a whole number, 1–1000.');
  if (!(p.cutoffNm >= 0)) e.push('Cut-off must be ≥ 0 nm.');
  if (!(isInt(p.controlPerFrame) && p.controlPerFrame >= 1 && p.controlPerFrame <= 10000))
    e.push('Control points per frame must be a whole number, 1–10000.');
  return e;
}

export function histogramFor(p: TracksParams): HistogramSpec {
  return { start: p.histStartNm, width: p.histWidthNm, count: p.histCount };
}

export function movieFor(p: TracksParams): MovieSettings {
  return {
    window: p.window,
    step: p.step,
    renderPxNm: p.renderPxNm,
    // As the Movie step: σ = each localization's precision, floored at 5 nm.
    sigma: { kind: 'precision', factor: 1, minNm: 5 },
    smoothSigmaPx: p.smoothSigmaPx,
  };
}

export function thresholdFor(p: TracksParams): ThresholdChoice {
  return p.thresholdMode === 'manual'
    ? { kind: 'manual', value: p.manualThreshold }
    : { kind: 'otsu', sampleFrames: 10 };
}

/** Keys of the inputs of each run, to tell a result made with other parameters (stale). */
export function trackingKey(p: TracksParams): string {
  return JSON.stringify([
    p.channel,
    p.thresholdFactor,
    p.sigmaNm,
    p.fitSigma,
    p.radiusNm,
    p.maxGap,
    p.minLength,
    p.minIntensity,
  ]);
}

export function distanceKey(p: TracksParams): string {
  return JSON.stringify([
    p.window,
    p.step,
    p.renderPxNm,
    p.smoothSigmaPx,
    p.thresholdMode,
    p.manualThreshold,
    p.histStartNm,
    p.histWidthNm,
    p.histCount,
    p.cutoffNm,
    p.controlPerFrame,
    p.controlRegion,
    p.pooling,
  ]);
}
