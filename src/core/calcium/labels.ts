// Editing a cell label image (0 = none, 1…n = cells): what the panel's delete, merge and
// draw-polygon tools do. Every edit returns a fresh image renumbered 1…n in raster order, so
// a cell's number is always its row in the table.

import { fillPolygon } from './roi';
import { dropSmallRegions } from './segment';

function renumbered(labels: Int32Array): { labels: Int32Array; count: number } {
  const out = Int32Array.from(labels);
  const count = dropSmallRegions(out, 1);
  return { labels: out, count };
}

export function deleteCells(
  labels: Int32Array,
  ids: readonly number[],
): { labels: Int32Array; count: number } {
  const gone = new Set(ids);
  const out = Int32Array.from(labels, (l) => (gone.has(l) ? 0 : l));
  return renumbered(out);
}

export function mergeCells(
  labels: Int32Array,
  ids: readonly number[],
): { labels: Int32Array; count: number } {
  if (ids.length < 2) throw new Error('pick at least two cells to merge');
  const into = Math.min(...ids);
  const set = new Set(ids);
  return renumbered(Int32Array.from(labels, (l) => (set.has(l) ? into : l)));
}

/** Adds a polygon (pixel coordinates) as a new cell on pixels no cell has yet. */
export function addPolygonCell(
  labels: Int32Array,
  width: number,
  height: number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
): { labels: Int32Array; count: number } {
  if (xs.length < 3) throw new Error('a cell outline needs at least 3 points');
  const out = Int32Array.from(labels);
  let max = 0;
  for (const l of out) if (l > max) max = l;
  let painted = 0;
  fillPolygon(xs, ys, width, height, (x, y) => {
    const p = y * width + x;
    if (!out[p]) {
      out[p] = max + 1;
      painted++;
    }
  });
  if (!painted)
    throw new Error('the outline covers no free pixel (it is outside the image or on existing cells)');
  return renumbered(out);
}

/** The label under a pixel, 0 for none or outside. */
export function labelAt(labels: Int32Array, width: number, height: number, x: number, y: number): number {
  const px = Math.floor(x);
  const py = Math.floor(y);
  if (px < 0 || py < 0 || px >= width || py >= height) return 0;
  return labels[py * width + px];
}

/** Mask of the pixels on a cell's border (a different label among the 4-neighbours). */
export function outlineMask(labels: Int32Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const l = labels[p];
      if (!l) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        labels[p - 1] !== l ||
        labels[p + 1] !== l ||
        labels[p - width] !== l ||
        labels[p + width] !== l
      )
        out[p] = 1;
    }
  return out;
}
