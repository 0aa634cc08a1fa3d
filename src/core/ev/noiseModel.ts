// The noise of an EV intensity trace: a constant part (background shot noise, read noise and
// the background estimate's error) plus a part that grows with the fluorescence itself (the
// molecules' own shot noise, ×2 with an EMCCD's excess noise). Bleaching traces therefore get
// quieter with every step (Tsekouras et al. 2016), and a step finder that assumes one variance
// over-segments the bright start or misses steps in the dim tail.

/** variance(level) = sigma0² + gain · max(level, 0), in the trace's units (ADU or photons). */
export interface NoiseModel {
  /** Noise standard deviation at zero fluorescence (trace units). */
  sigma0: number;
  /** Variance added per unit of level: ≈ ADU per photon (× 2 for EMCCD); 0 for constant noise. */
  gain: number;
}

/** 1.4826 / √2: turns the median |first difference| into σ for white Gaussian noise. */
const MAD_DIFF_TO_SIGMA = 1.482602218505602 / Math.SQRT2;
/** Median of χ²₁, turning a median of squared normalised deviates into a variance. */
const CHI2_1_MEDIAN = 0.454936423119572;

/**
 * Constant-noise model from one trace: the MAD of first differences ignores the few big jumps
 * (the steps themselves), so it estimates the noise without knowing where the steps are.
 */
export function estimateConstantNoise(
  trace: ArrayLike<number>,
  offset = 0,
  length = trace.length - offset,
): NoiseModel {
  const n = length - 1;
  if (n < 1) return { sigma0: Number.NaN, gain: 0 };
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.abs(trace[offset + i + 1] - trace[offset + i]);
  return { sigma0: MAD_DIFF_TO_SIGMA * medianInPlace(d), gain: 0 };
}

/**
 * Fits variance = sigma0² + gain·level from many traces of one channel (traces[k·length + i]).
 * Each first difference is a noise sample whose level is the local mean around it; samples are
 * binned by level, each bin's variance is the median of d²/2 over χ²₁'s median (robust to the
 * steps inside it), and a weighted line through the bins gives the two coefficients.
 */
export function estimateNoiseModel(
  traces: Float64Array,
  nTraces: number,
  length: number,
  bins = 16,
): NoiseModel {
  const perTrace = length - 1;
  const m = nTraces * perTrace;
  if (length < 8 || m < bins * 20) {
    if (nTraces === 0 || length < 2) return { sigma0: Number.NaN, gain: 0 };
    return constantFromAll(traces, nTraces, length);
  }
  const level = new Float64Array(m);
  const sq = new Float64Array(m);
  const half = 3; // local level from ±3 frames: smooth enough to bin, short against bleaching
  let k = 0;
  for (let t = 0; t < nTraces; t++) {
    const base = t * length;
    for (let i = 0; i < perTrace; i++) {
      const lo = Math.max(0, i - half + 1);
      const hi = Math.min(length, i + half + 1);
      let s = 0;
      for (let j = lo; j < hi; j++) s += traces[base + j];
      level[k] = s / (hi - lo);
      const d = traces[base + i + 1] - traces[base + i];
      sq[k] = 0.5 * d * d;
      k++;
    }
  }
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => level[a] - level[b]);
  const bx = new Float64Array(bins);
  const by = new Float64Array(bins);
  const bw = new Float64Array(bins);
  const scratch = new Float64Array(Math.ceil(m / bins) + 1);
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * m) / bins);
    const hi = Math.floor(((b + 1) * m) / bins);
    const cnt = hi - lo;
    let sx = 0;
    for (let i = lo; i < hi; i++) {
      sx += level[order[i]];
      scratch[i - lo] = sq[order[i]];
    }
    bx[b] = sx / cnt;
    by[b] = medianInPlace(scratch.subarray(0, cnt)) / CHI2_1_MEDIAN;
    // Var of a variance estimate ∝ variance² / count: weight bins accordingly.
    bw[b] = by[b] > 0 ? cnt / (by[b] * by[b]) : 0;
  }
  let sw = 0;
  let swx = 0;
  let swy = 0;
  let swxx = 0;
  let swxy = 0;
  for (let b = 0; b < bins; b++) {
    sw += bw[b];
    swx += bw[b] * bx[b];
    swy += bw[b] * by[b];
    swxx += bw[b] * bx[b] * bx[b];
    swxy += bw[b] * bx[b] * by[b];
  }
  const det = sw * swxx - swx * swx;
  let gain = det > 0 ? (sw * swxy - swx * swy) / det : 0;
  let intercept = det > 0 ? (swy - gain * swx) / sw : swy / sw;
  // A negative slope is noise in the fit (fluorescence cannot lower the variance): refit flat.
  if (!(gain > 0)) {
    gain = 0;
    intercept = swy / sw;
  }
  // The intercept is the variance at level 0, the lowest bin sits near background already.
  if (!(intercept > 0)) intercept = Math.max(by[0] - gain * bx[0], Number.EPSILON);
  return { sigma0: Math.sqrt(intercept), gain };
}

function constantFromAll(traces: Float64Array, nTraces: number, length: number): NoiseModel {
  const d = new Float64Array(nTraces * (length - 1));
  let k = 0;
  for (let t = 0; t < nTraces; t++)
    for (let i = 0; i + 1 < length; i++)
      d[k++] = Math.abs(traces[t * length + i + 1] - traces[t * length + i]);
  return { sigma0: MAD_DIFF_TO_SIGMA * medianInPlace(d), gain: 0 };
}

/** Median by sorting the given (scratch) array in place. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  a.sort();
  return n & 1 ? a[(n - 1) >> 1] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}
