// Small dense linear algebra for the drift solvers (tens of unknowns): no library needed.
import { choleskyFactor, choleskySolve } from '../fit/cholesky';

/** Solves the symmetric positive-definite system A·x = b (A row-major n×n) by Cholesky; A is overwritten. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  // Factored in place: each entry of the lower triangle is read just before its factor replaces it.
  if (!choleskyFactor(a, n, a)) throw new Error('singular system (drift segments not connected by any pair)');
  const x = new Float64Array(n);
  choleskySolve(a, n, b, x);
  return x;
}

/**
 * Least-squares positions d[0…n−1] (d[0] = 0) from pairwise differences d[j] − d[i] = r,
 * using only the pairs with use[k] set.
 */
export function solvePairwiseDifferences(
  n: number,
  pi: Int32Array,
  pj: Int32Array,
  r: Float64Array,
  use: Uint8Array,
): Float64Array {
  const m = n - 1;
  const d = new Float64Array(n);
  if (m === 0) return d;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (let k = 0; k < pi.length; k++) {
    if (!use[k]) continue;
    // Row: +1 at j, −1 at i; unknown index u−1 because d[0] is fixed.
    const i = pi[k] - 1;
    const j = pj[k] - 1;
    if (j >= 0) {
      a[j * m + j] += 1;
      b[j] += r[k];
    }
    if (i >= 0) {
      a[i * m + i] += 1;
      b[i] -= r[k];
    }
    if (i >= 0 && j >= 0) {
      a[i * m + j] -= 1;
      a[j * m + i] -= 1;
    }
  }
  d.set(solveSpd(a, b, m), 1);
  return d;
}

/** Whether the pairs with use[k] set connect all n nodes (union–find). */
export function pairsConnect(n: number, pi: Int32Array, pj: Int32Array, use: Uint8Array): boolean {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const root = (i: number) => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  let groups = n;
  for (let k = 0; k < pi.length; k++) {
    if (!use[k]) continue;
    const a = root(pi[k]);
    const b = root(pj[k]);
    if (a !== b) {
      parent[a] = b;
      groups--;
    }
  }
  return groups === 1;
}
