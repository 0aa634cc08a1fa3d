// Timing of a FrameSource's sequential reads, shared by the Node bench and the browser bench.
import type { FrameSource } from './types';

export interface StackReadBench {
  frames: number;
  seconds: number;
  framesPerSecond: number;
  megabytesPerSecond: number;
  /** Sum of all pixels read, so the reads cannot be optimised away and runs can be compared. */
  checksum: number;
}

export async function benchReadStack(
  source: FrameSource,
  options: { frames?: number; signal?: AbortSignal } = {},
): Promise<StackReadBench> {
  const n = Math.min(options.frames ?? source.frameCount, source.frameCount);
  let checksum = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const f = await source.readFrame(k, { signal: options.signal });
    checksum += f[k % f.length];
    bytes += f.byteLength;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    frames: n,
    seconds,
    framesPerSecond: n / seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    checksum,
  };
}
