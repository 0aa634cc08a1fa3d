// Minimum-cost assignment for rectangular matrices: the Hungarian method with potentials
// (Kuhn–Munkres in the shortest-augmenting-path form used by Jonker–Volgenant), O(n²m).

/**
 * cost is row-major n×m. Returns for each row the assigned column, or −1 when n > m leaves the
 * row unassigned. Every row (if n ≤ m) or every column (if n > m) is assigned.
 */
export function minCostAssignment(cost: Float64Array, n: number, m: number): Int32Array {
  const rowToCol = new Int32Array(n).fill(-1);
  if (n === 0 || m === 0) return rowToCol;
  if (n > m) {
    const t = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = cost[i * m + j];
    const colToRow = minCostAssignment(t, m, n);
    for (let j = 0; j < m; j++) if (colToRow[j] >= 0) rowToCol[colToRow[j]] = j;
    return rowToCol;
  }
  // 1-based arrays as in the classic formulation; p[j] = row matched to column j.
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
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      const rowBase = (i0 - 1) * m - 1;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[rowBase + j] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  for (let j = 1; j <= m; j++) if (p[j] > 0) rowToCol[p[j] - 1] = j - 1;
  return rowToCol;
}
