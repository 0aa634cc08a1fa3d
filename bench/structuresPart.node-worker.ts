// One worker of `structures-668-2workers`: the per-frame pipeline (incremental smoothing +
// binarization, 26-connected labels, signed distances at the bench's positions) over a range of
// the reference movie's frames, returned as parts for the main thread to join in order.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { binaryMovieFrames } from '../src/core/binarize/movieStructures';
import { StructureLabeller } from '../src/core/binarize/structures';
import { FrameSweep } from '../src/core/coloc/frameSweep';
import { grid, referenceMovie } from './movie.cases';
import { queryPoints, SMOOTH_PX } from './structures.cases';

let prepared: { start: number; sweep: FrameSweep } | null = null;

const api = {
  /** Simulates the movie and registers the positions for frames from `start` on (setup, timed apart). */
  prepare(start: number): number {
    const { movie } = referenceMovie();
    const n = movie.frameCount;
    const points = queryPoints(n, grid.width * grid.pixelNm, grid.height * grid.pixelNm);
    prepared = { start, sweep: new FrameSweep(n, [points], { grid, first: start }) };
    return n;
  },

  run(start: number, end: number, threshold: number) {
    const { movie } = referenceMovie();
    if (prepared?.start !== start) throw new Error(`prepare(${start}) first`);
    const { sweep } = prepared;
    const t0 = performance.now();
    const labeller = new StructureLabeller(grid.width, grid.height, 26, grid);
    for (const { index, mask } of binaryMovieFrames(movie, start, end, threshold, SMOOTH_PX)) {
      labeller.addFrame(mask);
      sweep.addFrame(index, mask);
    }
    const part = labeller.part();
    const distances = sweep.part(start);
    return { part, distances, ms: performance.now() - t0 };
  },
};

export type StructuresPartBenchApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort!));
