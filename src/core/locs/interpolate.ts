// Interpolation of sparse drift estimates (one per segment or smoothed fiducial sample) onto
// every frame. Natural cubic spline inside the nodes, straight-line extrapolation outside (with
// the end slope, which keeps value and slope continuous: a natural spline has zero curvature
// at its ends).

export type Interpolation = 'linear' | 'spline';

/**
 * Evaluates the interpolant through (t[i], v[i]) (t strictly increasing) at 0, 1, …, count−1.
 */
export function interpolateOnFrames(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  count: number,
  kind: Interpolation = 'spline',
): Float64Array {
  const n = t.length;
  const out = new Float64Array(count);
  if (n === 0) return out;
  if (n === 1) return out.fill(v[0]);
  for (let i = 1; i < n; i++) if (!(t[i] > t[i - 1])) throw new Error('interpolation nodes must increase');
  // Second derivatives of the natural spline (tridiagonal solve); zero for linear.
  const m = new Float64Array(n);
  if (kind === 'spline' && n > 2) {
    const c = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      const h0 = t[i] - t[i - 1];
      const h1 = t[i + 1] - t[i];
      const a = h0 / 6;
      const b = (h0 + h1) / 3;
      const cc = h1 / 6;
      const rhs = (v[i + 1] - v[i]) / h1 - (v[i] - v[i - 1]) / h0;
      const denom = b - a * c[i - 1];
      c[i] = cc / denom;
      d[i] = (rhs - a * d[i - 1]) / denom;
    }
    for (let i = n - 2; i >= 1; i--) m[i] = d[i] - c[i] * m[i + 1];
  }
  const slopeAt = (i: number, end: boolean) => {
    // Derivative of segment [i, i+1] at its start (end=false) or end (end=true).
    const h = t[i + 1] - t[i];
    const base = (v[i + 1] - v[i]) / h;
    return end ? base + (h * (2 * m[i + 1] + m[i])) / 6 : base - (h * (2 * m[i] + m[i + 1])) / 6;
  };
  const s0 = slopeAt(0, false);
  const s1 = slopeAt(n - 2, true);
  let seg = 0;
  for (let f = 0; f < count; f++) {
    if (f <= t[0]) {
      out[f] = v[0] + (f - t[0]) * s0;
      continue;
    }
    if (f >= t[n - 1]) {
      out[f] = v[n - 1] + (f - t[n - 1]) * s1;
      continue;
    }
    while (t[seg + 1] < f) seg++;
    const h = t[seg + 1] - t[seg];
    const a = (t[seg + 1] - f) / h;
    const b = 1 - a;
    out[f] =
      a * v[seg] + b * v[seg + 1] + (((a * a * a - a) * m[seg] + (b * b * b - b) * m[seg + 1]) * h * h) / 6;
  }
  return out;
}
