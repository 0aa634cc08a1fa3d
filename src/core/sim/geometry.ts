// Geometry shared by scenes, truth and rendering: affine maps between channels, stage drift,
// and the ellipses that describe membrane structures. All lengths in nm.

import { type Affine, invertAffine as invertMathAffine, isIdentity, similarity } from '../math/affine';
import { type AffineMap, affineMap } from '../units';

/**
 * x' = a·x + b·y + tx, y' = c·x + d·y + ty (row-major 2×3). The simulator's stored layout of the
 * map (it is part of SimulationParams, recipes and truth files); the maths is src/core/math/affine.ts.
 */
export interface Affine2D {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

export const IDENTITY_AFFINE: Affine2D = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 };

/** The same map in the registration's layout. */
export function toAffine(t: Affine2D): Affine {
  return { a: t.a, b: t.b, c: t.tx, d: t.c, e: t.d, f: t.ty };
}

/**
 * A channel's transform (SimulationParams.channels[c].transform) with its direction named: it
 * places channel 0's structures into channel c. A registration of channel c onto channel 0
 * estimates the inverse.
 */
export function channelMap(t: Affine2D): AffineMap<'channel 0', 'channel c'> {
  return affineMap(toAffine(t));
}

export function fromAffine(t: Affine): Affine2D {
  return { a: t.a, b: t.b, c: t.d, d: t.e, tx: t.c, ty: t.f };
}

/** A similarity transform (scale, rotation about the field centre, translation), the usual two-camera misregistration. */
export function similarityAffine(
  scale: number,
  rotationDeg: number,
  txNm: number,
  tyNm: number,
  centreXNm: number,
  centreYNm: number,
): Affine2D {
  return fromAffine(similarity((rotationDeg * Math.PI) / 180, scale, txNm, tyNm, centreXNm, centreYNm));
}

export function isIdentityAffine(t: Affine2D): boolean {
  return isIdentity(toAffine(t));
}

export function invertAffine(t: Affine2D): Affine2D {
  return fromAffine(invertMathAffine(toAffine(t)));
}

export interface DriftParams {
  /** Linear stage creep in nm per second. */
  speedXNmPerS: number;
  speedYNmPerS: number;
  /** Amplitude of a slow sinusoidal wobble on top of the creep, nm. */
  wobbleAmplitudeNm: number;
  wobblePeriodS: number;
}

/**
 * Stage drift per frame in nm: linear creep plus a slow wobble with seeded phases. Smooth by
 * construction, and zero at frame 0 so the first frame is the reference.
 */
export function driftTrajectory(
  p: DriftParams,
  frames: number,
  frameIntervalMs: number,
  phaseX: number,
  phaseY: number,
): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(frames);
  const y = new Float64Array(frames);
  const w = p.wobblePeriodS > 0 ? (2 * Math.PI) / p.wobblePeriodS : 0;
  const sx0 = Math.sin(phaseX);
  const sy0 = Math.sin(phaseY);
  for (let k = 0; k < frames; k++) {
    const t = (k * frameIntervalMs) / 1000;
    x[k] = p.speedXNmPerS * t + p.wobbleAmplitudeNm * (Math.sin(w * t + phaseX) - sx0);
    y[k] = p.speedYNmPerS * t + p.wobbleAmplitudeNm * (Math.sin(w * t + phaseY) - sy0);
  }
  return { x, y };
}

/** Signed distance-like test: value < 1 inside the ellipse (centre, semi-axes, angle in radians). */
export function ellipseLevel(
  px: number,
  py: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  angle: number,
): number {
  const dx = px - cx;
  const dy = py - cy;
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const u = (dx * ca + dy * sa) / rx;
  const v = (-dx * sa + dy * ca) / ry;
  return u * u + v * v;
}

/** Approximate Euclidean distance from a point to an ellipse's edge (0 inside); exact for circles. */
export function distanceOutsideEllipse(
  px: number,
  py: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  angle: number,
): number {
  const dx = px - cx;
  const dy = py - cy;
  const r = Math.hypot(dx, dy);
  if (r === 0) return 0;
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const u = (dx * ca + dy * sa) / r;
  const v = (-dx * sa + dy * ca) / r;
  // Radius of the ellipse along the direction of the point.
  const edge = 1 / Math.sqrt((u * u) / (rx * rx) + (v * v) / (ry * ry));
  return Math.max(0, r - edge);
}

/** Uniform point in an ellipse, written into out[0], out[1]. */
export function samplePointInEllipse(
  u1: number,
  u2: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  angle: number,
  out: Float64Array,
): void {
  const r = Math.sqrt(u1);
  const t = 2 * Math.PI * u2;
  const lx = r * rx * Math.cos(t);
  const ly = r * ry * Math.sin(t);
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  out[0] = cx + lx * ca - ly * sa;
  out[1] = cy + lx * sa + ly * ca;
}
