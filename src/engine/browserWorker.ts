// Pool workers in the browser: a module Worker wrapped by comlink. `make` must contain the literal
// `new Worker(new URL('…', import.meta.url), { type: 'module' })` so Vite bundles the entry.
import * as Comlink from 'comlink';
import type { PoolWorker, WorkerFactory } from './workerPool';

export function browserWorkerFactory<Api>(make: () => Worker): WorkerFactory<Api> {
  return (): PoolWorker<Api> => {
    const worker = make();
    const api = Comlink.wrap<Api>(worker);
    const listeners: ((e: Error) => void)[] = [];
    const died = (e: Error) => {
      for (const l of listeners.splice(0)) l(e);
    };
    // An uncaught error or a failed script load leaves the worker unable to answer.
    worker.addEventListener('error', (ev) =>
      died(new Error(`worker error: ${ev.message || 'script failed to load'}`)),
    );
    worker.addEventListener('messageerror', () => died(new Error('worker could not deserialize a message')));
    return {
      api,
      onDeath: (l) => listeners.push(l),
      onActivity: (l) => worker.addEventListener('message', l),
      terminate: () => worker.terminate(),
    };
  };
}

/** Workers for localization runs in the browser. */
export function localizeWorkerFactory<Api>(): WorkerFactory<Api> {
  return browserWorkerFactory<Api>(
    () => new Worker(new URL('../../workers/localize.worker.ts', import.meta.url), { type: 'module' }),
  );
}
