// Per-track distance time courses, time within the cut-off, and colocalization runs.
// "Within" means signed distance ≤ cut-off (default 240 nm), so positions inside a structure
// (negative distances) are within. Only positions with a finite or +Infinity distance count;
// NaN (off the measured field) is treated like a missing position.
import type { TrackPositionColumns } from '../spt/types';
import type { SignedDistanceProvider } from './analysisDistance';

export const DEFAULT_CUTOFF_NM = 240;

/** EV positions per movie frame (e.g. spt's trackPositionsForMovie), sorted by track, frame. */
export interface PositionsTable {
  readonly length: number;
  readonly columns: Readonly<TrackPositionColumns>;
}

export interface TrackDistances {
  readonly length: number;
  readonly columns: TrackPositionColumns & { distance: Float64Array };
}

/** Nearest-structure signed distance for every row (the per-track distance over time). */
export function measureTrackDistances(p: PositionsTable, provider: SignedDistanceProvider): TrackDistances {
  const c = p.columns;
  const distance = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) distance[i] = provider.distance(c.frame[i], c.x[i], c.y[i]);
  return { length: p.length, columns: { track: c.track, frame: c.frame, x: c.x, y: c.y, distance } };
}

/** Nearest-structure signed distance at arbitrary (frame, x, y) points, e.g. control points. */
export function measureDistances(
  frame: Uint32Array,
  x: Float64Array,
  y: Float64Array,
  provider: SignedDistanceProvider,
): Float64Array {
  const out = new Float64Array(frame.length);
  for (let i = 0; i < frame.length; i++) out[i] = provider.distance(frame[i], x[i], y[i]);
  return out;
}

/** Distances from every point to every structure in its frame (pooled histograms). */
export function pooledDistances(
  frame: Uint32Array,
  x: Float64Array,
  y: Float64Array,
  provider: SignedDistanceProvider,
): Float64Array {
  if (!provider.structureDistances) throw new Error('this distance provider has no per-structure distances');
  let buf = new Float64Array(Math.max(16, provider.maxStructures ?? 0));
  let out = new Float64Array(Math.max(16, frame.length));
  let n = 0;
  for (let i = 0; i < frame.length; i++) {
    let k = provider.structureDistances(frame[i], x[i], y[i], buf);
    if (k > buf.length) {
      buf = new Float64Array(k);
      k = provider.structureDistances(frame[i], x[i], y[i], buf);
    }
    if (n + k > out.length) {
      const grown = new Float64Array(Math.max(2 * out.length, n + k));
      grown.set(out.subarray(0, n));
      out = grown;
    }
    out.set(buf.subarray(0, k), n);
    n += k;
  }
  return out.slice(0, n);
}

/** Fraction of measured values ≤ cutoff (NaN excluded from numerator and denominator). */
export function fractionWithin(d: ArrayLike<number>, cutoff = DEFAULT_CUTOFF_NM): number {
  let n = 0;
  let w = 0;
  for (let i = 0; i < d.length; i++) {
    if (Number.isNaN(d[i])) continue;
    n++;
    if (d[i] <= cutoff) w++;
  }
  return n ? w / n : Number.NaN;
}

export interface TrackWithin {
  readonly length: number;
  readonly columns: { track: Uint32Array; frames: Uint32Array; within: Uint32Array; fraction: Float64Array };
}

/** Per track: movie frames measured, frames within the cut-off, and their ratio. */
export function trackFractionWithin(t: TrackDistances, cutoff = DEFAULT_CUTOFF_NM): TrackWithin {
  const { track, distance } = t.columns;
  const ids: number[] = [];
  const frames: number[] = [];
  const within: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (i === 0 || track[i] !== track[i - 1]) {
      ids.push(track[i]);
      frames.push(0);
      within.push(0);
    }
    if (Number.isNaN(distance[i])) continue;
    frames[frames.length - 1]++;
    if (distance[i] <= cutoff) within[within.length - 1]++;
  }
  return {
    length: ids.length,
    columns: {
      track: Uint32Array.from(ids),
      frames: Uint32Array.from(frames),
      within: Uint32Array.from(within),
      fraction: Float64Array.from(frames, (f, k) => (f ? within[k] / f : Number.NaN)),
    },
  };
}

export interface ColocRuns {
  readonly length: number;
  readonly columns: {
    track: Uint32Array;
    /** First movie frame of the run. */
    startFrame: Uint32Array;
    /** Length in movie frames. */
    duration: Uint32Array;
    /** 1 if the run starts at the track's first measured frame or right after a missing one. */
    leftCensored: Uint8Array;
    /** 1 if the run reaches the track's last measured frame or a missing frame after it. */
    rightCensored: Uint8Array;
  };
}

/** Runs of consecutive movie frames within the cut-off, per track (see module comment). */
export function colocalizationRuns(t: TrackDistances, cutoff = DEFAULT_CUTOFF_NM): ColocRuns {
  const { track, frame, distance } = t.columns;
  const o = {
    track: [] as number[],
    start: [] as number[],
    dur: [] as number[],
    lc: [] as number[],
    rc: [] as number[],
  };
  let runStart = -1;
  let runLen = 0;
  let runLeft = 0;
  const close = (rightCensored: number, id: number) => {
    if (runLen === 0) return;
    o.track.push(id);
    o.start.push(runStart);
    o.dur.push(runLen);
    o.lc.push(runLeft);
    o.rc.push(rightCensored);
    runLen = 0;
  };
  for (let i = 0; i < t.length; i++) {
    const first = i === 0 || track[i] !== track[i - 1];
    if (first) runLen = 0;
    const measured = !Number.isNaN(distance[i]);
    // Is the previous row the previous movie frame of this track, with a measured distance?
    const contiguous = !first && frame[i] === frame[i - 1] + 1 && !Number.isNaN(distance[i - 1]);
    if (runLen > 0 && !contiguous) close(1, track[i - 1]);
    const lastRow = i + 1 === t.length || track[i + 1] !== track[i];
    if (measured && distance[i] <= cutoff) {
      if (runLen === 0) {
        runStart = frame[i];
        runLeft = contiguous ? 0 : 1;
      }
      runLen++;
      if (lastRow) close(1, track[i]);
    } else if (runLen > 0) close(measured ? 0 : 1, track[i]);
  }
  return {
    length: o.track.length,
    columns: {
      track: Uint32Array.from(o.track),
      startFrame: Uint32Array.from(o.start),
      duration: Uint32Array.from(o.dur),
      leftCensored: Uint8Array.from(o.lc),
      rightCensored: Uint8Array.from(o.rc),
    },
  };
}
