// The Levenberg–Marquardt loop both fitters share (single-emitter GaussianFitter and the joint
// fits of MultiEmitterFitter): Fisher-scoring normal equations, damping only after a step that
// lowers the objective, convergence when a step falls below the problem's tolerance. The
// problem supplies the model (objective, gradient, Fisher matrix) and the bounded step; the
// solver owns the buffers, so a fit allocates nothing.
import { choleskyFactor, choleskySolve } from './cholesky';

const LAMBDA_START = 1e-4;
const LAMBDA_FAIL = 1e10;

export interface LmProblem {
  /** Objective at θ (−∞ where the model is invalid), with its gradient and Fisher matrix. */
  evaluate(theta: Float64Array, matrix: Float64Array, gradient: Float64Array): number;
  /** Writes θ + step (bounded) into `trial`; returns whether the step is below tolerance. */
  propose(theta: Float64Array, trial: Float64Array, step: Float64Array): boolean;
}

export class LmSolver {
  /** Fisher matrix and gradient at the last accepted θ (the CRLB's matrix at convergence). */
  matrix: Float64Array;
  gradient: Float64Array;
  /** Iterations and convergence of the last `solve`. */
  iterations = 0;
  converged = false;
  private trialMatrix: Float64Array;
  private trialGradient: Float64Array;
  private readonly damped: Float64Array;
  private readonly factor: Float64Array;
  private readonly step: Float64Array;

  /** Buffers for up to `maxParams` parameters. */
  constructor(maxParams: number) {
    const m = maxParams;
    this.matrix = new Float64Array(m * m);
    this.gradient = new Float64Array(m);
    this.trialMatrix = new Float64Array(m * m);
    this.trialGradient = new Float64Array(m);
    this.damped = new Float64Array(m * m);
    this.factor = new Float64Array(m * m);
    this.step = new Float64Array(m);
  }

  /**
   * Maximises the problem's objective over the first `np` entries of θ from its current value;
   * θ holds the result (`trial` is scratch). Returns the objective.
   */
  solve(
    problem: LmProblem,
    theta: Float64Array,
    trial: Float64Array,
    np: number,
    maxIterations: number,
  ): number {
    let objective = problem.evaluate(theta, this.matrix, this.gradient);
    let lambda = LAMBDA_START;
    let converged = false;
    let it = 0;
    while (it < maxIterations && Number.isFinite(objective)) {
      it++;
      const { damped, matrix } = this;
      for (let a = 0; a < np * np; a++) damped[a] = matrix[a];
      for (let a = 0; a < np; a++) damped[a * np + a] *= 1 + lambda;
      let small = false;
      if (choleskyFactor(damped, np, this.factor)) {
        choleskySolve(this.factor, np, this.gradient, this.step);
        small = problem.propose(theta, trial, this.step);
        const t = problem.evaluate(trial, this.trialMatrix, this.trialGradient);
        if (t >= objective) {
          for (let a = 0; a < np; a++) theta[a] = trial[a];
          objective = t;
          const m = this.matrix;
          this.matrix = this.trialMatrix;
          this.trialMatrix = m;
          const g = this.gradient;
          this.gradient = this.trialGradient;
          this.trialGradient = g;
          lambda = Math.max(lambda * 0.1, 1e-12);
          if (small) {
            converged = true;
            break;
          }
          continue;
        }
      }
      // At the optimum a tiny step may fail to improve by rounding alone: that is convergence.
      if (small) {
        converged = true;
        break;
      }
      lambda *= 10;
      if (lambda > LAMBDA_FAIL) break;
    }
    this.iterations = it;
    this.converged = converged;
    return objective;
  }
}
