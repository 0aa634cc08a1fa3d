// Multi-emitter Poisson MLE of 1…K pixel-integrated Gaussians (fixed σ, one shared flat
// background) on one window, grown one emitter at a time as in ThunderSTORM's MFA and
// 3D-DAOSTORM:
//
//  1. the single-emitter fit (GaussianFitter, untouched) is kept whenever its Poisson deviance
//     is compatible with the model (χ² goodness-of-fit at `gateAlpha`), so isolated emitters keep
//     their exact single-emitter results and nearly all of their speed;
//  2. otherwise an emitter is added where the score test for one more spot is largest (a matched
//     filter of the weighted residual) and all K+1 are fitted jointly (Levenberg–Marquardt on the
//     Fisher-scoring equations, as in the single fit);
//  3. the larger model is accepted only if the likelihood-ratio statistic 2·Δlog L beats the
//     χ²(3) quantile at `alpha` (three new parameters) and it obeys the constraints (every
//     intensity ≥ `minPhotons`, every pair ≥ `minSeparationPx` apart, positions at most
//     EDGE_PX beyond the window, where an emitter only models a neighbour's tail and is flagged);
//     then 2–3 repeat until the deviance is acceptable or K = `maxEmitters`.
//
// Joint refits rather than iterative peel-off: with two spots closer than 2σ, a peel-off keeps
// the first position biased towards the second (it was fitted to both), while the joint fit
// moves it back; the cost is a (3K+1)² system per iteration, cheap for K ≤ 5 on a 7×7 window.
// Per-emitter CRLB comes from the inverse of the joint Fisher information, so it includes the
// precision lost to the overlap. EMCCD data: the excess-noise factor doubles the variance, so the
// deviance and the likelihood-ratio statistic are divided by it before either test.
import { type AxisBuffers, axisBuffers } from '../psf/integratedGaussian';
import { regularizedGammaQ } from '../stats/specialFunctions';
import { axisModel } from './axisModel';
import { choleskyFactor, choleskyInverseDiagonal } from './cholesky';
import { FIT_FLAGS, type GaussianFitter } from './gaussianFitter';
import { type LmProblem, LmSolver } from './levenbergMarquardt';
import { evaluate2, evaluate3, type JointWindow } from './multiEvaluate';

export interface MultiFitterOptions {
  /** Most emitters in one window (1…8). */
  maxEmitters: number;
  /** Significance of the likelihood-ratio test that accepts one more emitter. */
  alpha: number;
  /** Goodness-of-fit p-value below which a fit is tried with one more emitter. */
  gateAlpha: number;
  /** Smallest accepted distance between two emitters of one window (pixels). */
  minSeparationPx: number;
  /** Smallest accepted intensity of any emitter of a multi-emitter model (photons). */
  minPhotons: number;
}

export const DEFAULT_MULTI_OPTIONS: MultiFitterOptions = {
  maxEmitters: 5,
  alpha: 1e-4,
  // 1 % rather than 5 %: each window that escalates costs a score map and a joint fit, and on
  // issue 17's dense stack 0.05 → 0.01 spared 35 % of them for −0.001 Jaccard (a spot whose
  // deviance is only mildly high rarely holds a second emitter the likelihood-ratio test accepts).
  gateAlpha: 0.01,
  minSeparationPx: 0.65,
  minPhotons: 50,
};

const TOL_POSITION = 5e-3;
const TOL_RELATIVE = 1e-3;
const MAX_K = 8;
const EDGE_PX = 1.5;
const SCORE_SCREEN = 0.15;

/** Upper χ² quantile: the x with P(χ²_dof > x) = p (bisection on the survival function). */
export function chiSquareQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let lo = 0;
  let hi = dof + 10 * Math.sqrt(2 * dof) + 100;
  while (regularizedGammaQ(dof / 2, hi / 2) > p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (regularizedGammaQ(dof / 2, mid / 2) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export function validateMultiOptions(o: MultiFitterOptions): void {
  if (!(Number.isInteger(o.maxEmitters) && o.maxEmitters >= 1 && o.maxEmitters <= MAX_K))
    throw new Error(`max emitters per window must be an integer of 1–${MAX_K}, got ${o.maxEmitters}`);
  if (!(o.alpha > 0 && o.alpha < 1))
    throw new Error(`significance of the added-emitter test must be in (0, 1), got ${o.alpha}`);
  if (!(o.gateAlpha > 0 && o.gateAlpha < 1))
    throw new Error(`goodness-of-fit p-value must be in (0, 1), got ${o.gateAlpha}`);
  if (!(o.minSeparationPx >= 0))
    throw new Error(`minimum emitter separation must be ≥ 0 pixels, got ${o.minSeparationPx}`);
  if (!(o.minPhotons >= 0))
    throw new Error(`minimum emitter intensity must be ≥ 0 photons, got ${o.minPhotons}`);
}

export class MultiEmitterFitter {
  readonly options: MultiFitterOptions;
  readonly size: number;
  readonly sigmaPx: number;

  // Results of the last fit (pixel units, window coordinates), one entry per emitter.
  count = 0;
  readonly x = new Float64Array(MAX_K);
  readonly y = new Float64Array(MAX_K);
  readonly photons = new Float64Array(MAX_K);
  /** CRLB variances (px²) from the joint Fisher information, excess noise included. */
  readonly varianceX = new Float64Array(MAX_K);
  readonly varianceY = new Float64Array(MAX_K);
  /**
   * Per-emitter flags: OUTSIDE for an emitter held at the window's edge, the tail of a spot
   * beyond it that the model needs but whose position this window cannot measure.
   */
  readonly emitterFlags = new Uint8Array(MAX_K);
  /**
   * Each emitter's share of the window's log-likelihood ratio: every pixel's term
   * x·log(μ/x) − (μ − x) split in proportion to that emitter's part of μ (the background's part
   * evenly), so the shares sum to `logLikelihoodRatio`. Near 0 where the emitter's pixels are
   * well explained; comparable to a single fit's logL over its own spot.
   */
  readonly emitterLogL = new Float64Array(MAX_K);
  background = 0;
  logLikelihoodRatio = 0;
  /** Iterations of all fits of this window, the single one included (the window's cost). */
  iterations = 0;
  /** Iterations of the fit that produced the accepted model (the single or the last joint fit). */
  modelIterations = 0;
  flags = 0;
  /** Whether the last window went past the single-emitter fit. */
  escalated = false;

  private readonly devianceGate: number;
  private readonly lrtThreshold: number;
  private readonly nn: number;
  private readonly obs: Float64Array;
  /** Every emitter's axes, emitter e at offset e·size. */
  private readonly axes: AxisBuffers;
  private readonly window: JointWindow;
  private readonly mu: Float64Array;
  private readonly jac: Float64Array;
  private readonly wjac: Float64Array;
  private readonly resid: Float64Array;
  private theta = new Float64Array(3 * MAX_K + 1);
  private trial = new Float64Array(3 * MAX_K + 1);
  private best = new Float64Array(3 * MAX_K + 1);
  private readonly lm = new LmSolver(3 * MAX_K + 1);
  private readonly factor = new Float64Array((3 * MAX_K + 1) ** 2);
  private readonly work = new Float64Array(3 * MAX_K + 1);
  /** Emitters of the joint fit under way (the LM problem's k). */
  private jointK = 2;
  private readonly problem: LmProblem = {
    evaluate: (theta, matrix, gradient) => this.evaluate(theta, this.jointK, matrix, gradient),
    propose: (theta, trial, step) => this.propose(theta, trial, this.jointK, step),
  };
  private saturated = 0;
  private jointConverged = false;
  private jointIterations = 0;
  /** K[d + n − 1]: photon fraction of a pixel d pixels from a spot centred in its pixel. */
  private readonly kernel: Float64Array;
  private readonly rowU: Float64Array;
  private readonly rowI: Float64Array;

  /**
   * `single` is the window's single-emitter fitter (MLE, σ fixed): the caller fills its `data`
   * and `readVariance`, and this fitter starts from its result.
   */
  constructor(
    readonly single: GaussianFitter,
    options: Partial<MultiFitterOptions> = {},
    private readonly excessNoise = 1,
  ) {
    this.options = { ...DEFAULT_MULTI_OPTIONS, ...options };
    validateMultiOptions(this.options);
    if (single.options.fitSigma || single.options.method !== 'mle')
      throw new Error('multi-emitter fitting needs the Poisson MLE fitter with σ fixed');
    const n = single.size;
    this.size = n;
    this.sigmaPx = single.options.sigmaPx;
    this.nn = n * n;
    this.obs = new Float64Array(n * n);
    this.mu = new Float64Array(n * n);
    this.axes = axisBuffers(MAX_K * n);
    this.window = {
      size: n,
      sigmaPx: this.sigmaPx,
      obs: this.obs,
      readVariance: single.readVariance,
      ...this.axes,
    };
    this.jac = new Float64Array((3 * MAX_K + 1) * n * n);
    this.wjac = new Float64Array((3 * MAX_K + 1) * n * n);
    this.resid = new Float64Array(n * n);
    this.devianceGate = chiSquareQuantile(this.options.gateAlpha, n * n - 4);
    this.lrtThreshold = chiSquareQuantile(this.options.alpha, 3);
    this.kernel = pixelKernel(n, this.sigmaPx);
    this.rowU = new Float64Array(n * n);
    this.rowI = new Float64Array(n * n);
  }

  /** Fits the single fitter's window; results land in the public fields (`count` emitters). */
  fit(): void {
    const s = this.single;
    s.fit();
    this.iterations = s.iterations;
    this.modelIterations = s.iterations;
    this.escalated = false;
    this.takeSingle();
    const deviance = (-2 * s.logLikelihoodRatio) / this.excessNoise;
    if (this.options.maxEmitters === 1 || (s.flags === 0 && deviance <= this.devianceGate)) return;
    this.escalated = true;
    this.prepareData();
    const theta = this.theta;
    theta[0] = s.x;
    theta[1] = s.y;
    theta[2] = s.photons;
    let k = 1;
    let bg = s.background;
    let logL = s.flags & FIT_FLAGS.INVALID ? Number.NEGATIVE_INFINITY : s.logLikelihoodRatio + this.saturated;
    while (k < this.options.maxEmitters) {
      theta[3 * k] = bg;
      // Skip the joint fit when even the best score is far below the likelihood-ratio threshold.
      // The joint refit of the spots already there adds to the score (much of the final LR for
      // close pairs), so the screen must be loose: at 50 % of the threshold it lost over two
      // thirds of the 150 nm pairs of the separation sweep, at 15 % none. It then spares only
      // windows whose misfit is not a missing spot; on dense data it rarely triggers.
      if (this.addEmitterAtBestScore(theta, k) < SCORE_SCREEN * this.lrtThreshold) break;
      const objective = this.fitJoint(k + 1);
      if (!Number.isFinite(objective)) break;
      const lr = (2 * (objective - logL)) / this.excessNoise;
      if (!(lr > this.lrtThreshold) || !this.satisfiesConstraints(k + 1)) break;
      k++;
      logL = objective;
      bg = theta[3 * k];
      for (let a = 0; a <= 3 * k; a++) this.best[a] = theta[a];
      this.takeJoint(k, logL, this.jointConverged);
      if ((-2 * this.logLikelihoodRatio) / this.excessNoise <= this.devianceGate) break;
    }
  }

  private takeSingle(): void {
    const s = this.single;
    this.count = 1;
    this.x[0] = s.x;
    this.y[0] = s.y;
    this.photons[0] = s.photons;
    this.varianceX[0] = s.varianceX;
    this.varianceY[0] = s.varianceY;
    this.emitterFlags[0] = 0;
    this.emitterLogL[0] = s.logLikelihoodRatio;
    this.background = s.background;
    this.logLikelihoodRatio = s.logLikelihoodRatio;
    this.flags = s.flags;
  }

  private prepareData(): void {
    const { data, readVariance: v } = this.single;
    let saturated = 0;
    for (let k = 0; k < this.nn; k++) {
      const o = Math.max(data[k] + v[k], 0);
      this.obs[k] = o;
      if (o > 0) saturated += o * Math.log(o) - o;
    }
    this.saturated = saturated;
  }

  /** Model of the first k emitters of θ (background θ[3k]) into `mu`. */
  private model(theta: Float64Array, k: number): void {
    const n = this.size;
    const { mu } = this;
    const { gx, gy, dgx, dgy } = this.axes;
    mu.fill(theta[3 * k]);
    for (let e = 0; e < k; e++) {
      const o = e * n;
      axisModel(theta[3 * e], this.sigmaPx, n, gx, dgx, null, o);
      axisModel(theta[3 * e + 1], this.sigmaPx, n, gy, dgy, null, o);
      const N = theta[3 * e + 2];
      for (let j = 0, p = 0; j < n; j++) for (let i = 0; i < n; i++, p++) mu[p] += N * gx[o + i] * gy[o + j];
    }
  }

  /**
   * Places emitter k (θ[3k..3k+2], background moved to θ[3k+3]) where the score test for one
   * more emitter is largest, and returns that score. With r = (data − μ)/μ and g the PSF of a
   * spot centred on pixel (i, j), the score statistic is U²/I with U = Σ r·g and I = Σ g²/μ (the
   * Rao test of "intensity 0" at that position): a matched filter of the weighted residual,
   * which finds a faint second spot beside a bright one far better than the raw residual, and
   * U/I is the one-step estimate of its photons. Both sums are separable convolutions.
   */
  private addEmitterAtBestScore(theta: Float64Array, k: number): number {
    const n = this.size;
    this.model(theta, k);
    const { obs, mu, kernel, rowU, rowI } = this;
    const v = this.single.readVariance;
    const c = n - 1;
    // Rows first: rowU[j*n+i] = Σ_p r(p, j) K[p − i], rowI likewise with w = 1/μ and K².
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let u = 0;
        let w = 0;
        for (let p = 0; p < n; p++) {
          const m = mu[j * n + p] + v[j * n + p];
          const g = kernel[p - i + c];
          u += ((obs[j * n + p] - m) / m) * g;
          w += (g * g) / m;
        }
        rowU[j * n + i] = u;
        rowI[j * n + i] = w;
      }
    }
    let best = 0;
    let bi = n >> 1;
    let bj = n >> 1;
    let bestU = 0;
    let bestI = 1;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let u = 0;
        let w = 0;
        for (let q = 0; q < n; q++) {
          const g = kernel[q - j + c];
          u += rowU[q * n + i] * g;
          w += rowI[q * n + i] * g * g;
        }
        const score = u > 0 ? (u * u) / w : 0;
        if (score > best) {
          best = score;
          bi = i;
          bj = j;
          bestU = u;
          bestI = w;
        }
      }
    }
    const bg = theta[3 * k];
    theta[3 * k] = bi + 0.5;
    theta[3 * k + 1] = bj + 0.5;
    theta[3 * k + 2] = Math.max(bestU / bestI, this.options.minPhotons, 1);
    theta[3 * k + 3] = bg;
    return best;
  }

  /**
   * Joint LM fit of k emitters from θ; θ holds the result. Returns the objective; whether it
   * converged and its iterations land in `jointConverged` / `jointIterations` (no allocation).
   */
  private fitJoint(k: number): number {
    this.jointK = k;
    const lm = this.lm;
    const objective = lm.solve(
      this.problem,
      this.theta,
      this.trial,
      3 * k + 1,
      this.single.options.maxIterations,
    );
    this.iterations += lm.iterations;
    this.jointConverged = lm.converged;
    this.jointIterations = lm.iterations;
    return objective;
  }

  private propose(theta: Float64Array, trial: Float64Array, k: number, s: Float64Array): boolean {
    const n = this.size;
    let small = true;
    for (let e = 0; e < k; e++) {
      const a = 3 * e;
      // Moves ≤ 1 px; a spot may sit just beyond the window (its tail is inside, and the
      // pixel-integrated model is exact anywhere), but no farther than EDGE_PX.
      const dx = s[a] > 1 ? 1 : Math.max(s[a], -1);
      const dy = s[a + 1] > 1 ? 1 : Math.max(s[a + 1], -1);
      trial[a] = Math.min(Math.max(theta[a] + dx, -EDGE_PX), n + EDGE_PX);
      trial[a + 1] = Math.min(Math.max(theta[a + 1] + dy, -EDGE_PX), n + EDGE_PX);
      trial[a + 2] = Math.max(theta[a + 2] + s[a + 2], 0.5 * theta[a + 2]);
      small =
        small &&
        Math.abs(trial[a] - theta[a]) < TOL_POSITION &&
        Math.abs(trial[a + 1] - theta[a + 1]) < TOL_POSITION &&
        Math.abs(s[a + 2]) < TOL_RELATIVE * theta[a + 2];
    }
    const b = 3 * k;
    trial[b] = Math.max(theta[b] + s[b], 0.5 * theta[b]);
    return small && Math.abs(s[b]) < TOL_RELATIVE * Math.max(theta[b], 1);
  }

  /** Poisson log-likelihood (up to a constant), gradient and Fisher matrix at θ for k emitters. */
  private evaluate(theta: Float64Array, k: number, matrix: Float64Array, gradient: Float64Array): number {
    if (k === 2) return evaluate2(this.window, theta, matrix, gradient);
    if (k === 3) return evaluate3(this.window, theta, matrix, gradient);
    const n = this.size;
    const nn = this.nn;
    const np = 3 * k + 1;
    const { obs, jac, wjac, resid } = this;
    const { gx, gy, dgx, dgy } = this.axes;
    const v = this.single.readVariance;
    for (let e = 0; e < k; e++) {
      axisModel(theta[3 * e], this.sigmaPx, n, gx, dgx, null, e * n);
      axisModel(theta[3 * e + 1], this.sigmaPx, n, gy, dgy, null, e * n);
    }
    // Jacobian rows per parameter (pixels contiguous), then Σ w ∂μ∂μᵀ as dot products: far
    // cheaper in JS than updating (3k+1)²/2 matrix cells per pixel.
    const b = theta[3 * k];
    const bgRow = 3 * k * nn;
    let obj = 0;
    for (let j = 0, p = 0; j < n; j++) {
      for (let i = 0; i < n; i++, p++) {
        let mu = b;
        for (let e = 0, o = 0; e < k; e++, o += n) {
          const N = theta[3 * e + 2];
          const gxi = gx[o + i];
          const gyj = gy[o + j];
          const g = gxi * gyj;
          const row = 3 * e * nn + p;
          jac[row] = N * dgx[o + i] * gyj;
          jac[row + nn] = N * gxi * dgy[o + j];
          jac[row + 2 * nn] = g;
          mu += N * g;
        }
        const m = mu + v[p];
        if (!(m > 0)) return Number.NEGATIVE_INFINITY;
        const x = obs[p];
        const w = 1 / m;
        resid[p] = (x - m) * w;
        jac[bgRow + p] = 1;
        wjac[bgRow + p] = w;
        obj += (x > 0 ? x * Math.log(m) : 0) - m;
      }
    }
    for (let a = 0; a < 3 * k; a++) {
      const ra = a * nn;
      for (let p = 0; p < nn; p++) wjac[ra + p] = wjac[bgRow + p] * jac[ra + p];
    }
    for (let a = 0; a < np; a++) {
      const ra = a * nn;
      let g = 0;
      for (let p = 0; p < nn; p++) g += resid[p] * jac[ra + p];
      gradient[a] = g;
      for (let c = a; c < np; c++) {
        const rc = c * nn;
        let sum = 0;
        for (let p = 0; p < nn; p++) sum += wjac[ra + p] * jac[rc + p];
        matrix[a * np + c] = sum;
        matrix[c * np + a] = sum;
      }
    }
    return obj;
  }

  private satisfiesConstraints(k: number): boolean {
    const t = this.theta;
    const minSep2 = this.options.minSeparationPx ** 2;
    for (let e = 0; e < k; e++) {
      const x = t[3 * e];
      const y = t[3 * e + 1];
      if (!(t[3 * e + 2] >= this.options.minPhotons)) return false;
      for (let f = 0; f < e; f++) if ((x - t[3 * f]) ** 2 + (y - t[3 * f + 1]) ** 2 < minSep2) return false;
    }
    return true;
  }

  /** Copies the accepted k-emitter θ (in `best`) to the outputs with per-emitter CRLB. */
  private takeJoint(k: number, objective: number, converged: boolean): void {
    const np = 3 * k + 1;
    const t = this.best;
    this.count = k;
    this.background = t[3 * k];
    this.logLikelihoodRatio = objective - this.saturated;
    // The solver's matrix is the Fisher information at the accepted θ (its last accepted step).
    const ok = choleskyFactor(this.lm.matrix, np, this.factor);
    let flags = converged ? 0 : FIT_FLAGS.NOT_CONVERGED;
    for (let e = 0; e < k; e++) {
      this.x[e] = t[3 * e];
      this.y[e] = t[3 * e + 1];
      this.photons[e] = t[3 * e + 2];
      this.varianceX[e] = ok
        ? this.excessNoise * choleskyInverseDiagonal(this.factor, np, 3 * e, this.work)
        : Number.NaN;
      this.varianceY[e] = ok
        ? this.excessNoise * choleskyInverseDiagonal(this.factor, np, 3 * e + 1, this.work)
        : Number.NaN;
      if (!(Number.isFinite(this.varianceX[e]) && Number.isFinite(this.varianceY[e])))
        flags |= FIT_FLAGS.INVALID;
    }
    this.flags = flags;
    this.modelIterations = this.jointIterations;
    this.splitLogLikelihood(t, k);
  }

  /** `emitterLogL` of the k emitters of θ (see the field). */
  private splitLogLikelihood(theta: Float64Array, k: number): void {
    this.model(theta, k);
    const n = this.size;
    const { mu, obs } = this;
    const { gx, gy } = this.axes;
    const v = this.single.readVariance;
    const bShare = theta[3 * k] / k;
    this.emitterLogL.fill(0, 0, k);
    for (let j = 0, p = 0; j < n; j++) {
      for (let i = 0; i < n; i++, p++) {
        const m = mu[p] + v[p];
        const x = obs[p];
        const term = (x > 0 ? x * Math.log(m / x) : 0) - (m - x);
        const perMu = term / mu[p];
        for (let e = 0, o = 0; e < k; e++, o += n)
          this.emitterLogL[e] += perMu * (theta[3 * e + 2] * gx[o + i] * gy[o + j] + bShare);
      }
    }
  }
}

/** Integrated Gaussian of pixels −(n−1)…(n−1) around a spot at the centre of pixel 0. */
function pixelKernel(n: number, sigmaPx: number): Float64Array {
  const m = 2 * n - 1;
  const out = new Float64Array(m);
  const scratch = new Float64Array(m);
  axisModel(n - 0.5, sigmaPx, m, out, scratch, null);
  return out;
}
