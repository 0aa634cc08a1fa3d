import { afterAll, describe, expect, test } from 'vitest';
import { localizeNodeWorkerFactory } from '../../src/engine/nodeWorker';
import { WorkerPool } from '../../src/engine/workerPool';
import { localizeRun } from '../../src/engine/localizeRun';
import type { LocalizeApi } from '../../workers/localize.api';
import { concatLocTables, type LocTable } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
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
  const res = await localizeRun({ source, params, pool: pool(size), chunkSize, onChunk: (t) => chunks.push(t) });
  return { res, table: concatLocTables(chunks) };
}

describe('localizeRun over worker_threads', () => {
  test('results are identical for 1 and 2 workers and in frame order', async () => {
    const a = await run(1, 8);
    const b = await run(2, 3);
    expect(a.res.framesDone).toBe(FRAMES);
    expect(a.table.length).toBeGreaterThan(FRAMES * 15);
    expect(b.table.length).toBe(a.table.length);
    for (const name of Object.keys(a.table.columns)) expect(b.table.columns[name]).toEqual(a.table.columns[name]);
    const f = a.table.columns.frame;
    for (let i = 1; i < a.table.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
  });
});
