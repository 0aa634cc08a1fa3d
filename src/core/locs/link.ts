// Links localizations of one emitter across consecutive frames: a localization joins the
// nearest group within `radiusNm` whose last localization is at most `maxGapFrames` dark frames
// back. Matching against the group's last position (not its mean) lets a link follow slow
// motion such as drift, which is what fiducial detection needs; for immobile blinks the radius
// should be ~4–5× the precision, since two localizations of one emitter differ by σ√2 per axis.
//
// Frames are visited in order (counting sort). Per frame, the live groups (seen within the gap)
// are bucketed into a spatial hash with cells of one radius, rebuilt from scratch in O(live):
// no per-object allocation, total cost O(n·(g+1)).

import { CellBuckets } from './cellBuckets';
import { groupByFrameSparse } from './groupByFrame';

export interface LinkOptions {
  radiusNm: number;
  /** Dark frames allowed inside one group (0 = strictly consecutive). */
  maxGapFrames: number;
  /** Only rows with mask[i] ≠ 0 take part; the rest get group −1. */
  mask?: Uint8Array;
}

export interface Links {
  /** Group of each row (−1 where masked out). Groups are numbered in order of first appearance. */
  group: Int32Array;
  groups: number;
  /** Rows per group. */
  size: Uint32Array;
}

export function linkBlinks(
  frame: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  opts: LinkOptions,
): Links {
  const r = opts.radiusNm;
  const gap = opts.maxGapFrames;
  if (!(r > 0)) throw new Error(`link radius must be > 0 nm, got ${r}`);
  if (!(Number.isInteger(gap) && gap >= 0)) throw new Error(`max gap must be an integer ≥ 0, got ${gap}`);
  const mask = opts.mask;
  const group = new Int32Array(n).fill(-1);

  const { order, start, frameIds } = groupByFrameSparse(frame, n, { mask });

  const lastX = new Float64Array(order.length);
  const lastY = new Float64Array(order.length);
  const lastF = new Int32Array(order.length);
  const size = new Uint32Array(order.length);
  const live = new Int32Array(order.length);
  let nLive = 0;
  let groups = 0;
  // Sized for the most groups that can be live at once.
  const buckets = new CellBuckets(order.length, r);
  const cells = new Int32Array(18);
  const items = buckets.items;
  const pend = new Int32Array(order.length);
  const propose = new Int32Array(order.length);
  const claimRound = new Int32Array(order.length);
  const claimD2 = new Float64Array(order.length);
  const claimRow = new Int32Array(order.length);
  let round = 0;
  const r2 = r * r;

  for (let k = 0; k < frameIds.length; k++) {
    const f = frameIds[k];
    const a = start[k];
    const b = start[k + 1];
    let kept = 0;
    for (let k = 0; k < nLive; k++) if (lastF[live[k]] >= f - gap - 1) live[kept++] = live[k];
    nLive = kept;
    buckets.build(live, 0, nLive, lastX, lastY);

    // Matching in rounds: every pending localization proposes to its nearest free group, each
    // group accepts its closest proposer. Processing rows one by one instead would let a stray
    // localization that happens to come first steal a fiducial's track.
    let nPend = 0;
    for (let q = a; q < b; q++) pend[nPend++] = order[q];
    while (nPend > 0) {
      round++;
      for (let k = 0; k < nPend; k++) {
        const i = pend[k];
        const xi = x[i];
        const yi = y[i];
        let best = -1;
        let bestD2 = r2;
        buckets.around(xi, yi, cells);
        for (let c = 0; c < 18; c += 2)
          for (let s = cells[c], e = cells[c + 1]; s < e; s++) {
            const g = items[s];
            if (lastF[g] >= f) continue; // already took a localization in this frame
            const ex = lastX[g] - xi;
            const ey = lastY[g] - yi;
            const d2 = ex * ex + ey * ey;
            if (d2 <= bestD2) {
              bestD2 = d2;
              best = g;
            }
          }
        propose[k] = best;
        if (best >= 0 && (claimRound[best] !== round || bestD2 < claimD2[best])) {
          claimRound[best] = round;
          claimD2[best] = bestD2;
          claimRow[best] = i;
        }
      }
      let still = 0;
      for (let k = 0; k < nPend; k++) {
        const i = pend[k];
        let g = propose[k];
        if (g >= 0 && claimRow[g] !== i) {
          pend[still++] = i; // lost to a closer localization: try the next-nearest group
          continue;
        }
        if (g < 0) {
          g = groups++;
          live[nLive++] = g;
        }
        group[i] = g;
        lastX[g] = x[i];
        lastY[g] = y[i];
        lastF[g] = f;
        size[g]++;
      }
      nPend = still;
    }
  }
  return { group, groups, size: size.slice(0, groups) };
}
