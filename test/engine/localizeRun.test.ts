import { afterAll, describe, expect, test } from 'vitest';
import { concatLocTables, type LocTable } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { presetParams, simulate } from '../../src/core/sim/index';
import { localizeRun } from '../../src/engine/localizeRun';
import { localizeNodeWorkerFactory, nodeWorkerFactory } from '../../src/engine/nodeWorker';
import { WorkerPool } from '../../src/engine/workerPool';
import type { LocalizeApi } from '../../workers/localize.api';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';

const W = 64;
const H = 48;
const FRAMES = 40;
const frames: Uint16Array[] = [];
{
  const rng = new Rng(11);
  for (let f = 0; f < FRAMES; f++) {
    const img = poissonImage(expectedImage(W, H, gridSpots(W, H, 12, 1000, rng), 1.3, 10), rng);
    // Camera values: offset 100 ADU, 2 e⁻/ADU.
    frames.push(Uint16Array.from(img, (v) => Math.round(v / 2 + 100)));
  }
}
const source = {
  width: W,
  height: H,
  frameCount: FRAMES,
  readFrame: async (i: number) => frames[i],
};
const params = { camera: { offsetAdu: 100, electronsPerAdu: 2 } };

const pools: WorkerPool<LocalizeApi>[] = [];
function pool(size: number) {
  const p = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size });
  pools.push(p);
  return p;
}
afterAll(() => {
  for (const p of pools) p.terminate();
});

async function run(size: number, chunkSize: number) {
  const chunks: LocTable[] = [];
  const res = await localizeRun({
    source,
    params,
    pool: pool(size),
    chunkSize,
    onChunk: (t) => chunks.push(t),
  });
  return { res, table: concatLocTables(chunks) };
}

describe('localizeRun over worker_threads', () => {
  test('results are identical for 1 and 2 workers and in frame order', async () => {
    const a = await run(1, 8);
    const b = await run(2, 3);
    expect(a.res.framesDone).toBe(FRAMES);
    expect(a.table.length).toBeGreaterThan(FRAMES * 15);
    expect(b.table.length).toBe(a.table.length);
    for (const name of Object.keys(a.table.columns))
      expect(b.table.columns[name]).toEqual(a.table.columns[name]);
    const f = a.table.columns.frame;
    for (let i = 1; i < a.table.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
  });
});

describe('crashes, cancellation, ranges', () => {
  test('a worker dying mid-run is replaced and its chunk retried, with the same result', async () => {
    const reference = await run(2, 5);
    const flag = new SharedArrayBuffer(4);
    const crashing = new WorkerPool<LocalizeApi>(
      nodeWorkerFactory<LocalizeApi>(new URL('./fixtures/crashOnce.worker.ts', import.meta.url), {
        data: { flag, crashAt: 17 },
      }),
      { size: 2 },
    );
    pools.push(crashing);
    const chunks: LocTable[] = [];
    const res = await localizeRun({
      source,
      params,
      pool: crashing,
      chunkSize: 5,
      onChunk: (t) => chunks.push(t),
    });
    expect(new Int32Array(flag)[0]).toBe(1);
    expect(crashing.workersStarted).toBe(3);
    expect(res.framesDone).toBe(FRAMES);
    const table = concatLocTables(chunks);
    expect(table.columns.x).toEqual(reference.table.columns.x);
    expect(table.columns.frame).toEqual(reference.table.columns.frame);
  });

  test('a chunk whose workers keep dying rejects the run after the retries', async () => {
    // Each worker gets its own "crash once" flag, so every attempt at the chunk crashes.
    const crashing = new WorkerPool<LocalizeApi>(
      () =>
        nodeWorkerFactory<LocalizeApi>(new URL('./fixtures/crashOnce.worker.ts', import.meta.url), {
          data: { flag: new SharedArrayBuffer(4), crashAt: 3 },
        })(),
      { size: 1, maxRetries: 2 },
    );
    pools.push(crashing);
    await expect(localizeRun({ source, params, pool: crashing, chunkSize: 4 })).rejects.toThrow(
      /died 3 times/,
    );
    // Three attempts, each on a fresh worker, and the pool restored to strength afterwards.
    expect(crashing.workersStarted).toBe(4);
  });

  test('cancelling keeps the chunks already done, in order', async () => {
    const ctrl = new AbortController();
    const chunks: LocTable[] = [];
    const res = await localizeRun({
      source,
      params,
      pool: pool(1),
      chunkSize: 4,
      signal: ctrl.signal,
      onChunk: (t, info) => {
        chunks.push(t);
        if (info.chunkIndex === 0) ctrl.abort();
      },
    });
    expect(res.cancelled).toBe(true);
    expect(res.framesDone).toBeGreaterThanOrEqual(4);
    expect(res.framesDone).toBeLessThan(FRAMES);
    const t = concatLocTables(chunks);
    expect(t.columns.frame[t.length - 1]).toBeLessThan(res.framesDone);
  });

  test('frame range and region of interest keep full-frame coordinates; progress ends complete', async () => {
    const all = await run(2, 8);
    const roi = { x: 10, y: 6, width: 40, height: 30 };
    const chunks: LocTable[] = [];
    const progress: number[] = [];
    const res = await localizeRun({
      source,
      params,
      pool: pool(2),
      frames: { start: 5, end: 25 },
      roi,
      chunkSize: 6,
      onChunk: (t) => chunks.push(t),
      onProgress: (p) => progress.push(p.framesDone),
    });
    expect(res.framesDone).toBe(20);
    expect(progress.at(-1)).toBe(20);
    const t = concatLocTables(chunks);
    const c = all.table.columns;
    // Every localization well inside the ROI matches the full-frame run's to rounding.
    let matched = 0;
    for (let i = 0; i < t.length; i++) {
      const f = t.columns.frame[i];
      expect(f).toBeGreaterThanOrEqual(5);
      expect(f).toBeLessThan(25);
      const x = t.columns.x[i];
      const y = t.columns.y[i];
      if (x < 1500 || x > 4500 || y < 1000 || y > 3200) continue;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < all.table.length; k++) {
        if (c.frame[k] === f) best = Math.min(best, Math.hypot(c.x[k] - x, c.y[k] - y));
      }
      expect(best).toBeLessThan(0.01);
      matched++;
    }
    expect(matched).toBeGreaterThan(20 * 4);
  });

  test('bad ranges and regions are rejected with their units', async () => {
    await expect(
      localizeRun({ source, params, pool: pool(1), frames: { start: 0, end: 99 } }),
    ).rejects.toThrow(/outside the stack's 40 frames/);
    await expect(
      localizeRun({ source, params, pool: pool(1), roi: { x: 60, y: 0, width: 10, height: 10 } }),
    ).rejects.toThrow(/inside the 64×48 px frame/);
  });
});

describe('workers that open the stack themselves (the browser path)', () => {
  const sim = { ...presetParams('isolated'), frames: 30 };
  const simParams = {
    camera: { offsetAdu: sim.camera.offsetAdu, electronsPerAdu: sim.camera.electronsPerAdu },
  };
  const stack = simulate(sim).stack;
  const reader = {
    width: stack.width,
    height: stack.height,
    frameCount: stack.frameCount,
    readFrame: (i: number) => stack.readFrame(i),
  };
  const recipeSource = (key: string) => ({
    width: stack.width,
    height: stack.height,
    frameCount: stack.frameCount,
    recipe: { kind: 'simulated' as const, params: sim },
    key,
  });

  async function collect(o: Omit<Parameters<typeof localizeRun>[0], 'onChunk'>) {
    const chunks: LocTable[] = [];
    const res = await localizeRun({ ...o, onChunk: (t) => chunks.push(t) });
    return { res, table: concatLocTables(chunks) };
  }

  test('same table as the pixel-transfer path, for 1 and 2 workers, with a range and an ROI', async () => {
    const frames = { start: 4, end: 27 };
    const roi = { x: 6, y: 10, width: 50, height: 44 };
    const pixels = await collect({
      source: reader,
      params: simParams,
      pool: pool(1),
      chunkSize: 5,
      frames,
      roi,
    });
    expect(pixels.res.framesDone).toBe(23);
    expect(pixels.table.length).toBeGreaterThan(23 * 8);
    for (const size of [1, 2]) {
      const p = pool(size);
      const own = await collect({
        source: recipeSource('a'),
        params: simParams,
        pool: p,
        chunkSize: 3,
        frames,
        roi,
      });
      expect(own.res.framesDone).toBe(23);
      for (const k of Object.keys(pixels.table.columns))
        expect(own.table.columns[k]).toEqual(pixels.table.columns[k]);
      // A second run on the same pool keeps the stack open and gives the same answer.
      const again = await collect({
        source: recipeSource('a'),
        params: simParams,
        pool: p,
        chunkSize: 7,
        frames,
        roi,
      });
      expect(again.table.columns.x).toEqual(pixels.table.columns.x);
    }
  });

  test('a worker dying mid-run reopens the stack in its replacement; the result is unchanged', async () => {
    const reference = await collect({
      source: recipeSource('b'),
      params: simParams,
      pool: pool(2),
      chunkSize: 4,
    });
    const flag = new SharedArrayBuffer(4);
    const crashing = new WorkerPool<LocalizeApi>(
      nodeWorkerFactory<LocalizeApi>(new URL('./fixtures/crashOnce.worker.ts', import.meta.url), {
        data: { flag, crashAt: 13 },
      }),
      { size: 2 },
    );
    pools.push(crashing);
    const got = await collect({ source: recipeSource('b'), params: simParams, pool: crashing, chunkSize: 4 });
    expect(new Int32Array(flag)[0]).toBe(1);
    expect(crashing.workersStarted).toBe(3);
    expect(got.table.columns.x).toEqual(reference.table.columns.x);
  });
});
