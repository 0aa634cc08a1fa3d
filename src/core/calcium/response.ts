// From a background-corrected trace to a response: F₀ from a baseline window, ΔF/F₀, optional
// bleach correction, and the numbers a Ca²⁺-imaging paper reports per cell. Conventions:
// - bleach 'none': F₀ is the mean of the baseline window and ΔF/F₀ = (F − F₀)/F₀.
// - bleach 'exp':  a mono-exponential F̂(t) = a·e^(−t/τ) (no offset: the background is already
//   subtracted) is fitted by least squares to ln F over the baseline window and extrapolated;
//   ΔF/F₀(t) = F(t)/F̂(t) − 1, and F₀ is F̂ averaged over the baseline. Bleaching that is not
//   mono-exponential, or a baseline too short to see it, is not corrected by this.
// - response: ΔF/F₀ above k × (SD of ΔF/F₀ over the baseline) for ≥ m consecutive frames, at or
//   after the addition frame. Latency is the first frame of the first such run minus the
//   addition frame (frames, and × frame interval in s).
// - peak: largest ΔF/F₀ at or after the addition frame; AUC: trapezoidal ∫ ΔF/F₀ dt from the
//   addition frame to the end (ΔF/F₀·s, signed); transients: runs above threshold of ≥ m frames,
//   gaps shorter than the refractory period joining two runs into one.
import { normalCdf } from '../stats/specialFunctions';

export type BleachCorrection = 'none' | 'exp';

export interface ResponseParams {
  /** Frame (0-based) at which EVs were added. */
  addFrame: number;
  /** Baseline window [start, end) in frames; default [0, addFrame). */
  baselineStart?: number;
  baselineEnd?: number;
  /** Threshold in baseline SDs (default 3). */
  k?: number;
  /** Minimum run above threshold, frames (default 3). */
  minFrames?: number;
  bleach?: BleachCorrection;
  /** Frame interval, s (latency and AUC in seconds); default 1. */
  frameIntervalS?: number;
  /** Runs closer than this many frames count as one transient (default 5). */
  refractoryFrames?: number;
}

export type ResolvedResponseParams = Required<ResponseParams>;

/** The parameters with every default filled in (unchecked). */
export function responseDefaults(p: ResponseParams): ResolvedResponseParams {
  return {
    addFrame: p.addFrame,
    baselineStart: p.baselineStart ?? 0,
    baselineEnd: p.baselineEnd ?? p.addFrame,
    k: p.k ?? 3,
    minFrames: p.minFrames ?? 3,
    bleach: p.bleach ?? 'none',
    frameIntervalS: p.frameIntervalS ?? 1,
    refractoryFrames: p.refractoryFrames ?? 5,
  };
}

export function resolveResponseParams(p: ResponseParams, frames: number): ResolvedResponseParams {
  const r = responseDefaults(p);
  const problems = responseParamProblems(r, frames);
  if (problems.length) throw new Error(problems.join('; '));
  return r;
}

/**
 * Every problem with the parameters, as sentences; without `frames` (parameters written before
 * the stack is known: an experiment file) the checks that need the stack's length are left out.
 */
export function responseParamProblems(r: ResolvedResponseParams, frames?: number): string[] {
  const out: string[] = [];
  const int = Number.isInteger;
  if (!int(r.addFrame) || r.addFrame < 1 || (frames !== undefined && r.addFrame >= frames))
    out.push(
      frames === undefined
        ? `the addition frame must be a whole number ≥ 1 (0-based; got ${r.addFrame})`
        : `the addition frame must be a whole number in 1–${frames - 1} (got ${r.addFrame})`,
    );
  if (!int(r.baselineStart) || !int(r.baselineEnd) || r.baselineStart < 0 || r.baselineEnd > r.addFrame)
    out.push(
      `the baseline must be whole frames within 0–${r.addFrame} (before the addition; got ${r.baselineStart}:${r.baselineEnd})`,
    );
  else if (r.baselineEnd - r.baselineStart < 3)
    out.push(`the baseline needs at least 3 frames (got ${r.baselineStart}:${r.baselineEnd})`);
  if (!(r.k > 0)) out.push(`k must be > 0 baseline SDs (got ${r.k})`);
  if (!int(r.minFrames) || r.minFrames < 1)
    out.push(`the minimum duration must be ≥ 1 frame (got ${r.minFrames})`);
  if (r.bleach !== 'none' && r.bleach !== 'exp')
    out.push(`bleach correction must be none or exp (got ${r.bleach})`);
  if (!(r.frameIntervalS > 0)) out.push(`the frame interval must be > 0 s (got ${r.frameIntervalS})`);
  if (!int(r.refractoryFrames) || r.refractoryFrames < 0)
    out.push(`the refractory period must be ≥ 0 frames (got ${r.refractoryFrames})`);
  return out;
}

export interface CellResponse {
  f0: number;
  /** SD of ΔF/F₀ over the baseline. */
  baselineSd: number;
  threshold: number;
  responder: boolean;
  latencyFrames: number;
  latencyS: number;
  peakDff: number;
  peakFrame: number;
  aucDffS: number;
  transients: number;
  /** Fitted bleach rate, 1/frame (0 without correction; NaN if the fit failed). */
  bleachRatePerFrame: number;
  /** Why a cell has no result ('' when it has one). */
  note: string;
}

/** ΔF/F₀ of one trace into `out`; returns F₀ and the bleach rate. */
export function deltaFOverF0(
  trace: ArrayLike<number>,
  p: ResolvedResponseParams,
  out: Float64Array,
): { f0: number; bleachRate: number; note: string } {
  const a = p.baselineStart;
  const b = p.baselineEnd;
  let f0 = 0;
  for (let t = a; t < b; t++) f0 += trace[t];
  f0 /= b - a;
  if (p.bleach === 'exp') {
    const fit = fitExponential(trace, a, b);
    if (fit) {
      let mean = 0;
      for (let t = a; t < b; t++) mean += Math.exp(fit.lnA + fit.rate * t);
      for (let t = 0; t < trace.length; t++) out[t] = trace[t] / Math.exp(fit.lnA + fit.rate * t) - 1;
      return { f0: mean / (b - a), bleachRate: -fit.rate, note: '' };
    }
    out.fill(Number.NaN);
    return { f0, bleachRate: Number.NaN, note: 'baseline not positive: no exponential bleach fit' };
  }
  if (!(f0 > 0)) {
    out.fill(Number.NaN);
    return { f0, bleachRate: 0, note: 'F0 ≤ 0 after background subtraction' };
  }
  for (let t = 0; t < trace.length; t++) out[t] = (trace[t] - f0) / f0;
  return { f0, bleachRate: 0, note: '' };
}

/** Least-squares line through (t, ln F) over [a, b); null if any F ≤ 0. */
export function fitExponential(
  trace: ArrayLike<number>,
  a: number,
  b: number,
): { lnA: number; rate: number } | null {
  const n = b - a;
  let st = 0;
  let sy = 0;
  for (let t = a; t < b; t++) {
    if (!(trace[t] > 0)) return null;
    st += t;
    sy += Math.log(trace[t]);
  }
  const tm = st / n;
  const ym = sy / n;
  let stt = 0;
  let sty = 0;
  for (let t = a; t < b; t++) {
    stt += (t - tm) * (t - tm);
    sty += (t - tm) * (Math.log(trace[t]) - ym);
  }
  const rate = stt > 0 ? sty / stt : 0;
  return { lnA: ym - rate * tm, rate };
}

/** The response of one cell from its background-corrected trace; `dff` receives ΔF/F₀. */
export function analyseTrace(
  trace: ArrayLike<number>,
  p: ResolvedResponseParams,
  dff: Float64Array = new Float64Array(trace.length),
): CellResponse {
  const { f0, bleachRate, note } = deltaFOverF0(trace, p, dff);
  const none: CellResponse = {
    f0,
    baselineSd: Number.NaN,
    threshold: Number.NaN,
    responder: false,
    latencyFrames: Number.NaN,
    latencyS: Number.NaN,
    peakDff: Number.NaN,
    peakFrame: -1,
    aucDffS: Number.NaN,
    transients: 0,
    bleachRatePerFrame: bleachRate,
    note,
  };
  if (note) return none;
  const sd = baselineSd(dff, p.baselineStart, p.baselineEnd);
  const threshold = p.k * sd;
  const runs = runsAbove(dff, p.addFrame, threshold);
  const first = runs.find((r) => r.end - r.start >= p.minFrames);
  let peakDff = Number.NEGATIVE_INFINITY;
  let peakFrame = -1;
  let auc = 0;
  for (let t = p.addFrame; t < dff.length; t++) {
    if (dff[t] > peakDff) {
      peakDff = dff[t];
      peakFrame = t;
    }
    if (t > p.addFrame) auc += 0.5 * (dff[t] + dff[t - 1]) * p.frameIntervalS;
  }
  const latency = first ? first.start - p.addFrame : Number.NaN;
  return {
    f0,
    baselineSd: sd,
    threshold,
    responder: !!first,
    latencyFrames: latency,
    latencyS: latency * p.frameIntervalS,
    peakDff,
    peakFrame,
    aucDffS: auc,
    transients: countTransients(runs, p.minFrames, p.refractoryFrames),
    bleachRatePerFrame: bleachRate,
    note: '',
  };
}

function baselineSd(x: Float64Array, a: number, b: number): number {
  let m = 0;
  for (let t = a; t < b; t++) m += x[t];
  m /= b - a;
  let s = 0;
  for (let t = a; t < b; t++) s += (x[t] - m) * (x[t] - m);
  return Math.sqrt(s / (b - a - 1));
}

interface Run {
  start: number;
  end: number;
}

/** Maximal runs [start, end) of frames ≥ `from` with x > threshold. */
export function runsAbove(x: ArrayLike<number>, from: number, threshold: number): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let t = from; t <= x.length; t++) {
    const above = t < x.length && x[t] > threshold;
    if (above && start < 0) start = t;
    else if (!above && start >= 0) {
      runs.push({ start, end: t });
      start = -1;
    }
  }
  return runs;
}

/** Runs separated by fewer than `refractory` frames merge; merged runs of ≥ m frames count. */
export function countTransients(runs: Run[], m: number, refractory: number): number {
  let count = 0;
  let cur: Run | null = null;
  const close = () => {
    if (cur && cur.end - cur.start >= m) count++;
  };
  for (const r of runs) {
    if (cur && r.start - cur.end < refractory) cur = { start: cur.start, end: r.end };
    else {
      close();
      cur = { ...r };
    }
  }
  close();
  return count;
}

/**
 * Nominal false-responder probability of one non-responding cell with Gaussian white noise:
 * the union bound (frames after addition) × (1 − Φ(k))^m. It ignores the error of the baseline
 * SD estimate and any correlation between frames, so it is a guide, not a guarantee.
 */
export function nominalAlpha(k: number, m: number, framesAfter: number): number {
  const p = 1 - normalCdf(k);
  return Math.min(1, Math.max(0, framesAfter - m + 1) * p ** m);
}

export interface ResponseSummary {
  cells: number;
  responders: number;
  fraction: number;
  /** Wilson score 95 % interval of the responder fraction. */
  ci95: [number, number];
  medianLatencyS: number;
  medianPeakDff: number;
}

export function summariseResponses(cells: readonly CellResponse[]): ResponseSummary {
  const valid = cells.filter((c) => !c.note);
  const resp = valid.filter((c) => c.responder);
  const n = valid.length;
  const lat = resp.map((c) => c.latencyS).sort((a, b) => a - b);
  const peaks = resp.map((c) => c.peakDff).sort((a, b) => a - b);
  return {
    cells: n,
    responders: resp.length,
    fraction: n ? resp.length / n : Number.NaN,
    ci95: wilson95(resp.length, n),
    medianLatencyS: medianSorted(lat),
    medianPeakDff: medianSorted(peaks),
  };
}

function medianSorted(x: number[]): number {
  if (!x.length) return Number.NaN;
  const h = x.length >> 1;
  return x.length % 2 ? x[h] : 0.5 * (x[h - 1] + x[h]);
}

export function wilson95(successes: number, n: number): [number, number] {
  if (!n) return [Number.NaN, Number.NaN];
  const z = 1.959963984540054;
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}
