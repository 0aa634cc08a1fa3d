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
import type { LocalizeParamsInput } from '../core/localize/params';
import { concatLocTables, type LocTable } from '../core/locs/table';
import { browserWorkerFactory } from './browserWorker';
import { LocalizeService, type LocalizeStack } from './localizeService';
import type { ProgressCall, WorkerServiceOptions } from './workerCalls';
import { CancelledError, onFirstUse, progressCall, workerService } from './workerCalls';
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

/** What `detect` is asked: the EV channel of a stack, with the tracking's localizer settings. */
export interface DetectRequest {
  stack: LocalizeStack;
  channel: number;
  params: LocalizeParamsInput;
  signal: AbortSignal;
  onProgress: (p: TracksProgress) => void;
}

/** What the store needs: a seam for tests (a fake, or the API over a MessageChannel). */
export interface TracksBackend {
  /**
   * Finds the channel's spots on a localization pool (every core), so that `track` only links
   * them; absent, `track` detects them itself on one core.
   */
  detect?(req: DetectRequest): Promise<LocTable>;
  track: ProgressCall<TrackingRequest, TracksProgress, TracksResult>;
  importTracks(req: TrackImportRequest): Promise<TracksResult>;
  distances: ProgressCall<DistanceRequest, TracksProgress, DistanceResult>;
}

export { CancelledError };

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

/**
 * Detection of the EV channel on `engine`'s workers: each reads (or, for the demo, generates) its
 * own frames, so the demo's first tracking — its EV frames not cached yet — no longer generates
 * every frame on one core. The same per-frame localizer and parameters as the tracks worker's own
 * detection: the same spots.
 */
export function detectWith(engine: Pick<LocalizeService, 'run'>) {
  return async (req: DetectRequest): Promise<LocTable> => {
    const chunks: LocTable[] = [];
    const t0 = performance.now();
    const r = await engine.run({
      stack: req.stack,
      channel: req.channel,
      params: req.params,
      signal: req.signal,
      onChunk: (t) => chunks.push(t),
      onProgress: (p) =>
        req.onProgress({
          phase: 'detect',
          done: p.framesDone,
          total: p.framesTotal,
          elapsed: (performance.now() - t0) / 1000,
        }),
    });
    if (r.cancelled || req.signal.aborted) throw new CancelledError('Tracking');
    if (r.failedFrame)
      throw new Error(
        `Frame ${r.failedFrame.frame + 1} of channel ${req.channel + 1} could not be read or localized: ${r.failedFrame.message}`,
      );
    return concatLocTables(chunks);
  };
}

/**
 * The app's tracks backend: a Web Worker that links, and a localization pool of its own that
 * detects (a localization run may be going on at the same time, and a pool serves one run's
 * parameters at a time; its workers start on first use and retire when idle).
 */
export const tracksService: () => TracksBackend = onFirstUse(() => ({
  ...browserTracksBackend(),
  detect: detectWith(new LocalizeService()),
}));
