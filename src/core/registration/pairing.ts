// Pairing of bead localizations between two channels. The channels differ by a shift of up to
// a few hundred nm plus a small rotation/scale, so pairing goes coarse to fine:
// (1) the shift: every offset ref − mov shorter than `maxShift` votes in a 2D histogram (a
//     point-set cross-correlation); the fullest bin, refined by the median of the offsets near
//     it, is robust to unpaired beads and to neighbours' offsets, which scatter;
// (2) pairs: mutual nearest neighbours within `radius` after applying the current transform.

/** Indices into (x, y) sorted by x, for range queries by binary search. */
export function sortByX(x: ArrayLike<number>): Uint32Array {
  const o = new Uint32Array(x.length);
  for (let i = 0; i < o.length; i++) o[i] = i;
  return o.sort((a, b) => x[a] - x[b]);
}

function lowerBound(order: Uint32Array, x: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[order[mid]] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Most common offset (ref − mov) shorter than maxShift, in nm; NaN if no offset qualifies. */
export function estimateShift(
  refX: ArrayLike<number>,
  refY: ArrayLike<number>,
  movX: ArrayLike<number>,
  movY: ArrayLike<number>,
  maxShift: number,
  binSize: number,
): { dx: number; dy: number; votes: number } {
  const order = sortByX(refX);
  const nb = 2 * Math.ceil(maxShift / binSize) + 1;
  const half = (nb - 1) / 2;
  const hist = new Uint32Array(nb * nb);
  const forEachOffset = (fn: (dx: number, dy: number) => void) => {
    for (let i = 0; i < movX.length; i++) {
      for (let k = lowerBound(order, refX, movX[i] - maxShift); k < order.length; k++) {
        const j = order[k];
        const dx = refX[j] - movX[i];
        if (dx > maxShift) break;
        const dy = refY[j] - movY[i];
        if (dx * dx + dy * dy <= maxShift * maxShift) fn(dx, dy);
      }
    }
  };
  forEachOffset((dx, dy) => {
    const bx = Math.round(dx / binSize) + half;
    const by = Math.round(dy / binSize) + half;
    hist[by * nb + bx]++;
  });
  // Sum 2×2 neighbourhoods so a true shift on a bin edge is not split between two bins.
  let best = 0;
  let bx = -1;
  let by = -1;
  for (let y = 0; y + 1 < nb; y++)
    for (let x = 0; x + 1 < nb; x++) {
      const s = hist[y * nb + x] + hist[y * nb + x + 1] + hist[(y + 1) * nb + x] + hist[(y + 1) * nb + x + 1];
      if (s > best) {
        best = s;
        bx = x;
        by = y;
      }
    }
  if (best === 0) return { dx: Number.NaN, dy: Number.NaN, votes: 0 };
  const cx = (bx + 0.5 - half) * binSize;
  const cy = (by + 0.5 - half) * binSize;
  const xs: number[] = [];
  const ys: number[] = [];
  forEachOffset((dx, dy) => {
    if (Math.abs(dx - cx) <= binSize && Math.abs(dy - cy) <= binSize) {
      xs.push(dx);
      ys.push(dy);
    }
  });
  return { dx: median(xs), dy: median(ys), votes: best };
}

/**
 * Mutual nearest neighbours between ref and (already transformed) mov within `radius`.
 * Returns parallel index arrays.
 */
export function mutualNearestPairs(
  refX: ArrayLike<number>,
  refY: ArrayLike<number>,
  movX: ArrayLike<number>,
  movY: ArrayLike<number>,
  radius: number,
): { ref: Int32Array; mov: Int32Array } {
  const nearest = (
    ax: ArrayLike<number>,
    ay: ArrayLike<number>,
    bx: ArrayLike<number>,
    by: ArrayLike<number>,
  ) => {
    const order = sortByX(bx);
    const out = new Int32Array(ax.length).fill(-1);
    for (let i = 0; i < ax.length; i++) {
      let best = radius * radius;
      for (let k = lowerBound(order, bx, ax[i] - radius); k < order.length; k++) {
        const j = order[k];
        const dx = bx[j] - ax[i];
        if (dx > radius) break;
        const dy = by[j] - ay[i];
        const d2 = dx * dx + dy * dy;
        if (d2 <= best) {
          best = d2;
          out[i] = j;
        }
      }
    }
    return out;
  };
  const m2r = nearest(movX, movY, refX, refY);
  const r2m = nearest(refX, refY, movX, movY);
  const ref: number[] = [];
  const mov: number[] = [];
  for (let i = 0; i < m2r.length; i++) {
    if (m2r[i] >= 0 && r2m[m2r[i]] === i) {
      ref.push(m2r[i]);
      mov.push(i);
    }
  }
  return { ref: Int32Array.from(ref), mov: Int32Array.from(mov) };
}
