// Contrast statistics for display: percentiles on a subsample (exact enough for a display window,
// and constant-time in the frame size) plus a histogram for the contrast panel.

type Numeric = ArrayLike<number>;

/** At most this many pixels are looked at to pick percentiles. */
export const PERCENTILE_SAMPLES = 65_536;

/**
 * Percentiles `lowPct` and `highPct` (0–100) of `values`, from an evenly strided subsample of at
 * most `maxSamples` finite pixels. Returns {min, max} with max > min whenever the data are not flat.
 */
export function percentileWindow(
  values: Numeric,
  lowPct = 0.1,
  highPct = 99.9,
  maxSamples = PERCENTILE_SAMPLES,
): { min: number; max: number } {
  if (!(lowPct >= 0 && highPct <= 100 && lowPct < highPct)) {
    throw new RangeError(`percentiles must satisfy 0 ≤ low < high ≤ 100 (got ${lowPct}, ${highPct})`);
  }
  const n = values.length;
  if (n === 0) return { min: 0, max: 1 };
  const stride = Math.max(1, Math.ceil(n / maxSamples));
  const sample = new Float64Array(Math.ceil(n / stride));
  let m = 0;
  for (let i = 0; i < n; i += stride) {
    const v = values[i];
    if (Number.isFinite(v)) sample[m++] = v;
  }
  if (m === 0) return { min: 0, max: 1 };
  const sorted = sample.subarray(0, m).sort();
  const at = (p: number) => {
    const pos = (p / 100) * (m - 1);
    const k = Math.floor(pos);
    const f = pos - k;
    return k + 1 < m ? sorted[k] * (1 - f) + sorted[k + 1] * f : sorted[k];
  };
  let min = at(lowPct);
  let max = at(highPct);
  if (!(max > min)) {
    // Sparse frames (mostly background, a few bright spots) can put both percentiles on the same
    // value: widen to the sample's full range, and to a unit step if the frame is truly flat.
    min = sorted[0];
    max = sorted[m - 1];
    if (!(max > min)) max = min + 1;
  }
  return { min, max };
}

export interface FrameStats {
  min: number;
  max: number;
  mean: number;
  /** Histogram over [min, max] in `counts.length` equal bins (all pixels, not a subsample). */
  counts: Uint32Array;
}

export function frameStats(values: Numeric, bins = 128): FrameStats {
  const n = values.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    finite++;
  }
  const counts = new Uint32Array(bins);
  if (finite === 0) return { min: 0, max: 0, mean: 0, counts };
  const span = max - min;
  const scale = span > 0 ? bins / span : 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) * scale))]++;
  }
  return { min, max, mean: sum / finite, counts };
}
