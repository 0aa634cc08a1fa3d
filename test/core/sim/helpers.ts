import type { SimulationParams } from '../../../src/core/sim/params';
import { CAMERA_PRESETS, presetParams } from '../../../src/core/sim/presets';

/** A small isolated-emitter simulation, edited by `edit`. */
export function smallIsolated(edit: (p: SimulationParams) => void = () => {}): SimulationParams {
  const p = presetParams('isolated');
  p.width = 32;
  p.height = 32;
  p.frames = 50;
  p.camera = { ...CAMERA_PRESETS.ccd };
  edit(p);
  return p;
}

export function setEmitters(p: SimulationParams, n: number): void {
  if (p.scene.kind !== 'isolated') throw new Error('not an isolated scene');
  p.scene.emittersPerFrame = n;
}

/** Per-pixel sample mean and (unbiased) variance over frames. */
export function pixelMoments(frames: Uint16Array[]): { mean: Float64Array; variance: Float64Array } {
  const n = frames[0].length;
  const s = new Float64Array(n);
  const ss = new Float64Array(n);
  for (const f of frames) {
    for (let i = 0; i < n; i++) {
      s[i] += f[i];
      ss[i] += f[i] * f[i];
    }
  }
  const k = frames.length;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mean[i] = s[i] / k;
    variance[i] = (ss[i] - k * mean[i] * mean[i]) / (k - 1);
  }
  return { mean, variance };
}

export function average(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
