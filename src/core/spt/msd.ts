// Time-averaged mean squared displacement of one track and the diffusion coefficient from it.
// Model (2D, no motion blur): MSD(kΔt) = 4D·kΔt + 4σ², σ = localization error.
// D comes from an unweighted least-squares line through the first p lags, with p chosen by
// Michalet 2010 (Phys Rev E 82:041914): the optimal p grows with the reduced localization
// error x = σ²/(DΔt) as p ≈ 2 + 2.3·x^0.52. x is unknown before the fit, so the fit iterates
// (start p = 4, refit with p(x̂) until p stops changing), as the paper recommends.

export interface MsdCurve {
  /** Lag k in frames is index k−1. */
  msd: Float64Array;
  /** Number of displacement pairs behind each lag (0 where no pair has that lag). */
  pairs: Uint32Array;
}

/**
 * MSD at lags 1..maxLag frames for rows [start, end) of a track (sorted frames, gaps allowed:
 * a lag is the frame difference, so pairs spanning missing frames still count).
 */
export function msdCurve(
  frame: Uint32Array,
  x: Float64Array,
  y: Float64Array,
  start: number,
  end: number,
  maxLag: number,
): MsdCurve {
  const msd = new Float64Array(maxLag);
  const pairs = new Uint32Array(maxLag);
  for (let i = start; i < end; i++) {
    const fi = frame[i];
    for (let j = i + 1; j < end; j++) {
      const lag = frame[j] - fi;
      if (lag > maxLag) break;
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      msd[lag - 1] += dx * dx + dy * dy;
      pairs[lag - 1]++;
    }
  }
  for (let k = 0; k < maxLag; k++) msd[k] = pairs[k] ? msd[k] / pairs[k] : Number.NaN;
  return { msd, pairs };
}

/** Lags used for a track of n positions: n/4 (the usual reliability limit), at least 2. */
export function defaultMaxLag(n: number): number {
  return Math.max(2, Math.floor(n / 4));
}

export interface DiffusionFit {
  /**
   * Diffusion coefficient in nm²/s; NaN when not estimable, i.e. the MSD slope is ≤ 0 (the
   * motion is below the localization error: the track is immobile at this precision, and a
   * negative "D" would be noise reported as a value).
   */
  D: number;
  /** The fitted slope as a diffusion coefficient, nm²/s, ≤ 0 included (for classification). */
  slopeD: number;
  /** Localization error σ (nm) from the intercept; NaN when the intercept is negative. */
  sigma: number;
  /** Lags used in the line fit. */
  points: number;
}

/** Running sums of an unweighted least-squares line. */
class LineSums {
  n = 0;
  sx = 0;
  sy = 0;
  sxx = 0;
  sxy = 0;

  add(x: number, y: number): void {
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.sxy += x * y;
  }

  /** The slope; NaN with fewer than `minPoints` points or no spread in x. */
  slope(minPoints: number): number {
    const { n, sx, sy, sxx, sxy } = this;
    const den = n * sxx - sx * sx;
    return n < minPoints || den === 0 ? Number.NaN : (n * sxy - sx * sy) / den;
  }
}

/** Unweighted least-squares line through (k, msd[k−1]) for lags 1..p that have data. */
function lineFit(msd: Float64Array, p: number): { a: number; b: number; n: number } {
  const s = new LineSums();
  for (let k = 1; k <= p; k++) {
    const v = msd[k - 1];
    if (Number.isFinite(v)) s.add(k, v);
  }
  const b = s.slope(2);
  return { a: Number.isNaN(b) ? Number.NaN : (s.sy - b * s.sx) / s.n, b, n: s.n };
}

/**
 * D from an MSD curve. `points`: 'auto' (Michalet's iteration, capped at the curve length) or a
 * fixed number of lags ≥ 2. `frameInterval` in seconds.
 */
export function fitDiffusion(curve: MsdCurve, frameInterval: number, points: 'auto' | number = 'auto') {
  const maxP = curve.msd.length;
  let p = points === 'auto' ? Math.min(4, maxP) : Math.min(Math.max(2, Math.floor(points)), maxP);
  let fit = lineFit(curve.msd, p);
  if (points === 'auto') {
    for (let iter = 0; iter < 20 && Number.isFinite(fit.b); iter++) {
      // x = σ²/(DΔt) = (a/4)/(b/4) with a, b the intercept and slope per frame.
      const x = fit.b > 0 ? Math.max(fit.a, 0) / fit.b : Number.POSITIVE_INFINITY;
      const next = Math.min(maxP, Math.max(2, Math.floor(2 + 2.3 * x ** 0.52)));
      if (next === p) break;
      p = next;
      fit = lineFit(curve.msd, p);
    }
  }
  const slopeD = fit.b / (4 * frameInterval);
  const result: DiffusionFit = {
    D: slopeD > 0 ? slopeD : Number.NaN,
    slopeD,
    sigma: fit.a >= 0 ? Math.sqrt(fit.a / 4) : Number.NaN,
    points: fit.n,
  };
  return result;
}

/**
 * Anomalous exponent α of MSD ∝ t^α: slope of log(MSD − 4σ²) against log lag over lags
 * 1..maxLag. Subtracting the fitted localization offset keeps noise from flattening the curve of
 * slow particles; lags where the difference is not positive are skipped. NaN if < 3 lags remain.
 */
export function anomalousExponent(curve: MsdCurve, offset: number): number {
  const o = Number.isFinite(offset) && offset > 0 ? offset : 0;
  const s = new LineSums();
  for (let k = 1; k <= curve.msd.length; k++) {
    const v = curve.msd[k - 1] - o;
    if (v > 0) s.add(Math.log(k), Math.log(v));
  }
  return s.slope(3);
}
