// EV marker counting benchmarks: splice `evCases` into the list in bench/cases.ts.
import { estimateConstantNoise } from '../src/core/ev/noiseModel';
import { StepFinder, type StepMethod } from '../src/core/ev/stepFinder';
import { Rng } from '../src/core/random';
import type { BenchCase } from './types';

const N_TRACES = 10_000;
const FRAMES = 500;

/**
 * 10,000 bleaching traces of 500 frames (1–15 molecules of 300 photons, τ = 100 frames, shot
 * noise + σ0 = 20), as a 2,500-EV × 4-channel experiment would produce; built once per run.
 */
function makeTraces(): Float64Array {
  const rng = new Rng(2024);
  const out = new Float64Array(N_TRACES * FRAMES);
  const times = new Float64Array(15);
  for (let k = 0; k < N_TRACES; k++) {
    const m = 1 + (k % 15);
    for (let j = 0; j < m; j++) times[j] = rng.exponential(100);
    for (let i = 0; i < FRAMES; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += 300 * Math.min(1, Math.max(0, times[j] - i));
      out[k * FRAMES + i] = rng.poisson(s) + 20 * rng.normal();
    }
  }
  return out;
}

function stepCase(method: StepMethod): BenchCase {
  return {
    name: `ev-step-finding-${method}`,
    where: ['node', 'browser'],
    async run() {
      const traces = makeTraces();
      const finder = new StepFinder(FRAMES);
      const noise = { sigma0: 20, gain: 1 };
      let steps = 0;
      const t0 = performance.now();
      for (let k = 0; k < N_TRACES; k++)
        steps += finder.fit(traces, k * FRAMES, FRAMES, { noise, method }).steps;
      const ms = performance.now() - t0;
      // Per-trace noise estimation is the other per-trace cost of the 'constant' noise setting.
      const t1 = performance.now();
      let s = 0;
      for (let k = 0; k < 1000; k++) s += estimateConstantNoise(traces, k * FRAMES, FRAMES).sigma0;
      const msNoise = performance.now() - t1;
      return {
        'traces/s': (N_TRACES / ms) * 1000,
        'ms/trace': ms / N_TRACES,
        'steps/trace': steps / N_TRACES,
        'noise-estimates/s': (1000 / msNoise) * 1000,
        checksum: Math.round(s),
      };
    },
  };
}

export const evCases: BenchCase[] = [stepCase('pelt'), stepCase('binary')];
