// Test-side generators of EV data with known truth: single bleaching traces, and small TIRF
// frame stacks of EVs on glass (one channel per marker), so the counting kernels can be scored
// against ground truth without waiting for the project's simulator.
import { integratedGaussian1D } from '../../../src/core/psf/integratedGaussian';
import { Rng } from '../../../src/core/random';
import type { FrameSource, PixelArray } from '../../../src/core/stack/types';

export interface TraceSpec {
  molecules: number;
  frames: number;
  /** Mean photons per molecule per frame (the unit step). */
  unit: number;
  /** Molecule-to-molecule brightness spread (coefficient of variation). */
  unitCv?: number;
  /** Mean bleaching time in frames (exponential). */
  tauFrames: number;
  /** Gaussian noise σ added on top of the molecules' Poisson noise (background, read noise). */
  sigma0: number;
}

export interface SimTrace {
  trace: Float64Array;
  /** Bleach time of each molecule in frames (continuous), ascending. */
  bleachTimes: Float64Array;
}

/** Molecule brightness and bleach times; frame i holds the exposure fraction before bleaching. */
export function simulateBleachTrace(rng: Rng, spec: TraceSpec): SimTrace {
  const { molecules, frames, unit, tauFrames, sigma0 } = spec;
  const cv = spec.unitCv ?? 0.1;
  const bright = new Float64Array(molecules);
  const times = new Float64Array(molecules);
  for (let m = 0; m < molecules; m++) {
    bright[m] = unit * Math.max(0.3, 1 + cv * rng.normal());
    times[m] = rng.exponential(tauFrames);
  }
  const trace = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let m = 0; m < molecules; m++) s += bright[m] * Math.min(1, Math.max(0, times[m] - i));
    trace[i] = rng.poisson(s) + sigma0 * rng.normal();
  }
  return { trace, bleachTimes: times.sort() };
}

/** A trace with steps at chosen frames (exact frame boundaries) and chosen heights, Gaussian noise. */
export function stepTrace(
  rng: Rng,
  frames: number,
  levels: number[],
  positions: number[],
  noise: { sigma0: number; gain?: number },
): Float64Array {
  const out = new Float64Array(frames);
  let seg = 0;
  for (let i = 0; i < frames; i++) {
    while (seg < positions.length && i >= positions[seg]) seg++;
    const mu = levels[seg];
    const sd = Math.sqrt(noise.sigma0 * noise.sigma0 + (noise.gain ?? 0) * Math.max(mu, 0));
    out[i] = mu + sd * rng.normal();
  }
  return out;
}

export interface EvTruth {
  /** Centre in pixels, ThunderSTORM convention (pixel i spans [i, i+1)). */
  x: number;
  y: number;
  /** Molecules per channel. */
  molecules: number[];
}

export interface EvStackSpec {
  evs: EvTruth[];
  width: number;
  height: number;
  frames: number;
  channels: number;
  channelNames?: string[];
  /** Mean photons per molecule per frame, per channel. */
  unit: number[];
  unitCv?: number;
  tauFrames: number;
  /** Background photons per pixel per frame. */
  background: number;
  /** PSF σ in pixels. */
  psfSigma: number;
  /** Camera offset in ADU (gain 1 ADU/photon). */
  offset?: number;
  readNoise?: number;
  seed: number;
}

/**
 * An in-memory-free FrameSource: every frame is rendered on demand from the EV list and a
 * per-(frame, channel) random stream, so frames can be read in any order and reproduce exactly.
 */
export function simulatedEvStack(spec: EvStackSpec): FrameSource {
  const { evs, width, height, channels, frames } = spec;
  const half = Math.ceil(4 * spec.psfSigma);
  const patch = 2 * half + 1;
  const nEv = evs.length;
  // Per EV and channel: molecule brightness and bleach times, drawn once from the seed.
  const rng = new Rng(spec.seed, 1);
  const molStart: number[] = [];
  const bright: number[] = [];
  const times: number[] = [];
  for (let c = 0; c < channels; c++) {
    for (let e = 0; e < nEv; e++) {
      molStart.push(bright.length);
      for (let m = 0; m < evs[e].molecules[c]; m++) {
        bright.push(spec.unit[c] * Math.max(0.3, 1 + (spec.unitCv ?? 0.1) * rng.normal()));
        times.push(rng.exponential(spec.tauFrames));
      }
    }
  }
  molStart.push(bright.length);
  // The PSF footprint of each EV is fixed: precompute its pixel weights once.
  const gx = new Float64Array(nEv * patch);
  const gy = new Float64Array(nEv * patch);
  const x0 = new Int32Array(nEv);
  const y0 = new Int32Array(nEv);
  const tmp = new Float64Array(width + height);
  for (let e = 0; e < nEv; e++) {
    x0[e] = Math.floor(evs[e].x) - half;
    y0[e] = Math.floor(evs[e].y) - half;
    integratedGaussian1D(evs[e].x - x0[e], spec.psfSigma, patch, tmp);
    gx.set(tmp.subarray(0, patch), e * patch);
    integratedGaussian1D(evs[e].y - y0[e], spec.psfSigma, patch, tmp);
    gy.set(tmp.subarray(0, patch), e * patch);
  }
  const expected = new Float64Array(width * height);
  return {
    name: 'simulated-evs',
    width,
    height,
    frameCount: frames,
    channels,
    dtype: 'uint16',
    meta: {
      flavour: 'test-sim',
      byteOrder: 'little',
      pixelSizeNm: 100,
      simulated: true,
      channelNames: spec.channelNames,
    },
    async readFrame(index: number, options?: { channel?: number }): Promise<PixelArray> {
      const c = options?.channel ?? 0;
      expected.fill(spec.background);
      for (let e = 0; e < nEv; e++) {
        let s = 0;
        const k = c * nEv + e;
        for (let m = molStart[k]; m < molStart[k + 1]; m++)
          s += bright[m] * Math.min(1, Math.max(0, times[m] - index));
        if (s === 0) continue;
        for (let j = 0; j < patch; j++) {
          const y = y0[e] + j;
          if (y < 0 || y >= height) continue;
          const wy = s * gy[e * patch + j];
          for (let i = 0; i < patch; i++) {
            const x = x0[e] + i;
            if (x >= 0 && x < width) expected[y * width + x] += wy * gx[e * patch + i];
          }
        }
      }
      const r = new Rng(spec.seed, 1000 + index * channels + c);
      const out = new Uint16Array(width * height);
      const off = spec.offset ?? 100;
      const rn = spec.readNoise ?? 0;
      for (let p = 0; p < out.length; p++) {
        const v = r.poisson(expected[p]) + off + (rn > 0 ? rn * r.normal() : 0);
        out[p] = Math.max(0, Math.min(65535, Math.round(v)));
      }
      return out;
    },
  };
}
