// The batch queue: k lanes run at most k inputs at once, every input once, in order of the list;
// a failure is reported and the queue goes on; cancelling stops taking inputs and the running
// ones report cancelled, the rest not run.
import { expect, test } from 'vitest';
import { runBatch } from '../../src/engine/batchQueue';

class Stop extends Error {}

function recorder() {
  const log: string[] = [];
  return {
    log,
    start: (id: string, lane: number) => void log.push(`start ${id} @${lane}`),
    done: (id: string, r: number) => void log.push(`done ${id}=${r}`),
    failed: (id: string, m: string) => void log.push(`failed ${id}: ${m}`),
    cancelled: (id: string) => void log.push(`cancelled ${id}`),
    isCancel: (e: unknown) => e instanceof Stop,
  };
}

test('two lanes run two inputs at a time, each input once; a failure does not stop the others', async () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  let live = 0;
  let peak = 0;
  const r = recorder();
  const out = await runBatch(ids, {
    ...r,
    lanes: 2,
    signal: new AbortController().signal,
    run: async (id) => {
      live++;
      peak = Math.max(peak, live);
      await new Promise((res) => setTimeout(res, id === 'a' ? 20 : 5));
      live--;
      if (id === 'c') throw new Error('bad file');
      return id.charCodeAt(0);
    },
  });
  expect(out).toEqual({ done: 4, failed: 1, notRun: 0 });
  expect(peak).toBe(2);
  expect(r.log.filter((l) => l.startsWith('start')).map((l) => l.split(' ')[1])).toEqual(ids);
  expect(r.log).toContain('failed c: bad file');
  expect(r.log.filter((l) => l.startsWith('done')).length).toBe(4);
});

test('cancelling stops the running input and leaves the rest not run', async () => {
  const ctl = new AbortController();
  const r = recorder();
  const out = await runBatch(['a', 'b', 'c'], {
    ...r,
    lanes: 1,
    signal: ctl.signal,
    run: (id, _lane, signal) =>
      new Promise<number>((resolve, reject) => {
        if (id === 'a') return resolve(1);
        signal.addEventListener('abort', () => reject(new Stop()));
        ctl.abort();
      }),
  });
  expect(out).toEqual({ done: 1, failed: 0, notRun: 2 });
  expect(r.log).toEqual(['start a @0', 'done a=1', 'start b @0', 'cancelled b']);
});
