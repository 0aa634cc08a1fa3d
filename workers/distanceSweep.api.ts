// The per-movie-frame part of the distance analysis (tracks.api.ts): slide the movie to each
// frame, smooth, binarize at the threshold and measure the signed distance of every position that
// falls in the frame (FrameSweep). Frames are independent — the movie's fixed-point accumulator
// makes a frame reached by sliding bit-identical to one rendered fresh — so the tracks worker
// sweeps one range of frames itself and hands the rest to a helper worker (distanceSweep.worker),
// and the parts are put back together in order: the same numbers, on two cores.
import * as Comlink from 'comlink';
import { IncrementalSmoother } from '../src/core/binarize/incrementalSmooth';
import { binarize } from '../src/core/binarize/smooth';
import { FrameSweep, type QueryPoints, type SweepPart } from '../src/core/coloc/frameSweep';
import type { FieldSampling } from '../src/core/coloc/signedDistance';
import type { RenderGrid } from '../src/core/movie/grid';
import { type MovieSigma, SlidingMovie } from '../src/core/movie/slidingMovie';
import { throttledProgress } from './helperWorker';

export interface SweepRange {
  /** The PALM localizations the movie is rendered from. */
  locs: { length: number; columns: Record<string, Uint32Array | Float64Array | Float32Array> };
  rawFrames: number;
  movie: { window: number; step: number; grid: RenderGrid; sigma: MovieSigma; frameIntervalS: number };
  movieFrames: number;
  smoothSigmaPx: number;
  threshold: number;
  /** Every point set of the analysis (the sweep indexes them all; it measures only its frames). */
  sets: QueryPoints[];
  perStructure: boolean;
  sampling?: FieldSampling;
  /** Movie frames [start, end) to measure. */
  start: number;
  end: number;
}

export interface SweepRangeResult {
  part: SweepPart;
  /** Sum over measured frames of the fraction covered by structures, and how many were measured. */
  covered: number;
  measured: number;
}

export function movieForSweep(r: Pick<SweepRange, 'locs' | 'movie' | 'rawFrames'>): SlidingMovie {
  return SlidingMovie.fromTable(r.locs, { ...r.movie, cacheSize: 2 }, r.rawFrames);
}

/**
 * Measures frames [start, end) of the movie. `onFrame` is called after each frame (progress,
 * cancellation: it may throw); `movie` reuses one already built from the same request.
 */
export async function sweepRange(
  r: SweepRange,
  onFrame?: (done: number) => Promise<void> | void,
  movie: SlidingMovie = movieForSweep(r),
): Promise<SweepRangeResult> {
  const { grid } = r.movie;
  const sweep = new FrameSweep(r.movieFrames, r.sets, {
    grid,
    perStructure: r.perStructure,
    sampling: r.sampling,
    first: r.start,
  });
  const n = grid.width * grid.height;
  // Frames come in order and differ little: smooth and threshold around the changed pixels only.
  const inc =
    r.smoothSigmaPx > 0
      ? new IncrementalSmoother(grid.width, grid.height, r.smoothSigmaPx, r.threshold)
      : null;
  const mask = inc ? inc.mask : new Uint8Array(n);
  let covered = 0;
  let measured = 0;
  let done = 0;
  // The movie lists the pixels changed since the frame before: a hint for the smoother only
  // when that frame was smoothed too.
  let smoothed = -1;
  for (const frame of movie.frames(r.start, r.end)) {
    const t = frame.index;
    if (sweep.needs(t)) {
      if (inc) inc.next(frame.image, smoothed === t - 1 ? frame.changed : null);
      else binarize(frame.image, r.threshold, mask);
      smoothed = t;
      let c = inc ? inc.maskPixels : 0;
      if (!inc) for (let i = 0; i < n; i++) c += mask[i];
      covered += c / n;
      measured++;
      sweep.addFrame(t, mask);
    } else sweep.addFrame(t, null);
    await onFrame?.(++done);
  }
  return { part: sweep.part(r.start), covered, measured };
}

export function createDistanceSweepApi() {
  return {
    async sweep(r: SweepRange, onProgress?: (done: number) => void): Promise<SweepRangeResult> {
      const result = await sweepRange(r, throttledProgress(r.end - r.start, onProgress));
      const { part } = result;
      return Comlink.transfer(result, [part.nearest.buffer as ArrayBuffer]);
    },
  };
}

export type DistanceSweepApi = ReturnType<typeof createDistanceSweepApi>;
