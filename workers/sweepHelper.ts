// The distance analysis's helper worker (distanceSweep.worker), started from the tracks worker.
import type { DistanceSweepApi } from './distanceSweep.api';
import { spawnHelperWorker } from './helperWorker';
import type { SweepHelper } from './tracks.api';

export function spawnSweepHelper(): SweepHelper | null {
  return spawnHelperWorker<DistanceSweepApi>(
    () => new Worker(new URL('./distanceSweep.worker.ts', import.meta.url), { type: 'module' }),
    'distance helper',
  );
}
