import type * as Comlink from 'comlink';
import { expect, test, vi } from 'vitest';
import { CancelledError, workerCalls } from '../../src/engine/workerCalls';

interface Api {
  cancel(): void;
  slow(): Promise<number>;
}

function fakeApi() {
  let finish: (v: number) => void = () => {};
  let fail: (e: Error) => void = () => {};
  // As the real workers do, a cancelled call rejects with an AbortError.
  const api = {
    cancel: vi.fn(() => fail(new DOMException('aborted', 'AbortError'))),
    slow: () =>
      new Promise<number>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      }),
  };
  return { api: api as unknown as Comlink.Remote<Api>, cancel: api.cancel, finish: (v: number) => finish(v) };
}

test('a dead worker rejects every call still waiting, instead of leaving it hanging', async () => {
  const f = fakeApi();
  let die: (e: Error) => void = () => {};
  const calls = workerCalls<Api>(
    () => f.api,
    (l) => (die = l),
  );
  const p = calls.guarded(() => f.api.slow());
  die(new Error('the worker stopped'));
  await expect(p).rejects.toThrow('the worker stopped');
});

test('aborting forwards cancel() to the worker and rejects with CancelledError naming the work', async () => {
  const f = fakeApi();
  const calls = workerCalls<Api>(() => f.api);
  const ctl = new AbortController();
  const p = calls.cancellable('Tracking', (api) => api.slow(), ctl.signal);
  ctl.abort();
  await expect(p).rejects.toThrow(new CancelledError('Tracking'));
  expect(f.cancel).toHaveBeenCalledOnce();
  // An already-aborted signal never reaches the worker; an unaborted call resolves normally.
  await expect(calls.cancellable('Tracking', (api) => api.slow(), ctl.signal)).rejects.toBeInstanceOf(
    CancelledError,
  );
  const ok = calls.cancellable('Tracking', (api) => api.slow(), new AbortController().signal);
  f.finish(7);
  await expect(ok).resolves.toBe(7);
});
