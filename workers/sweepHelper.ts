// Starts the distance analysis's helper worker (distanceSweep.worker) from inside the tracks
// worker: one per call, terminated when the call ends, so a cancelled run leaves nothing behind.
import * as Comlink from 'comlink';
import type { DistanceSweepApi } from './distanceSweep.api';
import type { SweepHelper } from './tracks.api';

export function spawnSweepHelper(): SweepHelper | null {
  // Nested workers exist in every current browser; on one core a second thread only competes.
  if (typeof Worker === 'undefined' || (navigator.hardwareConcurrency ?? 1) < 2) return null;
  const w = new Worker(new URL('./distanceSweep.worker.ts', import.meta.url), { type: 'module' });
  const died = new Promise<never>((_, reject) =>
    w.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the distance helper worker stopped: ${e.message || 'script failed to load'}`));
    }),
  );
  died.catch(() => {});
  return { api: Comlink.wrap<DistanceSweepApi>(w), died, terminate: () => w.terminate() };
}
