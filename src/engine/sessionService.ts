// Main-thread side of the session worker (workers/session.api.ts), created on first use.
// Fingerprints are cached per Blob: a File does not change while the page holds it.
// The worker runs in a one-worker pool, so a worker that crashes or goes silent (the browser
// may kill it) is replaced and the call redone, instead of autosave waiting on it for ever.
import type { SessionApi } from '../../workers/session.api';
import { browserWorkerFactory } from './browserWorker';
import { type PoolCalls, poolCalls, WorkerPool } from './workerPool';

/**
 * The session worker sends no heartbeats: serialising a large session is one long call, so its
 * deadline is generous. A silent worker costs one autosave this long, then it is replaced.
 */
export const SESSION_CALL_TIMEOUT_MS = 120_000;

let calls: PoolCalls<SessionApi> | null = null;

export function sessionWorker(): PoolCalls<SessionApi> {
  if (!calls) {
    const pool = new WorkerPool<SessionApi>(
      browserWorkerFactory<SessionApi>(
        () => new Worker(new URL('../../workers/session.worker.ts', import.meta.url), { type: 'module' }),
      ),
      { size: 1, maxRetries: 1, stallTimeoutMs: SESSION_CALL_TIMEOUT_MS },
    );
    calls = poolCalls(pool);
  }
  return calls;
}

const fingerprints = new WeakMap<Blob, Promise<string | null>>();

/** The input's content fingerprint, or null when the file can no longer be read. */
export function fingerprintBlob(blob: Blob): Promise<string | null> {
  let p = fingerprints.get(blob);
  if (!p) {
    p = sessionWorker()
      .fingerprint(blob)
      .catch(() => null);
    fingerprints.set(blob, p);
  }
  return p;
}
