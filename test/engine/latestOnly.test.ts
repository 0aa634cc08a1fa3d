import { expect, test } from 'vitest';
import { latestOnly } from '../../src/engine/latestOnly';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test('while one request runs, only the newest waiting request is run next', async () => {
  const runs: number[] = [];
  const pending: ReturnType<typeof deferred<number>>[] = [];
  const results: number[] = [];
  const dropped: number[] = [];
  const q = latestOnly<number, number>(
    (n) => {
      runs.push(n);
      const d = deferred<number>();
      pending.push(d);
      return d.promise;
    },
    (res) => results.push(res),
    () => {},
    (n) => dropped.push(n),
  );
  q.request(1);
  expect(q.busy).toBe(true);
  for (let n = 2; n <= 9; n++) q.request(n);
  expect(runs).toEqual([1]);
  pending[0].resolve(10);
  await tick();
  expect(results).toEqual([10]);
  expect(runs).toEqual([1, 9]);
  expect(dropped).toEqual([2, 3, 4, 5, 6, 7, 8]);
  pending[1].resolve(90);
  await tick();
  expect(results).toEqual([10, 90]);
  expect(q.busy).toBe(false);
});

test('a failure is reported and does not stall the queue', async () => {
  const errors: unknown[] = [];
  const results: number[] = [];
  const q = latestOnly<number, number>(
    (n) => (n === 1 ? Promise.reject(new Error('bad frame')) : Promise.resolve(n * 2)),
    (r) => results.push(r),
    (e) => errors.push(e),
  );
  q.request(1);
  q.request(2);
  await tick();
  await tick();
  expect(errors).toHaveLength(1);
  expect(results).toEqual([4]);
});

test('clear forgets the waiting request', async () => {
  const d = deferred<number>();
  const runs: number[] = [];
  const q = latestOnly<number, number>(
    (n) => {
      runs.push(n);
      return n === 1 ? d.promise : Promise.resolve(n);
    },
    () => {},
    () => {},
  );
  q.request(1);
  q.request(2);
  q.clear();
  d.resolve(1);
  await tick();
  expect(runs).toEqual([1]);
});
