// WorkerPool.warm: the workers start before the first task (their module loading overlaps what
// the user does first), the first tasks run on them rather than on new ones, and workers nobody
// used still retire after the idle time.
import type * as Comlink from 'comlink';
import { expect, test } from 'vitest';
import { type PoolWorker, WorkerPool } from '../../src/engine/workerPool';

interface Api {
  id(): Promise<number>;
}

function fakeFactory() {
  const live = new Set<number>();
  let next = 0;
  const factory = (): PoolWorker<Api> => {
    const id = next++;
    live.add(id);
    return {
      api: { id: async () => id } as unknown as Comlink.Remote<Api>,
      onDeath() {},
      terminate: () => live.delete(id),
    };
  };
  return { factory, live };
}

test('warm starts size workers; the first tasks use them', async () => {
  const { factory, live } = fakeFactory();
  const pool = new WorkerPool<Api>(factory, { size: 2 });
  pool.warm();
  pool.warm();
  expect(pool.workersStarted).toBe(2);
  expect([...live]).toEqual([0, 1]);
  const ids = await Promise.all([pool.run((a) => a.id()), pool.run((a) => a.id())]);
  expect(ids.sort()).toEqual([0, 1]);
  expect(pool.workersStarted).toBe(2);
  pool.terminate();
  expect(live.size).toBe(0);
});

test('warmed workers that get no task retire after the idle time', async () => {
  const { factory, live } = fakeFactory();
  const pool = new WorkerPool<Api>(factory, { size: 2, idleTtlMs: 20 });
  pool.warm();
  expect(pool.liveWorkers).toBe(2);
  await expect.poll(() => pool.liveWorkers, { timeout: 10_000 }).toBe(0);
  expect(live.size).toBe(0);
  pool.terminate();
});
