// Two-channel registration from beads: pair localizations automatically, fit an affine
// transform mov → ref, drop outlier pairs, and report the residual errors.

import { type AffineMap, affineMap, invertMap } from '../units';
import { type Affine, type AffineFit, applyAffine, fitAffine, IDENTITY } from './affine';
import { estimateShift, mutualNearestPairs } from './pairing';

export interface RegistrationParams {
  /** Largest plausible shift between channels, nm. Default 1000. */
  maxShift?: number;
  /** Pairing radius after the shift / the transform is applied, nm. Default 200. */
  pairRadius?: number;
  /**
   * A pair is an outlier when its residual exceeds `outlierFactor` × σ̂, with σ̂ the per-axis
   * residual scale estimated robustly from the median squared residual (for Gaussian errors
   * median r² = 2σ² ln 2). Default 4: a genuine pair is rejected with probability e^{−8}.
   */
  outlierFactor?: number;
  /** Residual below which a pair is never called an outlier (nm). Default 1. */
  minOutlierResidual?: number;
}

export interface Registration extends AffineFit {
  /** Maps the moving channel into the reference channel's coordinates. */
  transform: AffineMap<'moving', 'reference'>;
  inverse: AffineMap<'reference', 'moving'>;
  /** Inlier pairs (indices into the ref and mov point sets). */
  ref: Int32Array;
  mov: Int32Array;
  /** Pairs found but rejected as outliers. */
  outliers: number;
  /** Initial shift estimate (ref − mov), nm. */
  shift: { dx: number; dy: number };
}

/** The parameters with the defaults their docs state. */
export function withDefaults(params: RegistrationParams): Required<RegistrationParams> {
  return {
    maxShift: params.maxShift ?? 1000,
    pairRadius: params.pairRadius ?? 200,
    outlierFactor: params.outlierFactor ?? 4,
    minOutlierResidual: params.minOutlierResidual ?? 1,
  };
}

function take(a: ArrayLike<number>, idx: Int32Array): Float64Array {
  return Float64Array.from(idx, (i) => a[i]);
}

export function registerChannels(
  refX: ArrayLike<number>,
  refY: ArrayLike<number>,
  movX: ArrayLike<number>,
  movY: ArrayLike<number>,
  params: RegistrationParams = {},
): Registration {
  const { maxShift, pairRadius: radius, outlierFactor: k, minOutlierResidual: minOut } = withDefaults(params);
  const shift = estimateShift(refX, refY, movX, movY, maxShift, radius / 2);
  if (!Number.isFinite(shift.dx)) throw new Error(`no bead pairs within ${maxShift} nm`);
  let transform: Affine = { ...IDENTITY, c: shift.dx, f: shift.dy };
  let pairs: { ref: Int32Array; mov: Int32Array } = { ref: new Int32Array(0), mov: new Int32Array(0) };
  let fit: AffineFit | undefined;
  let outliers = 0;
  // Pair with the current transform, fit, reject outliers and refit; then re-pair with the
  // fitted affine (recovering beads the pure shift left too far apart) until the inliers repeat.
  for (let iter = 0; iter < 10; iter++) {
    const moved = applyAffine(transform, movX, movY);
    const found = mutualNearestPairs(refX, refY, moved.x, moved.y, radius);
    if (found.ref.length < 3) throw new Error(`only ${found.ref.length} bead pairs found: need ≥ 3`);
    let ref = found.ref;
    let mov = found.mov;
    for (;;) {
      fit = fitAffine(take(movX, mov), take(movY, mov), take(refX, ref), take(refY, ref));
      const { residualX, residualY } = fit;
      const r2 = Array.from(residualX, (rx, i) => rx * rx + residualY[i] ** 2).sort((a, b) => a - b);
      const sigma = Math.sqrt(r2[r2.length >> 1] / (2 * Math.LN2));
      const limit = Math.max(k * sigma, minOut);
      const keep: number[] = [];
      for (let i = 0; i < ref.length; i++) if (Math.hypot(residualX[i], residualY[i]) <= limit) keep.push(i);
      if (keep.length === ref.length || keep.length < 3) break;
      ref = Int32Array.from(keep, (i) => ref[i]);
      mov = Int32Array.from(keep, (i) => mov[i]);
    }
    outliers = found.ref.length - ref.length;
    transform = fit.transform;
    const repeated =
      ref.length === pairs.ref.length && ref.every((r, i) => r === pairs.ref[i] && mov[i] === pairs.mov[i]);
    pairs = { ref, mov };
    if (repeated) break;
  }
  const f = fit!;
  const mapped = affineMap<'moving', 'reference'>(transform);
  return {
    ...f,
    transform: mapped,
    inverse: invertMap(mapped),
    ref: pairs.ref,
    mov: pairs.mov,
    outliers,
    shift: { dx: shift.dx, dy: shift.dy },
  };
}
