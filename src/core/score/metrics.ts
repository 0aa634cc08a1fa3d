// SMLM Challenge 2016 (Sage et al., Nat Methods 16:387, 2019) detection and accuracy metrics:
// per frame, localizations are paired one-to-one with ground truth by a minimum-total-distance
// assignment, pairs farther apart than the tolerance are not matches; then
//   Jaccard = TP / (TP + FP + FN), recall = TP / (TP + FN), precision = TP / (TP + FP),
//   lateral RMSE over matches, efficiency = 1 − sqrt((1 − J)² + (RMSE / 100 nm)²).
import { groupByFrame } from '../locs/groupByFrame';
import type { LocTable } from '../locs/table';
import { solveAssignment } from '../math/assignment';

export interface ScoreOptions {
  /** Largest distance of a match, nm (default 250). */
  toleranceNm?: number;
}

export interface Matches {
  truth: Uint32Array;
  locs: Uint32Array;
  /** Localization minus truth, nm. */
  dx: Float64Array;
  dy: Float64Array;
}

export interface ScoreResult {
  toleranceNm: number;
  truthCount: number;
  locCount: number;
  tp: number;
  fp: number;
  fn: number;
  jaccard: number;
  recall: number;
  precision: number;
  /** Lateral RMSE sqrt(mean(dx² + dy²)) over matches, nm (NaN without matches). */
  rmse: number;
  rmseX: number;
  rmseY: number;
  /** Mean localization − truth over matches, nm. */
  biasX: number;
  biasY: number;
  /** Lateral efficiency (a fraction; ×100 for the challenge's percent). */
  efficiency: number;
  matches: Matches;
}

function column(t: LocTable, name: string, which: string): ArrayLike<number> {
  const c = t.columns[name];
  if (!c) throw new Error(`${which} table has no "${name}" column`);
  return c;
}

export function scoreLocalizations(truth: LocTable, locs: LocTable, options: ScoreOptions = {}): ScoreResult {
  const tol = options.toleranceNm ?? 250;
  if (!(tol > 0)) throw new Error(`tolerance must be > 0 nm (got ${tol})`);
  const tf = column(truth, 'frame', 'ground-truth');
  const tx = column(truth, 'x', 'ground-truth');
  const ty = column(truth, 'y', 'ground-truth');
  const lf = column(locs, 'frame', 'localization');
  const lx = column(locs, 'x', 'localization');
  const ly = column(locs, 'y', 'localization');
  let frames = 0;
  for (let i = 0; i < truth.length; i++) frames = Math.max(frames, tf[i] + 1);
  for (let i = 0; i < locs.length; i++) frames = Math.max(frames, lf[i] + 1);
  const gt = groupByFrame(tf, truth.length, { frames });
  const gl = groupByFrame(lf, locs.length, { frames });
  const mt: number[] = [];
  const ml: number[] = [];
  const tol2 = tol * tol;
  let cost = new Float64Array(64);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let f = 0; f < frames; f++) {
    const t0 = gt.start[f];
    const nt = gt.start[f + 1] - t0;
    const l0 = gl.start[f];
    const nl = gl.start[f + 1] - l0;
    if (nt === 0 || nl === 0) continue;
    // Only points with a partner within tolerance take part: smaller matrices, same optimum.
    rows.length = 0;
    cols.length = 0;
    const colUsed = new Uint8Array(nl);
    for (let a = 0; a < nt; a++) {
      const i = gt.order[t0 + a];
      let any = false;
      for (let b = 0; b < nl; b++) {
        const j = gl.order[l0 + b];
        const dx = lx[j] - tx[i];
        const dy = ly[j] - ty[i];
        if (dx * dx + dy * dy <= tol2) {
          any = true;
          colUsed[b] = 1;
        }
      }
      if (any) rows.push(i);
    }
    for (let b = 0; b < nl; b++) if (colUsed[b]) cols.push(gl.order[l0 + b]);
    const n = rows.length;
    const m = cols.length;
    if (n === 0) continue;
    if (cost.length < n * m) cost = new Float64Array(n * m);
    // A forbidden pair costs more than any complete set of allowed ones, so the optimum first
    // maximises the number of matches, then minimises their total distance.
    const forbidden = tol * (Math.min(n, m) + 1);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < m; b++) {
        const dx = lx[cols[b]] - tx[rows[a]];
        const dy = ly[cols[b]] - ty[rows[a]];
        const d2 = dx * dx + dy * dy;
        cost[a * m + b] = d2 <= tol2 ? Math.sqrt(d2) : forbidden;
      }
    }
    const assign = solveAssignment(cost.subarray(0, n * m), n, m);
    for (let a = 0; a < n; a++) {
      const b = assign[a];
      if (b < 0 || cost[a * m + b] >= forbidden) continue;
      mt.push(rows[a]);
      ml.push(cols[b]);
    }
  }
  const tp = mt.length;
  const matches: Matches = {
    truth: Uint32Array.from(mt),
    locs: Uint32Array.from(ml),
    dx: new Float64Array(tp),
    dy: new Float64Array(tp),
  };
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < tp; k++) {
    const dx = lx[ml[k]] - tx[mt[k]];
    const dy = ly[ml[k]] - ty[mt[k]];
    matches.dx[k] = dx;
    matches.dy[k] = dy;
    sx += dx;
    sy += dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const fp = locs.length - tp;
  const fn = truth.length - tp;
  const denom = tp + fp + fn;
  const jaccard = denom ? tp / denom : 1;
  const rmse = tp ? Math.sqrt((sxx + syy) / tp) : Number.NaN;
  return {
    toleranceNm: tol,
    truthCount: truth.length,
    locCount: locs.length,
    tp,
    fp,
    fn,
    jaccard,
    recall: truth.length ? tp / truth.length : 1,
    precision: locs.length ? tp / locs.length : 1,
    rmse,
    rmseX: tp ? Math.sqrt(sxx / tp) : Number.NaN,
    rmseY: tp ? Math.sqrt(syy / tp) : Number.NaN,
    biasX: tp ? sx / tp : Number.NaN,
    biasY: tp ? sy / tp : Number.NaN,
    efficiency: efficiency(jaccard, tp ? rmse : 0),
    matches,
  };
}

/** Lateral efficiency from a Jaccard index (fraction) and RMSE (nm); α = 1/100 nm⁻¹ in fraction units. */
export function efficiency(jaccard: number, rmseNm: number): number {
  return 1 - Math.sqrt((1 - jaccard) ** 2 + (rmseNm / 100) ** 2);
}
