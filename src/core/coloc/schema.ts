// Parameters of the Tracks & distances step (EV tracking, the structure movie it is measured
// against, the distance analysis): the schema checks each value on its own (sessions, links,
// `evscope.setTracksParams`, the Tracks panel's fields); src/state/tracksParams.ts checks them
// against the open stack.
import { above, intIn, numIn, v } from '../schema';

const nonNeg = numIn(0, 1e9);

export const TracksParamsSchema = v.object({
  // Tracking
  /** 0-based EV channel. */
  channel: intIn(0, 64),
  /** Detection threshold, × std of the first wavelet level. */
  thresholdFactor: above(0, 1e9),
  /** PSF σ (nm), start value of the fit; null: the stack's (simulations know theirs), else 150. */
  sigmaNm: v.nullable(above(0, 1e9)),
  fitSigma: v.boolean(),
  /** Largest frame-to-frame displacement, nm. */
  radiusNm: above(0, 1e9),
  /** Largest number of missing frames a gap may bridge. */
  maxGap: intIn(0, 50),
  /** Shortest track kept, positions. */
  minLength: intIn(1),
  /** Lowest mean intensity kept, photons (0: keep all). */
  minIntensity: nonNeg,
  // Import
  frameBase: v.picklist([0, 1]),
  // Movie (the study's window, step and render pixel)
  window: intIn(1),
  step: intIn(1),
  renderPxNm: above(0, 1e9),
  smoothSigmaPx: numIn(0, 20),
  thresholdMode: v.picklist(['otsu', 'manual']),
  /** Movie intensity (localizations per pixel per raw frame) for the manual threshold. */
  manualThreshold: above(0, 1e9),
  // Distances
  histStartNm: numIn(-1e9, 1e9),
  histWidthNm: above(0, 1e9),
  histCount: intIn(1, 1000),
  cutoffNm: nonNeg,
  controlPerFrame: intIn(1, 10_000),
  /** 'drawn': the region drawn in Post-process (its Region step) on the reconstruction. */
  controlRegion: v.picklist(['field', 'cell', 'drawn']),
  pooling: v.picklist(['nearest', 'pooled']),
});
export type TracksParams = v.InferOutput<typeof TracksParamsSchema>;

/**
 * The track-level test's own settings (the CLI's `evscope coloc`; the workbench uses the defaults):
 * matched control tracks per EV track, permutations (≥ 99 so p can reach 0.01), the random seed.
 */
export const ColocTestSchema = v.object({
  controlTracksPerTrack: intIn(1, 10_000),
  permutations: intIn(99, 10_000_000),
  controlSeed: intIn(-(2 ** 31), 2 ** 32),
});

/** PSF σ (nm) of an EV when neither the user nor the stack says: EVs are larger than a point. */
export const FALLBACK_EV_SIGMA_NM = 150;

/** The reference study's movie (SCIENCE.md §1) and distance analysis (§4). */
export const DEFAULT_TRACKS_PARAMS: TracksParams = {
  channel: 1,
  thresholdFactor: 2,
  sigmaNm: null,
  fitSigma: true,
  radiusNm: 200,
  maxGap: 2,
  minLength: 10,
  minIntensity: 0,
  frameBase: 1,
  window: 1002,
  step: 6,
  renderPxNm: 10,
  smoothSigmaPx: 1,
  thresholdMode: 'otsu',
  manualThreshold: 0.001,
  histStartNm: -500,
  histWidthNm: 50,
  histCount: 30,
  cutoffNm: 240,
  controlPerFrame: 100,
  controlRegion: 'field',
  pooling: 'nearest',
};
