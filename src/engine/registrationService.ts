// Main-thread side of the registration worker: one worker, started on first use and restarted
// if it dies; a fit is cancelled through an AbortSignal (forwarded as a cancel call).
import * as Comlink from 'comlink';
import type {
  RegistrationApi,
  RegistrationFitRequest,
  RegistrationFitResult,
  RegistrationProgress,
} from '../../workers/registration.api';

export type {
  BeadData,
  ChannelFit,
  ChannelFitError,
  RegistrationFitRequest,
  RegistrationFitResult,
  RegistrationMode,
  RegistrationProgress,
} from '../../workers/registration.api';

export interface RegistrationBackend {
  fit(
    req: RegistrationFitRequest,
    onProgress: (p: RegistrationProgress) => void,
    signal?: AbortSignal,
  ): Promise<RegistrationFitResult>;
}

export class RegistrationCancelled extends Error {
  constructor() {
    super('The registration fit was cancelled.');
    this.name = 'RegistrationCancelled';
  }
}

/** A backend over any comlink endpoint to a registration API (a Worker, or a MessagePort in tests). */
export function registrationBackend(
  getApi: () => Comlink.Remote<RegistrationApi>,
  onDeath?: (l: (e: Error) => void) => void,
): RegistrationBackend {
  const pending = new Set<(e: Error) => void>();
  onDeath?.((e) => {
    for (const reject of pending) reject(e);
    pending.clear();
  });
  return {
    fit(req, onProgress, signal) {
      if (signal?.aborted) return Promise.reject(new RegistrationCancelled());
      const api = getApi();
      const onAbort = () => void api.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      return new Promise<RegistrationFitResult>((resolve, reject) => {
        pending.add(reject);
        api
          .fit(req, Comlink.proxy(onProgress))
          .then(resolve, (e: unknown) => reject(signal?.aborted ? new RegistrationCancelled() : e))
          .finally(() => {
            pending.delete(reject);
            signal?.removeEventListener('abort', onAbort);
          });
      });
    },
  };
}

function browserBackend(): RegistrationBackend {
  let api: Comlink.Remote<RegistrationApi> | null = null;
  const deathListeners: ((e: Error) => void)[] = [];
  const getApi = () => {
    if (!api) {
      const w = new Worker(new URL('../../workers/registration.worker.ts', import.meta.url), {
        type: 'module',
      });
      const mine = Comlink.wrap<RegistrationApi>(w);
      w.addEventListener('error', (ev) => {
        w.terminate();
        if (api === mine) api = null;
        for (const l of deathListeners)
          l(new Error(`the registration worker stopped: ${ev.message || 'script failed to load'}`));
      });
      api = mine;
    }
    return api;
  };
  return registrationBackend(getApi, (l) => deathListeners.push(l));
}

let service: RegistrationBackend | null = null;

/** The app's registration backend (a Web Worker). */
export function registrationService(): RegistrationBackend {
  service ??= browserBackend();
  return service;
}
