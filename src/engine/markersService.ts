// Main-thread side of the EV-marker worker, through the one worker-service helper (workerCalls.ts):
// started on first use, restarted after it dies, a silence deadline, a run cancelled by AbortSignal.
import type * as M from '../../workers/markers.api';
import { browserWorkerFactory } from './browserWorker';
import type { ProgressCall, WorkerServiceOptions } from './workerCalls';
import { onFirstUse, progressCall, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

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
  run: ProgressCall<M.MarkersRunRequest, M.MarkersProgress, M.MarkersResult>;
  reclassify(req: M.ReclassifyRequest): Promise<M.MarkersClassified>;
  traces(ev: number): Promise<M.EvTraces>;
}

export { CancelledError } from './workerCalls';

/** A backend over workers from `factory` (browser Workers, or in-process APIs in tests). */
export function markersBackend(
  factory: WorkerFactory<M.MarkersApi>,
  options: WorkerServiceOptions = {},
): MarkersBackend & { terminate(): void } {
  // Not redone: reclassify and traces read the result the dead worker held.
  const worker = workerService(factory, { name: 'the EV-marker worker', ...options });
  return {
    run: progressCall(worker, (api, req, onProgress) => api.run(req, onProgress), 'The EV count'),
    reclassify: (req) => worker.call((api) => api.reclassify(req)),
    traces: (ev) => worker.call((api) => api.traces(ev)),
    terminate: () => worker.terminate(),
  };
}

/** A markers backend on a browser worker of its own (the experiment batch runs beside the panel's). */
export function browserMarkersBackend(): MarkersBackend {
  return markersBackend(
    browserWorkerFactory<M.MarkersApi>(
      () => new Worker(new URL('../../workers/markers.worker.ts', import.meta.url), { type: 'module' }),
    ),
  );
}

/** The app's markers backend (a Web Worker). */
export const markersService: () => MarkersBackend = onFirstUse(browserMarkersBackend);
