// NeNA (Endesfelder et al., Histochem Cell Biol 141:629, 2014): localization precision from the
// data itself. A molecule seen in frames i and i+1 is localized twice with independent errors
// of σ per axis, so the distance d between the two has density
//   p(d) = d/(2σ²) · exp(−d²/(4σ²)).
// For every localization in frame i we take the nearest one in frame i+1, histogram d, and fit
//   A·p(d; σ) + B·d
// where B·d absorbs pairs of unrelated molecules (at small d, chance neighbours grow linearly).
// A and B enter linearly, so for each σ they come from a 2×2 non-negative least squares and only
// σ is searched (log grid, then golden section), which makes the fit start-value free.
import { CellBuckets } from './cellBuckets';
import { groupByFrameSparse } from './groupByFrame';
import type { LocTable } from './table';

export interface NenaOptions {
  /** Largest neighbour distance considered (nm, default 150). */
  maxDistanceNm?: number;
  /** Histogram bin (nm, default maxDistance/75). */
  binNm?: number;
  mask?: Uint8Array;
}

export interface NenaResult {
  /** Localization precision per axis (nm). */
  sigmaNm: number;
  /** Number of adjacent-frame pairs found within maxDistance. */
  pairs: number;
  /** For plotting: bin centres, counts, and the fitted counts (total and the NeNA term alone). */
  binCenters: Float64Array;
  counts: Float64Array;
  fit: Float64Array;
  fitNena: Float64Array;
  /** Fitted amplitudes: pairs in the NeNA term, and the linear background slope (counts per nm per bin). */
  amplitude: number;
  background: number;
  /** Set when the input was blink-merged (an n_merged column above 1): σ is then overestimated. */
  warning?: string;
}

/**
 * Merging averages a molecule's blinks into one row that spans several frames, so the
 * adjacent-frame pairs NeNA needs are mostly gone and the survivors pair different molecules:
 * a true 15 nm came out 31 nm (test/core/locs/nena.test.ts). NeNA belongs before merging.
 */
export const MERGED_NENA_WARNING =
  'computed on blink-merged localizations: merging removes the adjacent-frame pairs NeNA measures, so σ is overestimated (often several-fold); compute it on unmerged data';

function isMerged(table: LocTable): boolean {
  const m = table.columns.n_merged;
  if (!m) return false;
  for (let i = 0; i < table.length; i++) if (m[i] > 1) return true;
  return false;
}

export function nena(table: LocTable, opts: NenaOptions = {}): NenaResult {
  const { frame, x, y } = table.columns;
  if (!frame || !x || !y) throw new Error('NeNA needs frame, x and y columns');
  const maxD = opts.maxDistanceNm ?? 150;
  const bin = opts.binNm ?? maxD / 75;
  if (!(maxD > 0 && bin > 0)) throw new Error('NeNA needs a positive distance range and bin');
  const d = adjacentFrameDistances(frame, x, y, table.length, maxD, opts.mask);
  const nBins = Math.max(3, Math.round(maxD / bin));
  const w = maxD / nBins;
  const centers = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) centers[b] = (b + 0.5) * w;
  for (let k = 0; k < d.length; k++) {
    const b = Math.floor(d[k] / w);
    if (b < nBins) counts[b]++;
  }
  if (d.length < 20) throw new Error(`NeNA found only ${d.length} adjacent-frame pairs: not enough to fit`);

  // Bin-integrated NeNA density: CDF(d) = 1 − exp(−d²/(4σ²)), so fits stay right for bins
  // comparable to σ.
  const shape = new Float64Array(nBins);
  const model = (sigma: number) => {
    const k = 1 / (4 * sigma * sigma);
    for (let b = 0; b < nBins; b++)
      shape[b] = Math.exp(-((b * w) ** 2) * k) - Math.exp(-(((b + 1) * w) ** 2) * k);
    // Minimise Σ(c − A·shape − B·centre)² with A, B ≥ 0.
    let ss = 0;
    let sl = 0;
    let ll = 0;
    let sc = 0;
    let lc = 0;
    for (let b = 0; b < nBins; b++) {
      ss += shape[b] * shape[b];
      sl += shape[b] * centers[b];
      ll += centers[b] * centers[b];
      sc += shape[b] * counts[b];
      lc += centers[b] * counts[b];
    }
    const det = ss * ll - sl * sl;
    let a = det > 0 ? (sc * ll - lc * sl) / det : 0;
    let bg = det > 0 ? (lc * ss - sc * sl) / det : 0;
    if (a < 0 || bg < 0) {
      // The constrained optimum lies on an edge: try each term alone.
      const aOnly = Math.max(0, sc / ss);
      const bOnly = Math.max(0, lc / ll);
      const eA = sse(aOnly, 0);
      const eB = sse(0, bOnly);
      [a, bg] = eA <= eB ? [aOnly, 0] : [0, bOnly];
    }
    return { a, bg, err: sse(a, bg) };
  };
  const sse = (a: number, bg: number) => {
    let e = 0;
    for (let b = 0; b < nBins; b++) e += (counts[b] - a * shape[b] - bg * centers[b]) ** 2;
    return e;
  };

  const lo = w / 4;
  const hi = maxD / 2;
  const steps = 120;
  let best = lo;
  let bestErr = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= steps; s++) {
    const sigma = lo * (hi / lo) ** (s / steps);
    const e = model(sigma).err;
    if (e < bestErr) {
      bestErr = e;
      best = sigma;
    }
  }
  const ratio = (hi / lo) ** (1 / steps);
  let a = best / ratio;
  let b = best * ratio;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let e = a + g * (b - a);
  let fc = model(c).err;
  let fe = model(e).err;
  for (let it = 0; it < 60; it++) {
    if (fc < fe) {
      b = e;
      e = c;
      fe = fc;
      c = b - g * (b - a);
      fc = model(c).err;
    } else {
      a = c;
      c = e;
      fc = fe;
      e = a + g * (b - a);
      fe = model(e).err;
    }
  }
  const sigma = (a + b) / 2;
  const final = model(sigma);
  const fit = new Float64Array(nBins);
  const fitNena = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) {
    fitNena[k] = final.a * shape[k];
    fit[k] = fitNena[k] + final.bg * centers[k];
  }
  return {
    sigmaNm: sigma,
    pairs: d.length,
    binCenters: centers,
    counts,
    fit,
    fitNena,
    amplitude: final.a,
    background: final.bg,
    ...(isMerged(table) ? { warning: MERGED_NENA_WARNING } : {}),
  };
}

/** For each localization in frame f, the distance to its nearest neighbour in frame f+1 (≤ maxD). */
export function adjacentFrameDistances(
  frame: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  maxD: number,
  mask?: Uint8Array,
): Float64Array {
  const { order, start, frameIds } = groupByFrameSparse(frame, n, { mask });
  const present = frameIds.length;

  const out = new Float64Array(order.length);
  let nOut = 0;
  let maxPerFrame = 0;
  for (let k = 0; k < present; k++) maxPerFrame = Math.max(maxPerFrame, start[k + 1] - start[k]);
  const buckets = new CellBuckets(maxPerFrame, maxD);
  const cells = new Int32Array(18);
  const items = buckets.items;
  const d2max = maxD * maxD;
  for (let k = 0; k + 1 < present; k++) {
    if (frameIds[k + 1] !== frameIds[k] + 1) continue;
    const a = start[k];
    const b = start[k + 1];
    const na = start[k + 1];
    const nb = start[k + 2];
    buckets.build(order, na, nb, x, y); // frame f+1
    for (let q = a; q < b; q++) {
      const i = order[q];
      let best = d2max;
      let found = false;
      buckets.around(x[i], y[i], cells);
      for (let c = 0; c < 18; c += 2)
        for (let s = cells[c], e = cells[c + 1]; s < e; s++) {
          const j = items[s];
          const d2 = (x[j] - x[i]) ** 2 + (y[j] - y[i]) ** 2;
          if (d2 <= best) {
            best = d2;
            found = true;
          }
        }
      if (found) out[nOut++] = Math.sqrt(best);
    }
  }
  return out.slice(0, nOut);
}
