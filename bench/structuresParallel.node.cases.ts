// `structures-668-2workers`: the same per-frame pipeline as `structures-668` (bench/structures.cases)
// split over two worker threads as the app splits it (movie frames [0, ⌈n/2⌉) and [⌈n/2⌉, n), each
// worker sliding its own copy of the movie from its first frame), the parts joined in order
// (StructureLabeller.absorb, FrameSweep.adopt). Timed from handing out the ranges to the joined
// result, movie frames included (each worker renders its own); the workers' start-up, the movie
// simulation and registering the positions (FrameSweep) are setup, as in `structures-668`.
// Structure count and distance checksum must equal `structures-668`'s.
import { pooledOtsuThreshold } from '../src/core/binarize/otsu';
import { gaussianSmooth } from '../src/core/binarize/smooth';
import { StructureLabeller } from '../src/core/binarize/structures';
import { FrameSweep } from '../src/core/coloc/frameSweep';
import { nodeWorkerFactory } from '../src/engine/nodeWorker';
import { grid, referenceMovie } from './movie.cases';
import { cpuNowMs, distanceChecksum, queryPoints, SMOOTH_PX } from './structures.cases';
import type { StructuresPartBenchApi } from './structuresPart.node-worker';
import type { BenchCase } from './types';

async function runParallel() {
  const { movie } = referenceMovie();
  const { width, height } = grid;
  const n = movie.frameCount;
  const threshold = pooledOtsuThreshold(n, (k) =>
    gaussianSmooth(movie.getFrame(k), width, height, SMOOTH_PX),
  );
  const factory = nodeWorkerFactory<StructuresPartBenchApi>(
    new URL('./structuresPart.node-worker.ts', import.meta.url),
  );
  const workers = [factory(), factory()];
  try {
    const split = Math.ceil(n / 2);
    await Promise.all([workers[0].api.prepare(0), workers[1].api.prepare(split)]);
    const points = queryPoints(n, width * grid.pixelNm, height * grid.pixelNm);
    const sweep = new FrameSweep(n, [points], { grid });
    const t0 = performance.now();
    const c0 = cpuNowMs();
    const [a, b] = await Promise.all([
      workers[0].api.run(0, split, threshold),
      workers[1].api.run(split, n, threshold),
    ]);
    const labeller = new StructureLabeller(width, height, 26, grid);
    labeller.absorb(a.part);
    labeller.absorb(b.part);
    const labelled = labeller.finish();
    sweep.adopt(a.distances);
    sweep.adopt(b.distances);
    const wall = performance.now() - t0;
    const cpu = cpuNowMs() - c0;
    return {
      path: 'incremental, 2 worker threads',
      frames: n,
      structures: labelled.count,
      'pipeline s (movie frames included)': wall / 1000,
      'pipeline ms/frame': wall / n,
      'worker s (first half, second half)': `${(a.ms / 1000).toFixed(2)}, ${(b.ms / 1000).toFixed(2)}`,
      'CPU s (both workers and the join)': cpu / 1000,
      'distance checksum': Math.round(distanceChecksum(sweep, n, width * grid.pixelNm)),
    };
  } finally {
    for (const w of workers) w.terminate();
  }
}

export const structuresParallelNodeCases: BenchCase[] = [
  { name: 'structures-668-2workers', where: ['node'], run: () => runParallel() },
];
