// Is the linking search radius large enough for the EVs' displacements? A frame-to-frame step of
// a Brownian EV with localization error is Rayleigh distributed, per-axis σ² = 2DΔt + 2σ_loc²,
// and steps beyond the radius R cannot be linked: the track breaks there (or the gap closer
// bridges it with a wrong partner), and D of fast EVs comes out low because their largest steps
// are cut. The linked steps are a Rayleigh sample truncated at R, so each track's σ is estimated
// by the truncated maximum likelihood, and from it the fraction of its steps lost beyond R.
// A radius covering 99.9 % of steps is R = σ·√(2·ln 1000) ≈ 3.7σ.

import { goldenSectionMin } from '../math/goldenSection';
import { type TrackingParams, type TrackingResult, trackDetections } from './link';
import type { Detections, TrackTable } from './types';

/** Steps counted per track before its σ is trusted. */
const MIN_STEPS = 8;
/** Radius covering 1 − 1e-3 of the Rayleigh steps, in units of σ. */
const COVER = Math.sqrt(2 * Math.log(1000));

export interface RadiusCheck {
  /** Search radius checked (nm). */
  radiusNm: number;
  /** Tracks with ≥ 8 single-frame steps, which the check uses. */
  tracks: number;
  /** Expected fraction of all single-frame steps of those tracks beyond the radius. */
  lostFraction: number;
  /** Tracks expected to lose > 1 % of their steps (fast EVs whose tracks break). */
  tracksAtRisk: number;
  /** Radius that keeps 99.9 % of the steps of 90 % of the tracks (nm, rounded up to 10 nm). */
  suggestedRadiusNm: number;
  /** A sentence for the user when the radius is too small; null when it is fine. */
  warning: string | null;
  /** Set when the radius was raised automatically from this value (nm) to `radiusNm`. */
  raisedFromNm?: number;
}

/**
 * Truncated-Rayleigh MLE of σ from steps r (all < R): maximises
 * Σ [−2 ln σ − r²/2σ²] − n ln(1 − e^{−R²/2σ²}) by golden-section search on ln σ.
 */
export function truncatedRayleighSigma(steps: ArrayLike<number>, R: number): number {
  const n = steps.length;
  if (!n) return Number.NaN;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += steps[i] * steps[i];
  const nll = (logSigma: number) => {
    const v = Math.exp(2 * logSigma);
    const keep = -Math.expm1(-(R * R) / (2 * v));
    return n * 2 * logSigma + s2 / (2 * v) + n * Math.log(Math.max(keep, 1e-300));
  };
  // The untruncated MLE √(Σr²/2n) is a lower bound; a truncated sample can hide a σ ≫ R, but
  // then the likelihood is flat, so cap the search at 20 R.
  const lo = Math.log(Math.max(Math.sqrt(s2 / (2 * n)), 1e-9) / 2);
  const hi = Math.log(20 * R);
  return Math.exp(goldenSectionMin(nll, lo, hi, { maxIterations: 100, tolerance: 1e-7 }));
}

/** Checks `radiusNm` against the single-frame steps of linked tracks (see module comment). */
export function checkSearchRadius(t: TrackTable, radiusNm: number): RadiusCheck {
  const { track, frame, x, y } = t.columns;
  const sigmas: number[] = [];
  let steps = 0;
  let lost = 0;
  let atRisk = 0;
  let cur: number[] = [];
  const close = () => {
    if (cur.length >= MIN_STEPS) {
      const s = truncatedRayleighSigma(cur, radiusNm);
      const q = Math.exp(-(radiusNm * radiusNm) / (2 * s * s));
      sigmas.push(s);
      steps += cur.length;
      // Observed steps are the (1 − q) share that stayed within R.
      lost += (cur.length * q) / Math.max(1 - q, 1e-9);
      if (q > 0.01) atRisk++;
    }
    cur = [];
  };
  for (let i = 0; i < t.length; i++) {
    if (i > 0 && track[i] !== track[i - 1]) close();
    if (i > 0 && track[i] === track[i - 1] && frame[i] === frame[i - 1] + 1) {
      const r = Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
      // Guard against rounding right at the radius.
      if (r <= radiusNm) cur.push(Math.min(r, radiusNm * (1 - 1e-12)));
    }
  }
  close();
  const lostFraction = steps ? lost / (steps + lost) : Number.NaN;
  sigmas.sort((a, b) => a - b);
  const s90 = sigmas.length
    ? sigmas[Math.min(sigmas.length - 1, Math.floor(0.9 * sigmas.length))]
    : Number.NaN;
  const suggested = Number.isFinite(s90) ? Math.max(radiusNm, Math.ceil((COVER * s90) / 10) * 10) : radiusNm;
  const tooSmall = atRisk > 0 && suggested > radiusNm;
  return {
    radiusNm,
    tracks: sigmas.length,
    lostFraction,
    tracksAtRisk: atRisk,
    suggestedRadiusNm: suggested,
    warning: tooSmall
      ? `The search radius (${radiusNm} nm) is short for the fastest EVs: ${atRisk} of ${sigmas.length} tracks are expected to lose > 1 % of their frame-to-frame steps beyond it (tracks break, D comes out low). A radius of ${suggested} nm keeps 99.9 % of the steps of 90 % of the tracks.`
      : null,
  };
}

/**
 * Links and checks the radius; with `autoRadius`, links once more at the suggested radius when
 * the check finds the given one short (the result's check then records `raisedFromNm`).
 */
export function linkWithRadiusCheck(
  d: Detections,
  params: TrackingParams & { autoRadius?: boolean },
): { linked: TrackingResult; radiusCheck: RadiusCheck } {
  const { autoRadius, ...link } = params;
  const linked = trackDetections(d, link);
  const check = checkSearchRadius(linked.tracks, link.maxLinkDistance);
  if (!autoRadius || !check.warning) return { linked, radiusCheck: check };
  const radius = check.suggestedRadiusNm;
  const again = trackDetections(d, { ...link, maxLinkDistance: radius });
  return {
    linked: again,
    radiusCheck: { ...checkSearchRadius(again.tracks, radius), raisedFromNm: link.maxLinkDistance },
  };
}
