// Starts the structures run's helper worker (structuresPart.worker) from inside the movie worker:
// one per run, terminated when the run ends, so a cancelled run leaves nothing behind.
import * as Comlink from 'comlink';
import type { StructuresHelper } from './movie.api';
import type { StructuresPartApi } from './structuresPart.api';

export function spawnStructuresHelper(): StructuresHelper | null {
  // Nested workers exist in every current browser; on one core a second thread only competes.
  if (typeof Worker === 'undefined' || (navigator.hardwareConcurrency ?? 1) < 2) return null;
  const w = new Worker(new URL('./structuresPart.worker.ts', import.meta.url), { type: 'module' });
  const died = new Promise<never>((_, reject) =>
    w.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the structures helper worker stopped: ${e.message || 'script failed to load'}`));
    }),
  );
  died.catch(() => {});
  const api = Comlink.wrap<StructuresPartApi>(w);
  return {
    label: (req, onProgress) => api.label(req, Comlink.proxy(onProgress)),
    died,
    terminate: () => w.terminate(),
  };
}
