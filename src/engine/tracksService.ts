// Main-thread side of the tracks worker (EV tracking, track import, the distance analysis): one
// worker, started on first use and restarted if it dies. A run is cancelled through an
// AbortSignal, forwarded as a cancel call (comlink has no cancellation of its own).
import * as Comlink from 'comlink';
import type {
  DistanceRequest,
  DistanceResult,
  TrackImportRequest,
  TrackingRequest,
  TracksApi,
  TracksProgress,
  TracksResult,
} from '../../workers/tracks.api';
import { workerCalls } from './workerCalls';

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
  track(
    req: TrackingRequest,
    onProgress: (p: TracksProgress) => void,
    signal?: AbortSignal,
  ): Promise<TracksResult>;
  importTracks(req: TrackImportRequest): Promise<TracksResult>;
  distances(
    req: DistanceRequest,
    onProgress: (p: TracksProgress) => void,
    signal?: AbortSignal,
  ): Promise<DistanceResult>;
}

export { CancelledError } from './workerCalls';

/** A backend over any comlink endpoint to a tracks API (a Worker, or a MessagePort in tests). */
export function tracksBackend(
  getApi: () => Comlink.Remote<TracksApi>,
  onDeath?: (l: (e: Error) => void) => void,
): TracksBackend {
  const { guarded, cancellable } = workerCalls(getApi, onDeath);
  return {
    track: (req, onProgress, signal) =>
      cancellable('Tracking', (api) => api.track(req, Comlink.proxy(onProgress)), signal),
    importTracks: (req) => guarded(() => getApi().importTracks(req)),
    distances: (req, onProgress, signal) =>
      cancellable('The distance analysis', (api) => api.distances(req, Comlink.proxy(onProgress)), signal),
  };
}

/** A tracks backend on a worker of its own (the batch runs beside the panel's worker). */
export function browserTracksBackend(): TracksBackend {
  let worker: Worker | null = null;
  let api: Comlink.Remote<TracksApi> | null = null;
  const deathListeners: ((e: Error) => void)[] = [];
  const getApi = () => {
    if (!api) {
      const w = new Worker(new URL('../../workers/tracks.worker.ts', import.meta.url), { type: 'module' });
      w.addEventListener('error', (ev) => {
        w.terminate();
        if (worker === w) {
          worker = null;
          api = null;
        }
        for (const l of deathListeners)
          l(new Error(`the tracks worker stopped: ${ev.message || 'script failed to load'}`));
      });
      worker = w;
      api = Comlink.wrap<TracksApi>(w);
    }
    return api;
  };
  return tracksBackend(getApi, (l) => deathListeners.push(l));
}

let service: TracksBackend | null = null;

/** The app's tracks backend (a Web Worker). */
export function tracksService(): TracksBackend {
  service ??= browserTracksBackend();
  return service;
}
