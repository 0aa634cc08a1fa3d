// Control positions: random points per movie frame, the null model for "EVs sit near
// structures". Each frame draws from its own Rng stream (seed, frame), so any frame can be
// regenerated alone and the set does not depend on processing order.
import { Rng } from '../random';

/** Where control points may fall: a rectangle, a cell mask on a grid, or a polygon (nm). */
export type ControlRegion =
  | { kind: 'rect'; x0: number; y0: number; x1: number; y1: number }
  | {
      kind: 'mask';
      /** Non-zero pixels are inside; pixel (i, j) spans [x0 + i·p, x0 + (i+1)·p) × [y0 + j·p, …). */
      mask: Uint8Array;
      x0: number;
      y0: number;
      pixelNm: number;
      width: number;
      height: number;
    }
  | { kind: 'polygon'; x: ArrayLike<number>; y: ArrayLike<number> };

export interface ControlPositions {
  readonly length: number;
  readonly columns: { frame: Uint32Array; x: Float64Array; y: Float64Array };
}

/** Even–odd rule point-in-polygon test. */
export function insidePolygon(px: ArrayLike<number>, py: ArrayLike<number>, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = px.length - 1; i < px.length; j = i++) {
    if (py[i] > y !== py[j] > y && x < ((px[j] - px[i]) * (y - py[i])) / (py[j] - py[i]) + px[i])
      inside = !inside;
  }
  return inside;
}

/** `perFrame` uniform random points in each of `frames` movie frames (default 100 per frame). */
export function controlPositions(
  frames: number,
  region: ControlRegion,
  options: { perFrame?: number; seed?: number } = {},
): ControlPositions {
  const per = options.perFrame ?? 100;
  const seed = options.seed ?? 1;
  const n = frames * per;
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  // Uniform over a mask = pick a mask pixel uniformly, then a uniform point inside it: exact,
  // and without rejection loops when the cell covers a small part of the field.
  let pixels: Uint32Array | undefined;
  if (region.kind === 'mask') {
    if (region.mask.length !== region.width * region.height) throw new Error('mask size ≠ width × height');
    let c = 0;
    for (let i = 0; i < region.mask.length; i++) if (region.mask[i]) c++;
    if (!c) throw new Error('the control mask is empty');
    pixels = new Uint32Array(c);
    c = 0;
    for (let i = 0; i < region.mask.length; i++) if (region.mask[i]) pixels[c++] = i;
  }
  let bx0 = 0;
  let by0 = 0;
  let bx1 = 0;
  let by1 = 0;
  if (region.kind === 'polygon') {
    if (region.x.length < 3 || region.x.length !== region.y.length)
      throw new Error('polygon needs ≥ 3 vertices');
    bx0 = Math.min(...Array.from(region.x));
    bx1 = Math.max(...Array.from(region.x));
    by0 = Math.min(...Array.from(region.y));
    by1 = Math.max(...Array.from(region.y));
  }
  let k = 0;
  for (let f = 0; f < frames; f++) {
    const r = new Rng(seed, f);
    for (let s = 0; s < per; s++, k++) {
      frame[k] = f;
      if (region.kind === 'rect') {
        x[k] = region.x0 + (region.x1 - region.x0) * r.uniform();
        y[k] = region.y0 + (region.y1 - region.y0) * r.uniform();
      } else if (region.kind === 'mask') {
        const p = pixels![Math.min(pixels!.length - 1, Math.floor(r.uniform() * pixels!.length))];
        x[k] = region.x0 + ((p % region.width) + r.uniform()) * region.pixelNm;
        y[k] = region.y0 + (Math.floor(p / region.width) + r.uniform()) * region.pixelNm;
      } else {
        let px: number;
        let py: number;
        let tries = 0;
        do {
          if (++tries > 1_000_000) throw new Error('polygon has (almost) no area');
          px = bx0 + (bx1 - bx0) * r.uniform();
          py = by0 + (by1 - by0) * r.uniform();
        } while (!insidePolygon(region.x, region.y, px, py));
        x[k] = px;
        y[k] = py;
      }
    }
  }
  return { length: n, columns: { frame, x, y } };
}
