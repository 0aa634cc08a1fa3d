// Main-thread side of the registration worker, through the one worker-service helper
// (workerCalls.ts): started on first use, restarted and the fit redone after it dies, a silence
// deadline, a fit cancelled by AbortSignal (CancelledError).
import type {
  RegistrationApi,
  RegistrationFitRequest,
  RegistrationFitResult,
  RegistrationProgress,
} from '../../workers/registration.api';
import { browserWorkerFactory } from './browserWorker';
import type { ProgressCall, WorkerServiceOptions } from './workerCalls';
import { onFirstUse, progressCall, workerService } from './workerCalls';
import type { WorkerFactory } from './workerPool';

export type {
  BeadData,
  ChannelFit,
  ChannelFitError,
  RegistrationFitRequest,
  RegistrationFitResult,
  RegistrationMode,
  RegistrationProgress,
} from '../../workers/registration.api';

export { CancelledError } from './workerCalls';

export interface RegistrationBackend {
  fit: ProgressCall<RegistrationFitRequest, RegistrationProgress, RegistrationFitResult>;
}

/** A backend over workers from `factory` (browser Workers, or in-process APIs in tests). */
export function registrationBackend(
  factory: WorkerFactory<RegistrationApi>,
  options: WorkerServiceOptions = {},
): RegistrationBackend & { terminate(): void } {
  // A fit carries its beads and the worker keeps nothing: redo is safe.
  const worker = workerService(factory, { name: 'the registration worker', redo: true, ...options });
  return {
    fit: progressCall(worker, (api, req, onProgress) => api.fit(req, onProgress), 'The registration fit'),
    terminate: () => worker.terminate(),
  };
}

/** The app's registration backend (a Web Worker). */
export const registrationService: () => RegistrationBackend = onFirstUse(() =>
  registrationBackend(
    browserWorkerFactory<RegistrationApi>(
      () => new Worker(new URL('../../workers/registration.worker.ts', import.meta.url), { type: 'module' }),
    ),
  ),
);
