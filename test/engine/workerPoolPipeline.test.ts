// WorkerPool's pipelineSetup: a task goes out right behind its worker's setup, without waiting for
// the setup's answer (which in the browser waits for a main thread busy drawing), and a setup
// that fails is what the task's caller is told.
import type * as Comlink from 'comlink';
import { expect, test } from 'vitest';
import { type PoolWorker, WorkerPool } from '../../src/engine/workerPool';

interface Api {
  setup(): Promise<void>;
  task(): Promise<string>;
}

/** One worker that answers its setup only when told to, and logs what it was sent. */
function slowSetupWorker(failSetup = false) {
  const sent: string[] = [];
  let answerSetup!: () => void;
  const setupAnswered = new Promise<void>((res) => {
    answerSetup = res;
  });
  const api = {
    setup: async () => {
      sent.push('setup');
      await setupAnswered;
      if (failSetup) throw new Error('the stack could not be opened');
    },
    task: async () => {
      sent.push('task');
      // The worker runs its calls in order: a task behind a failed setup fails too.
      await setupAnswered;
      if (failSetup) throw new Error('no stack is open');
      return 'done';
    },
  };
  const factory = (): PoolWorker<Api> => ({
    api: api as unknown as Comlink.Remote<Api>,
    onDeath() {},
    terminate() {},
  });
  return { sent, answerSetup, factory };
}

test('with pipelineSetup the task is sent before the setup answers; without, after', async () => {
  for (const pipelineSetup of [true, false]) {
    const w = slowSetupWorker();
    const pool = new WorkerPool<Api>(w.factory, { size: 1, pipelineSetup });
    pool.configure((api) => api.setup());
    const result = pool.run((api) => api.task());
    await new Promise((r) => setTimeout(r, 20));
    expect(w.sent).toEqual(pipelineSetup ? ['setup', 'task'] : ['setup']);
    w.answerSetup();
    expect(await result).toBe('done');
    expect(w.sent).toEqual(['setup', 'task']);
    pool.terminate();
  }
});

test('a failed setup is the error the pipelined task reports', async () => {
  const w = slowSetupWorker(true);
  const pool = new WorkerPool<Api>(w.factory, { size: 1, pipelineSetup: true });
  pool.configure((api) => api.setup());
  const result = pool.run((api) => api.task());
  w.answerSetup();
  await expect(result).rejects.toThrow('the stack could not be opened');
  pool.terminate();
});
