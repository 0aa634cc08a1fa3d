// Main-thread side of the movie worker, through the one worker-service helper (workerCalls.ts):
// forwards localization chunks (copies of the four columns the movie needs, transferred), and runs
// its long jobs with progress callbacks and cancellation by job id. A dead or silent worker
// rejects everything pending and is restarted on next use.
import * as Comlink from 'comlink';
import type {
  AnalyseRequest,
  FrameRequest,
  LocChunk,
  MovieApi,
  MovieConfig,
  MovieStatus,
  RenderedMovieFrame,
  StructureResult,
  TiffExportOptions,
} from '../../workers/movie.api';
import type { LocTable } from '../core/locs/table';
import { browserWorkerFactory } from './browserWorker';
import { type WorkerService, type WorkerServiceOptions, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

export type {
  AnalyseRequest,
  FrameRequest,
  MovieConfig,
  MovieStatus,
  Overlay,
  RenderedMovieFrame,
  StructureResult,
} from '../../workers/movie.api';

export type ProgressFn = (done: number, total: number) => void;

/** Copies the columns a movie needs out of a chunk; x/y/frame are converted if stored narrower. */
export function movieChunk(t: LocTable): LocChunk {
  const { frame, x, y, precision } = t.columns;
  if (!frame || !x || !y) throw new Error('localizations need frame, x and y columns');
  return {
    length: t.length,
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: precision ? Float32Array.from(precision) : undefined,
  };
}

function transferables(c: LocChunk): Transferable[] {
  const list: Transferable[] = [c.frame.buffer, c.x.buffer, c.y.buffer];
  if (c.precision) list.push(c.precision.buffer);
  return list;
}

/** The browser's movie workers (a lane of the experiment batch makes a service of its own). */
const movieWorkers = browserWorkerFactory<MovieApi>(
  () => new Worker(new URL('../../workers/movie.worker.ts', import.meta.url), { type: 'module' }),
);

export class MovieService {
  private readonly worker: WorkerService<MovieApi>;
  private job = 0;
  /** Called when the worker died (the movie is gone). */
  onCrash: ((message: string) => void) | null = null;

  constructor(factory: WorkerFactory<MovieApi> = movieWorkers, options: WorkerServiceOptions = {}) {
    // Not redone: the worker holds the movie's localizations.
    // Appending a large chunk and a frame's structure labelling are single steps that do not beat.
    this.worker = workerService(factory, { name: 'the movie worker', deadlineMs: 60_000, ...options });
    this.worker.onDeath((e) => this.onCrash?.(e.message));
  }

  private call<T>(f: (api: Comlink.Remote<MovieApi>) => Promise<T>): Promise<T> {
    return this.worker.call(f);
  }

  /** A long job by id: `cancel()` rejects it at once (CancelledError) and stops the worker's loop. */
  private longJob<T>(what: string, f: (api: Comlink.Remote<MovieApi>, job: number) => Promise<T>) {
    const job = ++this.job;
    const ctl = new AbortController();
    const promise = this.worker.call((api) => f(api, job), {
      signal: ctl.signal,
      what,
      cancel: (api) => api.cancel(job),
    });
    return { promise, cancel: () => ctl.abort() };
  }

  configure(c: MovieConfig): Promise<MovieStatus> {
    return this.call((api) => api.configure(c));
  }

  append(table: LocTable): Promise<MovieStatus> {
    const chunk = movieChunk(table);
    return this.call((api) => api.append(Comlink.transfer(chunk, transferables(chunk))));
  }

  setLocalizedFrames(n: number): Promise<MovieStatus> {
    return this.call((api) => api.setLocalizedFrames(n));
  }

  contrast(sampleFrames?: number, highPct?: number): Promise<{ min: number; max: number }> {
    return this.call((api) => api.contrast(sampleFrames, highPct));
  }

  renderFrame(req: FrameRequest): Promise<RenderedMovieFrame> {
    return this.call((api) => api.renderFrame(req));
  }

  valueAt(frame: number, x: number, y: number): Promise<number | null> {
    return this.call((api) => api.valueAt(frame, x, y));
  }

  frameStats(frame: number) {
    return this.call((api) => api.frameStats(frame));
  }

  otsu(sampleFrames: number, smoothSigmaPx: number): Promise<number> {
    return this.call((api) => api.otsu(sampleFrames, smoothSigmaPx));
  }

  /** Starts a cancellable job; `cancel()` on the handle stops it between frames. */
  analyse(req: AnalyseRequest, onProgress: ProgressFn) {
    return this.longJob<StructureResult>('The structure analysis', (api, job) =>
      api.analyse(req, job, Comlink.proxy(onProgress)),
    );
  }

  exportTiff(kind: 'movie' | 'mask' | 'labels', opts: TiffExportOptions, onProgress: ProgressFn) {
    return this.longJob<Blob>('The TIFF export', (api, job) =>
      api.exportTiff(kind, opts, job, Comlink.proxy(onProgress)),
    );
  }
}

/** The app's one movie worker. */
export const movieService = new MovieService();
