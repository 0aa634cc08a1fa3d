// Brownian particles seen by a camera: true positions, noisy detections with missed frames and
// spurious spots, and the ground-truth particle of every detection (−1 for spurious ones).
import { Rng } from '../../../src/core/random';
import type { Detections } from '../../../src/core/spt/types';

export interface SimParams {
  particles: number;
  frames: number;
  fieldNm: number;
  /** D per particle is uniform in [dMin, dMax], µm²/s. */
  dMin: number;
  dMax: number;
  dt: number;
  noiseNm: number;
  missProb: number;
  spuriousPerFrame: number;
  seed: number;
}

export interface Sim {
  det: Detections;
  truth: Int32Array;
  D: Float64Array;
}

export function simulateBrownian(p: SimParams): Sim {
  const r = new Rng(p.seed);
  const px = new Float64Array(p.particles);
  const py = new Float64Array(p.particles);
  const D = new Float64Array(p.particles);
  for (let k = 0; k < p.particles; k++) {
    px[k] = r.uniform() * p.fieldNm;
    py[k] = r.uniform() * p.fieldNm;
    D[k] = p.dMin + (p.dMax - p.dMin) * r.uniform();
  }
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const truth: number[] = [];
  const reflect = (v: number) => (v < 0 ? -v : v > p.fieldNm ? 2 * p.fieldNm - v : v);
  for (let f = 0; f < p.frames; f++) {
    for (let k = 0; k < p.particles; k++) {
      if (f > 0) {
        const s = Math.sqrt(2 * D[k] * 1e6 * p.dt);
        px[k] = reflect(px[k] + s * r.normal());
        py[k] = reflect(py[k] + s * r.normal());
      }
      if (r.uniform() < p.missProb) continue;
      frame.push(f);
      x.push(px[k] + p.noiseNm * r.normal());
      y.push(py[k] + p.noiseNm * r.normal());
      truth.push(k);
    }
    const nSp = r.poisson(p.spuriousPerFrame);
    for (let s = 0; s < nSp; s++) {
      frame.push(f);
      x.push(r.uniform() * p.fieldNm);
      y.push(r.uniform() * p.fieldNm);
      truth.push(-1);
    }
  }
  const n = frame.length;
  return {
    det: {
      length: n,
      frame: Uint32Array.from(frame),
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      intensity: Float64Array.from(truth, (t) => (t < 0 ? 200 : 1000)),
    },
    truth: Int32Array.from(truth),
    D,
  };
}

/** One particle's 2D track: free Brownian, or confined to a disc by reflection. */
export function brownianTrack(
  n: number,
  D: number,
  dt: number,
  noise: number,
  seed: number,
  confineRadius = Number.POSITIVE_INFINITY,
) {
  const r = new Rng(seed);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let tx = 0;
  let ty = 0;
  const s = Math.sqrt(2 * D * 1e6 * dt);
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const nx = tx + s * r.normal();
      const ny = ty + s * r.normal();
      // Rejecting steps that leave the disc keeps the particle confined with the same local D.
      if (nx * nx + ny * ny <= confineRadius * confineRadius) {
        tx = nx;
        ty = ny;
      }
    }
    frame[i] = i;
    x[i] = 10_000 + tx + noise * r.normal();
    y[i] = 10_000 + ty + noise * r.normal();
  }
  return { frame, x, y };
}
