// Fitting the 2D affine transform between channels: x' = a·x + b·y + c, y' = d·x + e·y + f (nm).
// Fitted by least squares on centred coordinates (so a 25 µm field does not make the normal
// equations ill-conditioned), with exact leave-one-out residuals from the hat matrix.

import type { Affine } from '../math/affine';

// The maths of the map itself lives in src/core/math/affine.ts; re-exported here so the
// registration's importers keep one entry point.
export {
  type Affine,
  applyAffine,
  composeAffine,
  IDENTITY,
  invertAffine,
  similarity,
} from '../math/affine';

export interface AffineFit {
  transform: Affine;
  /** Residuals dst − T(src) per pair, nm. */
  residualX: Float64Array;
  residualY: Float64Array;
  /** RMS residual per axis and total (√(rmsX² + rmsY²)), nm. */
  rmsX: number;
  rmsY: number;
  rms: number;
  /** The same for each pair predicted by a fit without it (exact, via the hat matrix), nm. */
  looRmsX: number;
  looRmsY: number;
  looRms: number;
}

/** Least-squares affine mapping src → dst from ≥ 3 non-collinear pairs (≥ 4 for leave-one-out). */
export function fitAffine(
  srcX: ArrayLike<number>,
  srcY: ArrayLike<number>,
  dstX: ArrayLike<number>,
  dstY: ArrayLike<number>,
): AffineFit {
  const n = srcX.length;
  if (n < 3) throw new Error(`an affine fit needs ≥ 3 point pairs, got ${n}`);
  let mx = 0;
  let my = 0;
  let mu = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) {
    mx += srcX[i];
    my += srcY[i];
    mu += dstX[i];
    mv += dstY[i];
  }
  mx /= n;
  my /= n;
  mu /= n;
  mv /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sxu = 0;
  let syu = 0;
  let sxv = 0;
  let syv = 0;
  for (let i = 0; i < n; i++) {
    const x = srcX[i] - mx;
    const y = srcY[i] - my;
    const u = dstX[i] - mu;
    const v = dstY[i] - mv;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    sxu += x * u;
    syu += y * u;
    sxv += x * v;
    syv += y * v;
  }
  const det = sxx * syy - sxy * sxy;
  if (!(det > 1e-9 * (sxx * syy + 1e-300))) throw new Error('affine fit: points are collinear');
  const i11 = syy / det;
  const i12 = -sxy / det;
  const i22 = sxx / det;
  const a = i11 * sxu + i12 * syu;
  const b = i12 * sxu + i22 * syu;
  const d = i11 * sxv + i12 * syv;
  const e = i12 * sxv + i22 * syv;
  const transform: Affine = { a, b, c: mu - a * mx - b * my, d, e, f: mv - d * mx - e * my };
  const residualX = new Float64Array(n);
  const residualY = new Float64Array(n);
  let ssx = 0;
  let ssy = 0;
  let lx = 0;
  let ly = 0;
  for (let i = 0; i < n; i++) {
    const rx = dstX[i] - (transform.a * srcX[i] + transform.b * srcY[i] + transform.c);
    const ry = dstY[i] - (transform.d * srcX[i] + transform.e * srcY[i] + transform.f);
    residualX[i] = rx;
    residualY[i] = ry;
    ssx += rx * rx;
    ssy += ry * ry;
    const x = srcX[i] - mx;
    const y = srcY[i] - my;
    const h = 1 / n + i11 * x * x + 2 * i12 * x * y + i22 * y * y;
    const g = 1 - h;
    lx += g > 1e-12 ? (rx / g) ** 2 : Number.POSITIVE_INFINITY;
    ly += g > 1e-12 ? (ry / g) ** 2 : Number.POSITIVE_INFINITY;
  }
  const rmsX = Math.sqrt(ssx / n);
  const rmsY = Math.sqrt(ssy / n);
  const looRmsX = Math.sqrt(lx / n);
  const looRmsY = Math.sqrt(ly / n);
  return {
    transform,
    residualX,
    residualY,
    rmsX,
    rmsY,
    rms: Math.hypot(rmsX, rmsY),
    looRmsX,
    looRmsY,
    looRms: Math.hypot(looRmsX, looRmsY),
  };
}
