// 2-D affine maps x' = a·x + b·y + c, y' = d·x + e·y + f — the one implementation behind the
// channel registration (src/core/registration) and the simulator's two-camera geometry
// (src/core/sim/geometry.ts, which stores the same map with named translation fields).

export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

/**
 * Rotation by `angleRad` and isotropic `scale` about (cx, cy), then a shift by (tx, ty). Rotating
 * about the field centre keeps a two-camera misregistration from swinging the field about a corner;
 * with the default centre it is the usual similarity about the origin.
 */
export function similarity(angleRad: number, scale: number, tx: number, ty: number, cx = 0, cy = 0): Affine {
  const cs = scale * Math.cos(angleRad);
  const sn = scale * Math.sin(angleRad);
  return { a: cs, b: -sn, c: cx - (cs * cx - sn * cy) + tx, d: sn, e: cs, f: cy - (sn * cx + cs * cy) + ty };
}

export function isIdentity(t: Affine): boolean {
  return t.a === 1 && t.b === 0 && t.c === 0 && t.d === 0 && t.e === 1 && t.f === 0;
}

/** Maps the point arrays (x, y) through `t` into new arrays. */
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
  if (!(Math.abs(det) > 1e-12)) throw new Error('affine transform is singular (determinant 0)');
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
