// Region filters in nm: rectangles and polygons (even–odd rule), producing keep-masks.

export type Region =
  | { kind: 'rect'; x0: number; y0: number; x1: number; y1: number }
  | { kind: 'polygon'; x: number[]; y: number[] };

/** Sets mask[i] = 1 for rows inside the region (or outside, with invert); combine with AND by passing `into`. */
export function regionMask(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  region: Region,
  invert = false,
  into?: Uint8Array,
): Uint8Array {
  const mask = into ?? new Uint8Array(n).fill(1);
  const want = invert ? 0 : 1;
  if (region.kind === 'rect') {
    const xa = Math.min(region.x0, region.x1);
    const xb = Math.max(region.x0, region.x1);
    const ya = Math.min(region.y0, region.y1);
    const yb = Math.max(region.y0, region.y1);
    for (let i = 0; i < n; i++) {
      // Half-open like render pixels, so tiled rectangles never count a row twice.
      const inside = x[i] >= xa && x[i] < xb && y[i] >= ya && y[i] < yb ? 1 : 0;
      if (inside !== want) mask[i] = 0;
    }
    return mask;
  }
  const px = region.x;
  const py = region.y;
  const m = px.length;
  if (m < 3 || py.length !== m) throw new Error('a polygon needs ≥ 3 vertices with x and y each');
  let bx0 = Number.POSITIVE_INFINITY;
  let bx1 = Number.NEGATIVE_INFINITY;
  let by0 = Number.POSITIVE_INFINITY;
  let by1 = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < m; k++) {
    bx0 = Math.min(bx0, px[k]);
    bx1 = Math.max(bx1, px[k]);
    by0 = Math.min(by0, py[k]);
    by1 = Math.max(by1, py[k]);
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    let inside = 0;
    if (xi >= bx0 && xi <= bx1 && yi >= by0 && yi <= by1) {
      for (let a = 0, b = m - 1; a < m; b = a++) {
        if (py[a] > yi !== py[b] > yi && xi < ((px[b] - px[a]) * (yi - py[a])) / (py[b] - py[a]) + px[a])
          inside ^= 1;
      }
    }
    if (inside !== want) mask[i] = 0;
  }
  return mask;
}
