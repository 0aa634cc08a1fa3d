// Exact Euclidean distance transform in linear time (Felzenszwalb & Huttenlocher, Theory of
// Computing 8:415, 2012): the lower envelope of parabolas along columns, then along rows.
// Distances are between pixel centres, squared, in pixel² — integers, computed exactly.

/**
 * Squared distance from every pixel to the nearest feature pixel (non-zero in `features`), and
 * optionally that pixel's index (the feature transform). +∞ and −1 when there is no feature.
 *
 * Phase 1 (along columns) needs only the distance to the nearest feature above or below, which
 * two sweeps over whole rows give for all columns at once, in memory order; phase 2 is the
 * parabola envelope along each row. No pass walks memory with a stride.
 */
export function squaredDistanceTransform(
  features: ArrayLike<number>,
  width: number,
  height: number,
  nearest?: Int32Array,
): Float64Array {
  if (features.length !== width * height) throw new RangeError('features size does not match width × height');
  // Row of the nearest feature in the same column (−1: none), first from above, then from both.
  const featureRow = new Int32Array(width * height);
  for (let x = 0; x < width; x++) featureRow[x] = features[x] ? 0 : -1;
  for (let y = 1; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) featureRow[row + x] = features[row + x] ? y : featureRow[row - width + x];
  }
  for (let y = height - 2; y >= 0; y--) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const below = featureRow[row + width + x];
      const above = featureRow[row + x];
      if (below >= 0 && (above < 0 || below - y < y - above)) featureRow[row + x] = below;
    }
  }
  const f = new Float64Array(width);
  const d = new Float64Array(width);
  const arg = new Int32Array(width);
  const v = new Int32Array(width);
  const z = new Float64Array(width + 1);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const r = featureRow[row + x];
      f[x] = r < 0 ? Number.POSITIVE_INFINITY : (r - y) * (r - y);
    }
    lowerEnvelope(f, width, d, arg, v, z);
    out.set(d, row);
    if (nearest)
      for (let x = 0; x < width; x++)
        nearest[row + x] = arg[x] < 0 ? -1 : featureRow[row + arg[x]] * width + arg[x];
  }
  return out;
}

// 1-D squared distance transform d[q] = min_p (q − p)² + f[p] over the sites p with finite f,
// and the minimising site arg[q] (−1 if none). Skipping infinite sites keeps every arithmetic
// operation on finite integers, so no ∞ − ∞ and no loss of exactness.
function lowerEnvelope(
  f: Float64Array,
  n: number,
  d: Float64Array,
  arg: Int32Array,
  v: Int32Array,
  z: Float64Array,
): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Number.POSITIVE_INFINITY) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let s: number;
    for (;;) {
      const p = v[k];
      s = (fq + q * q - (f[p] + p * p)) / (2 * (q - p));
      if (s > z[k]) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) {
    d.fill(Number.POSITIVE_INFINITY, 0, n);
    arg.fill(-1, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const p = v[k];
    d[q] = (q - p) * (q - p) + f[p];
    arg[q] = p;
  }
}
