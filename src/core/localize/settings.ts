// The Localize step's settings as the user sets them (what a session, a link and
// `evscope.setLocalizeParams` carry): the schema checks each value on its own; the stack-dependent
// checks (σ in pixels, frames inside the stack) happen when a run is planned. The limits are the
// Localize panel's: its fields are checked by these schemas.
import { above, intIn, numIn, v } from '../schema';
import { DEFAULT_LOCALIZE_PARAMS } from './params';

/** Camera pixels: top-left corner and size. */
export const LocalizeRoiSchema = v.object({ x: intIn(0), y: intIn(0), width: intIn(1), height: intIn(1) });

export const LocalizeSettingsSchema = v.object({
  /** PSF standard deviation, nm; null: from the stack (a simulation knows its PSF), else 130. */
  sigmaNm: v.nullable(above(0, 2000)),
  fitSigma: v.boolean(),
  fitter: v.picklist(['mle', 'lsq', 'wlsq', 'mle-multi']),
  /** mle-multi: most emitters fitted in one window. */
  maxEmitters: intIn(1, 8),
  /** mle-multi: significance of the likelihood-ratio test that accepts one more emitter. */
  multiAlpha: above(0, 0.1),
  /** mle-multi: count emitters too close to resolve from the run's brightness distribution. */
  countByBrightness: v.boolean(),
  detector: v.picklist(['wavelet', 'dog']),
  /** k in k × std(first wavelet level). */
  thresholdFactor: above(0, 100),
  /** Fit window half-width, px; null: round(2.5 σ). */
  fitRadiusPx: v.nullable(intIn(1, 20)),
  minDistancePx: numIn(0, 50),
  /** 0-based channel of multi-channel stacks. */
  channel: intIn(0, 64),
  /** 1-based, inclusive, as typed; null ends mean the first / last frame. */
  firstFrame: v.nullable(intIn(1)),
  lastFrame: v.nullable(intIn(1)),
  /** Camera pixels; null: the whole frame. */
  roi: v.nullable(LocalizeRoiSchema),
});
export type LocalizeSettings = v.InferOutput<typeof LocalizeSettingsSchema>;

export const DEFAULT_SETTINGS: LocalizeSettings = {
  sigmaNm: null,
  fitSigma: false,
  fitter: 'mle',
  maxEmitters: DEFAULT_LOCALIZE_PARAMS.maxEmitters,
  multiAlpha: DEFAULT_LOCALIZE_PARAMS.multiAlpha,
  countByBrightness: DEFAULT_LOCALIZE_PARAMS.countByBrightness,
  detector: 'wavelet',
  thresholdFactor: 1,
  fitRadiusPx: null,
  minDistancePx: 3,
  channel: 0,
  firstFrame: null,
  lastFrame: null,
  roi: null,
};

/** How the localizations in a session were made: the run's status, channel, frames and region. */
export const LocalizeRunSchema = v.object({
  status: v.picklist(['idle', 'running', 'done', 'cancelled', 'failed']),
  channel: v.optional(intIn(0, 64)),
  /** 0-based, end exclusive. */
  frames: v.optional(v.object({ start: intIn(0), end: intIn(0) })),
  roi: v.optional(v.nullable(LocalizeRoiSchema)),
  /** Localizations read from a file: where they came from (free-form, shown as is). */
  source: v.optional(v.unknown()),
});
export type LocalizeRun = v.InferOutput<typeof LocalizeRunSchema>;
