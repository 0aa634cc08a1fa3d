// Main-thread side of the EV-marker worker: one worker, started on first use and restarted if
// it dies; a run can be cancelled through an AbortSignal (forwarded as a cancel call, since
// comlink has no cancellation of its own).
import * as Comlink from 'comlink';
import type {
  EvTraces,
  MarkersApi,
  MarkersClassified,
  MarkersProgress,
  MarkersResult,
  MarkersRunRequest,
  ReclassifyRequest,
} from '../../workers/markers.api';
import { workerCalls } from './workerCalls';

export type {
  EvTraces,
  LocalizationInput,
  MarkersChannelSummary,
  MarkersClassified,
  MarkersProgress,
  MarkersResult,
  MarkersRunRequest,
  ReclassifyRequest,
} from '../../workers/markers.api';

/** The three calls the store needs: a seam for tests and the CLI. */
export interface MarkersBackend {
  run(
    req: MarkersRunRequest,
    onProgress: (p: MarkersProgress) => void,
    signal?: AbortSignal,
  ): Promise<MarkersResult>;
  reclassify(req: ReclassifyRequest): Promise<MarkersClassified>;
  traces(ev: number): Promise<EvTraces>;
}

export { CancelledError } from './workerCalls';

/** A backend over any comlink endpoint to a markers API (a Worker, or a MessagePort in tests). */
export function markersBackend(
  getApi: () => Comlink.Remote<MarkersApi>,
  onDeath?: (l: (e: Error) => void) => void,
): MarkersBackend {
  const { guarded, cancellable } = workerCalls(getApi, onDeath);
  return {
    run: (req, onProgress, signal) =>
      cancellable('The EV count', (api) => api.run(req, Comlink.proxy(onProgress)), signal),
    reclassify: (req) => guarded(() => getApi().reclassify(req)),
    traces: (ev) => guarded(() => getApi().traces(ev)),
  };
}

/** The browser's markers worker, created lazily; a crash rejects what it held and the next call restarts it. */
export function browserMarkersBackend(): MarkersBackend {
  let worker: Worker | null = null;
  let api: Comlink.Remote<MarkersApi> | null = null;
  const deathListeners: ((e: Error) => void)[] = [];
  const getApi = () => {
    if (!api) {
      const w = new Worker(new URL('../../workers/markers.worker.ts', import.meta.url), { type: 'module' });
      w.addEventListener('error', (ev) => {
        w.terminate();
        if (worker === w) {
          worker = null;
          api = null;
        }
        for (const l of deathListeners)
          l(new Error(`the EV-marker worker stopped: ${ev.message || 'script failed to load'}`));
      });
      worker = w;
      api = Comlink.wrap<MarkersApi>(w);
    }
    return api;
  };
  return markersBackend(getApi, (l) => deathListeners.push(l));
}

let service: MarkersBackend | null = null;

/** The app's markers backend (a Web Worker). */
export function markersService(): MarkersBackend {
  service ??= browserMarkersBackend();
  return service;
}
