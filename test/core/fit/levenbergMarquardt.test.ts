// The LM loop both fitters share, on problems whose optimum is known exactly.
import { describe, expect, test } from 'vitest';
import { type LmProblem, LmSolver } from '../../../src/core/fit/levenbergMarquardt';

/** −½ (θ − c)ᵀ A (θ − c): the optimum is c, the Fisher matrix A; steps tolerate 1e-9. */
function quadratic(c: number[], A: number[][], valid: (t: Float64Array) => boolean = () => true): LmProblem {
  const n = c.length;
  return {
    evaluate(theta, matrix, gradient) {
      if (!valid(theta)) return Number.NEGATIVE_INFINITY;
      let obj = 0;
      for (let a = 0; a < n; a++) {
        let g = 0;
        for (let b = 0; b < n; b++) {
          g += A[a][b] * (c[b] - theta[b]);
          matrix[a * n + b] = A[a][b];
        }
        gradient[a] = g;
        obj += 0.5 * (theta[a] - c[a]) * g;
      }
      return obj;
    },
    propose(theta, trial, step) {
      let small = true;
      for (let a = 0; a < n; a++) {
        trial[a] = theta[a] + step[a];
        small &&= Math.abs(step[a]) < 1e-9;
      }
      return small;
    },
  };
}

const A = [
  [4, 1, 0],
  [1, 3, 0.5],
  [0, 0.5, 2],
];

describe('LmSolver', () => {
  test('reaches the optimum of a quadratic in a few steps and reports convergence', () => {
    const lm = new LmSolver(3);
    const theta = Float64Array.from([10, -7, 3]);
    const obj = lm.solve(quadratic([1, 2, 3], A), theta, new Float64Array(3), 3, 30);
    expect(lm.converged).toBe(true);
    expect(lm.iterations).toBeLessThanOrEqual(4);
    expect(Array.from(theta).map((v) => +v.toFixed(8))).toEqual([1, 2, 3]);
    expect(obj).toBeCloseTo(0, 10);
    // The matrix left behind is the Fisher matrix at the optimum (what the CRLB inverts).
    expect(Array.from(lm.matrix.subarray(0, 9))).toEqual(A.flat());
  });

  test('never accepts an invalid trial: damping shortens the step until it stays valid', () => {
    const lm = new LmSolver(3);
    const theta = Float64Array.from([0, 0, 0]);
    // The optimum (5, 0, 0) lies beyond a wall at x = 2: the fit stops at the wall, inside.
    const p = quadratic([5, 0, 0], A, (t) => t[0] < 2);
    lm.solve(p, theta, new Float64Array(3), 3, 60);
    expect(theta[0]).toBeLessThan(2);
    expect(theta[0]).toBeGreaterThan(1.5);
  });

  test('stops at the iteration limit without claiming convergence', () => {
    const lm = new LmSolver(3);
    const theta = Float64Array.from([0, 0, 0]);
    lm.solve(
      quadratic([5, 0, 0], A, (t) => t[0] < 2),
      theta,
      new Float64Array(3),
      3,
      2,
    );
    expect(lm.iterations).toBe(2);
    expect(lm.converged).toBe(false);
  });
});
