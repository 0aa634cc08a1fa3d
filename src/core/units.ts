// Units and coordinate frames as types. A localization pipeline mixes nanometres, camera pixels,
// render pixels, 0-based frame indices (arrays, the movie) and 1-based frame numbers (ThunderSTORM
// and Picasso tables, what users type); a number passed in the wrong one is silently wrong by a
// factor of ~100 or by one frame. Branded numbers make that a type error at the module
// boundaries that take them, at no run-time cost (they are plain numbers).
//
// Affine maps carry their direction in the type: AffineMap<'moving', 'reference'> cannot be passed
// where AffineMap<'reference', 'moving'> is expected. Coefficient order is math/affine.ts's:
// x' = a·x + b·y + c, y' = d·x + e·y + f (the simulator stores the same map as Affine2D with the
// translation named tx, ty and the second row named c, d — convert with geometry.ts's toAffine).
import { type Affine, invertAffine } from './math/affine';

declare const unit: unique symbol;
declare const fromFrame: unique symbol;
declare const toFrame: unique symbol;

/** A length in nanometres. */
export type Nm = number & { readonly [unit]: 'nm' };
/** A length or coordinate in pixels (camera or render grid: the API says which). */
export type Px = number & { readonly [unit]: 'px' };
/** A frame index counted from 0 (arrays, the movie, the worker protocol). */
export type Frame0 = number & { readonly [unit]: 'frame0' };
/** A frame number counted from 1 (ThunderSTORM/Picasso tables, the UI, the CLI). */
export type Frame1 = number & { readonly [unit]: 'frame1' };

export const nm = (v: number): Nm => v as Nm;
export const px = (v: number): Px => v as Px;
export const frame0 = (v: number): Frame0 => v as Frame0;
export const frame1 = (v: number): Frame1 => v as Frame1;

export const pxToNm = (v: Px, pixelNm: Nm): Nm => (v * pixelNm) as Nm;
export const nmToPx = (v: Nm, pixelNm: Nm): Px => (v / pixelNm) as Px;
export const toFrame0 = (f: Frame1): Frame0 => (f - 1) as Frame0;
export const toFrame1 = (f: Frame0): Frame1 => (f + 1) as Frame1;

/** An affine map from coordinate frame `From` to `To` (nm), coefficients as in math/affine.ts. */
export type AffineMap<From extends string, To extends string> = Affine & {
  readonly [fromFrame]: From;
  readonly [toFrame]: To;
};

/** Names the direction of a plain affine (the caller vouches for it). */
export const affineMap = <From extends string, To extends string>(t: Affine): AffineMap<From, To> =>
  t as AffineMap<From, To>;

export const invertMap = <From extends string, To extends string>(
  t: AffineMap<From, To>,
): AffineMap<To, From> => invertAffine(t) as AffineMap<To, From>;
