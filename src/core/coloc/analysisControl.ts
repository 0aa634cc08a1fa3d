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

/**
 * A uniform sampler over `region` driven by the caller's Rng, and a membership test. Uniform over
 * a mask = pick a mask pixel uniformly, then a uniform point inside it: exact, and without
 * rejection loops when the cell covers a small part of the field.
 */
export function regionSampler(region: ControlRegion): {
  sample: (r: Rng) => [number, number];
  contains: (x: number, y: number) => boolean;
} {
  if (region.kind === 'rect') {
    const { x0, y0, x1, y1 } = region;
    return {
      sample: (r) => [x0 + (x1 - x0) * r.uniform(), y0 + (y1 - y0) * r.uniform()],
      contains: (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1,
    };
  }
  if (region.kind === 'mask') {
    const { mask, width, height, pixelNm, x0, y0 } = region;
    if (mask.length !== width * height) throw new Error('mask size ≠ width × height');
    let c = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) c++;
    if (!c) throw new Error('the control mask is empty');
    const pixels = new Uint32Array(c);
    c = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) pixels[c++] = i;
    return {
      sample(r) {
        const p = pixels[Math.min(pixels.length - 1, Math.floor(r.uniform() * pixels.length))];
        return [
          x0 + ((p % width) + r.uniform()) * pixelNm,
          y0 + (Math.floor(p / width) + r.uniform()) * pixelNm,
        ];
      },
      contains(x, y) {
        const i = Math.floor((x - x0) / pixelNm);
        const j = Math.floor((y - y0) / pixelNm);
        return i >= 0 && j >= 0 && i < width && j < height && mask[j * width + i] !== 0;
      },
    };
  }
  if (region.x.length < 3 || region.x.length !== region.y.length)
    throw new Error('polygon needs ≥ 3 vertices');
  const bx0 = Math.min(...Array.from(region.x));
  const bx1 = Math.max(...Array.from(region.x));
  const by0 = Math.min(...Array.from(region.y));
  const by1 = Math.max(...Array.from(region.y));
  return {
    sample(r) {
      for (let tries = 0; tries < 1_000_000; tries++) {
        const px = bx0 + (bx1 - bx0) * r.uniform();
        const py = by0 + (by1 - by0) * r.uniform();
        if (insidePolygon(region.x, region.y, px, py)) return [px, py];
      }
      throw new Error('polygon has (almost) no area');
    },
    contains: (x, y) => insidePolygon(region.x, region.y, x, y),
  };
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
  const sampler = regionSampler(region);
  let k = 0;
  for (let f = 0; f < frames; f++) {
    const r = new Rng(seed, f);
    for (let s = 0; s < per; s++, k++) {
      frame[k] = f;
      [x[k], y[k]] = sampler.sample(r);
    }
  }
  return { length: n, columns: { frame, x, y } };
}
