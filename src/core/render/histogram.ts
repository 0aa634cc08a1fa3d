// Histogram rendering: each localization adds its weight to the render pixel containing it.
import type { LocTable } from '../locs/table';
import { type RenderView, type RowSelection, renderTarget, selectionArrays } from './view';

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
  const { width, height, x0, y0, pixelNm } = view;
  const { img, x, y } = renderTarget(table, view, out);
  const { count, hasRows, rowList, hasMask, keep, hasWeights, wts } = selectionArrays(sel, table.length);
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
