// Main-thread side of the session worker (workers/session.api.ts), created on first use.
// Fingerprints are cached per Blob: a File does not change while the page holds it.
// Through the one worker-service helper (workerCalls.ts): a worker that crashes or goes silent
// (the browser may kill it) is replaced and the call redone, instead of autosave waiting for ever.
import type { SessionApi } from '../../workers/session.api';
import { browserWorkerFactory } from './browserWorker';
import { serviceCalls, type WorkerServiceOptions, workerService } from './workerCalls';
import type { PoolCalls, WorkerFactory } from './workerPool';

/**
 * Serialising a large session is one long synchronous call with no heartbeat, so the deadline is
 * generous. A silent worker costs one autosave this long, then it is replaced.
 */
export const SESSION_CALL_TIMEOUT_MS = 120_000;

/** Session calls over workers from `factory`; every call carries all it needs, so it is redone. */
export function sessionCalls(
  factory: WorkerFactory<SessionApi>,
  options: WorkerServiceOptions = {},
): PoolCalls<SessionApi> {
  return serviceCalls(
    workerService(factory, {
      name: 'the session worker',
      redo: true,
      deadlineMs: SESSION_CALL_TIMEOUT_MS,
      ...options,
    }),
  );
}

let calls: PoolCalls<SessionApi> | null = null;

export function sessionWorker(): PoolCalls<SessionApi> {
  calls ??= sessionCalls(
    browserWorkerFactory<SessionApi>(
      () => new Worker(new URL('../../workers/session.worker.ts', import.meta.url), { type: 'module' }),
    ),
  );
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
