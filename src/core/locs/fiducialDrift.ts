// Drift from fiducial markers (beads): a fiducial is seen in (nearly) every frame, so its
// trajectory is the drift plus its localization noise. Tracks come from picked regions or are
// detected automatically as linked groups (see link.ts) present in ≥ minFraction of the frames.
// Each track is referred to its own mean position, the tracks are averaged per frame, and the
// average is smoothed by a local linear fit over a sliding window (unbiased at the ends for a
// trending drift, unlike a moving average), then interpolated over frames no fiducial covers.
import { type DriftQuality, fiducialQuality } from './driftQuality';
import { type DriftTrace, frameCountOf, zeroAtFirstFrame } from './driftTrace';
import { interpolateOnFrames } from './interpolate';
import { linkBlinks } from './link';
import { type Region, regionMask } from './region';
import type { LocTable } from './table';

/** The data has no fiducial tracks: callers with a fallback (RCC) test for this class. */
export class NoFiducialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoFiducialsError';
  }
}

export interface FiducialOptions {
  /** Picked regions (nm), each holding one fiducial; when absent fiducials are auto-detected. */
  regions?: Region[];
  /** Linking radius between consecutive fiducial localizations (nm, default 100). */
  linkRadiusNm?: number;
  /** Dark frames bridged inside a track (default 10). */
  maxGapFrames?: number;
  /** A track must cover this fraction of frames to count as a fiducial (default 0.9; regions: 0.5). */
  minFraction?: number;
  /** Smoothing window (frames, default 200). */
  smoothFrames?: number;
  frameCount?: number;
  mask?: Uint8Array;
}

export interface FiducialResult {
  trace: DriftTrace;
  /** Rows of each fiducial track used. */
  tracks: Int32Array[];
  quality: DriftQuality;
}

export function fiducialDrift(table: LocTable, opts: FiducialOptions = {}): FiducialResult {
  const { frame, x, y } = table.columns;
  if (!frame || !x || !y) throw new Error('fiducial drift needs frame, x and y columns');
  const n = table.length;
  const frames = opts.frameCount ?? frameCountOf(table);
  const link = { radiusNm: opts.linkRadiusNm ?? 100, maxGapFrames: opts.maxGapFrames ?? 10 };
  const tracks: Int32Array[] = [];
  if (opts.regions?.length) {
    const minFraction = opts.minFraction ?? 0.5;
    opts.regions.forEach((region, k) => {
      const mask = regionMask(x, y, n, region, false, opts.mask ? opts.mask.slice(0, n) : undefined);
      // Inside a picked region other emitters may blink too: the longest track is the bead.
      const { group, size } = linkBlinks(frame, x, y, n, { ...link, mask });
      let best = -1;
      for (let g = 0; g < size.length; g++) if (best < 0 || size[g] > size[best]) best = g;
      if (best < 0 || size[best] < minFraction * frames)
        throw new Error(
          `region ${k + 1} holds no fiducial seen in ≥ ${Math.round(minFraction * 100)}% of frames`,
        );
      tracks.push(rowsOf(group, best, size[best]));
    });
  } else {
    const minFraction = opts.minFraction ?? 0.9;
    const { group, size } = linkBlinks(frame, x, y, n, { ...link, mask: opts.mask });
    for (let g = 0; g < size.length; g++)
      if (size[g] >= minFraction * frames) tracks.push(rowsOf(group, g, size[g]));
    if (!tracks.length)
      throw new NoFiducialsError(
        `no fiducials found (none seen in ≥ ${Math.round(minFraction * 100)}% of frames)`,
      );
  }

  // Average of the tracks, each relative to its own mean position.
  const sx = new Float64Array(frames);
  const sy = new Float64Array(frames);
  const cnt = new Float64Array(frames);
  for (const rows of tracks) accumulateTrack(table, rows, frames, sx, sy, cnt);
  const half = Math.max(1, Math.round((opts.smoothFrames ?? 200) / 2));
  const nodes = localLinear(sx, sy, cnt, half);
  const trace: DriftTrace = {
    method: 'fiducial',
    dx: interpolateOnFrames(nodes.frame, nodes.dx, frames, 'linear'),
    dy: interpolateOnFrames(nodes.frame, nodes.dy, frames, 'linear'),
    nodes,
  };
  const quality = fiducialQuality(
    tracks.length > 1 ? disagreement(table, tracks, trace, half) : null,
    tracks.length,
  );
  trace.quality = quality;
  return { trace: zeroAtFirstFrame(trace), tracks, quality };
}

function accumulateTrack(
  table: LocTable,
  rows: Int32Array,
  frames: number,
  sx: Float64Array,
  sy: Float64Array,
  cnt: Float64Array,
): void {
  const { frame, x, y } = table.columns;
  let mx = 0;
  let my = 0;
  for (const i of rows) {
    mx += x[i];
    my += y[i];
  }
  mx /= rows.length;
  my /= rows.length;
  for (const i of rows) {
    const f = frame[i];
    if (f >= frames) continue;
    sx[f] += x[i] - mx;
    sy[f] += y[i] - my;
    cnt[f]++;
  }
}

/**
 * RMS distance (nm) between each bead's own smoothed track and the average: beads on a rigid
 * stage move together, so a large value means one of them moved on its own (or is no bead).
 */
function disagreement(table: LocTable, tracks: Int32Array[], mean: DriftTrace, half: number): number {
  const frames = mean.dx.length;
  let ss = 0;
  let n = 0;
  for (const rows of tracks) {
    const sx = new Float64Array(frames);
    const sy = new Float64Array(frames);
    const cnt = new Float64Array(frames);
    accumulateTrack(table, rows, frames, sx, sy, cnt);
    const own = localLinear(sx, sy, cnt, half);
    for (let k = 0; k < own.frame.length; k++) {
      const f = own.frame[k];
      ss += (own.dx[k] - mean.dx[f]) ** 2 + (own.dy[k] - mean.dy[f]) ** 2;
      n++;
    }
  }
  return Math.sqrt(ss / Math.max(1, n));
}

function rowsOf(group: Int32Array, g: number, count: number): Int32Array {
  const rows = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < group.length; i++) if (group[i] === g) rows[k++] = i;
  return rows;
}

/**
 * Local linear regression of per-frame sums (sx, sy over cnt samples) within ±half frames, at
 * every frame that has samples; O(frames) via prefix sums.
 */
function localLinear(sx: Float64Array, sy: Float64Array, cnt: Float64Array, half: number) {
  const F = cnt.length;
  // Prefix sums of n, Σt, Σt², Σx, Σtx, Σy, Σty (t centred per window for conditioning below).
  const P = new Float64Array((F + 1) * 7);
  for (let f = 0; f < F; f++) {
    const o = f * 7;
    const t = f;
    P[o + 7] = P[o] + cnt[f];
    P[o + 8] = P[o + 1] + cnt[f] * t;
    P[o + 9] = P[o + 2] + cnt[f] * t * t;
    P[o + 10] = P[o + 3] + sx[f];
    P[o + 11] = P[o + 4] + t * sx[f];
    P[o + 12] = P[o + 5] + sy[f];
    P[o + 13] = P[o + 6] + t * sy[f];
  }
  const frameOut: number[] = [];
  const dxOut: number[] = [];
  const dyOut: number[] = [];
  for (let f = 0; f < F; f++) {
    if (!cnt[f]) continue;
    const a = Math.max(0, f - half);
    const b = Math.min(F, f + half + 1);
    const s = (k: number) => P[b * 7 + k] - P[a * 7 + k];
    const n = s(0);
    // Centre t on f: Σ(t−f) = St − f·n, Σ(t−f)² = Stt − 2f·St + f²·n.
    const st = s(1) - f * n;
    const stt = s(2) - 2 * f * s(1) + f * f * n;
    const det = n * stt - st * st;
    const lineAt = (sv: number, stv: number) => {
      const c = stv - f * sv; // Σ(t−f)·v
      // Value of the fitted line at t = f (the intercept in centred time).
      return det > 1e-9 * n * n ? (stt * sv - st * c) / det : sv / n;
    };
    frameOut.push(f);
    dxOut.push(lineAt(s(3), s(4)));
    dyOut.push(lineAt(s(5), s(6)));
  }
  return { frame: Float64Array.from(frameOut), dx: Float64Array.from(dxOut), dy: Float64Array.from(dyOut) };
}
