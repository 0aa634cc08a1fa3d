// Signed distance from positions (EVs, random controls) to binarized structures, in nm
// (SCIENCE.md §4): outside a structure the distance to its nearest pixel (positive), inside
// minus the distance to its boundary.
//
// Definition, on the render grid: the boundary lies halfway between a structure pixel's centre
// and a background pixel's centre (along the pixel edge for axis neighbours). At a pixel centre
//   outside: d = (distance to the nearest structure pixel centre) − ½ px
//   inside:  d = −((distance to the nearest background pixel centre) − ½ px)
// so the two sides meet at 0 (±½ px for the two pixels flanking an edge). Measuring between
// centres without the ½ px would push every value a full pixel away from 0 at the edge. For
// shapes rasterised by their pixel centres this is within half a pixel of the analytic distance
// at every pixel centre for discs and rings (measured: ≤ 0.501 px), and within 0.21 px for squares
// whose sides lie on pixel edges (the excess is at the corners: √2·(d + ½) − ½ vs √2·d).
//
// At an arbitrary position ('exact', what the distance analysis uses) the distance is evaluated
// at the point itself: the structure is the union of its pixel squares, and the value is the
// Euclidean distance from the point to the nearest structure square (outside, > 0) or minus the
// distance to the nearest background square (inside). It is 0 on the pixel edges, equals the
// centre values above at axis neighbours of the edge, is exact to the pixel grid everywhere
// (also at a structure's centre, where interpolation would round off the kink), and is within
// half a pixel diagonal of the analytic distance for rasterised discs, rings and half-planes.
// The older samplers remain: 'bilinear' interpolates between the four surrounding centre values
// (rounds a kink off by up to about one pixel), 'nearest' takes the containing pixel's value.
//
// Outside the image is not background: a structure cut by the region of interest is not given
// an edge there. With no structure pixel at all distances are +∞; with no background, −∞.

import type { RenderGrid } from '../movie/grid';
import { type Nm, nm } from '../units';
import { squaredDistanceTransform } from './edt';

export type FieldSampling = 'exact' | 'bilinear' | 'nearest';

function distanceFromSquared(sq: number): number {
  return Math.sqrt(sq) - 0.5;
}

/** Squared distance (px²) from (u, v) (pixel units) to the square of pixel (c, r). */
export function boxDistance2(u: number, v: number, c: number, r: number): number {
  const dx = c > u ? c - u : u > c + 1 ? u - c - 1 : 0;
  const dy = r > v ? r - v : v > r + 1 ? v - r - 1 : 0;
  return dx * dx + dy * dy;
}

/**
 * Per column, the nearest row at or above (`up`) and at or below (`down`) each pixel whose
 * `member(p)` holds, −1 for none, over the window [x0, x0+w) × [y0, y0+h) of a `width`-wide image.
 */
class ColumnIndex {
  readonly up: Int32Array;
  readonly down: Int32Array;
  /** Members are the pixels with `mask[p] !== 0` (`background`: with `mask[p] === 0`). */
  constructor(
    mask: ArrayLike<number>,
    background: boolean,
    width: number,
    readonly x0: number,
    readonly y0: number,
    readonly w: number,
    readonly h: number,
  ) {
    const up = new Int32Array(w * h);
    const down = new Int32Array(w * h);
    const on = background ? 0 : 1;
    for (let y = 0; y < h; y++) {
      const src = (y + y0) * width + x0;
      const k0 = y * w;
      for (let x = 0; x < w; x++)
        up[k0 + x] = (mask[src + x] !== 0 ? 1 : 0) === on ? y : y > 0 ? up[k0 - w + x] : -1;
    }
    for (let y = h - 1; y >= 0; y--) {
      const src = (y + y0) * width + x0;
      const k0 = y * w;
      for (let x = 0; x < w; x++)
        down[k0 + x] = (mask[src + x] !== 0 ? 1 : 0) === on ? y : y < h - 1 ? down[k0 + w + x] : -1;
    }
    this.up = up;
    this.down = down;
  }

  /** Squared distance (px²) from (u, v) (image pixel units) to the nearest member square; ∞ if none. */
  distance2(u: number, v: number): number {
    const { w, h } = this;
    const lu = u - this.x0;
    const lv = v - this.y0;
    const row = Math.min(Math.max(Math.floor(lv), 0), h - 1);
    const col = Math.min(Math.max(Math.floor(lu), 0), w - 1);
    let best = Number.POSITIVE_INFINITY;
    const column = (x: number) => {
      const k = row * w + x;
      const a = this.up[k];
      const b = this.down[k];
      if (a >= 0) best = Math.min(best, boxDistance2(lu, lv, x, a));
      if (b >= 0) best = Math.min(best, boxDistance2(lu, lv, x, b));
    };
    column(col);
    // Walk outwards: columns d away are at least d − 1 px off horizontally.
    for (let d = 1; d < w && (d - 1) * (d - 1) < best; d++) {
      if (col - d >= 0) column(col - d);
      if (col + d < w) column(col + d);
    }
    return best;
  }
}

/**
 * Exact signed distance (nm) at arbitrary points to the structures of one mask (non-zero =
 * structure), see the module comment: to the nearest structure pixel square outside, minus the
 * distance to the nearest background square inside; +∞ with no structure, −∞ with no background.
 */
export class PointSignedDistance {
  private readonly structure: ColumnIndex | null;
  private readonly background: ColumnIndex | null;
  constructor(
    private readonly mask: ArrayLike<number>,
    private readonly grid: RenderGrid,
  ) {
    const { width, height } = grid;
    if (mask.length !== width * height) throw new RangeError('mask size does not match the grid');
    // Inside points need background only within the structures' bounding box plus one pixel:
    // any background square beyond it has one on that margin that is nearer on both axes.
    const box = structureBoxWithMargin(mask, width, height);
    this.structure = box ? new ColumnIndex(mask, false, width, 0, 0, width, height) : null;
    if (!box) {
      this.background = null;
      return;
    }
    const { x0, y0, x1, y1 } = box;
    let any = false;
    for (let y = y0; y <= y1 && !any; y++) for (let x = x0; x <= x1 && !any; x++) any = !mask[y * width + x];
    this.background = any ? new ColumnIndex(mask, true, width, x0, y0, x1 - x0 + 1, y1 - y0 + 1) : null;
  }

  /** Signed distance (nm) at (x, y) nm; NaN outside the grid. */
  at(xNm: number, yNm: number): number {
    const g = this.grid;
    const at = pixelIndexAt(g, xNm, yNm);
    if (at < 0) return Number.NaN;
    const u = (xNm - g.x0Nm) / g.pixelNm;
    const v = (yNm - g.y0Nm) / g.pixelNm;
    if (this.mask[at]) {
      if (!this.background) return Number.NEGATIVE_INFINITY;
      return -Math.sqrt(this.background.distance2(u, v)) * g.pixelNm;
    }
    if (!this.structure) return Number.POSITIVE_INFINITY;
    return Math.sqrt(this.structure.distance2(u, v)) * g.pixelNm;
  }
}

/** Signed distance (nm) at every pixel centre of a mask (non-zero = structure); pixel size in nm. */
export function signedDistanceField(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  pixelNm: Nm = nm(1),
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  const toStructure = squaredDistanceTransform(mask, width, height);
  const inside = insideSquaredDistances(mask, width, height);
  for (let i = 0; i < width * height; i++)
    out[i] = mask[i]
      ? -distanceFromSquared(inside[i]) * pixelNm
      : distanceFromSquared(toStructure[i]) * pixelNm;
  return out;
}

// Squared distance from each structure pixel to the nearest background pixel (0 elsewhere),
// computed on the structures' bounding box plus one pixel only: any background pixel beyond
// that margin has a margin pixel that is nearer on both axes. Structures usually cover a small
// part of the frame, so this costs a fraction of a full-frame transform.
function insideSquaredDistances(mask: ArrayLike<number>, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  const box = structureBoxWithMargin(mask, width, height);
  if (!box) return out;
  const { x0, y0, x1, y1 } = box;
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const background = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) background[y * cw + x] = mask[(y + y0) * width + x + x0] ? 0 : 1;
  const crop = squaredDistanceTransform(background, cw, ch);
  for (let y = 0; y < ch; y++) out.set(crop.subarray(y * cw, (y + 1) * cw), (y + y0) * width + x0);
  return out;
}

/**
 * The structures' (non-zero pixels') bounding box grown by one pixel and clipped to the frame,
 * inclusive; null without structures. Background beyond it is never the nearest to an inside
 * point: a margin pixel is nearer on both axes.
 */
function structureBoxWithMargin(
  mask: ArrayLike<number>,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (mask[y * width + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
  if (x1 < 0) return null;
  return {
    x0: Math.max(x0 - 1, 0),
    y0: Math.max(y0 - 1, 0),
    x1: Math.min(x1 + 1, width - 1),
    y1: Math.min(y1 + 1, height - 1),
  };
}

/**
 * Signed distance (nm) to the nearest structure of a label image (0 = background), with the
 * label of that structure: the containing one inside, the nearest one outside (its nearest
 * pixel, from the feature transform). Inside distances are to the nearest background pixel,
 * which for 8-connected labels is the nearest pixel of any other label too.
 */
export function nearestStructureField(
  labels: Uint32Array,
  width: number,
  height: number,
  pixelNm = 1,
): { distance: Float32Array; label: Uint32Array } {
  const n = width * height;
  const nearest = new Int32Array(n);
  const toStructure = squaredDistanceTransform(labels, width, height, nearest);
  const toBackground = insideSquaredDistances(labels, width, height);
  const distance = new Float32Array(n);
  const label = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (labels[i]) {
      distance[i] = -distanceFromSquared(toBackground[i]) * pixelNm;
      label[i] = labels[i];
    } else {
      distance[i] = distanceFromSquared(toStructure[i]) * pixelNm;
      label[i] = nearest[i] >= 0 ? labels[nearest[i]] : 0;
    }
  }
  return { distance, label };
}

/** Index of the grid pixel containing (x, y) nm, or −1 outside the grid. */
export function pixelIndexAt(grid: RenderGrid, xNm: number, yNm: number): number {
  const i = Math.floor((xNm - grid.x0Nm) / grid.pixelNm);
  const j = Math.floor((yNm - grid.y0Nm) / grid.pixelNm);
  if (!(i >= 0 && j >= 0 && i < grid.width && j < grid.height)) return -1;
  return j * grid.width + i;
}

/**
 * A field of pixel-centre values at a position (nm); NaN outside the grid. Bilinear between the
 * four surrounding centres (clamped in the half pixel along the border); falls back to the
 * containing pixel where a neighbour is infinite.
 */
export function sampleField(
  field: ArrayLike<number>,
  grid: RenderGrid,
  xNm: number,
  yNm: number,
  sampling: FieldSampling = 'bilinear',
): number {
  const at = pixelIndexAt(grid, xNm, yNm);
  if (at < 0) return Number.NaN;
  if (sampling === 'nearest') return field[at];
  const { width, height } = grid;
  const u = Math.min(Math.max((xNm - grid.x0Nm) / grid.pixelNm - 0.5, 0), width - 1);
  const v = Math.min(Math.max((yNm - grid.y0Nm) / grid.pixelNm - 0.5, 0), height - 1);
  const i = Math.min(Math.floor(u), Math.max(width - 2, 0));
  const j = Math.min(Math.floor(v), Math.max(height - 2, 0));
  const a = u - i;
  const b = v - j;
  const i1 = Math.min(i + 1, width - 1);
  const j1 = Math.min(j + 1, height - 1);
  const f00 = field[j * width + i];
  const f10 = field[j * width + i1];
  const f01 = field[j1 * width + i];
  const f11 = field[j1 * width + i1];
  if (!Number.isFinite(f00 + f10 + f01 + f11)) return field[at];
  return (1 - b) * ((1 - a) * f00 + a * f10) + b * ((1 - a) * f01 + a * f11);
}

/**
 * Signed distance to each labelled structure separately (for pooling over all structures of a
 * frame), with the same definition and sampling as signedDistanceField. Each structure keeps
 * only its contours: its pixels with a 4-neighbour outside it (the nearest structure pixel to
 * any outside point is one of them) and the background pixels 4-adjacent to it (likewise the
 * nearest background pixel to an inside point); other structures count as background. A query
 * costs O(contour length) per structure, with no per-structure images.
 */
export class StructureDistances {
  readonly grid: RenderGrid;
  readonly count: number;
  private readonly labels: Uint32Array;
  private readonly innerStart: Int32Array;
  private readonly inner: Int32Array;
  private readonly outerStart: Int32Array;
  private readonly outer: Int32Array;

  constructor(labels: Uint32Array, grid: RenderGrid) {
    const { width, height } = grid;
    if (labels.length !== width * height) throw new RangeError('label image does not match the grid');
    this.grid = grid;
    this.labels = labels;
    let count = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] > count) count = labels[i];
    this.count = count;
    // Two passes (count, then fill) into CSR lists keyed by label. A pixel can be on the outer
    // contour of several structures; `stamp` keeps it once per structure. Pixels on the image
    // border need no special case: the nearest structure pixel to a centre inside the image
    // always has a neighbour, towards that centre and inside the image, outside the structure.
    const innerCount = new Int32Array(count + 2);
    const outerCount = new Int32Array(count + 2);
    const stamp = new Int32Array(count + 1).fill(-1);
    let fill = false;
    const addOuter = (k: number, l: number, p: number) => {
      if (!k || k === l || stamp[k] === p) return;
      stamp[k] = p;
      if (fill) this.outer[outerCount[k]++] = p;
      else outerCount[k + 1]++;
    };
    const visit = () => {
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const p = y * width + x;
          const l = labels[p];
          const left = x > 0 ? labels[p - 1] : l;
          const right = x < width - 1 ? labels[p + 1] : l;
          const up = y > 0 ? labels[p - width] : l;
          const down = y < height - 1 ? labels[p + width] : l;
          // Background away from every structure (most of a frame) is on no contour.
          if ((l | left | right | up | down) === 0) continue;
          if (l && (left !== l || right !== l || up !== l || down !== l)) {
            if (fill) this.inner[innerCount[l]++] = p;
            else innerCount[l + 1]++;
          }
          addOuter(left, l, p);
          addOuter(right, l, p);
          addOuter(up, l, p);
          addOuter(down, l, p);
        }
    };
    visit();
    for (let k = 1; k < count + 2; k++) {
      innerCount[k] += innerCount[k - 1];
      outerCount[k] += outerCount[k - 1];
    }
    this.innerStart = innerCount.slice();
    this.outerStart = outerCount.slice();
    this.inner = new Int32Array(innerCount[count + 1]);
    this.outer = new Int32Array(outerCount[count + 1]);
    stamp.fill(-1);
    fill = true;
    visit();
  }

  /** Signed distance (nm) from (x, y) nm to structure `label`; NaN outside the grid. */
  signedDistance(label: number, xNm: number, yNm: number, sampling: FieldSampling = 'exact'): number {
    const g = this.grid;
    const at = pixelIndexAt(g, xNm, yNm);
    if (at < 0 || !(label >= 1 && label <= this.count)) return Number.NaN;
    if (sampling === 'exact') return this.atPoint(label, at, xNm, yNm);
    if (sampling === 'nearest') return this.atCentre(label, at);
    const u = Math.min(Math.max((xNm - g.x0Nm) / g.pixelNm - 0.5, 0), g.width - 1);
    const v = Math.min(Math.max((yNm - g.y0Nm) / g.pixelNm - 0.5, 0), g.height - 1);
    const i = Math.min(Math.floor(u), Math.max(g.width - 2, 0));
    const j = Math.min(Math.floor(v), Math.max(g.height - 2, 0));
    const a = u - i;
    const b = v - j;
    const i1 = Math.min(i + 1, g.width - 1);
    const j1 = Math.min(j + 1, g.height - 1);
    const f00 = this.atCentre(label, j * g.width + i);
    const f10 = this.atCentre(label, j * g.width + i1);
    const f01 = this.atCentre(label, j1 * g.width + i);
    const f11 = this.atCentre(label, j1 * g.width + i1);
    if (!Number.isFinite(f00 + f10 + f01 + f11)) return this.atCentre(label, at);
    return (1 - b) * ((1 - a) * f00 + a * f10) + b * ((1 - a) * f01 + a * f11);
  }

  /** Signed distances (nm) to every structure, out[k − 1] for label k. */
  signedDistances(
    xNm: number,
    yNm: number,
    out: Float64Array = new Float64Array(this.count),
    sampling: FieldSampling = 'exact',
  ): Float64Array {
    for (let k = 1; k <= this.count; k++) out[k - 1] = this.signedDistance(k, xNm, yNm, sampling);
    return out;
  }

  // Value at the point itself (module comment): nearest square of the relevant contour.
  private atPoint(label: number, p: number, xNm: number, yNm: number): number {
    const g = this.grid;
    const inside = this.labels[p] === label;
    const list = inside ? this.outer : this.inner;
    const start = inside ? this.outerStart[label] : this.innerStart[label];
    const end = inside ? this.outerStart[label + 1] : this.innerStart[label + 1];
    if (start === end) return inside ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    const u = (xNm - g.x0Nm) / g.pixelNm;
    const v = (yNm - g.y0Nm) / g.pixelNm;
    let best = Number.POSITIVE_INFINITY;
    for (let k = start; k < end; k++) {
      const q = list[k];
      const qx = q % g.width;
      const d = boxDistance2(u, v, qx, (q - qx) / g.width);
      if (d < best) best = d;
    }
    const d = Math.sqrt(best) * g.pixelNm;
    return inside ? -d : d;
  }

  // Value at pixel centre p: brute force over the relevant contour, exact like the EDT.
  private atCentre(label: number, p: number): number {
    const w = this.grid.width;
    const inside = this.labels[p] === label;
    const list = inside ? this.outer : this.inner;
    const start = inside ? this.outerStart[label] : this.innerStart[label];
    const end = inside ? this.outerStart[label + 1] : this.innerStart[label + 1];
    const px = p % w;
    const py = (p - px) / w;
    let best = Number.POSITIVE_INFINITY;
    for (let k = start; k < end; k++) {
      const q = list[k];
      const qx = q % w;
      const dx = qx - px;
      const dy = (q - qx) / w - py;
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    const d = distanceFromSquared(best) * this.grid.pixelNm;
    return inside ? -d : d;
  }
}
