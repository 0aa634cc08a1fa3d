// Exact Euclidean distance transform in linear time (Felzenszwalb & Huttenlocher, Theory of
// Computing 8:415, 2012): the lower envelope of parabolas along columns, then along rows.
// Distances are between pixel centres, squared, in pixel² — integers, computed exactly.

/**
 * Squared distance from every pixel to the nearest feature pixel (non-zero in `features`), and
 * optionally that pixel's index (the feature transform). +∞ and −1 when there is no feature.
 */
export function squaredDistanceTransform(
  features: ArrayLike<number>,
  width: number,
  height: number,
  nearest?: Int32Array,
): Float64Array {
  if (features.length !== width * height) throw new RangeError('features size does not match width × height');
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const arg = new Int32Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const colDist = new Float64Array(width * height);
  // Feature row of each pixel's nearest feature within its column.
  const colArg = nearest ? new Int32Array(width * height) : undefined;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = features[y * width + x] ? 0 : Number.POSITIVE_INFINITY;
    lowerEnvelope(f, height, d, arg, v, z);
    for (let y = 0; y < height; y++) {
      colDist[y * width + x] = d[y];
      if (colArg) colArg[y * width + x] = arg[y];
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = colDist[row + x];
    lowerEnvelope(f, width, d, arg, v, z);
    for (let x = 0; x < width; x++) {
      out[row + x] = d[x];
      if (nearest && colArg) nearest[row + x] = arg[x] < 0 ? -1 : colArg[row + arg[x]] * width + arg[x];
    }
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
