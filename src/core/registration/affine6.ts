// The six numbers of an affine as a plain tuple — what stores, sessions and worker messages carry
// (x' = a·x + b·y + c, y' = d·x + e·y + f, nm) — and the conversions to the kernel's objects and
// to the simulator's Affine2D (which names the translation tx, ty and the second row c, d).
import type { Affine2D } from '../sim/geometry';
import { type Affine, invertAffine } from './affine';

export type Affine6 = [a: number, b: number, c: number, d: number, e: number, f: number];

export const IDENTITY6: Affine6 = [1, 0, 0, 0, 1, 0];

export function toAffine6(t: Affine): Affine6 {
  return [t.a, t.b, t.c, t.d, t.e, t.f];
}

export function fromAffine6(v: readonly number[]): Affine {
  return { a: v[0], b: v[1], c: v[2], d: v[3], e: v[4], f: v[5] };
}

/** The simulator's channel transform (channel 0 → channel c) as six numbers. */
export function fromSimAffine(t: Affine2D): Affine6 {
  return [t.a, t.b, t.tx, t.c, t.d, t.ty];
}

export function invertAffine6(v: readonly number[]): Affine6 {
  return toAffine6(invertAffine(fromAffine6(v)));
}

export function isIdentity6(v: readonly number[] | null | undefined): boolean {
  return !v || (v[0] === 1 && v[1] === 0 && v[2] === 0 && v[3] === 0 && v[4] === 1 && v[5] === 0);
}

/** A point map for one affine; identity returns the point unchanged (bit-exact). */
export function affinePointFn(
  v: readonly number[] | null | undefined,
): (x: number, y: number) => [number, number] {
  if (isIdentity6(v)) return (x, y) => [x, y];
  const [a, b, c, d, e, f] = v as Affine6;
  return (x, y) => [a * x + b * y + c, d * x + e * y + f];
}

/** Whether six numbers make a finite, invertible affine; the reason when they do not. */
export function affine6Problem(v: readonly number[]): string | null {
  if (v.length !== 6) return `an affine needs 6 numbers (a b c d e f), got ${v.length}`;
  if (!v.every(Number.isFinite)) return 'every coefficient must be a finite number';
  const det = v[0] * v[4] - v[1] * v[3];
  if (!(Math.abs(det) > 1e-9))
    return 'the transform is singular (a·e − b·d = 0): it would collapse the image';
  if (det < 0.5 || det > 2)
    return `the transform scales areas by ${det.toPrecision(3)}: two cameras of one microscope differ by a few per cent at most`;
  return null;
}

/**
 * Rotation (degrees), mean scale and the shift of the point (cx, cy) — the field centre, where
 * the shift means what a user expects (at the origin a rotation adds to it) — for labels.
 */
export function describeAffine6(
  v: readonly number[],
  cx = 0,
  cy = 0,
): { rotationDeg: number; scale: number; tx: number; ty: number } {
  const [a, b, c, d, e, f] = v;
  return {
    rotationDeg: (Math.atan2(d - b, a + e) * 180) / Math.PI,
    scale: Math.sqrt(Math.abs(a * e - b * d)),
    tx: a * cx + b * cy + c - cx,
    ty: d * cx + e * cy + f - cy,
  };
}
