// Binarize a movie frame by frame (optionally smoothed first) and label its structures, holding
// one frame at a time: frames come from any iterable, e.g. SlidingMovie.frames().

import type { RenderGrid } from '../movie/grid';
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
