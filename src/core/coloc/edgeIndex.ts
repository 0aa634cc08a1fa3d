// Exact signed distances at a few hundred points per movie frame, for frames that differ little
// from one to the next (issue 19): PointSignedDistance's values bit for bit, without its two
// whole-frame column indexes per mask (at 1280² building those costs far more than the queries).
//
// The nearest point of the union of structure squares to an outside point lies on its boundary,
// i.e. on a structure pixel with a background 4-neighbour; likewise the nearest background square
// to an inside point is a background pixel with a structure 4-neighbour, and all those lie in the
// structures' bounding box plus one pixel, the window PointSignedDistance searches. So the value
// is the least square distance over those edge pixels, each computed by boxDistance2 in the same
// local coordinates as PointSignedDistance's (structure edges in image columns/rows, background
// edges relative to that window's corner, kept from per-column and per-row structure counts).
//
// The edge pixels of the previous mask are kept and updated only where the mask changed (found by
// comparing the masks 4 bytes at a time), filed in a grid of square cells so that a query reads
// only the cells that can hold its nearest edge pixel: a cell is skipped only when a lower bound
// on every square distance in it, taken one pixel looser than the cell so that rounding cannot
// make it exceed any of them, is no less than the best found.

import type { RenderGrid } from '../movie/grid';
import { boxDistance2, pixelIndexAt } from './signedDistance';

const NONE = 0;
const STRUCTURE_EDGE = 1;
const BACKGROUND_EDGE = 2;

/** Edge pixels of one kind, filed by cell: a doubly linked list per cell, and the non-empty cells. */
class EdgeCells {
  readonly head: Int32Array;
  readonly count: Int32Array;
  /** Non-empty cells (the first `cellsInUse`), and each cell's place in that list (−1: empty). */
  readonly used: Int32Array;
  readonly place: Int32Array;
  cellsInUse = 0;
  pixels = 0;
  constructor(cells: number) {
    this.head = new Int32Array(cells).fill(-1);
    this.count = new Int32Array(cells);
    this.used = new Int32Array(cells);
    this.place = new Int32Array(cells).fill(-1);
  }
}

export class EdgeIndex {
  readonly grid: RenderGrid;
  readonly cellPx: number;
  private readonly cellsX: number;
  /** The mask indexed (0/1). */
  private readonly mask: Uint8Array;
  private readonly kind: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly cellOf: Int32Array;
  private readonly structure: EdgeCells;
  private readonly background: EdgeCells;
  private readonly columnCount: Int32Array;
  private readonly rowCount: Int32Array;
  private structurePixels = 0;
  private readonly bounds: Float64Array;
  /** Pixels whose mask value changed at the last update. */
  lastChanged = 0;

  /** `cellPx`: side of the cells the edge pixels are filed in (any size gives the same values). */
  constructor(grid: RenderGrid, cellPx = 32) {
    const { width, height } = grid;
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
      throw new RangeError(`grid size must be positive integers, got ${width}×${height}`);
    if (!(Number.isInteger(cellPx) && cellPx > 0))
      throw new RangeError(`cell size must be a positive integer`);
    this.grid = grid;
    this.cellPx = cellPx;
    this.cellsX = Math.ceil(width / cellPx);
    const cells = this.cellsX * Math.ceil(height / cellPx);
    const n = width * height;
    this.mask = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.cellOf = new Int32Array(n);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        this.cellOf[y * width + x] = Math.floor(y / cellPx) * this.cellsX + Math.floor(x / cellPx);
    this.structure = new EdgeCells(cells);
    this.background = new EdgeCells(cells);
    this.columnCount = new Int32Array(width);
    this.rowCount = new Int32Array(height);
    this.bounds = new Float64Array(cells);
  }

  /** Moves to the next mask (non-zero = structure): any mask, cheapest when it differs little. */
  update(mask: ArrayLike<number>): void {
    const n = this.mask.length;
    if (mask.length !== n) throw new RangeError('mask size does not match the grid');
    const own = this.mask;
    let changed = 0;
    if (mask instanceof Uint8Array && mask.byteOffset % 4 === 0) {
      const words = n >> 2;
      const a = new Int32Array(mask.buffer, mask.byteOffset, words);
      const b = new Int32Array(own.buffer, 0, words);
      for (let k = 0; k < words; k++) {
        if (a[k] === b[k]) continue;
        for (let i = k << 2, end = i + 4; i < end; i++)
          if ((mask[i] !== 0 ? 1 : 0) !== own[i]) {
            this.flip(i);
            changed++;
          }
      }
      for (let i = words << 2; i < n; i++)
        if ((mask[i] !== 0 ? 1 : 0) !== own[i]) {
          this.flip(i);
          changed++;
        }
    } else {
      for (let i = 0; i < n; i++)
        if ((mask[i] !== 0 ? 1 : 0) !== own[i]) {
          this.flip(i);
          changed++;
        }
    }
    this.lastChanged = changed;
  }

  /** Signed distance (nm) at (x, y) nm to the structures of the last mask; NaN outside the grid. */
  at(xNm: number, yNm: number): number {
    const g = this.grid;
    const at = pixelIndexAt(g, xNm, yNm);
    if (at < 0) return Number.NaN;
    const u = (xNm - g.x0Nm) / g.pixelNm;
    const v = (yNm - g.y0Nm) / g.pixelNm;
    if (this.mask[at]) {
      if (this.background.pixels === 0) return Number.NEGATIVE_INFINITY;
      const x0 = Math.max(firstNonZero(this.columnCount) - 1, 0);
      const y0 = Math.max(firstNonZero(this.rowCount) - 1, 0);
      return -Math.sqrt(this.nearest2(this.background, u - x0, v - y0, x0, y0)) * g.pixelNm;
    }
    if (this.structurePixels === 0) return Number.POSITIVE_INFINITY;
    return Math.sqrt(this.nearest2(this.structure, u, v, 0, 0)) * g.pixelNm;
  }

  // Least boxDistance2(lu, lv, column − ox, row − oy) over the listed pixels: cells in order of
  // their lower bound, until that bound reaches the best found.
  private nearest2(list: EdgeCells, lu: number, lv: number, ox: number, oy: number): number {
    const { cellPx, cellsX, bounds, next } = this;
    const width = this.grid.width;
    const m = list.cellsInUse;
    const used = list.used;
    for (let j = 0; j < m; j++) {
      const c = used[j];
      const cx = c % cellsX;
      const cy = (c - cx) / cellsX;
      // Pixel squares of the cell span [cx·cellPx, (cx + 1)·cellPx] − ox; one pixel looser.
      const left = cx * cellPx - ox - 1;
      const right = (cx + 1) * cellPx - ox + 1;
      const top = cy * cellPx - oy - 1;
      const bottom = (cy + 1) * cellPx - oy + 1;
      const dx = left > lu ? left - lu : lu > right ? lu - right : 0;
      const dy = top > lv ? top - lv : lv > bottom ? lv - bottom : 0;
      bounds[j] = dx * dx + dy * dy;
    }
    let best = Number.POSITIVE_INFINITY;
    for (;;) {
      let pick = -1;
      let low = best;
      for (let j = 0; j < m; j++)
        if (bounds[j] < low) {
          low = bounds[j];
          pick = j;
        }
      if (pick < 0) return best;
      bounds[pick] = Number.POSITIVE_INFINITY;
      for (let p = list.head[used[pick]]; p >= 0; p = next[p]) {
        const x = p % width;
        const d = boxDistance2(lu, lv, x - ox, (p - x) / width - oy);
        if (d < best) best = d;
      }
    }
  }

  private flip(p: number): void {
    const { width, height } = this.grid;
    const on = this.mask[p] ^ 1;
    this.mask[p] = on;
    const x = p % width;
    const y = (p - x) / width;
    const step = on ? 1 : -1;
    this.columnCount[x] += step;
    this.rowCount[y] += step;
    this.structurePixels += step;
    this.refresh(p, x, y);
    if (x > 0) this.refresh(p - 1, x - 1, y);
    if (x + 1 < width) this.refresh(p + 1, x + 1, y);
    if (y > 0) this.refresh(p - width, x, y - 1);
    if (y + 1 < height) this.refresh(p + width, x, y + 1);
  }

  // Re-files pixel p (column x, row y) after its value or a 4-neighbour's changed.
  private refresh(p: number, x: number, y: number): void {
    const { width, height } = this.grid;
    const mask = this.mask;
    const on = mask[p];
    // Differs from a 4-neighbour (neighbours outside the image do not count).
    const edge =
      (x > 0 && mask[p - 1] !== on) ||
      (x + 1 < width && mask[p + 1] !== on) ||
      (y > 0 && mask[p - width] !== on) ||
      (y + 1 < height && mask[p + width] !== on);
    const kind = edge ? (on ? STRUCTURE_EDGE : BACKGROUND_EDGE) : NONE;
    const was = this.kind[p];
    if (kind === was) return;
    if (was !== NONE) this.unlink(was === STRUCTURE_EDGE ? this.structure : this.background, p);
    if (kind !== NONE) this.link(kind === STRUCTURE_EDGE ? this.structure : this.background, p);
    this.kind[p] = kind;
  }

  private link(list: EdgeCells, p: number): void {
    const c = this.cellOf[p];
    const h = list.head[c];
    this.next[p] = h;
    this.prev[p] = -1;
    if (h >= 0) this.prev[h] = p;
    list.head[c] = p;
    list.pixels++;
    if (list.count[c]++ === 0) {
      list.place[c] = list.cellsInUse;
      list.used[list.cellsInUse++] = c;
    }
  }

  private unlink(list: EdgeCells, p: number): void {
    const c = this.cellOf[p];
    const a = this.prev[p];
    const b = this.next[p];
    if (a >= 0) this.next[a] = b;
    else list.head[c] = b;
    if (b >= 0) this.prev[b] = a;
    list.pixels--;
    if (--list.count[c] === 0) {
      // Swap-remove from the list of non-empty cells.
      const at = list.place[c];
      const last = list.used[--list.cellsInUse];
      list.used[at] = last;
      list.place[last] = at;
      list.place[c] = -1;
    }
  }
}

function firstNonZero(counts: Int32Array): number {
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) return i;
  return counts.length;
}
