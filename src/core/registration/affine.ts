// 2D affine transforms between channels: x' = a·x + b·y + c, y' = d·x + e·y + f (nm).
// Fitted by least squares on centred coordinates (so a 25 µm field does not make the normal
// equations ill-conditioned), with exact leave-one-out residuals from the hat matrix.

export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

/** The transform of a rotation by `angleRad` and isotropic `scale` about the origin, then a shift. */
export function similarity(angleRad: number, scale: number, tx: number, ty: number): Affine {
  const cs = scale * Math.cos(angleRad);
  const sn = scale * Math.sin(angleRad);
  return { a: cs, b: -sn, c: tx, d: sn, e: cs, f: ty };
}

export function applyAffine(
  t: Affine,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ox[i] = t.a * x[i] + t.b * y[i] + t.c;
    oy[i] = t.d * x[i] + t.e * y[i] + t.f;
  }
  return { x: ox, y: oy };
}

export function invertAffine(t: Affine): Affine {
  const det = t.a * t.e - t.b * t.d;
  if (!(Math.abs(det) > 1e-12)) throw new Error('affine transform is singular');
  const a = t.e / det;
  const b = -t.b / det;
  const d = -t.d / det;
  const e = t.a / det;
  return { a, b, c: -(a * t.c + b * t.f), d, e, f: -(d * t.c + e * t.f) };
}

/** `second ∘ first`: applies `first`, then `second`. */
export function composeAffine(second: Affine, first: Affine): Affine {
  return {
    a: second.a * first.a + second.b * first.d,
    b: second.a * first.b + second.b * first.e,
    c: second.a * first.c + second.b * first.f + second.c,
    d: second.d * first.a + second.e * first.d,
    e: second.d * first.b + second.e * first.e,
    f: second.d * first.c + second.e * first.f + second.f,
  };
}

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
