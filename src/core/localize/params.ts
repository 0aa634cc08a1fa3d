// Everything a localization run needs, with units in the names, defaults that match
// ThunderSTORM's where it has one, and validation messages a user can act on.

import { type CameraParams, DEFAULT_CAMERA, validateCamera } from '../camera/camera';
import { DEFAULT_WAVELET, type WaveletOptions } from '../detect/filters';
import type { FitMethod } from '../fit/gaussianFitter';
import { DEFAULT_MULTI_OPTIONS } from '../fit/multiFitter';
import { PHYSICAL_DEFAULTS } from '../physicalDefaults';
import { above, intIn, numIn, v } from '../schema';

/** The single-emitter methods, or Poisson MLE of 1…`maxEmitters` emitters per window. */
export type LocalizeFitter = FitMethod | 'mle-multi';

export interface LocalizeParams {
  /** Camera pixel size in nm (sample plane). */
  pixelSizeNm: number;
  /** PSF standard deviation in nm: fixed, or the start value when `fitSigma`. */
  sigmaNm: number;
  fitSigma: boolean;
  fitter: LocalizeFitter;
  /** mle-multi: most emitters fitted in one window. */
  maxEmitters: number;
  /** mle-multi: significance of the likelihood-ratio test that accepts one more emitter. */
  multiAlpha: number;
  /**
   * mle-multi: after the run, count emitters too close to resolve (one spot, twice the photons)
   * from the spots' brightness distribution (src/core/localize/brightnessCount.ts).
   */
  countByBrightness: boolean;
  detector: 'wavelet' | 'dog';
  wavelet: WaveletOptions;
  /** k in the detection threshold k × std(first wavelet level) (ThunderSTORM: std(Wave.F1), k = 1). */
  thresholdFactor: number;
  /**
   * Half-width of the fitting window in pixels; the window is 2r + 1 wide. Default round(2.5σ):
   * 7 px for σ = 1.3 px (ThunderSTORM's default radius 3), ±2.7σ, where 99% of the photons are.
   */
  fitRadiusPx: number;
  /** Candidates closer than this (pixels) to a brighter one are dropped. */
  minDistancePx: number;
  maxIterations: number;
  /** Keep fits flagged as unconverged/outside/invalid (with their `flags`) instead of dropping them. */
  keepFailed: boolean;
  camera: CameraParams;
}

export type LocalizeParamsInput = Partial<Omit<LocalizeParams, 'camera' | 'wavelet'>> & {
  camera?: Partial<CameraParams>;
  wavelet?: Partial<WaveletOptions>;
};

export const DEFAULT_LOCALIZE_PARAMS: Omit<LocalizeParams, 'fitRadiusPx'> = {
  pixelSizeNm: PHYSICAL_DEFAULTS.pixelSizeNm,
  sigmaNm: 130,
  fitSigma: false,
  fitter: 'mle',
  maxEmitters: DEFAULT_MULTI_OPTIONS.maxEmitters,
  multiAlpha: DEFAULT_MULTI_OPTIONS.alpha,
  countByBrightness: true,
  detector: 'wavelet',
  wavelet: DEFAULT_WAVELET,
  thresholdFactor: 1,
  minDistancePx: 3,
  maxIterations: 30,
  keepFailed: false,
  camera: DEFAULT_CAMERA,
};

/** Fills defaults and checks every field; throws with the field, the value and its unit. */
export function resolveLocalizeParams(input: LocalizeParamsInput = {}): LocalizeParams {
  const p = {
    ...DEFAULT_LOCALIZE_PARAMS,
    ...stripUndefined(input),
    camera: { ...DEFAULT_CAMERA, ...stripUndefined(input.camera ?? {}) },
    wavelet: { ...DEFAULT_WAVELET, ...stripUndefined(input.wavelet ?? {}) },
  } as LocalizeParams;
  if (!(p.pixelSizeNm > 0)) throw new Error(`pixel size must be > 0 nm, got ${p.pixelSizeNm}`);
  if (!(p.sigmaNm > 0)) throw new Error(`PSF sigma must be > 0 nm, got ${p.sigmaNm}`);
  const sigmaPx = p.sigmaNm / p.pixelSizeNm;
  if (sigmaPx < 0.3 || sigmaPx > 10)
    throw new Error(
      `PSF sigma of ${p.sigmaNm} nm is ${sigmaPx.toFixed(2)} pixels of ${p.pixelSizeNm} nm: expected 0.3–10 pixels (check the units)`,
    );
  if (p.fitRadiusPx === undefined) p.fitRadiusPx = Math.max(2, Math.round(2.5 * sigmaPx));
  if (!(Number.isInteger(p.fitRadiusPx) && p.fitRadiusPx >= 1 && p.fitRadiusPx <= 20))
    throw new Error(`fit radius must be an integer of 1–20 pixels, got ${p.fitRadiusPx}`);
  if (!['mle', 'lsq', 'wlsq', 'mle-multi'].includes(p.fitter))
    throw new Error(`fitter must be mle, lsq, wlsq or mle-multi, got "${p.fitter}"`);
  if (p.fitter === 'mle-multi' && p.fitSigma)
    throw new Error(
      'the multi-emitter fitter keeps σ fixed: turn off "fit σ" (measure σ from the data instead)',
    );
  if (!(Number.isInteger(p.maxEmitters) && p.maxEmitters >= 1 && p.maxEmitters <= 8))
    throw new Error(`max emitters per window must be an integer of 1–8, got ${p.maxEmitters}`);
  if (!(p.multiAlpha > 0 && p.multiAlpha < 0.5))
    throw new Error(`significance of the added-emitter test must be in (0, 0.5), got ${p.multiAlpha}`);
  if (typeof p.countByBrightness !== 'boolean')
    throw new Error(`count by brightness must be true or false, got ${String(p.countByBrightness)}`);
  if (!['wavelet', 'dog'].includes(p.detector))
    throw new Error(`detector must be wavelet or dog, got "${p.detector}"`);
  if (!(p.thresholdFactor > 0))
    throw new Error(`threshold factor must be > 0 (× std of the noise level), got ${p.thresholdFactor}`);
  if (!(p.minDistancePx >= 0)) throw new Error(`minimum distance must be ≥ 0 pixels, got ${p.minDistancePx}`);
  if (!(Number.isInteger(p.maxIterations) && p.maxIterations >= 1 && p.maxIterations <= 255))
    throw new Error(`max iterations must be an integer of 1–255, got ${p.maxIterations}`);
  validateCamera(p.camera);
  return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * What a finished run was asked for (a session's `localize` section): every field optional, as
 * `LocalizeParamsInput`; resolveLocalizeParams fills the defaults and checks the combination.
 */
export const LocalizeParamsInputSchema = v.object({
  pixelSizeNm: v.optional(above(0, 1e6)),
  sigmaNm: v.optional(above(0, 1e6)),
  fitSigma: v.optional(v.boolean()),
  fitter: v.optional(v.picklist(['mle', 'lsq', 'wlsq', 'mle-multi'])),
  maxEmitters: v.optional(intIn(1, 8)),
  multiAlpha: v.optional(v.pipe(above(0), v.ltValue(0.5))),
  countByBrightness: v.optional(v.boolean()),
  detector: v.optional(v.picklist(['wavelet', 'dog'])),
  wavelet: v.optional(
    v.object({
      order: v.optional(intIn(1, 10)),
      scale: v.optional(intIn(1, 64)),
      samples: v.optional(intIn(1, 64)),
    }),
  ),
  thresholdFactor: v.optional(above(0, 1e6)),
  fitRadiusPx: v.optional(intIn(1, 20)),
  minDistancePx: v.optional(numIn(0, 1e6)),
  maxIterations: v.optional(intIn(1, 255)),
  keepFailed: v.optional(v.boolean()),
  camera: v.optional(
    v.object({
      kind: v.optional(v.picklist(['ccd', 'emccd', 'scmos'])),
      offsetAdu: v.optional(numIn(-1e9, 1e9)),
      electronsPerAdu: v.optional(above(0, 1e9)),
      emGain: v.optional(above(0, 1e9)),
      quantumEfficiency: v.optional(above(0, 1)),
      readNoiseE: v.optional(numIn(0, 1e9)),
    }),
  ),
}) satisfies v.GenericSchema<unknown, LocalizeParamsInput>;
