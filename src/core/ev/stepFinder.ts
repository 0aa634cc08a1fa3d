// Photobleaching step finder: the trace is modelled as a piecewise-constant mean with Gaussian
// noise whose variance follows the NoiseModel (it may grow with the level, so bleaching traces
// get quieter as they step down). Among all segmentations we pick the one minimising
//   −2 ln L + penalty × (number of steps),
// an information criterion in the spirit of Kalafut & Visscher (2008) but with the exact
// optimum found by dynamic programming over change points, pruned as in PELT (Killick et al.
// 2012), instead of their greedy search; greedy binary segmentation is kept as a faster option.
import type { NoiseModel } from './noiseModel';

export type StepMethod = 'pelt' | 'binary';

export interface StepFinderOptions {
  noise: NoiseModel;
  /**
   * Cost of one extra step in −2 ln L units. Default: penaltyFactor · 2 ln n, i.e. BIC with
   * each step costing two parameters (its position and its new level), scaled by penaltyFactor.
   */
  penalty?: number;
  /** Multiplies the BIC penalty; ignored when `penalty` is given. */
  penaltyFactor?: number;
  /** Shortest segment in frames: 2 keeps a frame caught mid-bleach from becoming its own level. */
  minSegment?: number;
  /**
   * Shortest first segment (default: minSegment). 1 lets a dye that bleaches during the first
   * frame(s) of the illumination show as its own level: its light is in frame 0 only, and
   * averaging it into frame 1 halves the step (a molecule lost at every EV where it happens).
   */
  minFirstSegment?: number;
  method?: StepMethod;
}

/** Default multiplier of the BIC penalty, chosen so flat traces rarely grow a false step. */
export const DEFAULT_PENALTY_FACTOR = 1.5;

/** Segmentation of one trace: `steps` change points and `steps + 1` levels. */
export interface StepFit {
  steps: number;
  /** First frame of each new level (relative to the trace start), ascending. */
  positions: Int32Array;
  /** Mean of each segment; levels[0] is the initial level, levels[steps] the final one. */
  levels: Float64Array;
  /** Segment lengths in frames. */
  lengths: Int32Array;
}

/**
 * Reusable step finder: allocates its workspace once for traces up to `maxLength` frames, so
 * running it over thousands of traces costs no allocation per trace.
 */
export class StepFinder {
  private readonly p1: Float64Array;
  private readonly p2: Float64Array;
  private readonly best: Float64Array;
  private readonly last: Int32Array;
  private readonly cand: Int32Array;
  private readonly candCost: Float64Array;
  private readonly stack: Int32Array;
  private readonly cps: Int32Array;
  private v0 = 1;
  private g = 0;
  private readonly out: StepFit;

  constructor(readonly maxLength: number) {
    this.p1 = new Float64Array(maxLength + 1);
    this.p2 = new Float64Array(maxLength + 1);
    this.best = new Float64Array(maxLength + 1);
    this.last = new Int32Array(maxLength + 1);
    this.cand = new Int32Array(maxLength + 1);
    this.candCost = new Float64Array(maxLength + 1);
    this.stack = new Int32Array(2 * (maxLength + 1));
    this.cps = new Int32Array(maxLength + 1);
    this.out = {
      steps: 0,
      positions: new Int32Array(maxLength),
      levels: new Float64Array(maxLength + 1),
      lengths: new Int32Array(maxLength + 1),
    };
  }

  /**
   * Segments trace[offset … offset+length). The returned object and its arrays belong to the
   * finder and are overwritten by the next call: copy what you keep.
   */
  fit(trace: ArrayLike<number>, offset: number, length: number, options: StepFinderOptions): StepFit {
    if (length > this.maxLength) throw new RangeError(`trace of ${length} frames exceeds ${this.maxLength}`);
    const { noise } = options;
    const minSeg = Math.max(1, Math.floor(options.minSegment ?? 2));
    const minFirst = Math.max(1, Math.floor(options.minFirstSegment ?? minSeg));
    const penalty =
      options.penalty ??
      (options.penaltyFactor ?? DEFAULT_PENALTY_FACTOR) * 2 * Math.log(Math.max(length, 2));
    this.v0 = Math.max(noise.sigma0 * noise.sigma0, Number.MIN_VALUE);
    this.g = Math.max(noise.gain, 0);
    const { p1, p2 } = this;
    p1[0] = 0;
    p2[0] = 0;
    // Prefix sums about the first value keep S2 − S1²/n accurate for bright, nearly flat traces.
    const ref = length > 0 ? trace[offset] : 0;
    for (let i = 0; i < length; i++) {
      const x = trace[offset + i] - ref;
      p1[i + 1] = p1[i] + x;
      p2[i + 1] = p2[i] + x * x;
    }
    let nCps: number;
    if (length < minFirst + minSeg) nCps = 0;
    else if ((options.method ?? 'pelt') === 'pelt') nCps = this.pelt(length, minSeg, minFirst, penalty, ref);
    else nCps = this.binary(length, minSeg, minFirst, penalty, ref);
    const out = this.out;
    out.steps = nCps;
    let start = 0;
    for (let k = 0; k <= nCps; k++) {
      const end = k < nCps ? this.cps[k] : length;
      if (k < nCps) out.positions[k] = end;
      out.levels[k] = (p1[end] - p1[start]) / (end - start) + ref;
      out.lengths[k] = end - start;
      start = end;
    }
    return out;
  }

  /** −2 ln L (without 2π) of frames [a, b) around their mean, variance from the model. */
  private cost(a: number, b: number, ref: number): number {
    const n = b - a;
    const s1 = this.p1[b] - this.p1[a];
    const mu = s1 / n;
    const rss = Math.max(this.p2[b] - this.p2[a] - s1 * mu, 0);
    const level = mu + ref;
    const v = this.v0 + (level > 0 ? this.g * level : 0);
    return this.g > 0 ? rss / v + n * Math.log(v) : rss / v;
  }

  /** Exact optimal partitioning with PELT pruning; fills cps, returns their number. */
  private pelt(n: number, minSeg: number, minFirst: number, penalty: number, ref: number): number {
    const { best, last, cand, candCost, cps } = this;
    best[0] = -penalty;
    let nc = 1;
    cand[0] = 0;
    const minOf = (tau: number) => (tau === 0 ? minFirst : minSeg);
    for (let t = 1; t <= n; t++) {
      // τ becomes a usable change point once its own segment [.., τ) is long enough; it is
      // first evaluated when the segment after it reaches minSeg.
      const fresh = t - minSeg;
      if (fresh >= Math.max(1, minFirst)) cand[nc++] = fresh;
      if (t < Math.min(minSeg, minFirst)) {
        best[t] = Number.POSITIVE_INFINITY;
        continue;
      }
      let bestVal = Number.POSITIVE_INFINITY;
      let bestTau = 0;
      for (let k = 0; k < nc; k++) {
        const tau = cand[k];
        if (t - tau < minOf(tau)) continue;
        const v = best[tau] + this.cost(tau, t, ref);
        candCost[k] = v;
        if (v + penalty < bestVal) {
          bestVal = v + penalty;
          bestTau = tau;
        }
      }
      best[t] = bestVal;
      last[t] = bestTau;
      // Prune τ that can never again beat the optimum (valid because splitting never raises
      // the profile likelihood cost). Candidates too recent to evaluate are kept.
      let w = 0;
      for (let k = 0; k < nc; k++) {
        const tau = cand[k];
        if (t - tau < minOf(tau) || candCost[k] <= bestVal) cand[w++] = tau;
      }
      nc = w;
    }
    let count = 0;
    for (let t = n; t > 0; t = last[t]) if (last[t] > 0) cps[count++] = last[t];
    cps.subarray(0, count).reverse();
    return count;
  }

  /** Greedy binary segmentation: split wherever the best split lowers cost by > penalty. */
  private binary(n: number, minSeg: number, minFirst: number, penalty: number, ref: number): number {
    const { stack, cps } = this;
    let sp = 0;
    stack[sp++] = 0;
    stack[sp++] = n;
    let count = 0;
    while (sp > 0) {
      const b = stack[--sp];
      const a = stack[--sp];
      const minA = a === 0 ? minFirst : minSeg;
      if (b - a < minA + minSeg) continue;
      const whole = this.cost(a, b, ref);
      let bestGain = penalty;
      let bestTau = -1;
      for (let tau = a + minA; tau <= b - minSeg; tau++) {
        const gain = whole - this.cost(a, tau, ref) - this.cost(tau, b, ref);
        if (gain > bestGain) {
          bestGain = gain;
          bestTau = tau;
        }
      }
      if (bestTau < 0) continue;
      cps[count++] = bestTau;
      stack[sp++] = a;
      stack[sp++] = bestTau;
      stack[sp++] = bestTau;
      stack[sp++] = b;
    }
    cps.subarray(0, count).sort();
    return count;
  }
}

/** One-off convenience: segments a whole trace and returns copies the caller owns. */
export function findSteps(trace: ArrayLike<number>, options: StepFinderOptions): StepFit {
  const f = new StepFinder(trace.length).fit(trace, 0, trace.length, options);
  return {
    steps: f.steps,
    positions: f.positions.slice(0, f.steps),
    levels: f.levels.slice(0, f.steps + 1),
    lengths: f.lengths.slice(0, f.steps + 1),
  };
}
