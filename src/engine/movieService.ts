// Main-thread side of the movie worker: starts it, forwards localization chunks (copies of the
// four columns the movie needs, transferred), and runs its long jobs with progress callbacks and
// cancellation by job id. A dead worker rejects everything pending and is restarted on next use.

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

export class MovieService {
  private worker: Worker | null = null;
  private api: Comlink.Remote<MovieApi> | null = null;
  private readonly pending = new Set<(e: Error) => void>();
  private job = 0;
  /** Called when the worker died (the movie is gone). */
  onCrash: ((message: string) => void) | null = null;

  private remote(): Comlink.Remote<MovieApi> {
    if (!this.api) {
      const worker = new Worker(new URL('../../workers/movie.worker.ts', import.meta.url), {
        type: 'module',
      });
      worker.addEventListener('error', (e) => this.crashed(e.message || 'the movie worker failed'));
      this.worker = worker;
      this.api = Comlink.wrap<MovieApi>(worker);
    }
    return this.api;
  }

  private crashed(message: string) {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    for (const reject of this.pending) reject(new Error(`movie worker stopped: ${message}`));
    this.pending.clear();
    this.onCrash?.(message);
  }

  private call<T>(f: (api: Comlink.Remote<MovieApi>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      f(this.remote())
        .then(resolve, reject)
        .finally(() => this.pending.delete(reject));
    });
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
    const job = ++this.job;
    const promise = this.call<StructureResult>((api) => api.analyse(req, job, Comlink.proxy(onProgress)));
    return { promise, cancel: () => void this.api?.cancel(job) };
  }

  exportTiff(kind: 'movie' | 'mask' | 'labels', opts: TiffExportOptions, onProgress: ProgressFn) {
    const job = ++this.job;
    const promise = this.call<Blob>((api) => api.exportTiff(kind, opts, job, Comlink.proxy(onProgress)));
    return { promise, cancel: () => void this.api?.cancel(job) };
  }
}

/** The app's one movie worker. */
export const movieService = new MovieService();
