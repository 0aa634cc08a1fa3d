// Faults a localization run must survive or report, through the real worker_threads pool: a worker
// that goes silent mid-chunk (no error, no exit), a slow worker that keeps beating, and a frame
// that cannot be read, on both the pixel-transfer path (CLI) and the worker-reads path (browser).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { concatLocTables, type LocTable } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { presetParams } from '../../src/core/sim/index';
import { type FrameReader, type LocalizeRunOptions, localizeRun } from '../../src/engine/localizeRun';
import { localizeNodeWorkerFactory, nodeWorkerFactory } from '../../src/engine/nodeWorker';
import { WorkerPool } from '../../src/engine/workerPool';
import type { LocalizeApi } from '../../workers/localize.api';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';

const W = 48;
const H = 40;
const FRAMES = 24;
const frames: Uint16Array[] = [];
{
  const rng = new Rng(5);
  for (let f = 0; f < FRAMES; f++) {
    const img = poissonImage(expectedImage(W, H, gridSpots(W, H, 12, 1000, rng), 1.3, 10), rng);
    frames.push(Uint16Array.from(img, (v) => Math.round(v / 2 + 100)));
  }
}
const reader: FrameReader = { width: W, height: H, frameCount: FRAMES, readFrame: async (i) => frames[i] };
const params = { camera: { offsetAdu: 100, electronsPerAdu: 2 } };

const sim = { ...presetParams('isolated'), frames: 20 };
const simParams = {
  camera: { offsetAdu: sim.camera.offsetAdu, electronsPerAdu: sim.camera.electronsPerAdu },
};
const recipeSource = {
  width: sim.width,
  height: sim.height,
  frameCount: sim.frames,
  recipe: { kind: 'simulated' as const, params: sim },
  key: 'faults',
};

const pools: WorkerPool<LocalizeApi>[] = [];
afterAll(() => {
  for (const p of pools) p.terminate();
});

function faulty(
  data: { at: number; mode: 'silent' | 'throw' | 'slow'; slowMs?: number },
  size: number,
  stallTimeoutMs: number,
) {
  const flag = new SharedArrayBuffer(4);
  const p = new WorkerPool<LocalizeApi>(
    nodeWorkerFactory<LocalizeApi>(new URL('./fixtures/faulty.worker.ts', import.meta.url), {
      data: { ...data, flag },
    }),
    // Generous set-up deadline and retries: on a loaded machine a new worker's module loading is slow,
    // and an extra presumed death must not fail the run.
    { size, stallTimeoutMs, setupTimeoutMs: 60_000, maxRetries: 4 },
  );
  pools.push(p);
  return { pool: p, flag: new Int32Array(flag) };
}

async function collect(o: Omit<LocalizeRunOptions, 'onChunk'>) {
  const chunks: LocTable[] = [];
  const res = await localizeRun({ ...o, onChunk: (t) => chunks.push(t) });
  return { res, table: concatLocTables(chunks) };
}

/** The rows of `t` with frame < `end`. */
function prefix(t: LocTable, end: number): Float64Array {
  const x: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.columns.frame[i] < end) x.push(t.columns.x[i]);
  return Float64Array.from(x);
}

let clean: Awaited<ReturnType<typeof collect>>;
let cleanSim: Awaited<ReturnType<typeof collect>>;
beforeAll(async () => {
  const p = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size: 2 });
  pools.push(p);
  clean = await collect({ source: reader, params, pool: p, chunkSize: 4 });
  cleanSim = await collect({ source: recipeSource, params: simParams, pool: p, chunkSize: 4 });
}, 120_000);

describe('a worker that goes silent mid-chunk', () => {
  test('is presumed dead after the stall deadline, replaced, and its chunk redone: same table as a clean run', async () => {
    const { pool, flag } = faulty({ at: 9, mode: 'silent' }, 2, 2500);
    const got = await collect({ source: reader, params, pool, chunkSize: 4 });
    expect(flag[0]).toBe(1);
    expect(pool.workersStarted).toBeGreaterThanOrEqual(3);
    expect(got.res.framesDone).toBe(FRAMES);
    expect(got.res.failedFrame).toBeUndefined();
    expect(clean.table.length).toBeGreaterThan(FRAMES * 5);
    for (const k of Object.keys(clean.table.columns))
      expect(got.table.columns[k]).toEqual(clean.table.columns[k]);
  });

  test('the same when the worker reads the stack itself (browser path)', async () => {
    const { pool, flag } = faulty({ at: 6, mode: 'silent' }, 2, 2500);
    const got = await collect({ source: recipeSource, params: simParams, pool, chunkSize: 4 });
    expect(flag[0]).toBe(1);
    expect(pool.workersStarted).toBeGreaterThanOrEqual(3);
    expect(got.res.framesDone).toBe(sim.frames);
    expect(got.table.columns.x).toEqual(cleanSim.table.columns.x);
    expect(got.table.columns.frame).toEqual(cleanSim.table.columns.frame);
  });

  test('a slow worker that keeps sending heartbeats is not killed', async () => {
    // 4 frames × 1 s per chunk, far past the 2 s deadline, but never 2 s silent.
    const { pool } = faulty({ at: -1, mode: 'slow', slowMs: 1000 }, 1, 2000);
    const got = await collect({ source: reader, params, pool, chunkSize: 4, frames: { start: 0, end: 8 } });
    expect(pool.workersStarted).toBe(1);
    expect(got.res.framesDone).toBe(8);
    expect(Float64Array.from(got.table.columns.x)).toEqual(prefix(clean.table, 8));
  });
});

describe('a frame that cannot be read', () => {
  test('CLI path: the frames before it are delivered, in order, and the result names it', async () => {
    const damaged: FrameReader = {
      ...reader,
      readFrame: async (i) => {
        if (i === 13) throw new Error('strip offset points past the end of the file');
        return frames[i];
      },
    };
    const p = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size: 2 });
    pools.push(p);
    const got = await collect({ source: damaged, params, pool: p, chunkSize: 4 });
    expect(got.res.framesDone).toBe(13);
    expect(got.res.cancelled).toBe(false);
    expect(got.res.failedFrame).toEqual({
      frame: 13,
      message: 'strip offset points past the end of the file',
    });
    expect(Float64Array.from(got.table.columns.x)).toEqual(prefix(clean.table, 13));
  });

  test('browser path: the failing chunk is redone frame by frame, keeping the frames before the bad one', async () => {
    const { pool } = faulty({ at: 10, mode: 'throw' }, 2, 0);
    const got = await collect({ source: recipeSource, params: simParams, pool, chunkSize: 4 });
    expect(got.res.framesDone).toBe(10);
    expect(got.res.failedFrame?.frame).toBe(10);
    expect(got.res.failedFrame?.message).toMatch(/page 11 is damaged/);
    expect(Float64Array.from(got.table.columns.x)).toEqual(prefix(cleanSim.table, 10));
    // No worker died for a damaged page.
    expect(pool.workersStarted).toBeLessThanOrEqual(2);
  });

  test('a bad first frame leaves nothing to keep: the run rejects with the reason', async () => {
    const { pool } = faulty({ at: 0, mode: 'throw' }, 1, 0);
    await expect(collect({ source: recipeSource, params: simParams, pool, chunkSize: 4 })).rejects.toThrow(
      /page 1 is damaged/,
    );
  });
});
