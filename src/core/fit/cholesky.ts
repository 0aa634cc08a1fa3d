// Dense Cholesky for the 4×4 / 5×5 normal equations of one fit, in caller-owned scratch so a
// fit allocates nothing.

/** Factors the symmetric matrix `a` (n×n, row-major) into lower-triangular `l`; false unless positive definite. */
export function choleskyFactor(a: Float64Array, n: number, l: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return true;
}

/** Solves L Lᵀ x = b for x (b and x may alias). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}

/** Diagonal element `i` of A⁻¹ given A's Cholesky factor, using `work` (length n). */
export function choleskyInverseDiagonal(l: Float64Array, n: number, i: number, work: Float64Array): number {
  // (A⁻¹)_ii = ‖L⁻¹ e_i‖²: one forward substitution.
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let s = r === i ? 1 : 0;
    for (let k = 0; k < r; k++) s -= l[r * n + k] * work[k];
    work[r] = s / l[r * n + r];
    sum += work[r] * work[r];
  }
  return sum;
}
