// The Ca²⁺ service's silence deadline, with in-process workers: a worker that beats while it reads
// finishes a run far longer than the deadline; one that goes silent is presumed dead, replaced
// and, silent again, the run fails in words instead of hanging.
import type * as Comlink from 'comlink';
import { afterAll, expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim';
import { calciumBackend } from '../../src/engine/calciumService';
import type { WorkerFactory } from '../../src/engine/workerPool';
import { type CalciumApi, createCalciumApi } from '../../workers/calcium.api';

const params = presetParams('calcium');
params.width = 160;
params.height = 160;
params.frames = 120;
if (params.scene.kind === 'calcium') params.scene.cellCount = 6;
const req = { recipe: { kind: 'simulated' as const, params }, channel: 0, params: { addFrame: 100 } };

function factory(silent: boolean, started: { n: number }): WorkerFactory<CalciumApi> {
  return () => {
    started.n++;
    const listeners: (() => void)[] = [];
    const real = createCalciumApi(() => {
      for (const l of listeners) l();
    });
    const api = silent ? { ...real, run: () => new Promise<never>(() => {}) } : real;
    return {
      api: api as unknown as Comlink.Remote<CalciumApi>,
      onDeath: () => {},
      onActivity: (l) => listeners.push(l),
      terminate: () => real.cancel(),
    };
  };
}

const backends: { terminate(): void }[] = [];
afterAll(() => {
  for (const b of backends) b.terminate();
});

test('a worker that beats while reading finishes a run longer than the silence deadline', async () => {
  const started = { n: 0 };
  const b = calciumBackend(factory(false, started), 400);
  backends.push(b);
  let beats = 0;
  const r = await b.run(req, () => beats++);
  expect(r.count).toBe(6);
  expect(beats).toBeGreaterThan(0);
  expect(started.n).toBe(1);
}, 120_000);

test('a silent worker is presumed dead and replaced; still silent, the run fails in words', async () => {
  const started = { n: 0 };
  const b = calciumBackend(factory(true, started), 200);
  backends.push(b);
  await expect(b.run(req, () => {})).rejects.toThrow(/sent nothing|presumed dead|died/);
  // The first worker and at least one replacement were started.
  expect(started.n).toBeGreaterThanOrEqual(2);
}, 120_000);
