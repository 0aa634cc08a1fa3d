// What one input contributes to an experiment: one number per metric, built from the result
// objects the analyses already return (LocTable, LabelledStructures, TrackSummary, ColocResult,
// Classification). Flat and named so per-cell aggregation (cellStats.ts) treats every analysis
// alike and so shards of a batch merge by concatenation. Track- and position-level detail stays
// in the per-input result files; only input-level summaries travel up.
import type { LabelledStructures } from '../binarize/structures';
import { type CellResponse, summariseResponses } from '../calcium/response';
import type { ColocResult } from '../coloc/analysis';
import type { Classification } from '../ev/classify';
import type { LocTable } from '../locs/table';
import type { TrackSummary } from '../spt/summary';
import { Mobility } from '../spt/summary';
import { mean, median } from '../stats/descriptive';
import type { ExperimentInput, ExperimentStepName } from './model';

export const SUMMARY_FORMAT = 'evscope-input-summary';
export const SUMMARY_VERSION = 1;

/** A metric's value for one input; null when it could not be measured (no tracks, no EVs…). */
export type MetricValue = number | null;

export interface InputSummary {
  format: typeof SUMMARY_FORMAT;
  version: typeof SUMMARY_VERSION;
  id: string;
  cell: string;
  condition: string;
  /** Hash of the steps' parameters and the input's files (batch.ts): equal → results reusable. */
  paramsHash: string;
  /** Steps that ran, in run order. */
  steps: ExperimentStepName[];
  /** Metric key → value; keys are described by describeMetric. */
  metrics: Record<string, MetricValue>;
}

export interface MetricInfo {
  label: string;
  unit: string;
  step: ExperimentStepName;
}

/** Fixed metrics; markers add `markers.fraction.<subtype>` and `markers.probeMean.<subtype>`. */
export const METRICS: Record<string, MetricInfo> = {
  'locs.count': { label: 'localizations', unit: '', step: 'localize' },
  'locs.precisionMedianNm': { label: 'median localization precision', unit: 'nm', step: 'localize' },
  'structures.count': { label: 'structures (in x, y, t)', unit: '', step: 'movie' },
  'structures.perFrameMean': { label: 'structures per movie frame, mean over time', unit: '', step: 'movie' },
  'structures.perFrameSlopePerS': {
    label: 'change of structures per frame over time',
    unit: '1/s',
    step: 'movie',
  },
  'structures.meanDiameterNm': {
    label: 'structure diameter, mean over structures',
    unit: 'nm',
    step: 'movie',
  },
  'structures.medianLifetimeS': { label: 'structure lifetime, median', unit: 's', step: 'movie' },
  'structures.coverage': {
    label: 'fraction of the field inside structures, mean over time',
    unit: '',
    step: 'movie',
  },
  'tracks.count': { label: 'EV tracks', unit: '', step: 'tracks' },
  'tracks.medianD': {
    label: 'EV diffusion coefficient D, median over tracks',
    unit: 'µm²/s',
    step: 'tracks',
  },
  'tracks.fractionMobile': { label: 'fraction of classified tracks mobile', unit: '', step: 'tracks' },
  'tracks.fractionConfined': { label: 'fraction of classified tracks confined', unit: '', step: 'tracks' },
  'tracks.fractionImmobile': { label: 'fraction of classified tracks immobile', unit: '', step: 'tracks' },
  'coloc.tracks': { label: 'EV tracks with a measured distance', unit: '', step: 'coloc' },
  'coloc.positions': { label: 'EV positions with a measured distance', unit: '', step: 'coloc' },
  'coloc.meanDistanceNm': {
    label: 'EV–structure signed distance, mean over tracks',
    unit: 'nm',
    step: 'coloc',
  },
  'coloc.controlMeanDistanceNm': { label: 'control-track signed distance, mean', unit: 'nm', step: 'coloc' },
  'coloc.deltaDistanceNm': { label: 'EV − control signed distance', unit: 'nm', step: 'coloc' },
  'coloc.fractionWithin': {
    label: 'fraction of time within the cut-off, mean over tracks',
    unit: '',
    step: 'coloc',
  },
  'coloc.controlFractionWithin': {
    label: 'control tracks: fraction of time within the cut-off',
    unit: '',
    step: 'coloc',
  },
  'coloc.deltaFractionWithin': {
    label: 'EV − control fraction of time within the cut-off',
    unit: '',
    step: 'coloc',
  },
  'coloc.durationMeanS': {
    label: 'colocalization duration, mean (censoring-aware fit)',
    unit: 's',
    step: 'coloc',
  },
  'markers.evs': { label: 'EVs counted', unit: '', step: 'markers' },
  'markers.probeMean': { label: 'probe count per EV, mean', unit: 'molecules', step: 'markers' },
  // Ca²⁺: the segmented (recipient) cells of one input are summarised here; the experiment's
  // cell (coverslip, dish, field) stays the unit of the tests.
  'calcium.cells': { label: 'segmented cells analysed in the input', unit: '', step: 'calcium' },
  'calcium.responders': { label: 'responding segmented cells in the input', unit: '', step: 'calcium' },
  'calcium.responderFraction': {
    label: 'responder fraction of segmented cells',
    unit: '',
    step: 'calcium',
  },
  'calcium.medianLatencyS': {
    label: 'response latency after EV addition, median over responders',
    unit: 's',
    step: 'calcium',
  },
  'calcium.medianPeakDff': { label: 'peak ΔF/F₀, median over responders', unit: '', step: 'calcium' },
  'calcium.medianAucDffS': {
    label: 'AUC of ΔF/F₀ after addition, median over responders',
    unit: 's',
    step: 'calcium',
  },
};

export function describeMetric(key: string): MetricInfo {
  const known = METRICS[key];
  if (known) return known;
  const sub = /^markers\.(fraction|probeMean)\.(.+)$/.exec(key);
  if (sub)
    return sub[1] === 'fraction'
      ? { label: `fraction of EVs of subtype ${sub[2]}`, unit: '', step: 'markers' }
      : { label: `probe count per EV of subtype ${sub[2]}, mean`, unit: 'molecules', step: 'markers' };
  return { label: key, unit: '', step: 'localize' };
}

/** NaN and ±Infinity become null: JSON has no NaN, and "not measured" must stay visible. */
export function metric(v: number): MetricValue {
  return Number.isFinite(v) ? v : null;
}

function finiteMean(a: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++)
    if (Number.isFinite(a[i])) {
      s += a[i];
      n++;
    }
  return n ? s / n : Number.NaN;
}

export function localizeMetrics(t: LocTable): Record<string, MetricValue> {
  const p = t.columns.precision;
  return {
    'locs.count': t.length,
    'locs.precisionMedianNm': p ? metric(median(p)) : null,
  };
}

/** Slope of y against x by least squares (NaN with fewer than two distinct x). */
function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/** Structures of a binarized movie; `movieFrameIntervalS` = S × raw frame interval. */
export function structureMetrics(
  s: LabelledStructures,
  movieFrameIntervalS: number,
): Record<string, MetricValue> {
  const n = s.frameCount;
  const t = Float64Array.from({ length: n }, (_, k) => k * movieFrameIntervalS);
  const coverage = Float64Array.from(s.perFrame.areaPx, (a) => a / (s.width * s.height));
  const lifetimes = Float64Array.from(s.structures.columns.frames, (f) => f * movieFrameIntervalS);
  return {
    'structures.count': s.count,
    'structures.perFrameMean': metric(mean(s.perFrame.count)),
    'structures.perFrameSlopePerS': metric(slope(t, s.perFrame.count)),
    'structures.meanDiameterNm': metric(finiteMean(s.structures.columns.meanDiameterNm)),
    'structures.medianLifetimeS': metric(median(lifetimes)),
    'structures.coverage': metric(mean(coverage)),
  };
}

export function trackMetrics(s: TrackSummary): Record<string, MetricValue> {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < s.length; i++) counts[s.columns.mobility[i]]++;
  const classified = s.length - counts[Mobility.unclassified];
  const frac = (k: number) => (classified > 0 ? counts[k] / classified : null);
  return {
    'tracks.count': s.length,
    'tracks.medianD': metric(median(s.columns.D)),
    'tracks.fractionMobile': frac(Mobility.mobile),
    'tracks.fractionConfined': frac(Mobility.confined),
    'tracks.fractionImmobile': frac(Mobility.immobile),
  };
}

/** The distance analysis; `movieFrameIntervalS` converts the duration fit to seconds. */
export function colocMetrics(r: ColocResult, movieFrameIntervalS: number): Record<string, MetricValue> {
  const ev = r.evTrackSummaries;
  let tracks = 0;
  let positions = 0;
  for (let i = 0; i < ev.measured.length; i++) {
    if (ev.measured[i] > 0) tracks++;
    positions += ev.measured[i];
  }
  const evD = finiteMean(ev.meanDistance);
  const ctD = finiteMean(r.controlTrackSummaries.meanDistance);
  const evW = finiteMean(ev.fractionWithin);
  const ctW = finiteMean(r.controlTrackSummaries.fractionWithin);
  return {
    'coloc.tracks': tracks,
    'coloc.positions': positions,
    'coloc.meanDistanceNm': metric(evD),
    'coloc.controlMeanDistanceNm': metric(ctD),
    'coloc.deltaDistanceNm': metric(evD - ctD),
    'coloc.fractionWithin': metric(evW),
    'coloc.controlFractionWithin': metric(ctW),
    'coloc.deltaFractionWithin': metric(evW - ctW),
    'coloc.durationMeanS':
      r.durationFit.runs > 0 ? metric(r.durationFit.meanFrames * movieFrameIntervalS) : null,
  };
}

/** EV marker typing: subtype fractions among classified EVs and the probe count per subtype. */
export function markerMetrics(c: Classification): Record<string, MetricValue> {
  const n = c.subtype.length;
  let classified = 0;
  const counts = new Array<number>(c.subtypeNames.length).fill(0);
  const probeSum = new Array<number>(c.subtypeNames.length).fill(0);
  for (let i = 0; i < n; i++) {
    const code = c.subtype[i];
    if (code < 0) continue;
    classified++;
    counts[code]++;
    if (c.probe) probeSum[code] += c.probe[i];
  }
  const out: Record<string, MetricValue> = {
    'markers.evs': n,
    'markers.probeMean': c.probe ? metric(finiteMean(c.probe)) : null,
  };
  c.subtypeNames.forEach((name, k) => {
    out[`markers.fraction.${name}`] = classified > 0 ? counts[k] / classified : null;
    if (c.probe) out[`markers.probeMean.${name}`] = counts[k] > 0 ? probeSum[k] / counts[k] : null;
  });
  return out;
}

/**
 * Ca²⁺ responses of one input's segmented cells (cells with a note — no F₀, failed bleach fit —
 * are not analysed, as in the Ca²⁺ step's own summary). Latency, peak and AUC are medians over
 * responders: null when no cell responded.
 */
export function calciumMetrics(cells: readonly CellResponse[]): Record<string, MetricValue> {
  const s = summariseResponses(cells);
  const auc = cells.filter((c) => !c.note && c.responder).map((c) => c.aucDffS);
  return {
    'calcium.cells': s.cells,
    'calcium.responders': s.responders,
    'calcium.responderFraction': metric(s.fraction),
    'calcium.medianLatencyS': metric(s.medianLatencyS),
    'calcium.medianPeakDff': metric(s.medianPeakDff),
    'calcium.medianAucDffS': auc.length ? metric(median(Float64Array.from(auc))) : null,
  };
}

/** The results one input produced; any may be absent (its step did not run or found nothing). */
export interface InputResults {
  locs?: LocTable;
  structures?: { structures: LabelledStructures; movieFrameIntervalS: number };
  tracks?: TrackSummary;
  coloc?: { result: ColocResult; movieFrameIntervalS: number };
  markers?: Classification;
  /** Per segmented cell of a Ca²⁺ movie. */
  calcium?: readonly CellResponse[];
}

/** The per-input summary from the result objects of the steps that ran. */
export function buildInputSummary(
  input: Pick<ExperimentInput, 'id' | 'cell' | 'condition'>,
  results: InputResults,
  steps: ExperimentStepName[],
  paramsHash: string,
): InputSummary {
  const metrics: Record<string, MetricValue> = {
    ...(results.locs ? localizeMetrics(results.locs) : {}),
    ...(results.structures
      ? structureMetrics(results.structures.structures, results.structures.movieFrameIntervalS)
      : {}),
    ...(results.tracks ? trackMetrics(results.tracks) : {}),
    ...(results.coloc ? colocMetrics(results.coloc.result, results.coloc.movieFrameIntervalS) : {}),
    ...(results.markers ? markerMetrics(results.markers) : {}),
    ...(results.calcium ? calciumMetrics(results.calcium) : {}),
  };
  return {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    id: input.id,
    cell: input.cell,
    condition: input.condition,
    paramsHash,
    steps: [...steps],
    metrics,
  };
}

/** Checks a summary read back from disk (shards from other machines); throws with the reason. */
export function parseInputSummary(text: string, where: string): InputSummary {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message})`);
  }
  const s = j as Partial<InputSummary> | null;
  if (!s || s.format !== SUMMARY_FORMAT || s.version !== SUMMARY_VERSION)
    throw new Error(`${where}: not an evscope input summary (format ${SUMMARY_FORMAT} v${SUMMARY_VERSION})`);
  for (const k of ['id', 'cell', 'condition', 'paramsHash'] as const)
    if (typeof s[k] !== 'string') throw new Error(`${where}: "${k}" must be text`);
  if (!Array.isArray(s.steps)) throw new Error(`${where}: "steps" must be a list`);
  if (!s.metrics || typeof s.metrics !== 'object' || Array.isArray(s.metrics))
    throw new Error(`${where}: "metrics" must be an object`);
  for (const [k, v] of Object.entries(s.metrics))
    if (v !== null && !(typeof v === 'number' && Number.isFinite(v)))
      throw new Error(`${where}: metric "${k}" must be a number or null`);
  return s as InputSummary;
}
