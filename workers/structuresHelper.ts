// The structures run's helper worker (structuresPart.worker), started from the movie worker.
import * as Comlink from 'comlink';
import { spawnHelperWorker } from './helperWorker';
import type { StructuresHelper } from './movie.api';
import type { StructuresPartApi } from './structuresPart.api';

export function spawnStructuresHelper(): StructuresHelper | null {
  const h = spawnHelperWorker<StructuresPartApi>(
    () => new Worker(new URL('./structuresPart.worker.ts', import.meta.url), { type: 'module' }),
    'structures helper',
  );
  if (!h) return null;
  return {
    label: (req, onProgress) => h.api.label(req, Comlink.proxy(onProgress)),
    died: h.died,
    terminate: h.terminate,
  };
}
