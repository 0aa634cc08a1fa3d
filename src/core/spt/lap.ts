// Linear assignment with "no link" alternatives for the trackers. Each connected component of
// candidate links is solved on its own (see `assignWithAlternatives`), so the dense square
// solver in src/core/math/assignment.ts only ever sees small matrices.
import { solveAssignment } from '../math/assignment';

/**
 * Solves min Σ cost[i·n + assignment[i]] over permutations. `Infinity` marks forbidden pairs.
 * Returns row → column. Throws if no perfect matching avoids the forbidden pairs.
 */
export function solveLap(cost: Float64Array, n: number): Int32Array {
  return solveAssignment(cost, n, n);
}

/** Candidate links of a rectangular assignment: parallel arrays (source, target, cost). */
export interface CandidateLinks {
  count: number;
  source: Int32Array;
  target: Int32Array;
  cost: Float64Array;
}

/**
 * Jaqaman et al. 2008's assignment with "no link" alternatives: every source either links to
 * one target or ends (cost `endCost[i]`); every target either receives one link or starts
 * (cost `startCost[j]`). Minimises Σ link costs + Σ end costs + Σ start costs exactly.
 *
 * The augmented (n+m)² matrix [[C, diag(end)], [diag(start), Cᵀ-pattern at 0]] of the paper
 * decomposes over connected components of the candidate graph, so each component is solved
 * alone; isolated sources/targets cost nothing to process. Returns source → target (−1: ends).
 */
export function assignWithAlternatives(
  nSources: number,
  nTargets: number,
  links: CandidateLinks,
  endCost: Float64Array,
  startCost: Float64Array,
): Int32Array {
  const result = new Int32Array(nSources).fill(-1);
  if (links.count === 0) return result;
  // Union–find over sources [0, n) and targets [n, n+m).
  const parent = new Int32Array(nSources + nTargets);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (a: number) => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  for (let k = 0; k < links.count; k++) {
    const a = find(links.source[k]);
    const b = find(nSources + links.target[k]);
    if (a !== b) parent[a] = b;
  }
  // Group links by component root (counting sort), and number the members of each component.
  const root = new Int32Array(links.count);
  const compOfRoot = new Int32Array(nSources + nTargets).fill(-1);
  let nComp = 0;
  for (let k = 0; k < links.count; k++) {
    const r = find(links.source[k]);
    if (compOfRoot[r] < 0) compOfRoot[r] = nComp++;
    root[k] = compOfRoot[r];
  }
  const start = new Int32Array(nComp + 1);
  for (let k = 0; k < links.count; k++) start[root[k] + 1]++;
  for (let c = 0; c < nComp; c++) start[c + 1] += start[c];
  const order = new Int32Array(links.count);
  const fill = start.slice(0, nComp);
  for (let k = 0; k < links.count; k++) order[fill[root[k]]++] = k;

  const localOf = new Int32Array(nSources + nTargets).fill(-1);
  const srcIds: number[] = [];
  const tgtIds: number[] = [];
  for (let c = 0; c < nComp; c++) {
    srcIds.length = 0;
    tgtIds.length = 0;
    for (let q = start[c]; q < start[c + 1]; q++) {
      const k = order[q];
      const s = links.source[k];
      const t = nSources + links.target[k];
      if (localOf[s] < 0) localOf[s] = srcIds.push(s) - 1;
      if (localOf[t] < 0) localOf[t] = tgtIds.push(links.target[k]) - 1;
    }
    const n = srcIds.length;
    const m = tgtIds.length;
    const size = n + m;
    const mat = new Float64Array(size * size).fill(Number.POSITIVE_INFINITY);
    for (let q = start[c]; q < start[c + 1]; q++) {
      const k = order[q];
      const i = localOf[links.source[k]];
      const j = localOf[nSources + links.target[k]];
      mat[i * size + j] = Math.min(mat[i * size + j], links.cost[k]);
      // The lower-right block lets unused "start" rows absorb unused "end" columns; it mirrors
      // the link pattern so a perfect matching always exists, at zero cost so totals are exact.
      mat[(n + j) * size + (m + i)] = 0;
    }
    for (let i = 0; i < n; i++) mat[i * size + m + i] = endCost[srcIds[i]];
    for (let j = 0; j < m; j++) mat[(n + j) * size + j] = startCost[tgtIds[j]];
    const a = solveLap(mat, size);
    for (let i = 0; i < n; i++) if (a[i] < m) result[srcIds[i]] = tgtIds[a[i]];
    for (const s of srcIds) localOf[s] = -1;
    for (const t of tgtIds) localOf[nSources + t] = -1;
  }
  return result;
}
