// The render grid: a window onto the localization plane in nm, cut into square render pixels.
// Pixel (i, j) covers [x0 + i·px, x0 + (i+1)·px) × [y0 + j·px, y0 + (j+1)·px), the same
// half-open convention as ThunderSTORM's camera pixels, so a point on an edge goes right/down.
import type { ColumnArray, LocTable } from '../locs/table';

export interface RenderView {
  /** Left edge of the view, nm. */
  x0: number;
  /** Top edge of the view, nm. */
  y0: number;
  /** Image width in render pixels. */
  width: number;
  /** Image height in render pixels. */
  height: number;
  /** Render pixel size, nm (down to 1 nm; any positive value works). */
  pixelNm: number;
}

/** Which rows to draw and with what weight; the default is every row with weight 1. */
export interface RowSelection {
  /** Non-zero entries are drawn; length ≥ table length. */
  mask?: Uint8Array;
  /** Only these row indices are drawn (a subset, e.g. one time segment); combines with mask. */
  rows?: Uint32Array | Int32Array;
  /** Per-row weight, e.g. 1/window length for a movie frame. */
  weights?: Float32Array | Float64Array;
}

/** The image a renderer adds into (checked against the view) and the table's x/y columns. */
export function renderTarget(
  table: LocTable,
  view: RenderView,
  out?: Float32Array,
): { img: Float32Array; x: ColumnArray; y: ColumnArray } {
  checkView(view);
  const { width, height } = view;
  const img = out ?? new Float32Array(width * height);
  if (img.length < width * height) throw new Error('output image too small for the view');
  const x = table.columns.x;
  const y = table.columns.y;
  if (!x || !y) throw new Error('table needs x and y columns');
  return { img, x, y };
}

export const EMPTY_F32 = new Float32Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U8 = new Uint8Array(0);

/**
 * A selection's optional inputs as always-present typed arrays plus flags: a value that may be
 * undefined inside a render loop sent Chromium's Maglev tier into a deoptimisation loop
 * ("not a Number").
 */
export function selectionArrays(sel: RowSelection, tableLength: number) {
  const { mask, rows, weights } = sel;
  return {
    count: rows ? rows.length : tableLength,
    hasRows: rows !== undefined,
    rowList: rows ?? EMPTY_U32,
    hasMask: mask !== undefined,
    keep: mask ?? EMPTY_U8,
    hasWeights: weights !== undefined,
    wts: weights ?? EMPTY_F32,
  };
}

export function checkView(v: RenderView): void {
  if (!(v.pixelNm > 0) || !Number.isFinite(v.pixelNm))
    throw new Error(`pixel size must be > 0 nm, got ${v.pixelNm}`);
  if (!Number.isInteger(v.width) || !Number.isInteger(v.height) || v.width < 1 || v.height < 1)
    throw new Error(`render size must be positive integers, got ${v.width}×${v.height}`);
  if (!Number.isFinite(v.x0) || !Number.isFinite(v.y0)) throw new Error('view origin must be finite');
}

/** A view that covers the given nm rectangle at the given pixel size (rounded up to whole pixels). */
export function viewCovering(x0: number, y0: number, x1: number, y1: number, pixelNm: number): RenderView {
  return {
    x0,
    y0,
    width: Math.max(1, Math.ceil((x1 - x0) / pixelNm)),
    height: Math.max(1, Math.ceil((y1 - y0) / pixelNm)),
    pixelNm,
  };
}

/** Bounding box of finite x/y over the selected rows; null when there are none. */
export function boundsOf(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  mask?: Uint8Array,
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const a = x[i];
    const b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  return x0 <= x1 ? { x0, y0, x1, y1 } : null;
}
