// Single-emitter fit of a pixel-integrated Gaussian on a flat background to one square window.
//
// Levenberg–Marquardt on the Fisher-scoring normal equations: the matrix Σ w ∂μ∂μᵀ with
// w = 1/μ is the Fisher information of the Poisson model, positive definite even where pixels
// are zero (unlike the observed Hessian), and at convergence it is exactly the matrix whose
// inverse is the CRLB we report, so the precision costs nothing extra. Damping only switches on
// when a step lowers the likelihood, so well-posed fits converge like Newton.
//
// sCMOS (Huang et al. 2013): the read-noise variance v_k (photon²) is added to both the data and
// the model, turning Gaussian read noise into a Poisson-like term the same likelihood handles.
// Least squares shares the loop with fixed weights: 1 (lsq) or 1/max(data, 1) (wlsq, what
// ThunderSTORM calls weighted least squares).
import { type AxisBuffers, axisBuffers } from '../psf/integratedGaussian';
import { axisModel } from './axisModel';
import { choleskyFactor, choleskyInverseDiagonal } from './cholesky';
import { type LmProblem, LmSolver } from './levenbergMarquardt';

export type FitMethod = 'mle' | 'lsq' | 'wlsq';

/** Bits of the `flags` column. */
export const FIT_FLAGS = {
  /** The iteration limit was reached before the step fell below tolerance. */
  NOT_CONVERGED: 1,
  /** The position left the fitting window or σ hit its bound: not one well-isolated spot. */
  OUTSIDE: 2,
  /** Non-finite values, a singular Fisher matrix or no photons. */
  INVALID: 4,
} as const;

export interface FitterOptions {
  /** Side of the square window in pixels. */
  size: number;
  /** PSF σ in pixels: fixed, or the start value when `fitSigma`. */
  sigmaPx: number;
  fitSigma: boolean;
  method: FitMethod;
  maxIterations: number;
  /** Variance inflation for the reported precision: 2 for EMCCD data, else 1. */
  excessNoise: number;
}

// Steps below these count as converged: 1e-4 px is 0.01 nm at 100 nm pixels, far below any
// precision, and relative 1e-5 on photons/background/σ likewise.
const TOL_POSITION = 1e-4;
const TOL_RELATIVE = 1e-5;

export class GaussianFitter {
  readonly size: number;
  readonly options: FitterOptions;
  /** Input: photons per pixel of the window, row-major; the caller fills it before `fit()`. */
  readonly data: Float64Array;
  /** Input: read-noise variance per pixel in photon² (zeros for an ideal camera). */
  readonly readVariance: Float64Array;

  // Outputs of the last fit (pixel units, window coordinates: pixel i spans [i, i+1)).
  x = 0;
  y = 0;
  sigma = 0;
  photons = 0;
  background = 0;
  /** CRLB variances of x and y (px²), excess noise included. */
  varianceX = 0;
  varianceY = 0;
  /** log L(θ̂) − log L(saturated): ≤ 0, nearer 0 is a better fit (Poisson model, any method). */
  logLikelihoodRatio = 0;
  iterations = 0;
  flags = 0;

  private readonly np: number;
  private readonly obs: Float64Array;
  private readonly weight: Float64Array;
  private readonly axes: AxisBuffers;
  private readonly theta: Float64Array;
  private readonly trial: Float64Array;
  private readonly lm: LmSolver;
  private readonly factor: Float64Array;
  private readonly work: Float64Array;
  /** Poisson likelihood (mle) or least squares, for the fit under way. */
  private mle = true;
  private readonly problem: LmProblem = {
    evaluate: (theta, matrix, gradient) => this.evaluate(theta, matrix, gradient, this.mle),
    propose: (theta, trial, step) => this.propose(theta, trial, step),
  };
  private readonly sigmaMin: number;
  private readonly sigmaMax: number;

  constructor(options: FitterOptions) {
    const n = options.size;
    if (!(Number.isInteger(n) && n >= 3)) throw new Error(`fitting window must be ≥ 3 pixels, got ${n}`);
    this.options = { ...options };
    this.size = n;
    this.np = options.fitSigma ? 5 : 4;
    const np = this.np;
    this.data = new Float64Array(n * n);
    this.readVariance = new Float64Array(n * n);
    this.obs = new Float64Array(n * n);
    this.weight = new Float64Array(n * n);
    this.axes = axisBuffers(n);
    this.theta = new Float64Array(5);
    this.trial = new Float64Array(5);
    this.lm = new LmSolver(np);
    this.factor = new Float64Array(np * np);
    this.work = new Float64Array(np);
    this.sigmaMin = options.sigmaPx / 3;
    this.sigmaMax = options.sigmaPx * 3;
  }

  /** Fits `data` (+ `readVariance`); results land in the public fields. */
  fit(): void {
    const n = this.size;
    const nn = n * n;
    const { data, readVariance: v, obs, weight } = this;
    const mle = this.options.method === 'mle';
    const wlsq = this.options.method === 'wlsq';
    // Start: background at the window's minimum, photons from the excess sum, position at the
    // excess-weighted centroid; robust and at most a pixel or so from the optimum.
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nn; k++) if (data[k] < min) min = data[k];
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let j = 0, k = 0; j < n; j++) {
      for (let i = 0; i < n; i++, k++) {
        const e = data[k] - min;
        sum += e;
        sx += e * (i + 0.5);
        sy += e * (j + 0.5);
        const o = data[k] + v[k];
        // Poisson counts cannot be negative: negatives come from read noise and offset errors.
        obs[k] = mle ? Math.max(o, 0) : data[k];
        weight[k] = wlsq ? 1 / Math.max(o, 1) : 1;
      }
    }
    const theta = this.theta;
    theta[0] = sum > 0 ? sx / sum : n / 2;
    theta[1] = sum > 0 ? sy / sum : n / 2;
    theta[2] = Math.max(sum, 1);
    theta[3] = Math.max(min, 1e-3);
    theta[4] = this.options.sigmaPx;
    this.flags = 0;
    this.mle = mle;
    const objective = this.lm.solve(this.problem, theta, this.trial, this.np, this.options.maxIterations);
    this.iterations = this.lm.iterations;
    this.finish(objective, this.lm.converged, mle);
  }

  /** Trial parameters θ + step within bounds; returns whether the step was below tolerance. */
  private propose(theta: Float64Array, trial: Float64Array, s: Float64Array): boolean {
    // Newton steps from a poor start can overshoot a whole spot: cap position moves at 1 px and
    // never let photons, background or σ fall by more than half in one step.
    const dx = s[0] > 1 ? 1 : Math.max(s[0], -1);
    const dy = s[1] > 1 ? 1 : Math.max(s[1], -1);
    trial[0] = theta[0] + dx;
    trial[1] = theta[1] + dy;
    const n = theta[2] + s[2];
    trial[2] = Math.max(n, 0.5 * theta[2]);
    const b = theta[3] + s[3];
    trial[3] = Math.max(b, 0.5 * theta[3]);
    let small =
      Math.abs(dx) < TOL_POSITION &&
      Math.abs(dy) < TOL_POSITION &&
      Math.abs(s[2]) < TOL_RELATIVE * theta[2] &&
      Math.abs(s[3]) < TOL_RELATIVE * Math.max(theta[3], 1);
    if (this.np === 5) {
      const ds = s[4];
      let sg = theta[4] + (ds > 0.5 * theta[4] ? 0.5 * theta[4] : Math.max(ds, -0.5 * theta[4]));
      sg = sg < this.sigmaMin ? this.sigmaMin : Math.min(sg, this.sigmaMax);
      trial[4] = sg;
      small = small && Math.abs(ds) < TOL_RELATIVE * theta[4];
    } else {
      trial[4] = theta[4];
    }
    return small;
  }

  /**
   * Objective at θ (Poisson log-likelihood up to a constant, or −½ weighted squared error),
   * with the gradient and the Fisher-scoring matrix Σ w ∂μ∂μᵀ. −∞ where the model is not positive.
   */
  private evaluate(theta: Float64Array, matrix: Float64Array, gradient: Float64Array, mle: boolean): number {
    const n = this.size;
    const { obs, weight } = this;
    const { gx, gy, dgx, dgy } = this.axes;
    const v = this.readVariance;
    const x0 = theta[0];
    const y0 = theta[1];
    const N = theta[2];
    const b = theta[3];
    const s = theta[4];
    if (this.np === 5) return this.evaluateFreeSigma(theta, matrix, gradient, mle);
    axisModel(x0, s, n, gx, dgx, null);
    axisModel(y0, s, n, gy, dgy, null);
    let obj = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    let h00 = 0;
    let h01 = 0;
    let h02 = 0;
    let h03 = 0;
    let h11 = 0;
    let h12 = 0;
    let h13 = 0;
    let h22 = 0;
    let h23 = 0;
    let h33 = 0;
    for (let j = 0, k = 0; j < n; j++) {
      const ngy = N * gy[j];
      const ndgy = N * dgy[j];
      const gyj = gy[j];
      for (let i = 0; i < n; i++, k++) {
        const d0 = dgx[i] * ngy;
        const d1 = gx[i] * ndgy;
        const d2 = gx[i] * gyj;
        const mu = N * d2 + b;
        let w: number;
        let r: number;
        if (mle) {
          const m = mu + v[k];
          if (!(m > 0)) return Number.NEGATIVE_INFINITY;
          const x = obs[k];
          w = 1 / m;
          r = (x - m) * w;
          obj += (x > 0 ? x * Math.log(m) : 0) - m;
        } else {
          w = weight[k];
          const res = obs[k] - mu;
          r = res * w;
          obj -= 0.5 * res * r;
        }
        g0 += r * d0;
        g1 += r * d1;
        g2 += r * d2;
        g3 += r;
        const w0 = w * d0;
        const w1 = w * d1;
        const w2 = w * d2;
        h00 += w0 * d0;
        h01 += w0 * d1;
        h02 += w0 * d2;
        h03 += w0;
        h11 += w1 * d1;
        h12 += w1 * d2;
        h13 += w1;
        h22 += w2 * d2;
        h23 += w2;
        h33 += w;
      }
    }
    gradient[0] = g0;
    gradient[1] = g1;
    gradient[2] = g2;
    gradient[3] = g3;
    matrix[0] = h00;
    matrix[1] = matrix[4] = h01;
    matrix[2] = matrix[8] = h02;
    matrix[3] = matrix[12] = h03;
    matrix[5] = h11;
    matrix[6] = matrix[9] = h12;
    matrix[7] = matrix[13] = h13;
    matrix[10] = h22;
    matrix[11] = matrix[14] = h23;
    matrix[15] = h33;
    return obj;
  }

  private evaluateFreeSigma(
    theta: Float64Array,
    matrix: Float64Array,
    gradient: Float64Array,
    mle: boolean,
  ): number {
    const n = this.size;
    const { obs, weight } = this;
    const { gx, gy, dgx, dgy, sgx, sgy } = this.axes;
    const v = this.readVariance;
    const N = theta[2];
    const b = theta[3];
    axisModel(theta[0], theta[4], n, gx, dgx, sgx);
    axisModel(theta[1], theta[4], n, gy, dgy, sgy);
    const np = 5;
    matrix.fill(0);
    gradient.fill(0);
    let obj = 0;
    const d = this.work;
    for (let j = 0, k = 0; j < n; j++) {
      const ngy = N * gy[j];
      for (let i = 0; i < n; i++, k++) {
        d[0] = dgx[i] * ngy;
        d[1] = N * gx[i] * dgy[j];
        d[2] = gx[i] * gy[j];
        d[3] = 1;
        d[4] = N * (sgx[i] * gy[j] + gx[i] * sgy[j]);
        const mu = N * d[2] + b;
        let w: number;
        let r: number;
        if (mle) {
          const m = mu + v[k];
          if (!(m > 0)) return Number.NEGATIVE_INFINITY;
          const x = obs[k];
          w = 1 / m;
          r = (x - m) * w;
          obj += (x > 0 ? x * Math.log(m) : 0) - m;
        } else {
          w = weight[k];
          const res = obs[k] - mu;
          r = res * w;
          obj -= 0.5 * res * r;
        }
        for (let a = 0; a < np; a++) {
          const wa = w * d[a];
          gradient[a] += r * d[a];
          for (let c = a; c < np; c++) matrix[a * np + c] += wa * d[c];
        }
      }
    }
    for (let a = 0; a < np; a++) for (let c = 0; c < a; c++) matrix[a * np + c] = matrix[c * np + a];
    return obj;
  }

  /** Fisher information at θ̂ → CRLB, likelihood ratio, flags. */
  private finish(objective: number, converged: boolean, mle: boolean): void {
    const theta = this.theta;
    const n = this.size;
    const np = this.np;
    let flags = converged ? 0 : FIT_FLAGS.NOT_CONVERGED;
    // Least squares: re-evaluate as Poisson to get the Fisher matrix and a comparable logL.
    const obj = mle ? objective : this.poissonObjective();
    let saturated = 0;
    const obs = this.obs;
    const v = this.readVariance;
    for (let k = 0; k < n * n; k++) {
      const x = mle ? obs[k] : this.data[k] + v[k];
      if (x > 0) saturated += x * Math.log(x) - x;
    }
    this.logLikelihoodRatio = obj - saturated;
    this.x = theta[0];
    this.y = theta[1];
    this.photons = theta[2];
    this.background = theta[3];
    this.sigma = theta[4];
    const excess = this.options.excessNoise;
    if (Number.isFinite(obj) && choleskyFactor(this.lm.matrix, np, this.factor)) {
      this.varianceX = excess * choleskyInverseDiagonal(this.factor, np, 0, this.work);
      this.varianceY = excess * choleskyInverseDiagonal(this.factor, np, 1, this.work);
    } else {
      this.varianceX = this.varianceY = Number.NaN;
    }
    if (!(Number.isFinite(this.varianceX) && Number.isFinite(this.varianceY) && theta[2] > 0)) {
      flags |= FIT_FLAGS.INVALID;
    }
    if (theta[0] < 0 || theta[0] > n || theta[1] < 0 || theta[1] > n) flags |= FIT_FLAGS.OUTSIDE;
    if (np === 5 && (theta[4] <= this.sigmaMin * 1.0001 || theta[4] >= this.sigmaMax * 0.9999)) {
      flags |= FIT_FLAGS.OUTSIDE;
    }
    this.flags = flags;
  }

  /** Poisson objective and Fisher matrix at θ (for least-squares fits). */
  private poissonObjective(): number {
    const n = this.size;
    const obs = this.obs;
    const v = this.readVariance;
    for (let k = 0; k < n * n; k++) {
      const o = this.data[k] + v[k];
      obs[k] = Math.max(o, 0);
    }
    return this.evaluate(this.theta, this.lm.matrix, this.lm.gradient, true);
  }
}
