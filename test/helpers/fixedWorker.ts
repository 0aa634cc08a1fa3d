import type * as Comlink from 'comlink';
import type { WorkerFactory } from '../../src/engine/workerPool';

/** A worker factory over one in-process comlink endpoint (a MessageChannel port) that never dies. */
export function fixedWorker<Api>(api: Comlink.Remote<Api>): WorkerFactory<Api> {
  return () => ({ api, onDeath: () => {}, terminate: () => {} });
}
