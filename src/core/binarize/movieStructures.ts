// Binarize a movie frame by frame (optionally smoothed first) and label its structures, holding
// one frame at a time: frames come from any iterable, e.g. SlidingMovie.frames().

import type { RenderGrid } from '../movie/grid';
import type { SlidingMovie } from '../movie/slidingMovie';
import { IncrementalSmoother } from './incrementalSmooth';
import { binarize, gaussianSmooth } from './smooth';
import { type Connectivity, type LabelledStructures, StructureLabeller } from './structures';

export interface MovieStructureOptions {
  grid: RenderGrid;
  /** Structure where the (smoothed) value is ≥ threshold. */
  threshold: number;
  /** Gaussian smoothing before thresholding, render px (0 = none). */
  smoothSigmaPx?: number;
  /** 26 (default) or 6 for structures in (x, y, t); 8 or 4 for structures per frame. */
  connectivity?: Connectivity;
  /** Called with each frame's mask, e.g. to keep or export the binary movie. */
  onMask?: (mask: Uint8Array, frame: number) => void;
}

export function labelMovieStructures(
  frames: Iterable<ArrayLike<number>>,
  options: MovieStructureOptions,
): LabelledStructures {
  const { width, height } = options.grid;
  const labeller = new StructureLabeller(width, height, options.connectivity ?? 26, options.grid);
  const mask = new Uint8Array(width * height);
  const smoothed = new Float32Array(width * height);
  const sigma = options.smoothSigmaPx ?? 0;
  let t = 0;
  for (const frame of frames) {
    const values = sigma > 0 ? gaussianSmooth(frame, width, height, sigma, smoothed) : frame;
    binarize(values, options.threshold, mask);
    options.onMask?.(mask, t++);
    labeller.addFrame(mask);
  }
  return labeller.finish();
}

/** Smoothed frame values, for pooling the Otsu threshold on the same images that are thresholded. */
export function smoothedFrame(
  frame: ArrayLike<number>,
  grid: RenderGrid,
  smoothSigmaPx: number,
): ArrayLike<number> {
  return smoothSigmaPx > 0 ? gaussianSmooth(frame, grid.width, grid.height, smoothSigmaPx) : frame;
}

/**
 * The binary frames [start, end) of a movie, in order: smoothed incrementally (only around the
 * pixels the movie says changed) and thresholded. The mask is reused: consume it before the next.
 * A range started anywhere gives the masks a pass from frame 0 gives, so a movie can be split
 * over workers (StructureLabeller.part / absorb).
 */
export function* binaryMovieFrames(
  movie: SlidingMovie,
  start: number,
  end: number,
  threshold: number,
  smoothSigmaPx: number,
): Generator<{ index: number; mask: Uint8Array }> {
  const { width, height } = movie.grid;
  const inc = smoothSigmaPx > 0 ? new IncrementalSmoother(width, height, smoothSigmaPx, threshold) : null;
  const mask = inc ? inc.mask : new Uint8Array(width * height);
  for (const f of movie.frames(start, end)) {
    if (inc) inc.next(f.image, f.changed);
    else binarize(f.image, threshold, mask);
    yield { index: f.index, mask };
  }
}
