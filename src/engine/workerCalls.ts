// Plumbing every worker service needs, because comlink has neither: calls that reject when the
// worker dies (instead of hanging forever), and cancellation of a long call through an
// AbortSignal, forwarded to the worker as a `cancel()` call.
import type * as Comlink from 'comlink';

export class CancelledError extends Error {
  /** `what` reads as a sentence subject: "The EV count", "Tracking". */
  constructor(what: string) {
    super(`${what} was cancelled.`);
    this.name = 'CancelledError';
  }
}

export interface WorkerCalls<Api extends { cancel(): unknown }> {
  /** Runs a call that rejects if the worker dies before answering. */
  guarded<T>(call: () => Promise<T>): Promise<T>;
  /** As `guarded`, and an abort of `signal` cancels the call; it then rejects with CancelledError. */
  cancellable<T>(
    what: string,
    call: (api: Comlink.Remote<Api>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
}

export function workerCalls<Api extends { cancel(): unknown }>(
  getApi: () => Comlink.Remote<Api>,
  onDeath?: (listener: (e: Error) => void) => void,
): WorkerCalls<Api> {
  const pending = new Set<(e: Error) => void>();
  onDeath?.((e) => {
    for (const reject of pending) reject(e);
    pending.clear();
  });
  const guarded = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.add(reject);
      call()
        .then(resolve, reject)
        .finally(() => pending.delete(reject));
    });
  return {
    guarded,
    cancellable(what, call, signal) {
      if (signal?.aborted) return Promise.reject(new CancelledError(what));
      const api = getApi();
      const onAbort = () => void api.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      return guarded(() => call(api))
        .catch((e: unknown) => {
          throw signal?.aborted ? new CancelledError(what) : e;
        })
        .finally(() => signal?.removeEventListener('abort', onAbort));
    },
  };
}
