// Colocalization durations and their exponential (geometric) fit.
// A run is a maximal stretch of consecutive movie frames of one track with signed distance ≤ the
// cut-off (inside a structure counts as within). Durations are whole movie frames, so the
// exponential dwell-time law becomes geometric: P(k) = (1−q)·q^(k−kmin), k ≥ kmin,
// q = exp(−Δ/τ), Δ = movie frame interval.
// Censoring: a run that reaches the track's last frame or a frame without a position might have
// lasted longer: right-censored, it contributes P(K ≥ k) = q^(k−kmin). A run starting at the
// track's first frame is left-censored; because the geometric law is memoryless, its remaining
// length is distributed like a whole run's, so it enters the fit like any other run.
// MLE: S = Σ (k − kmin) over runs, r = number of uncensored runs ⇒ q̂ = S/(S + r).
// Confidence interval: likelihood ratio, 2·(ℓ(q̂) − ℓ(q)) ≤ χ²₁(level).

export interface DurationFit {
  /** Time constant τ in the unit of `frameInterval`. Infinity when every run is censored. */
  tau: number;
  tauLow: number;
  tauHigh: number;
  /** Mean duration kmin + q/(1−q), in movie frames. */
  meanFrames: number;
  q: number;
  /** Runs used (≥ kmin) and how many of them were censored. */
  runs: number;
  censored: number;
}

/** χ²₁ quantiles for common levels (likelihood-ratio intervals). */
function chi2Quantile1(level: number): number {
  const table: Record<string, number> = {
    '0.68': 0.98945,
    '0.9': 2.705543,
    '0.95': 3.841459,
    '0.99': 6.634897,
  };
  const v = table[String(level)];
  if (v === undefined) throw new Error('confidence level must be 0.68, 0.9, 0.95 or 0.99');
  return v;
}

/**
 * Fits τ to durations (movie frames). `censored[i]` non-zero marks right-censored runs;
 * `includeCensored: false` drops them instead (biased short, for comparison with other tools).
 */
export function fitDurations(
  durations: ArrayLike<number>,
  censored: ArrayLike<number> | undefined,
  options: { frameInterval: number; minDuration?: number; level?: number; includeCensored?: boolean },
): DurationFit {
  const kmin = options.minDuration ?? 1;
  const include = options.includeCensored ?? true;
  let S = 0;
  let r = 0;
  let runs = 0;
  let nCens = 0;
  for (let i = 0; i < durations.length; i++) {
    const k = durations[i];
    if (k < kmin) continue;
    const c = censored ? censored[i] !== 0 : false;
    if (c && !include) continue;
    runs++;
    S += k - kmin;
    if (c) nCens++;
    else r++;
  }
  const dt = options.frameInterval;
  const tauOf = (q: number) => (q <= 0 ? 0 : q >= 1 ? Number.POSITIVE_INFINITY : -dt / Math.log(q));
  if (runs === 0)
    return {
      tau: Number.NaN,
      tauLow: Number.NaN,
      tauHigh: Number.NaN,
      meanFrames: Number.NaN,
      q: Number.NaN,
      runs,
      censored: nCens,
    };
  const q = S + r > 0 ? S / (S + r) : 0;
  const ll = (x: number) => (S > 0 ? S * Math.log(x) : 0) + (r > 0 ? r * Math.log(1 - x) : 0);
  const lmax = ll(q);
  const drop = chi2Quantile1(options.level ?? 0.95) / 2;
  const f = (x: number) => lmax - ll(x) - drop;
  // ℓ is concave in q with its maximum at q̂; bisection on each side finds where it has dropped.
  const bisect = (lo: number, hi: number) => {
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0 === f(lo) > 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const eps = 1e-15;
  const qLow = q <= eps || f(eps) <= 0 ? 0 : bisect(eps, q);
  const qHigh = q >= 1 - eps || f(1 - eps) <= 0 ? 1 : bisect(q, 1 - eps);
  return {
    tau: tauOf(q),
    tauLow: tauOf(qLow),
    tauHigh: tauOf(qHigh),
    meanFrames: q < 1 ? kmin + q / (1 - q) : Number.POSITIVE_INFINITY,
    q,
    runs,
    censored: nCens,
  };
}
