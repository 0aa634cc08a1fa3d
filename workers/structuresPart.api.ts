// The second half of the Movie step's structures run (movie.api analyse), in a helper worker:
// it renders its own copy of the movie from the splats, smooths, binarizes and labels movie
// frames [start, end) and hands back the labelled part, which the movie worker joins to its own
// first half (StructureLabeller.absorb): the labels a single pass gives, on two cores.
import * as Comlink from 'comlink';
import { binaryMovieFrames } from '../src/core/binarize/movieStructures';
import { type Connectivity, StructureLabeller, type StructurePart } from '../src/core/binarize/structures';
import { locTableFromColumns } from '../src/core/locs/table';
import type { RenderGrid } from '../src/core/movie/grid';
import { SlidingMovie } from '../src/core/movie/slidingMovie';
import { throttledProgress } from './helperWorker';

export interface StructuresPartRequest {
  /** SlidingMovie.splats() of the movie (σ as precision). */
  splats: ReturnType<SlidingMovie['splats']>;
  movie: { window: number; step: number; grid: RenderGrid; localizedFrames: number };
  threshold: number;
  smoothSigmaPx: number;
  connectivity: Connectivity;
  /** Movie frames [start, end). */
  start: number;
  end: number;
}

/** Labels frames [start, end); `onFrame(done)` after each (it may throw to stop). */
export async function labelMoviePart(
  r: StructuresPartRequest,
  onFrame?: (done: number) => Promise<void> | void,
): Promise<StructurePart> {
  const { window, step, grid, localizedFrames } = r.movie;
  // σ = 1 × the splat's own σ: the same splats, so the same frames (SlidingMovie.splats).
  const movie = new SlidingMovie({
    window,
    step,
    grid,
    sigma: { kind: 'precision', factor: 1 },
    cacheSize: 1,
  });
  movie.append(locTableFromColumns(r.splats));
  movie.setLocalizedFrames(localizedFrames);
  const labeller = new StructureLabeller(grid.width, grid.height, r.connectivity, grid);
  let done = 0;
  for (const { mask } of binaryMovieFrames(movie, r.start, r.end, r.threshold, r.smoothSigmaPx)) {
    labeller.addFrame(mask);
    await onFrame?.(++done);
  }
  return labeller.part();
}

export function createStructuresPartApi() {
  return {
    async label(r: StructuresPartRequest, onProgress?: (done: number) => void): Promise<StructurePart> {
      const part = await labelMoviePart(r, throttledProgress(r.end - r.start, onProgress));
      return Comlink.transfer(part, [
        part.runY.buffer,
        part.runX0.buffer,
        part.runX1.buffer,
        part.root.buffer,
      ]);
    },
  };
}

export type StructuresPartApi = ReturnType<typeof createStructuresPartApi>;
