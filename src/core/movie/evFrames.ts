// Which raw frames of the EV channel go under movie frame n. 'raw': the single frame at the
// window's centre, nS + ⌊(W−1)/2⌋. 'mean': the mean of the S raw frames of the block that holds
// the centre (block b = raw frames [bS, (b+1)S), b = n + movieBlockOffset(S, W)), the same block
// the EV tracks are averaged over (core/spt/blocks.ts), so the EV image, the EV positions and the
// movie stay in step, and the EV image is S× less noisy without blurring it over the whole window.
import { movieBlockOffset } from '../spt/blocks';
import type { PixelArray } from '../stack/types';
import type { MovieWindow } from './window';

export type EvLayerMode = 'raw' | 'mean';

/** Raw frames [start, start + count) shown as the EV layer of movie frame n (clipped to the stack). */
export function evFramesFor(
  n: number,
  w: MovieWindow,
  rawFrames: number,
  mode: EvLayerMode,
): { start: number; count: number } {
  const last = Math.max(0, rawFrames - 1);
  if (mode === 'raw') return { start: Math.min(last, n * w.step + Math.floor((w.window - 1) / 2)), count: 1 };
  const start = Math.min(last, (n + movieBlockOffset(w.step, w.window)) * w.step);
  return { start, count: Math.max(1, Math.min(w.step, rawFrames - start)) };
}

/** Pixel-wise mean of equally sized frames, as float32. */
export function meanOfFrames(frames: readonly PixelArray[], out?: Float32Array): Float32Array {
  if (frames.length === 0) throw new Error('no frames to average');
  const n = frames[0].length;
  const acc = new Float64Array(n);
  for (const f of frames) {
    if (f.length !== n) throw new Error('frames to average differ in size');
    for (let i = 0; i < n; i++) acc[i] += f[i];
  }
  const o = out && out.length === n ? out : new Float32Array(n);
  const k = 1 / frames.length;
  for (let i = 0; i < n; i++) o[i] = acc[i] * k;
  return o;
}
