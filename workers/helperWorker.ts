// Starts a helper worker from inside a worker (the distance sweep's, the structures run's): one
// per call, terminated when the call ends, so a cancelled run leaves nothing behind. `start`
// holds the `new Worker(new URL(…, import.meta.url))` so that Vite bundles the entry.
import * as Comlink from 'comlink';

export interface HelperWorker<Api> {
  api: Comlink.Remote<Api>;
  /** Rejects if the worker stops. */
  died: Promise<never>;
  terminate(): void;
}

export function spawnHelperWorker<Api>(start: () => Worker, what: string): HelperWorker<Api> | null {
  // Nested workers exist in every current browser; on one core a second thread only competes.
  if (typeof Worker === 'undefined' || (navigator.hardwareConcurrency ?? 1) < 2) return null;
  const w = start();
  const died = new Promise<never>((_, reject) =>
    w.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the ${what} worker stopped: ${e.message || 'script failed to load'}`));
    }),
  );
  died.catch(() => {});
  return { api: Comlink.wrap<Api>(w), died, terminate: () => w.terminate() };
}

/**
 * A helper's per-frame progress, passed on at most every 150 ms and at the end: each report
 * crosses the worker boundary.
 */
export function throttledProgress(
  total: number,
  onProgress?: (done: number) => void,
): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = performance.now();
    if (now - last > 150 || done === total) {
      last = now;
      onProgress?.(done);
    }
  };
}
