// Jaqaman et al. 2008 (Nat Methods 5:695) two-step LAP tracking, without merge/split:
// (1) frame-to-frame linking, one assignment per pair of consecutive frames, cost = squared
//     displacement within `maxLinkDistance`; (2) gap closing, one assignment between all
//     segment ends and segment starts up to `maxGap` missing frames later.
// Every assignment offers "no link" alternatives (a segment ends / starts) at a fixed cost,
// `alternativeCostFactor` × maxLinkDistance²; as in the paper (1.05 × the largest admissible
// link cost), a factor > 0.5 makes any lone admissible pair link, so the alternatives matter
// only where candidates compete.
import { assignWithAlternatives, type CandidateLinks } from './lap';
import type { Detections, TrackTable } from './types';

export interface TrackingParams {
  /** Largest displacement between consecutive frames (nm). */
  maxLinkDistance: number;
  /** Largest number of missing frames a gap may bridge (0 disables gap closing). */
  maxGap: number;
  /**
   * Gap-closing search radius for one frame step (nm), default `maxLinkDistance`. A segment
   * ending in frame f may continue at frame f + Δ (2 ≤ Δ ≤ maxGap + 1) within
   * maxGapDistance·√Δ — Brownian displacements grow as √time. The cost is d²/Δ, the squared
   * displacement per frame, so bridged and consecutive links are comparable.
   */
  maxGapDistance?: number;
  /** Cost of "no link" per end and per start, in units of maxLinkDistance². Default 1.05. */
  alternativeCostFactor?: number;
}

export interface TrackingResult {
  tracks: TrackTable;
  /** Detection row (input order) of each track row. */
  detectionRow: Uint32Array;
  /** Number of segments before gap closing and gaps closed, for reports. */
  segments: number;
  gapsClosed: number;
}

/** Orders detections by (frame, x) and returns per-frame offsets into that order. */
function frameOrder(d: Detections) {
  const order = new Uint32Array(d.length);
  let maxFrame = 0;
  for (let i = 0; i < d.length; i++) {
    order[i] = i;
    if (d.frame[i] > maxFrame) maxFrame = d.frame[i];
    if (!Number.isFinite(d.x[i]) || !Number.isFinite(d.y[i]))
      throw new Error(`detection ${i} has a non-finite position`);
  }
  const { frame, x } = d;
  order.sort((a, b) => frame[a] - frame[b] || x[a] - x[b]);
  const frameStart = new Uint32Array(maxFrame + 2);
  for (let i = 0; i < d.length; i++) frameStart[frame[i] + 1]++;
  for (let f = 0; f <= maxFrame; f++) frameStart[f + 1] += frameStart[f];
  return { order, frameStart, maxFrame: d.length ? maxFrame : -1 };
}

/** First k in [lo, hi) with x[order[k]] ≥ v (order is x-sorted within the range). */
function lowerBound(order: Uint32Array, x: ArrayLike<number>, lo: number, hi: number, v: number) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[order[mid]] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A growable candidate-link buffer reused across frames. */
class LinkBuffer implements CandidateLinks {
  count = 0;
  source = new Int32Array(256);
  target = new Int32Array(256);
  cost = new Float64Array(256);
  push(s: number, t: number, c: number) {
    if (this.count === this.source.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.source = grow(this.source);
      this.target = grow(this.target);
      this.cost = grow(this.cost);
    }
    this.source[this.count] = s;
    this.target[this.count] = t;
    this.cost[this.count++] = c;
  }
}

/** Tracks detections; see the module comment for the method and TrackingParams for options. */
export function trackDetections(d: Detections, params: TrackingParams): TrackingResult {
  const R = params.maxLinkDistance;
  if (!(R > 0)) throw new Error('maxLinkDistance must be > 0');
  const maxGap = Math.max(0, Math.floor(params.maxGap));
  const Rg = params.maxGapDistance ?? R;
  const alt = (params.alternativeCostFactor ?? 1.05) * R * R;
  const { x, y } = d;
  const { order, frameStart, maxFrame } = frameOrder(d);
  // next/prev in detection-row space; −1 = none.
  const next = new Int32Array(d.length).fill(-1);
  const prev = new Int32Array(d.length).fill(-1);
  const buf = new LinkBuffer();
  let altCosts = new Float64Array(0);

  for (let f = 0; f < maxFrame; f++) {
    const s0 = frameStart[f];
    const s1 = frameStart[f + 1];
    const t0 = frameStart[f + 1];
    const t1 = frameStart[f + 2];
    if (s0 === s1 || t0 === t1) continue;
    buf.count = 0;
    for (let a = s0; a < s1; a++) {
      const i = order[a];
      const xi = x[i];
      const yi = y[i];
      for (let b = lowerBound(order, x, t0, t1, xi - R); b < t1; b++) {
        const j = order[b];
        const dx = x[j] - xi;
        if (dx > R) break;
        const dy = y[j] - yi;
        const c = dx * dx + dy * dy;
        if (c <= R * R) buf.push(a - s0, b - t0, c);
      }
    }
    const n = Math.max(s1 - s0, t1 - t0);
    if (altCosts.length < n) altCosts = new Float64Array(n);
    altCosts.fill(alt, 0, n);
    const a = assignWithAlternatives(s1 - s0, t1 - t0, buf, altCosts, altCosts);
    for (let k = 0; k < a.length; k++) {
      if (a[k] < 0) continue;
      const i = order[s0 + k];
      const j = order[t0 + a[k]];
      next[i] = j;
      prev[j] = i;
    }
  }

  // Segment starts (no predecessor) and ends (no successor), in (frame, x) order.
  const segStart: number[] = [];
  const segEndOf = new Int32Array(d.length).fill(-1);
  for (let a = 0; a < d.length; a++) {
    const i = order[a];
    if (prev[i] >= 0) continue;
    let e = i;
    while (next[e] >= 0) e = next[e];
    segEndOf[i] = e;
    segStart.push(i);
  }
  const nSeg = segStart.length;
  let gapsClosed = 0;
  const gapNext = new Int32Array(d.length).fill(-1);
  const hasGapPrev = new Uint8Array(d.length);
  if (maxGap > 0 && nSeg > 1) {
    // Starts ordered by (frame, x) already (segStart follows `order`); per-frame offsets.
    const startFrame = new Uint32Array(maxFrame + 2);
    for (const s of segStart) startFrame[d.frame[s] + 1]++;
    for (let f = 0; f <= maxFrame; f++) startFrame[f + 1] += startFrame[f];
    const startOrder = Uint32Array.from(segStart);
    buf.count = 0;
    for (let si = 0; si < nSeg; si++) {
      const e = segEndOf[segStart[si]];
      const fe = d.frame[e];
      for (let gap = 2; gap <= maxGap + 1 && fe + gap <= maxFrame; gap++) {
        const r = Rg * Math.sqrt(gap);
        const lo = startFrame[fe + gap];
        const hi = startFrame[fe + gap + 1];
        for (let b = lowerBound(startOrder, x, lo, hi, x[e] - r); b < hi; b++) {
          const j = startOrder[b];
          const dx = x[j] - x[e];
          if (dx > r) break;
          const dy = y[j] - y[e];
          const d2 = dx * dx + dy * dy;
          if (d2 <= r * r) buf.push(si, b, d2 / gap);
        }
      }
    }
    const altAll = new Float64Array(nSeg).fill(alt);
    const a = assignWithAlternatives(nSeg, nSeg, buf, altAll, altAll);
    for (let si = 0; si < nSeg; si++) {
      if (a[si] < 0) continue;
      const e = segEndOf[segStart[si]];
      const s = startOrder[a[si]];
      gapNext[e] = s;
      hasGapPrev[s] = 1;
      gapsClosed++;
    }
  }

  // Walk chains from track heads (segment starts without a gap predecessor).
  const rows = new Uint32Array(d.length);
  const trackOf = new Uint32Array(d.length);
  let n = 0;
  let id = 0;
  for (const s of segStart) {
    if (hasGapPrev[s]) continue;
    let i = s;
    while (i >= 0) {
      rows[n] = i;
      trackOf[n++] = id;
      i = next[i] >= 0 ? next[i] : gapNext[i];
    }
    id++;
  }
  const track = trackOf;
  const frame = new Uint32Array(n);
  const tx = new Float64Array(n);
  const ty = new Float64Array(n);
  const intensity = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    frame[k] = d.frame[i];
    tx[k] = x[i];
    ty[k] = y[i];
    intensity[k] = d.intensity[i];
  }
  return {
    tracks: { length: n, columns: { track, frame, x: tx, y: ty, intensity } },
    detectionRow: rows,
    segments: nSeg,
    gapsClosed,
  };
}
