// Main-thread side of the tracks worker (EV tracking, track import, the distance analysis),
// through the one worker-service helper (workerCalls.ts): started on first use, restarted and the
// call redone after it dies, a silence deadline, a run cancelled by AbortSignal.
import type {
  DistanceRequest,
  DistanceResult,
  TrackImportRequest,
  TrackingRequest,
  TracksApi,
  TracksProgress,
  TracksResult,
} from '../../workers/tracks.api';
import { browserWorkerFactory } from './browserWorker';
import type { ProgressCall, WorkerServiceOptions } from './workerCalls';
import { onFirstUse, progressCall, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

export type {
  CellMask,
  ControlChoice,
  DistanceRequest,
  DistanceResult,
  MovieSettings,
  PalmLocalizations,
  ThresholdChoice,
  TrackFilterParams,
  TrackImportRequest,
  TrackingRequest,
  TracksPhase,
  TracksProgress,
  TracksResult,
} from '../../workers/tracks.api';

/** What the store needs: a seam for tests (a fake, or the API over a MessageChannel). */
export interface TracksBackend {
  track: ProgressCall<TrackingRequest, TracksProgress, TracksResult>;
  importTracks(req: TrackImportRequest): Promise<TracksResult>;
  distances: ProgressCall<DistanceRequest, TracksProgress, DistanceResult>;
}

export { CancelledError } from './workerCalls';

/** A backend over workers from `factory` (browser Workers, or in-process APIs in tests). */
export function tracksBackend(
  factory: WorkerFactory<TracksApi>,
  options: WorkerServiceOptions = {},
): TracksBackend & { terminate(): void } {
  // Every call carries all its input and the worker keeps nothing between calls: redo is safe.
  const worker = workerService(factory, { name: 'the tracks worker', redo: true, ...options });
  return {
    track: progressCall(worker, (api, req, onProgress) => api.track(req, onProgress), 'Tracking'),
    importTracks: (req) => worker.call((api) => api.importTracks(req)),
    distances: progressCall(
      worker,
      (api, req, onProgress) => api.distances(req, onProgress),
      'The distance analysis',
    ),
    terminate: () => worker.terminate(),
  };
}

/** A tracks backend on a worker of its own (the batch runs beside the panel's worker). */
export function browserTracksBackend(): TracksBackend {
  return tracksBackend(
    browserWorkerFactory<TracksApi>(
      () => new Worker(new URL('../../workers/tracks.worker.ts', import.meta.url), { type: 'module' }),
    ),
  );
}

/** The app's tracks backend (a Web Worker). */
export const tracksService: () => TracksBackend = onFirstUse(browserTracksBackend);
