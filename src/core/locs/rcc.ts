// Drift by redundant cross-correlation (Wang et al., Opt Express 22:15982, 2014). The frames are
// cut into n segments, each rendered and Fourier-transformed once; every pair (i, j) is
// cross-correlated, giving n(n−1)/2 measurements of d_j − d_i for only n−1 unknowns. Least
// squares over the redundant set averages the noise, and pairs whose residual exceeds a
// threshold (failed correlations) are dropped one by one, the worst first, as long as the
// remaining pairs still connect all segments.
import { fft2d, inverseFft2dNearZero, nextPowerOfTwo, signedIndex, splitTwoRealSpectra } from '../render/fft';
import { renderGaussian } from '../render/gaussian';
import { boundsOf, type RenderView } from '../render/view';
import { type DriftQuality, rccQuality } from './driftQuality';
import { type DriftTrace, frameCountOf, zeroAtFirstFrame } from './driftTrace';
import { type Interpolation, interpolateOnFrames } from './interpolate';
import { pairsConnect, solvePairwiseDifferences } from './leastSquares';
import type { LocTable } from './table';

export interface RccOptions {
  /** Number of time segments (default 10); each needs enough localizations to show the structure. */
  segments?: number;
  /** Render pixel (nm) for the correlations (default 20). */
  pixelNm?: number;
  /** Gaussian σ (nm) used to render segments (default: one render pixel); smooths the peak for sub-pixel fits. */
  renderSigmaNm?: number;
  /** Largest drift between any two segments that will be searched (nm, default 1000). */
  maxShiftNm?: number;
  /** Pairs whose residual exceeds this (nm) are rejected (default: 2 render pixels). */
  rejectNm?: number;
  /** Longest image side before the pixel is coarsened to fit (default 1024). */
  maxImageSize?: number;
  interpolation?: Interpolation;
  /** Frames in the acquisition (default: max frame + 1). */
  frameCount?: number;
  /** Only rows with mask[i] ≠ 0 are used. */
  mask?: Uint8Array;
  /**
   * Only pairs of segments at most this many segments apart are correlated (default or 0: all).
   * A sample whose structures assemble and disassemble shares little between distant segments;
   * their correlations peak at random shifts, while neighbours still see the same structures.
   */
  maxPairSeparation?: number;
}

/** One cross-correlation: the measured shift d_j − d_i and how clearly it stood out. */
export interface RccPair {
  i: number;
  j: number;
  dxNm: number;
  dyNm: number;
  /** Peak height above the mean of the searched window, in its standard deviations. */
  peakZ: number;
  /** Second-highest local maximum of the correlation over the peak height (both above the mean). */
  sidelobeRatio: number;
  /** Distance (nm) between the measurement and the least-squares solution. */
  residualNm: number;
  /** Whether the pair entered the final solution. */
  used: boolean;
}

export interface RccResult {
  trace: DriftTrace;
  /** Pixel actually used (larger than requested when the field did not fit maxImageSize). */
  pixelNm: number;
  imageSize: number;
  pairs: number;
  rejectedPairs: number;
  /** RMS residual (nm) of the accepted pairs: the consistency of the solution. */
  residualRmsNm: number;
  /** Every correlated pair, for the quality assessment (driftQuality.ts). */
  pairList: RccPair[];
  /** Localizations per segment. */
  segmentCounts: Int32Array;
  quality: DriftQuality;
}

export function rccDrift(table: LocTable, opts: RccOptions = {}): RccResult {
  const { x, y, frame } = table.columns;
  if (!x || !y || !frame) throw new Error('RCC needs frame, x and y columns');
  const nSeg = opts.segments ?? 10;
  if (!(Number.isInteger(nSeg) && nSeg >= 2)) throw new Error('RCC needs at least 2 segments');
  const frames = opts.frameCount ?? frameCountOf(table);
  const maxShift = opts.maxShiftNm ?? 1000;
  const mask = opts.mask;
  const box = boundsOf(x, y, table.length, mask);
  if (!box) throw new Error('no localizations for drift estimation');

  let px = opts.pixelNm ?? 20;
  const maxSize = opts.maxImageSize ?? 1024;
  const needed = (p: number) => Math.max(box.x1 - box.x0, box.y1 - box.y0) / p + (2 * maxShift) / p + 2;
  while (needed(px) > maxSize) px *= 1.25;
  const size = nextPowerOfTwo(Math.ceil(needed(px)));
  const sigma = opts.renderSigmaNm ?? px;
  const view: RenderView = {
    x0: box.x0 - maxShift - px,
    y0: box.y0 - maxShift - px,
    width: size,
    height: size,
    pixelNm: px,
  };

  // Rows grouped by segment (counting sort), and each segment's mean frame as its time node.
  const segOf = (f: number) => Math.min(nSeg - 1, Math.floor((f * nSeg) / frames));
  const counts = new Int32Array(nSeg + 1);
  const frameSum = new Float64Array(nSeg);
  for (let i = 0; i < table.length; i++) {
    if (mask && !mask[i]) continue;
    const s = segOf(frame[i]);
    counts[s + 1]++;
    frameSum[s] += frame[i];
  }
  for (let s = 0; s < nSeg; s++) {
    if (counts[s + 1] < 3)
      throw new Error(
        `RCC segment ${s + 1} of ${nSeg} has ${counts[s + 1]} localizations: use fewer segments`,
      );
    frameSum[s] /= counts[s + 1];
    counts[s + 1] += counts[s];
  }
  const order = new Uint32Array(counts[nSeg]);
  const fill = counts.slice(0, nSeg);
  for (let i = 0; i < table.length; i++) {
    if (mask && !mask[i]) continue;
    order[fill[segOf(frame[i])]++] = i;
  }

  // One spectrum per segment, kept in single precision (n·size²·8 bytes). Segments are
  // transformed in pairs, one as the real and one as the imaginary part of a single FFT.
  const area = size * size;
  const specRe: Float32Array[] = [];
  const specIm: Float32Array[] = [];
  const re = new Float64Array(area);
  const im = new Float64Array(area);
  const img = new Float32Array(area);
  const renderInto = (s: number, dst: Float64Array) => {
    img.fill(0);
    renderGaussian(table, view, { sigmaNm: sigma, rows: order.subarray(counts[s], counts[s + 1]) }, img);
    for (let k = 0; k < area; k++) dst[k] = img[k];
  };
  for (let s = 0; s < nSeg; s += 2) {
    renderInto(s, re);
    if (s + 1 < nSeg) renderInto(s + 1, im);
    else im.fill(0);
    fft2d(re, im, size, size);
    const aRe = new Float32Array(area);
    const aIm = new Float32Array(area);
    specRe.push(aRe);
    specIm.push(aIm);
    if (s + 1 < nSeg) {
      const bRe = new Float32Array(area);
      const bIm = new Float32Array(area);
      splitTwoRealSpectra(re, im, size, size, aRe, aIm, bRe, bIm);
      specRe.push(bRe);
      specIm.push(bIm);
    } else {
      aRe.set(re);
      aIm.set(im);
    }
  }

  // All pairs; two correlations per inverse FFT, since each is real: ifft(P + iQ) = p + i·q.
  const sep = Math.max(1, Math.min(nSeg - 1, Math.floor(opts.maxPairSeparation || nSeg - 1)));
  const piList: number[] = [];
  const pjList: number[] = [];
  for (let i = 0; i < nSeg; i++)
    for (let j = i + 1; j <= Math.min(nSeg - 1, i + sep); j++) {
      piList.push(i);
      pjList.push(j);
    }
  const nPairs = piList.length;
  const pi = Int32Array.from(piList);
  const pj = Int32Array.from(pjList);
  const rx = new Float64Array(nPairs);
  const ry = new Float64Array(nPairs);
  const reach = Math.min(size / 2 - 2, Math.ceil(maxShift / px));
  const peak: Peak = { x: 0, y: 0, z: 0, sidelobeRatio: 0 };
  const peakZ = new Float64Array(nPairs);
  const sidelobe = new Float64Array(nPairs);
  for (let k = 0; k < nPairs; k += 2) {
    const a1 = specRe[pi[k]];
    const b1 = specIm[pi[k]];
    const a2 = specRe[pj[k]];
    const b2 = specIm[pj[k]];
    const two = k + 1 < nPairs;
    const c1 = two ? specRe[pi[k + 1]] : a1;
    const d1 = two ? specIm[pi[k + 1]] : b1;
    const c2 = two ? specRe[pj[k + 1]] : a1;
    const d2 = two ? specIm[pj[k + 1]] : b1;
    for (let q = 0; q < area; q++) {
      // P = F_i·conj(F_j), Q likewise for the second pair; Z = P + iQ.
      const pr = a1[q] * a2[q] + b1[q] * b2[q];
      const pim = b1[q] * a2[q] - a1[q] * b2[q];
      const qr = two ? c1[q] * c2[q] + d1[q] * d2[q] : 0;
      const qim = two ? d1[q] * c2[q] - c1[q] * d2[q] : 0;
      re[q] = pr - qim;
      im[q] = pim + qr;
    }
    inverseFft2dNearZero(re, im, size, size, reach + 1);
    // corr(s) = Σ a_i(p+s)·a_j(p) peaks at s = −(d_j − d_i).
    findPeak(re, size, reach, peak);
    rx[k] = -peak.x * px;
    ry[k] = -peak.y * px;
    peakZ[k] = peak.z;
    sidelobe[k] = peak.sidelobeRatio;
    if (two) {
      findPeak(im, size, reach, peak);
      rx[k + 1] = -peak.x * px;
      ry[k + 1] = -peak.y * px;
      peakZ[k + 1] = peak.z;
      sidelobe[k + 1] = peak.sidelobeRatio;
    }
  }

  const reject = opts.rejectNm ?? 2 * px;
  const measured: Measured = { pi, pj, rx, ry, peakZ, sidelobe };
  let sol = solvePairs(nSeg, measured, reject);
  let quality = rccQuality(sol.pairList, nSeg, reject);
  // A live cell: distant segments share nothing, so retry on nearby pairs only — the same
  // correlations, no new transforms — unless the user fixed the reach.
  if (!quality.reliable && !opts.maxPairSeparation && nSeg > DYNAMIC_PAIR_REACH + 1) {
    const near = solvePairs(nSeg, subset(measured, DYNAMIC_PAIR_REACH), reject);
    const nearQuality = rccQuality(near.pairList, nSeg, reject);
    if (nearQuality.reliable) {
      nearQuality.notes.unshift(
        `correlating all segment pairs was unreliable (${quality.problems.join('; ')}); segments at most ${DYNAMIC_PAIR_REACH} apart agree, so only those were used`,
      );
      sol = near;
      quality = nearQuality;
    }
  }
  const { dx, dy, pairList } = sol;
  const segmentCounts = new Int32Array(nSeg);
  for (let s = 0; s < nSeg; s++) segmentCounts[s] = counts[s + 1] - counts[s];

  const kind = opts.interpolation ?? 'spline';
  const trace: DriftTrace = {
    method: 'rcc',
    dx: interpolateOnFrames(frameSum, dx, frames, kind),
    dy: interpolateOnFrames(frameSum, dy, frames, kind),
    nodes: { frame: frameSum, dx, dy },
  };
  trace.quality = quality;
  return {
    trace: zeroAtFirstFrame(trace),
    pixelNm: px,
    imageSize: size,
    pairs: pairList.length,
    rejectedPairs: sol.rejected,
    residualRmsNm: sol.residualRmsNm,
    pairList,
    segmentCounts,
    quality,
  };
}

/** Segment pairs (i < j) and the shift measured from segment i to j, nm (parallel arrays). */
interface PairShifts {
  pi: Int32Array;
  pj: Int32Array;
  rx: Float64Array;
  ry: Float64Array;
}

/** Pixel-shift measurements of the correlated pairs (parallel arrays). */
interface Measured extends PairShifts {
  peakZ: Float64Array;
  sidelobe: Float64Array;
}

/** Pair reach of the fallback for changing samples: neighbours and next-neighbours share structure. */
export const DYNAMIC_PAIR_REACH = 2;

function subset(m: Measured, reach: number): Measured {
  const keep: number[] = [];
  for (let k = 0; k < m.pi.length; k++) if (m.pj[k] - m.pi[k] <= reach) keep.push(k);
  const pick = <T extends Int32Array | Float64Array>(a: T): T =>
    a.constructor === Int32Array
      ? (Int32Array.from(keep, (k) => a[k]) as T)
      : (Float64Array.from(keep, (k) => a[k]) as T);
  return {
    pi: pick(m.pi),
    pj: pick(m.pj),
    rx: pick(m.rx),
    ry: pick(m.ry),
    peakZ: pick(m.peakZ),
    sidelobe: pick(m.sidelobe),
  };
}

/** Segment positions from the consistent pairs, then dropping the worst residuals above `reject`. */
function solvePairs(nSeg: number, m: Measured, reject: number) {
  const { pi, pj, rx, ry, peakZ, sidelobe } = m;
  const nPairs = pi.length;
  const score = new Float64Array(nPairs);
  for (let k = 0; k < nPairs; k++) score[k] = 1 - sidelobe[k];
  const use = consistentPairs(nSeg, m, score, reject);
  let dx = solvePairwiseDifferences(nSeg, pi, pj, rx, use);
  let dy = solvePairwiseDifferences(nSeg, pi, pj, ry, use);
  const tried = new Uint8Array(nPairs);
  for (;;) {
    let worst = -1;
    let worstRes = reject;
    for (let k = 0; k < nPairs; k++) {
      if (!use[k] || tried[k]) continue;
      const res = Math.hypot(rx[k] - (dx[pj[k]] - dx[pi[k]]), ry[k] - (dy[pj[k]] - dy[pi[k]]));
      if (res > worstRes) {
        worstRes = res;
        worst = k;
      }
    }
    if (worst < 0) break;
    use[worst] = 0;
    if (!pairsConnect(nSeg, pi, pj, use)) {
      // This pair is a segment's last link: keep it rather than lose the segment.
      use[worst] = 1;
      tried[worst] = 1;
      continue;
    }
    dx = solvePairwiseDifferences(nSeg, pi, pj, rx, use);
    dy = solvePairwiseDifferences(nSeg, pi, pj, ry, use);
  }
  let rejected = 0;
  for (let k = 0; k < nPairs; k++) if (!use[k]) rejected++;
  let ss = 0;
  let used = 0;
  const pairList: RccPair[] = [];
  for (let k = 0; k < nPairs; k++) {
    const res2 = (rx[k] - (dx[pj[k]] - dx[pi[k]])) ** 2 + (ry[k] - (dy[pj[k]] - dy[pi[k]])) ** 2;
    pairList.push({
      i: pi[k],
      j: pj[k],
      dxNm: rx[k],
      dyNm: ry[k],
      peakZ: peakZ[k],
      sidelobeRatio: sidelobe[k],
      residualNm: Math.sqrt(res2),
      used: use[k] === 1,
    });
    if (!use[k]) continue;
    ss += res2;
    used++;
  }
  return { dx, dy, pairList, rejected, residualRmsNm: Math.sqrt(ss / Math.max(1, used)) };
}

/**
 * The pairs that agree with one another within `reject` nm. Least squares over every pair lets
 * failed correlations (random peaks, common when distant segments share no structure) pull the
 * solution far enough that good pairs look like the outliers and get dropped instead. So each
 * start is a spanning tree — a solution no other pair influences — and pairs join or leave by
 * their residual to the current solution until the set settles.
 */
function consistentPairs(n: number, pairs: PairShifts, score: Float64Array, reject: number): Uint8Array {
  // Two starts: the most distinct peaks, and neighbours in time first (they share the most
  // structure in a changing sample). A strong but wrong peak can enter either tree, rarely both;
  // the start whose solution more pairs agree with wins.
  const { pi, pj } = pairs;
  const nPairs = pi.length;
  const byTime = new Float64Array(nPairs);
  for (let k = 0; k < nPairs; k++) byTime[k] = score[k] - 2 * (pj[k] - pi[k]);
  let best: Uint8Array | null = null;
  let bestCount = -1;
  for (const order of [score, byTime]) {
    const use = settle(n, pairs, order, reject);
    let count = 0;
    for (let k = 0; k < nPairs; k++) count += use[k];
    if (count > bestCount) {
      best = use;
      bestCount = count;
    }
  }
  return best as Uint8Array;
}

function settle(n: number, pairs: PairShifts, score: Float64Array, reject: number): Uint8Array {
  const { pi, pj, rx, ry } = pairs;
  const m = pi.length;
  let use = spanningTree(n, pi, pj, score);
  for (let iter = 0; iter < 20; iter++) {
    const dx = solvePairwiseDifferences(n, pi, pj, rx, use);
    const dy = solvePairwiseDifferences(n, pi, pj, ry, use);
    const next = new Uint8Array(m);
    for (let k = 0; k < m; k++)
      next[k] =
        Math.hypot(rx[k] - (dx[pj[k]] - dx[pi[k]]), ry[k] - (dy[pj[k]] - dy[pi[k]])) <= reject ? 1 : 0;
    // A segment no consistent pair reaches keeps its tree link (and the quality check says so).
    const linked = spanningTree(n, pi, pj, score, next);
    for (let k = 0; k < m; k++) if (linked[k] && !next[k]) next[k] = 1;
    if (next.every((v, k) => v === use[k])) break;
    use = next;
  }
  return use;
}

/**
 * Maximum spanning tree (Kruskal) by score, grown from the pairs in `start` (all kept) — so
 * with `start` it returns start plus the best pairs joining what start leaves apart.
 */
function spanningTree(
  n: number,
  pi: Int32Array,
  pj: Int32Array,
  score: Float64Array,
  start?: Uint8Array,
): Uint8Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const out = new Uint8Array(pi.length);
  const join = (k: number) => {
    const a = root(pi[k]);
    const b = root(pj[k]);
    if (a === b) return false;
    parent[a] = b;
    return true;
  };
  if (start)
    for (let k = 0; k < pi.length; k++)
      if (start[k]) {
        join(k);
        out[k] = 1;
      }
  const order = Array.from({ length: pi.length }, (_, k) => k).sort((a, b) => score[b] - score[a]);
  for (const k of order) if (!out[k] && join(k)) out[k] = 1;
  return out;
}

export interface Peak {
  /** Sub-pixel shift of the peak, pixels. */
  x: number;
  y: number;
  /** (peak − mean) / sd over the searched window: how far the peak stands out of the noise. */
  z: number;
  /**
   * The second-highest local maximum over the peak, both above the window mean: near 1 when
   * another, unrelated alignment is about as good (a random or ambiguous match).
   */
  sidelobeRatio: number;
}

/**
 * Highest value of a circular correlation within ±reach of zero shift, refined to sub-pixel
 * precision by a Gaussian through the peak and its neighbours along each axis (a parabola
 * where a neighbour is not positive), with how distinct that peak is.
 */
export function findPeak(c: Float64Array, size: number, reach: number, out: Peak): void {
  let best = Number.NEGATIVE_INFINITY;
  let bx = 0;
  let by = 0;
  let sum = 0;
  let sum2 = 0;
  for (let sy = -reach; sy <= reach; sy++) {
    const row = ((sy + size) % size) * size;
    for (let sx = -reach; sx <= reach; sx++) {
      const v = c[row + ((sx + size) % size)];
      sum += v;
      sum2 += v * v;
      if (v > best) {
        best = v;
        bx = sx;
        by = sy;
      }
    }
  }
  const at = (sx: number, sy: number) => c[((sy + size) % size) * size + ((sx + size) % size)];
  out.x = signedIndex((bx + size) % size, size) + subPixel(at(bx - 1, by), best, at(bx + 1, by));
  out.y = signedIndex((by + size) % size, size) + subPixel(at(bx, by - 1), best, at(bx, by + 1));
  const n = (2 * reach + 1) ** 2;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  out.z = sd > 0 ? (best - mean) / sd : 0;
  // Second-highest local maximum (a shoulder of the main peak is not one).
  let second = mean;
  for (let sy = 1 - reach; sy < reach; sy++)
    for (let sx = 1 - reach; sx < reach; sx++) {
      const v = at(sx, sy);
      if (v <= second || (sx === bx && sy === by)) continue;
      if (isLocalMax(at, sx, sy, v)) second = v;
    }
  out.sidelobeRatio = best > mean ? (second - mean) / (best - mean) : 1;
}

function isLocalMax(at: (x: number, y: number) => number, x: number, y: number, v: number): boolean {
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && at(x + dx, y + dy) >= v) return false;
  return true;
}

function subPixel(left: number, centre: number, right: number): number {
  if (left > 0 && right > 0 && centre > 0) {
    const l = Math.log(left);
    const c = Math.log(centre);
    const r = Math.log(right);
    const den = l - 2 * c + r;
    if (den < 0) return (0.5 * (l - r)) / den;
  }
  const den = left - 2 * centre + right;
  return den < 0 ? (0.5 * (left - right)) / den : 0;
}
