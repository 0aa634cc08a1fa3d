// The à trous wavelet kernels ThunderSTORM builds (WaveletFilter/BSplines): a B-spline of
// `order` (Cox–de Boor, order k = degree k−1) sampled at t/scale for t = −⌊s/2⌋ … and normalised
// to sum 1. Order 3, scale 2, 5 samples gives Izeddin et al.'s [1/16, 1/4, 3/8, 1/4, 1/16].

function bSpline(k: number, t: number): number {
  if (k <= 1) return t >= 0 && t < 1 ? 1 : 0;
  return (t / (k - 1)) * bSpline(k - 1, t) + ((k - t) / (k - 1)) * bSpline(k - 1, t - 1);
}

/** The first-level smoothing kernel (length `samples`). */
export function bSplineKernel(order: number, scale: number, samples: number): Float64Array {
  if (!(Number.isInteger(order) && order >= 1))
    throw new Error(`B-spline order must be an integer ≥ 1, got ${order}`);
  if (!(scale > 0)) throw new Error(`B-spline scale must be > 0, got ${scale}`);
  if (!(Number.isInteger(samples) && samples >= 1 && samples % 2 === 1))
    throw new Error(`B-spline samples must be an odd integer, got ${samples}`);
  const out = new Float64Array(samples);
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    out[i] = bSpline(order, (i - (samples >> 1)) / scale + order / 2);
    sum += out[i];
  }
  if (!(sum > 0))
    throw new Error(`B-spline order ${order} at scale ${scale} has no support on ${samples} samples`);
  for (let i = 0; i < samples; i++) out[i] /= sum;
  return out;
}

/** The kernel of wavelet level `level` (1-based): taps 2^(level−1) apart, zeros between ("holes"). */
export function atrousKernel(base: Float64Array, level: number): Float64Array {
  const step = 2 ** (level - 1);
  const out = new Float64Array(step * (base.length - 1) + 1);
  for (let i = 0; i < base.length; i++) out[i * step] = base[i];
  return out;
}
