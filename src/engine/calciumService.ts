// Main-thread side of the Ca²⁺ worker, through the one worker-service helper (workerCalls.ts): a
// silence deadline (it beats while it reads frames, so 30 s of silence means it is gone, not slow:
// it is replaced and the call redone once), cancellation forwarded to the same worker.
import * as Comlink from 'comlink';
import type {
  CalciumApi,
  CalciumProgressMessage,
  CalciumRunRequest,
  CalciumStackRef,
} from '../../workers/calcium.api';
import type { CalciumResult, Segmentation, SegmentOptions } from '../core/calcium';
import { browserWorkerFactory } from './browserWorker';
import { CancelledError, SILENCE_DEADLINE_MS, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

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
  stallTimeoutMs = SILENCE_DEADLINE_MS,
): CalciumBackend & { terminate(): void } {
  // Every call carries its stack reference and the worker keeps nothing: redo is safe.
  const worker = workerService(factory, {
    name: 'the Ca²⁺ worker',
    redo: true,
    deadlineMs: stallTimeoutMs,
    idleTtlMs: 120_000,
  });
  return {
    meanImage: (ref, start, end, count) => worker.call((api) => api.meanImage(ref, start, end, count)),
    segment: (image, width, height, options) =>
      worker.call((api) => api.segment(image, width, height, options)),
    run: (req, onProgress, signal) =>
      worker.call((api) => api.run(req, Comlink.proxy(onProgress)), { signal, what: 'The Ca²⁺ analysis' }),
    terminate: () => worker.terminate(),
  };
}

/** A Ca²⁺ backend on its own module Web Worker (the panel's, or a batch lane's). */
export function browserCalciumBackend(): CalciumBackend & { terminate(): void } {
  return calciumBackend(
    browserWorkerFactory<CalciumApi>(
      () => new Worker(new URL('../../workers/calcium.worker.ts', import.meta.url), { type: 'module' }),
    ),
  );
}

let service: CalciumBackend | null = null;

/** The app's Ca²⁺ backend (a module Web Worker, started on first use). */
export function calciumService(): CalciumBackend {
  service ??= browserCalciumBackend();
  return service;
}
