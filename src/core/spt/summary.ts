// Per-track summary (one row per track) and the track filters.
import { anomalousExponent, defaultMaxLag, fitDiffusion, msdCurve } from './msd';
import { type TrackTable, takeRows, trackRanges } from './types';

/** Mobility classes written to the `mobility` column. */
export const Mobility = { mobile: 0, immobile: 1, confined: 2, unclassified: 3 } as const;
export const MOBILITY_NAMES = ['mobile', 'immobile', 'confined', 'unclassified'] as const;

export interface SummaryParams {
  /** Time between raw frames, s (e.g. 0.005 at 200 frames/s). */
  frameInterval: number;
  /** MSD points for the D fit: 'auto' (Michalet 2010) or a fixed count ≥ 2. */
  msdPoints?: 'auto' | number;
  /**
   * Classification (applied in this order):
   * - fewer than `minClassifyLength` positions → unclassified (MSD too noisy to judge);
   * - D < `immobileD` (µm²/s, default 0.01) → immobile;
   * - α < `confinedAlpha` (default 0.5) → confined (moves, but its MSD bends over);
   * - otherwise mobile.
   */
  immobileD?: number;
  confinedAlpha?: number;
  minClassifyLength?: number;
}

export interface TrackSummary {
  readonly length: number;
  readonly columns: {
    track: Uint32Array;
    firstFrame: Uint32Array;
    lastFrame: Uint32Array;
    /** Positions in the track. */
    positions: Uint32Array;
    /** Frames between first and last without a position (bridged gaps). */
    missingFrames: Uint32Array;
    meanIntensity: Float64Array;
    meanX: Float64Array;
    meanY: Float64Array;
    /** Diffusion coefficient, µm²/s; NaN when too short or not estimable (MSD slope ≤ 0). */
    D: Float64Array;
    /** Localization error from the MSD intercept, nm. */
    sigma: Float64Array;
    msdPoints: Uint32Array;
    alpha: Float64Array;
    mobility: Uint8Array;
  };
}

export function summarizeTracks(t: TrackTable, params: SummaryParams): TrackSummary {
  const { ids, start } = trackRanges(t);
  const n = ids.length;
  const c = t.columns;
  const s: TrackSummary = {
    length: n,
    columns: {
      track: ids,
      firstFrame: new Uint32Array(n),
      lastFrame: new Uint32Array(n),
      positions: new Uint32Array(n),
      missingFrames: new Uint32Array(n),
      meanIntensity: new Float64Array(n),
      meanX: new Float64Array(n),
      meanY: new Float64Array(n),
      D: new Float64Array(n),
      sigma: new Float64Array(n),
      msdPoints: new Uint32Array(n),
      alpha: new Float64Array(n),
      mobility: new Uint8Array(n),
    },
  };
  const o = s.columns;
  const immobileD = (params.immobileD ?? 0.01) * 1e6; // µm²/s → nm²/s
  const confinedAlpha = params.confinedAlpha ?? 0.5;
  const minLen = params.minClassifyLength ?? 20;
  for (let k = 0; k < n; k++) {
    const a = start[k];
    const b = start[k + 1];
    const len = b - a;
    o.firstFrame[k] = c.frame[a];
    o.lastFrame[k] = c.frame[b - 1];
    o.positions[k] = len;
    o.missingFrames[k] = c.frame[b - 1] - c.frame[a] + 1 - len;
    let si = 0;
    let sx = 0;
    let sy = 0;
    for (let i = a; i < b; i++) {
      si += c.intensity[i];
      sx += c.x[i];
      sy += c.y[i];
    }
    o.meanIntensity[k] = si / len;
    o.meanX[k] = sx / len;
    o.meanY[k] = sy / len;
    const span = c.frame[b - 1] - c.frame[a];
    if (span < 2) {
      o.D[k] = Number.NaN;
      o.sigma[k] = Number.NaN;
      o.alpha[k] = Number.NaN;
      o.mobility[k] = Mobility.unclassified;
      continue;
    }
    const curve = msdCurve(c.frame, c.x, c.y, a, b, Math.min(defaultMaxLag(len), span));
    const fit = fitDiffusion(curve, params.frameInterval, params.msdPoints ?? 'auto');
    o.D[k] = fit.D * 1e-6;
    o.sigma[k] = fit.sigma;
    o.msdPoints[k] = fit.points;
    o.alpha[k] = anomalousExponent(curve, 4 * fit.sigma * fit.sigma);
    // A slope ≤ 0 leaves D not estimable (NaN) but is the clearest case of an immobile track.
    if (len < minLen || !Number.isFinite(fit.slopeD)) o.mobility[k] = Mobility.unclassified;
    else if (fit.slopeD < immobileD) o.mobility[k] = Mobility.immobile;
    else if (o.alpha[k] < confinedAlpha) o.mobility[k] = Mobility.confined;
    else o.mobility[k] = Mobility.mobile;
  }
  return s;
}

export interface TrackFilter {
  /** Minimum number of positions. */
  minLength?: number;
  /** Minimum mean intensity over the track's positions. */
  minMeanIntensity?: number;
}

/** Keeps whole tracks passing every filter; track ids are kept, so summaries still match. */
export function filterTracks(t: TrackTable, f: TrackFilter): TrackTable {
  const { start } = trackRanges(t);
  const keep: number[] = [];
  for (let k = 0; k + 1 < start.length; k++) {
    const a = start[k];
    const b = start[k + 1];
    if (f.minLength !== undefined && b - a < f.minLength) continue;
    if (f.minMeanIntensity !== undefined) {
      let s = 0;
      for (let i = a; i < b; i++) s += t.columns.intensity[i];
      if (!(s / (b - a) >= f.minMeanIntensity)) continue;
    }
    for (let i = a; i < b; i++) keep.push(i);
  }
  return takeRows(t, Uint32Array.from(keep));
}
