// Otsu's threshold (IEEE Trans SMC 9:62, 1979): the split of a histogram that maximises the
// between-class variance ω0·ω1·(μ0 − μ1)². Convention throughout evscope: a pixel is structure
// when its value is ≥ the threshold. With no possible split (fewer than two occupied bins or
// distinct values) the threshold is +∞: nothing is structure.

export interface Histogram {
  /** Equal-width bins over [min, max]; bin i holds [min + i·w, min + (i+1)·w), the last also max. */
  counts: Float64Array;
  min: number;
  max: number;
}

/** Value range of the finite entries of several arrays. */
export function valueRange(arrays: Iterable<ArrayLike<number>>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  return { min, max };
}

/** Adds the finite values in [min, max] of `values` to `h`. */
export function accumulateHistogram(h: Histogram, values: ArrayLike<number>): void {
  const bins = h.counts.length;
  const span = h.max - h.min;
  const k = span > 0 ? bins / span : 0;
  const counts = h.counts;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= h.min && v <= h.max)) continue;
    const b = Math.floor((v - h.min) * k);
    counts[b < bins ? b : bins - 1]++;
  }
}

export function histogramOf(values: ArrayLike<number>, bins = 256): Histogram {
  const { min, max } = valueRange([values]);
  const h: Histogram = { counts: new Float64Array(bins), min, max };
  if (min <= max) accumulateHistogram(h, values);
  return h;
}

/**
 * The Otsu split of a histogram: class 0 is bins [0, k], class 1 bins [k + 1, n). When empty
 * bins make several splits tie exactly, returns the first and last of the tied run (the gap);
 * {first: −1} when no split separates two occupied bins.
 */
export function otsuSplit(counts: ArrayLike<number>): { first: number; last: number; variance: number } {
  const n = counts.length;
  let total = 0;
  let moment = 0;
  for (let i = 0; i < n; i++) {
    total += counts[i];
    moment += i * counts[i];
  }
  let best = -1;
  let first = -1;
  let last = -1;
  let w0 = 0;
  let m0 = 0;
  for (let k = 0; k < n - 1; k++) {
    w0 += counts[k];
    m0 += k * counts[k];
    const w1 = total - w0;
    if (w0 <= 0 || w1 <= 0) continue;
    // ω0ω1(μ0 − μ1)² = (total·m0 − w0·moment)² / (total²·w0·w1); the constant total² is
    // divided out only once, at the end.
    const d = total * m0 - w0 * moment;
    const v = (d * d) / (w0 * w1);
    if (v > best) {
      best = v;
      first = last = k;
    } else if (v === best && last === k - 1) last = k;
  }
  return { first, last, variance: first < 0 ? 0 : best / (total * total) };
}

/** Threshold from a histogram: the bin edge after the split (the middle of a tied gap). */
export function otsuThresholdOfHistogram(h: Histogram): number {
  const { first, last } = otsuSplit(h.counts);
  if (first < 0) return Number.POSITIVE_INFINITY;
  const w = (h.max - h.min) / h.counts.length;
  return h.min + ((first + last) / 2 + 1) * w;
}

/** Otsu threshold from a histogram of `bins` bins over the values' [min, max]. */
export function otsuThreshold(values: ArrayLike<number>, bins = 256): number {
  return otsuThresholdOfHistogram(histogramOf(values, bins));
}

/**
 * Otsu threshold on the values themselves (no binning): the split between consecutive distinct
 * values with the largest between-class variance; the threshold is their midpoint. O(n log n).
 */
export function otsuThresholdExact(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).filter((v) => Number.isFinite(v));
  sorted.sort();
  const n = sorted.length;
  if (n < 2) return Number.POSITIVE_INFINITY;
  // Centre values on their mean so the running moments lose no precision to a large offset.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  let moment = 0;
  for (let i = 0; i < n; i++) moment += sorted[i] - mean;
  let best = -1;
  let threshold = Number.POSITIVE_INFINITY;
  let m0 = 0;
  for (let i = 0; i < n - 1; i++) {
    m0 += sorted[i] - mean;
    if (sorted[i + 1] === sorted[i]) continue;
    const w0 = i + 1;
    const w1 = n - w0;
    const d = n * m0 - w0 * moment;
    const v = (d * d) / (w0 * w1);
    if (v > best) {
      best = v;
      const mid = 0.5 * (sorted[i] + sorted[i + 1]);
      threshold = mid > sorted[i] ? mid : sorted[i + 1];
    }
  }
  return threshold;
}

/** k indices spread evenly over [0, count), first and last included: round(i·(count − 1)/(k − 1)). */
export function evenlySpacedIndices(count: number, k: number): number[] {
  if (count <= 0 || k <= 0) return [];
  if (k >= count) return Array.from({ length: count }, (_, i) => i);
  if (k === 1) return [Math.floor((count - 1) / 2)];
  return Array.from({ length: k }, (_, i) => Math.round((i * (count - 1)) / (k - 1)));
}

export interface PooledOtsuOptions {
  /** Frames pooled, evenly spaced over the movie (default 10). */
  sampleFrames?: number;
  /** Histogram bins over the pooled [min, max] (default 256), or 'exact' for no binning. */
  bins?: number | 'exact';
}

/**
 * Otsu threshold of the pixels pooled from evenly spaced frames. `frame(n)` may recompute a
 * frame (the histogram path calls it twice per sampled frame: once for the range, once to bin)
 * so that the pooled frames need not be held at once; 'exact' pools them in one array.
 */
export function pooledOtsuThreshold(
  frameCount: number,
  frame: (n: number) => ArrayLike<number>,
  options: PooledOtsuOptions = {},
): number {
  const picks = evenlySpacedIndices(frameCount, options.sampleFrames ?? 10);
  if (!picks.length) return Number.POSITIVE_INFINITY;
  const bins = options.bins ?? 256;
  if (bins === 'exact') {
    const parts = picks.map((n) => Float64Array.from(frame(n)));
    const pooled = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      pooled.set(p, at);
      at += p.length;
    }
    return otsuThresholdExact(pooled);
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const n of picks) {
    const r = valueRange([frame(n)]);
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  if (!(min < max)) return Number.POSITIVE_INFINITY;
  const h: Histogram = { counts: new Float64Array(bins), min, max };
  // Second pass in reverse: a source with a small cache of recent frames serves the first few.
  for (const n of [...picks].reverse()) accumulateHistogram(h, frame(n));
  return otsuThresholdOfHistogram(h);
}
