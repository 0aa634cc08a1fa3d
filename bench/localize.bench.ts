// `node --import tsx bench/localize.bench.ts [frames]`: localization throughput and accuracy on
// the reference case — 256×256 frames, ~60 isolated emitters per frame (1000 photons,
// 10 bg photons/px, σ = 130 nm, 100 nm pixels), Poisson MLE, σ fixed — in this thread and on
// 1 and 2 worker threads. A benchmark reports; it never passes or fails.
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { resolveLocalizeParams } from '../src/core/localize/params';
import { concatLocTables, type LocTable } from '../src/core/locs/table';
import { integratedGaussian1D } from '../src/core/psf/integratedGaussian';
import { Rng } from '../src/core/random';
import { localizeRun } from '../src/engine/localizeRun';
import { localizeNodeWorkerFactory } from '../src/engine/nodeWorker';
import { WorkerPool } from '../src/engine/workerPool';
import type { LocalizeApi } from '../workers/localize.api';

const W = 256;
const FRAMES = Number(process.argv[2] ?? 1000);
const PER_FRAME = 60;
const SIGMA_PX = 1.3;
const OFFSET = 100;

interface Truth {
  x: Float64Array;
  y: Float64Array;
}

function simulate(): { frames: Uint16Array[]; truth: Truth[] } {
  const rng = new Rng(2024);
  const frames: Uint16Array[] = [];
  const truth: Truth[] = [];
  const gx = new Float64Array(W);
  const gy = new Float64Array(W);
  const mu = new Float64Array(W * W);
  for (let f = 0; f < FRAMES; f++) {
    const xs: number[] = [];
    const ys: number[] = [];
    while (xs.length < PER_FRAME) {
      const x = 4 + rng.uniform() * (W - 8);
      const y = 4 + rng.uniform() * (W - 8);
      if (xs.every((_, k) => Math.hypot(xs[k] - x, ys[k] - y) > 10)) {
        xs.push(x);
        ys.push(y);
      }
    }
    mu.fill(10);
    for (let k = 0; k < PER_FRAME; k++) {
      integratedGaussian1D(xs[k], SIGMA_PX, W, gx);
      integratedGaussian1D(ys[k], SIGMA_PX, W, gy);
      const x0 = Math.max(0, Math.floor(xs[k]) - 8);
      const y0 = Math.max(0, Math.floor(ys[k]) - 8);
      for (let j = y0; j < Math.min(W, y0 + 17); j++)
        for (let i = x0; i < Math.min(W, x0 + 17); i++) mu[j * W + i] += 1000 * gx[i] * gy[j];
    }
    const frame = new Uint16Array(W * W);
    for (let i = 0; i < W * W; i++) frame[i] = rng.poisson(mu[i]) + OFFSET;
    frames.push(frame);
    truth.push({ x: Float64Array.from(xs, (v) => v * 100), y: Float64Array.from(ys, (v) => v * 100) });
  }
  return { frames, truth };
}

/** Jaccard (250 nm, greedy nearest — emitters are ≥ 1 µm apart) and lateral RMSE in nm. */
function score(t: LocTable, truth: Truth[]) {
  const c = t.columns;
  let tp = 0;
  let se = 0;
  for (let i = 0; i < t.length; i++) {
    const tr = truth[c.frame[i]];
    let best = 250 * 250;
    for (let k = 0; k < tr.x.length; k++)
      best = Math.min(best, (tr.x[k] - c.x[i]) ** 2 + (tr.y[k] - c.y[i]) ** 2);
    if (best < 250 * 250) {
      tp++;
      se += best;
    }
  }
  return { jaccard: tp / (t.length + FRAMES * PER_FRAME - tp), rmseNm: Math.sqrt(se / tp) };
}

const t0 = performance.now();
const { frames, truth } = simulate();
console.log(`simulated ${FRAMES} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const params = { camera: { offsetAdu: OFFSET } };

function report(label: string, seconds: number, table: LocTable) {
  const s = score(table, truth);
  console.log(
    `${label.padEnd(22)} ${(FRAMES / seconds).toFixed(0).padStart(5)} frames/s  ${(table.length / seconds).toFixed(0).padStart(6)} locs/s  ` +
      `${table.length} locs  Jaccard ${s.jaccard.toFixed(4)}  RMSE ${s.rmseNm.toFixed(2)} nm (radial)`,
  );
}

{
  // The kernel alone, no workers: the number to optimise first.
  const scratch = new LocalizeScratch(W, W, resolveLocalizeParams(params));
  const block = new Uint16Array(W * W);
  for (let f = 0; f < Math.min(50, FRAMES); f++) localizeFrames(frames[f], 1, f, scratch); // warm-up
  const parts: LocTable[] = [];
  const t = performance.now();
  for (let f = 0; f < FRAMES; f++) {
    block.set(frames[f]);
    parts.push(localizeFrames(block, 1, f, scratch));
  }
  report('main thread (kernel)', (performance.now() - t) / 1000, concatLocTables(parts));
}

for (const threads of [1, 2]) {
  const pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size: threads });
  const source = { width: W, height: W, frameCount: FRAMES, readFrame: async (i: number) => frames[i] };
  // Warm-up run: worker start-up (tsx, module loading) and JIT are not part of the rate.
  await localizeRun({ source, params, pool, frames: { start: 0, end: Math.min(64, FRAMES) } });
  const parts: LocTable[] = [];
  const res = await localizeRun({ source, params, pool, chunkSize: 32, onChunk: (t) => parts.push(t) });
  report(`${threads} worker thread${threads > 1 ? 's' : ''}`, res.seconds, concatLocTables(parts));
  pool.terminate();
}
