// Step fits of many traces kept in flat typed arrays (one segment table for the whole channel),
// so the unit estimate, the counts and the UI's fitted-trace overlay all read the same result.
import type { NoiseModel } from './noiseModel';
import { StepFinder, type StepFinderOptions } from './stepFinder';

export interface StepFitTable {
  nTraces: number;
  /** Segments of trace k are segStart[k] … segStart[k+1]−1. */
  segStart: Int32Array;
  /** First frame of each segment (relative to the trace start). */
  segFrom: Int32Array;
  segLength: Int32Array;
  segLevel: Float64Array;
}

/** Fits every trace of one channel (traces[k · length + i]) with one reusable finder. */
export function fitAllTraces(
  traces: Float64Array,
  nTraces: number,
  length: number,
  options: Omit<StepFinderOptions, 'noise'>,
  noiseOf: (k: number) => NoiseModel,
  onTrace?: (k: number) => void,
): StepFitTable {
  const finder = new StepFinder(length);
  const segStart = new Int32Array(nTraces + 1);
  let from = new Int32Array(Math.max(16, nTraces * 4));
  let len = new Int32Array(from.length);
  let level = new Float64Array(from.length);
  let used = 0;
  for (let k = 0; k < nTraces; k++) {
    const fit = finder.fit(traces, k * length, length, { ...options, noise: noiseOf(k) });
    const segs = fit.steps + 1;
    if (used + segs > from.length) {
      const cap = Math.max(2 * from.length, used + segs);
      from = grow(from, cap);
      len = grow(len, cap);
      level = grow(level, cap);
    }
    let start = 0;
    for (let s = 0; s < segs; s++) {
      from[used + s] = start;
      len[used + s] = fit.lengths[s];
      level[used + s] = fit.levels[s];
      start += fit.lengths[s];
    }
    segStart[k] = used;
    used += segs;
    onTrace?.(k);
  }
  segStart[nTraces] = used;
  return {
    nTraces,
    segStart,
    segFrom: from.slice(0, used),
    segLength: len.slice(0, used),
    segLevel: level.slice(0, used),
  };
}

function grow<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as { new (n: number): T })(cap);
  b.set(a);
  return b;
}

/** Frames needed on each side of the last step before it is trusted as "one molecule to background". */
const MIN_FINAL_SEGMENT = 10;

/**
 * Heights of the final downward step of each trace that ends at background: candidates for the
 * single-molecule unit. The final level must be small next to the step (|final| < 0.3 · step)
 * and observed long enough that it is not a dark blink.
 */
export function finalStepHeights(fits: StepFitTable): Float64Array {
  const out: number[] = [];
  for (let k = 0; k < fits.nTraces; k++) {
    const a = fits.segStart[k];
    const b = fits.segStart[k + 1];
    if (b - a < 2) continue;
    const last = b - 1;
    const h = fits.segLevel[last - 1] - fits.segLevel[last];
    if (h > 0 && Math.abs(fits.segLevel[last]) < 0.3 * h && fits.segLength[last] >= MIN_FINAL_SEGMENT)
      out.push(h);
  }
  return Float64Array.from(out);
}
