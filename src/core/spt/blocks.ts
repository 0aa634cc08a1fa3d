// EV positions on the super-resolution movie's time base. Movie frame n covers raw frames
// [n·S, n·S + W) (SCIENCE.md §3). The EV channel is averaged per block of S raw frames, block b
// = raw frames [b·S, (b+1)·S), and movie frame n takes the block that contains the window's
// centre, nS + (W−1)/2: b = n + floor((W−1)/(2S)). For the reference study (S = 6, W = 1002)
// that is block n + 83 = raw frames [6n+498, 6n+504), centred on the window's centre 6n+500.5.
// Choosing the centre block keeps the EV position at the time the movie frame represents; a
// whole-window average would blur a moving EV over 5 s.
import { type TrackPositionColumns, type TrackTable, trackRanges } from './types';

export interface BlockPositions {
  readonly length: number;
  readonly columns: {
    track: Uint32Array;
    /** Block b = raw frames [b·S, (b+1)·S). */
    block: Uint32Array;
    x: Float64Array;
    y: Float64Array;
    intensity: Float64Array;
    /** Positions averaged into this row (1..S). */
    count: Uint32Array;
  };
}

/** EV positions per movie frame, sorted by track then movie frame (input of the distance analysis). */
export interface MoviePositions {
  readonly length: number;
  /** `frame` is the movie frame, 0-based. */
  readonly columns: TrackPositionColumns & {
    intensity: Float64Array;
    count: Uint32Array;
  };
}

/** Mean position of each track in each S-frame block where it has at least one position. */
export function averageTrackOverBlocks(t: TrackTable, S: number): BlockPositions {
  if (!(S >= 1 && Number.isInteger(S))) throw new Error('block size S must be a positive integer');
  const { start } = trackRanges(t);
  const c = t.columns;
  // Rows are sorted by track then frame, so each (track, block) group is contiguous.
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (
      i === 0 ||
      c.track[i] !== c.track[i - 1] ||
      Math.floor(c.frame[i] / S) !== Math.floor(c.frame[i - 1] / S)
    )
      n++;
  }
  const out: BlockPositions = {
    length: n,
    columns: {
      track: new Uint32Array(n),
      block: new Uint32Array(n),
      x: new Float64Array(n),
      y: new Float64Array(n),
      intensity: new Float64Array(n),
      count: new Uint32Array(n),
    },
  };
  const o = out.columns;
  let r = -1;
  for (let k = 0; k + 1 < start.length; k++) {
    let block = -1;
    for (let i = start[k]; i < start[k + 1]; i++) {
      const b = Math.floor(c.frame[i] / S);
      if (b !== block) {
        block = b;
        r++;
        o.track[r] = c.track[i];
        o.block[r] = b;
      }
      o.x[r] += c.x[i];
      o.y[r] += c.y[i];
      o.intensity[r] += c.intensity[i];
      o.count[r]++;
    }
  }
  for (let i = 0; i < n; i++) {
    o.x[i] /= o.count[i];
    o.y[i] /= o.count[i];
    o.intensity[i] /= o.count[i];
  }
  return out;
}

/** Movie frame n ↔ block n + movieBlockOffset(S, W). */
export function movieBlockOffset(S: number, W: number): number {
  return Math.floor((W - 1) / (2 * S));
}

/**
 * Track positions per movie frame, from the centre block of each window.
 * Rows whose movie frame falls outside [0, movieFrames) are dropped.
 */
export function trackPositionsForMovie(
  t: TrackTable,
  p: { step: number; window: number; movieFrames: number },
): MoviePositions {
  const blocks = averageTrackOverBlocks(t, p.step);
  const off = movieBlockOffset(p.step, p.window);
  const b = blocks.columns;
  let n = 0;
  for (let i = 0; i < blocks.length; i++) if (b.block[i] >= off && b.block[i] - off < p.movieFrames) n++;
  const o = {
    track: new Uint32Array(n),
    frame: new Uint32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    intensity: new Float64Array(n),
    count: new Uint32Array(n),
  };
  let k = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (b.block[i] < off || b.block[i] - off >= p.movieFrames) continue;
    o.track[k] = b.track[i];
    o.frame[k] = b.block[i] - off;
    o.x[k] = b.x[i];
    o.y[k] = b.y[i];
    o.intensity[k] = b.intensity[i];
    o.count[k++] = b.count[i];
  }
  return { length: n, columns: o };
}

/**
 * Why trackPositionsForMovie found nothing, with the numbers that decide it (1-based raw frames):
 * the movie frames take their EV positions from the window centres, which may miss short tracks.
 */
export function noMoviePositionsReason(
  t: TrackTable,
  p: { step: number; window: number; movieFrames: number },
): string {
  if (!t.length) return 'There are no track positions: nothing was measured.';
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const f of t.columns.frame) {
    if (f < lo) lo = f;
    if (f > hi) hi = f;
  }
  const first = movieBlockOffset(p.step, p.window) * p.step;
  const last = first + p.movieFrames * p.step - 1;
  return (
    `0 EV positions fall in a movie frame: nothing was measured. Each movie frame takes the EV position ` +
    `from the ${p.step} raw frames at the centre of its ${p.window}-frame window, so the ${p.movieFrames} ` +
    `movie frames cover raw frames ${first + 1}–${last + 1}, but the tracks lie in raw frames ${lo + 1}–${hi + 1}.`
  );
}
