// Pool workers on Node's worker_threads (CLI, bench, tests). Only Node entry points import this
// module; the browser build never sees node:worker_threads.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { RUNNING_FROM_CLI_BUNDLE } from './cliBundle';
import type { PoolWorker, WorkerFactory } from './workerPool';

export interface NodeWorkerOptions {
  /** Passed to the entry as `workerData.data`. */
  data?: unknown;
}

const BOOTSTRAP = new URL('./nodeWorkerBootstrap.mjs', import.meta.url);

/** The prebuilt sibling of a `.ts` worker entry when running from the CLI bundle. */
function workerEntry(entry: URL): URL {
  if (!RUNNING_FROM_CLI_BUNDLE || !entry.pathname.endsWith('.ts')) return entry;
  const name = entry.pathname.slice(entry.pathname.lastIndexOf('/') + 1).replace(/\.ts$/, '.mjs');
  return new URL(`../workers/${name}`, import.meta.url);
}

/**
 * A factory for workers running `entry`. TypeScript entries start through a bootstrap that
 * registers tsx, so the CLI needs no build step.
 */
export function nodeWorkerFactory<Api>(entry: URL, options: NodeWorkerOptions = {}): WorkerFactory<Api> {
  const resolved = workerEntry(entry);
  return (): PoolWorker<Api> => {
    const ts = resolved.pathname.endsWith('.ts');
    const worker = new Worker(ts ? BOOTSTRAP : resolved, {
      workerData: { entry: resolved.href, data: options.data },
    });
    const api = Comlink.wrap<Api>(nodeEndpoint(worker));
    const listeners: ((e: Error) => void)[] = [];
    let terminating = false;
    const died = (e: Error) => {
      for (const l of listeners.splice(0)) l(e);
    };
    worker.on('error', (e) => died(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      if (!terminating) died(new Error(`worker exited with code ${code}`));
    });
    return {
      api,
      onDeath: (l) => listeners.push(l),
      onActivity: (l) => worker.on('message', l),
      terminate: () => {
        terminating = true;
        void worker.terminate();
      },
    };
  };
}

export function nodePoolSize(): number {
  return availableParallelism();
}

/** Workers for localization runs in Node. */
export function localizeNodeWorkerFactory<Api>(): WorkerFactory<Api> {
  return nodeWorkerFactory<Api>(new URL('../../workers/localize.node-worker.ts', import.meta.url));
}
