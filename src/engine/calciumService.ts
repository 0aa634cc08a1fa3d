// Main-thread side of the Ca²⁺ worker: one pooled worker with a silence deadline (it beats while
// it reads frames, so 30 s of silence means it is gone, not slow: the pool replaces it and the
// call is retried once), cancellation forwarded as a cancel call to the same worker.
import * as Comlink from 'comlink';
import type {
  CalciumApi,
  CalciumProgressMessage,
  CalciumRunRequest,
  CalciumStackRef,
} from '../../workers/calcium.api';
import type { CalciumResult, Segmentation, SegmentOptions } from '../core/calcium';
import { browserWorkerFactory } from './browserWorker';
import { STALL_TIMEOUT_MS } from './localizeService';
import { CancelledError } from './workerCalls';
import { type WorkerFactory, WorkerPool } from './workerPool';

export type { CalciumProgressMessage, CalciumRunRequest, CalciumStackRef } from '../../workers/calcium.api';
export { CancelledError };

export interface CalciumBackend {
  meanImage(ref: CalciumStackRef, start: number, end: number, count?: number): Promise<Float32Array>;
  segment(image: Float32Array, width: number, height: number, options: SegmentOptions): Promise<Segmentation>;
  run(
    req: CalciumRunRequest,
    onProgress: (p: CalciumProgressMessage) => void,
    signal?: AbortSignal,
  ): Promise<CalciumResult>;
}

export function calciumBackend(
  factory: WorkerFactory<CalciumApi>,
  stallTimeoutMs = STALL_TIMEOUT_MS,
): CalciumBackend & { terminate(): void } {
  const pool = new WorkerPool<CalciumApi>(factory, {
    size: 1,
    maxRetries: 1,
    stallTimeoutMs,
    idleTtlMs: 120_000,
  });
  return {
    meanImage: (ref, start, end, count) => pool.run((api) => api.meanImage(ref, start, end, count)),
    segment: (image, width, height, options) => pool.run((api) => api.segment(image, width, height, options)),
    run(req, onProgress, signal) {
      const what = 'The Ca²⁺ analysis';
      if (signal?.aborted) return Promise.reject(new CancelledError(what));
      const onAbort = () => void pool.run((api) => api.cancel()).catch(() => {});
      signal?.addEventListener('abort', onAbort, { once: true });
      return pool
        .run((api) => api.run(req, Comlink.proxy(onProgress)))
        .catch((e: unknown) => {
          throw signal?.aborted ? new CancelledError(what) : e;
        })
        .finally(() => signal?.removeEventListener('abort', onAbort));
    },
    terminate: () => pool.terminate(),
  };
}

let service: CalciumBackend | null = null;

/** The app's Ca²⁺ backend (a module Web Worker, started on first use). */
export function calciumService(): CalciumBackend {
  service ??= calciumBackend(
    browserWorkerFactory<CalciumApi>(
      () => new Worker(new URL('../../workers/calcium.worker.ts', import.meta.url), { type: 'module' }),
    ),
  );
  return service;
}
