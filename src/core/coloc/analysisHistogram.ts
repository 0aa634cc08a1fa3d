// Histograms of signed distances. Bins are [start + k·width, start + (k+1)·width) for
// k = 0..count−1 (default 50 nm bins from −500 nm, 30 bins → up to +1000 nm). Values below
// `start` (−Infinity included) go to `underflow`, values ≥ the last edge (+Infinity, i.e. a frame
// without structures, included) to `overflow`; NaN (position off the measured field) is counted
// as `missing` and excluded from the percentages, which are relative to every counted value
// (underflow + bins + overflow), so the percent row sums to 100.

export interface HistogramSpec {
  start: number;
  width: number;
  count: number;
}

export const DEFAULT_HISTOGRAM: HistogramSpec = { start: -500, width: 50, count: 30 };

export interface Histogram {
  spec: HistogramSpec;
  counts: Float64Array;
  underflow: number;
  overflow: number;
  missing: number;
  /** underflow + Σ counts + overflow. */
  total: number;
}

export function histogram(values: ArrayLike<number>, spec: HistogramSpec = DEFAULT_HISTOGRAM): Histogram {
  if (!(spec.width > 0) || !(spec.count >= 1)) throw new Error('histogram needs width > 0 and count ≥ 1');
  const counts = new Float64Array(spec.count);
  let underflow = 0;
  let overflow = 0;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    const k = Math.floor((v - spec.start) / spec.width);
    if (k < 0) underflow++;
    else if (k >= spec.count) overflow++;
    else counts[k]++;
  }
  return { spec, counts, underflow, overflow, missing, total: values.length - missing };
}

/** Underflow, bins, overflow as one count vector (for the chi-square test). */
export function allBins(h: Histogram): Float64Array {
  const out = new Float64Array(h.spec.count + 2);
  out[0] = h.underflow;
  out.set(h.counts, 1);
  out[h.spec.count + 1] = h.overflow;
  return out;
}

/**
 * EV and control histograms side by side as a columnar table: one row for the underflow
 * (binStart −Infinity), one per bin, one for the overflow (binEnd +Infinity).
 */
export function histogramTable(ev: Histogram, control: Histogram) {
  const { start, width, count } = ev.spec;
  if (control.spec.start !== start || control.spec.width !== width || control.spec.count !== count)
    throw new Error('EV and control histograms must share bins');
  const n = count + 2;
  const binStart = new Float64Array(n);
  const binEnd = new Float64Array(n);
  binStart[0] = Number.NEGATIVE_INFINITY;
  binEnd[0] = start;
  for (let k = 0; k < count; k++) {
    binStart[k + 1] = start + k * width;
    binEnd[k + 1] = start + (k + 1) * width;
  }
  binStart[n - 1] = start + count * width;
  binEnd[n - 1] = Number.POSITIVE_INFINITY;
  const evCount = allBins(ev);
  const controlCount = allBins(control);
  const pct = (c: Float64Array, total: number) => c.map((v) => (total ? (100 * v) / total : Number.NaN));
  return {
    length: n,
    columns: {
      binStart,
      binEnd,
      evCount,
      evPercent: pct(evCount, ev.total),
      controlCount,
      controlPercent: pct(controlCount, control.total),
    },
  };
}
