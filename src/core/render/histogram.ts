// Histogram rendering: each localization adds its weight to the render pixel containing it.
import type { LocTable } from '../locs/table';
import { checkView, type RenderView, type RowSelection } from './view';

const EMPTY_F32 = new Float32Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U8 = new Uint8Array(0);

/**
 * Adds the selected localizations of `table` into `out` (allocated when absent) and returns it.
 * A localization at x lands in pixel floor((x − x0)/px); those outside the view are skipped.
 */
export function renderHistogram(
  table: LocTable,
  view: RenderView,
  sel: RowSelection = {},
  out?: Float32Array,
): Float32Array {
  checkView(view);
  const { width, height, x0, y0, pixelNm } = view;
  const img = out ?? new Float32Array(width * height);
  if (img.length < width * height) throw new Error('output image too small for the view');
  const x = table.columns.x;
  const y = table.columns.y;
  if (!x || !y) throw new Error('table needs x and y columns');
  const { mask, rows, weights } = sel;
  const count = rows ? rows.length : table.length;
  // Optional inputs as always-present arrays plus flags keep the loop monomorphic (see gaussian.ts).
  const hasRows = rows !== undefined;
  const rowList = rows ?? EMPTY_U32;
  const hasMask = mask !== undefined;
  const keep = mask ?? EMPTY_U8;
  const hasWeights = weights !== undefined;
  const wts = weights ?? EMPTY_F32;
  for (let k = 0; k < count; k++) {
    const i = hasRows ? rowList[k] : k;
    if (hasMask && !keep[i]) continue;
    // Division, not multiplication by 1/px: x − x0 = k·px must give exactly k so edges go right.
    const fx = (x[i] - x0) / pixelNm;
    const fy = (y[i] - y0) / pixelNm;
    // The comparisons also reject NaN.
    if (!(fx >= 0 && fx < width && fy >= 0 && fy < height)) continue;
    img[Math.floor(fy) * width + Math.floor(fx)] += hasWeights ? wts[i] : 1;
  }
  return img;
}
