// Minimum-cost assignment (linear assignment problem) by shortest augmenting paths with dual
// potentials — the Hungarian / Kuhn–Munkres method in the Jonker–Volgenant form, O(n²m).
// One solver serves the localisation scorer (rectangular, all pairs allowed) and the tracker
// (square, `Infinity` marking forbidden pairs).

/**
 * Minimises Σ cost[i·m + a[i]] over injective row → column maps. `cost` is row-major n×m;
 * `Infinity` marks a forbidden pair. Every row is assigned when n ≤ m, every column when n > m
 * (the other rows get −1). Throws when no such assignment avoids the forbidden pairs.
 */
export function solveAssignment(cost: Float64Array, n: number, m: number): Int32Array {
  const rowToCol = new Int32Array(n).fill(-1);
  if (n === 0 || m === 0) return rowToCol;
  if (n > m) {
    // The method augments one row at a time into free columns, so it needs n ≤ m: solve the
    // transpose and invert the map.
    const t = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = cost[i * m + j];
    const colToRow = solveAssignment(t, m, n);
    for (let j = 0; j < m; j++) rowToCol[colToRow[j]] = j;
    return rowToCol;
  }
  // 1-based arrays with a virtual column 0, as in the classic formulation: p[j] is the row
  // matched to column j, u/v are row/column potentials kept feasible (u_i + v_j ≤ c_ij).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      const rowBase = (i0 - 1) * m - 1;
      const ui0 = u[i0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = -1;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[rowBase + j] - ui0 - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      if (j1 < 0 || delta === Number.POSITIVE_INFINITY)
        throw new Error('solveAssignment: no assignment avoids the forbidden (infinite) costs');
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) if (p[j] > 0) rowToCol[p[j] - 1] = j - 1;
  return rowToCol;
}
