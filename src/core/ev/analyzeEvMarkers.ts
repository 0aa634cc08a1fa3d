// The EV marker-counting pipeline: detect EVs, extract their traces in every channel, fit
// bleaching steps, learn each channel's single-molecule unit, count molecules two ways, and
// type every EV by the markers it carries. Returns one columnar table plus per-channel facts.
import type { ColumnArray } from '../locs/table';
import type { FrameSource } from '../stack/types';
import { classifyEvs } from './classify';
import { countMolecules, type MoleculeCounts } from './countMolecules';
import { type EvSpots, findEvSpots, waveletSnrMap } from './findEvSpots';
import { estimateConstantNoise, estimateNoiseModel, type NoiseModel } from './noiseModel';
import {
  type EvMarkerParams,
  type EvMarkerParamsInput,
  type EvRegistration,
  resolveEvMarkerParams,
  validateEvMarkerParams,
} from './params';
import { type ChannelPixelMaps, channelPixelMaps, roiMasksPerChannel, warpToReference } from './registration';
import { finalStepHeights, fitAllTraces, type StepFitTable } from './stepFits';
import { extractEvTraces, projectFrames } from './traces';
import { estimateUnitIntensity, type UnitIntensity } from './unitIntensity';

export interface EvProgress {
  phase: 'detect' | 'traces' | 'steps';
  done: number;
  total: number;
}

export interface EvChannelResult {
  name: string;
  role: 'marker' | 'probe';
  channel: number;
  /** Single-molecule unit; `n` = 0 and sem = 0 when the user gave it. */
  unit: UnitIntensity;
  /** The noise model of the channel ('auto'/given), or the median per-trace σ ('constant'). */
  noise: NoiseModel;
  counts: MoleculeCounts;
  fits: StepFitTable;
  /** nEv × nFrames, EV-major: traces[e · nFrames + f]. */
  traces: Float64Array;
}

export interface EvTable {
  length: number;
  /**
   * id, x, y (nm, ThunderSTORM), snr; per channel `<name> steps`, `<name> steps sd`,
   * `<name> ratio`, `<name> ratio sd`, `<name> initial`, `<name> disagree`; per marker
   * `<name> fraction`; `subtype` (code, −1 unclassified); `probe count` when a probe is counted.
   */
  columns: Record<string, ColumnArray>;
  /** Subtype names indexed by code (bit c set = marker c present). */
  subtypeNames: string[];
  markerNames: string[];
  channels: EvChannelResult[];
  nFrames: number;
  dropped: EvSpots['dropped'];
  /** Non-fatal problems, e.g. a channel whose unit could not be estimated. */
  warnings: string[];
  /** The registration the ROIs were placed with (positions are then channel 0's), or null. */
  registration: EvRegistration | null;
}

/** Thrown with every validation message when the parameters cannot work on this stack. */
export class EvParamsError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
    this.name = 'EvParamsError';
  }
}

export async function analyzeEvMarkers(
  source: FrameSource,
  input: EvMarkerParamsInput = {},
  onProgress?: (p: EvProgress) => void,
  signal?: AbortSignal,
): Promise<EvTable> {
  const params = resolveEvMarkerParams(input, source);
  const errors = validateEvMarkerParams(params, source);
  if (errors.length) throw new EvParamsError(errors);
  const warnings: string[] = [];
  const maps = (c: number) => channelPixelMaps(params.registration?.toReference[c], params.pixelSizeNm);
  const spots = await detect(source, params, maps, signal, onProgress);
  const nEv = spots.length;
  const nF = params.frameCount;
  const chans = params.channels;
  const { masks, clipped } = roiMasksPerChannel(
    spots.x,
    spots.y,
    source.width,
    source.height,
    params.roi,
    chans.map((c) => maps(c.channel)),
  );
  chans.forEach((c, ci) => {
    if (clipped[ci])
      warnings.push(
        `${c.name}: ${clipped[ci]} EV(s) map outside the image edge in this channel after registration; their ROI is cut and the count low.`,
      );
  });
  const traces = await extractEvTraces(
    source,
    masks,
    chans.map((c) => c.channel),
    { start: params.frameStart, count: nF },
    signal,
    (p) => onProgress?.({ phase: 'traces', ...p }),
  );
  const results: EvChannelResult[] = [];
  const totalFits = nEv * chans.length;
  for (let ci = 0; ci < chans.length; ci++) {
    signal?.throwIfAborted();
    const ch = chans[ci];
    const tr = traces[ci];
    const { noiseOf, summary } = noiseFor(params.steps.noise, tr, nEv, nF);
    const fits = fitAllTraces(
      tr,
      nEv,
      nF,
      {
        method: params.steps.method,
        penaltyFactor: params.steps.penaltyFactor,
        minSegment: params.steps.minSegment,
        minFirstSegment: params.steps.minFirstSegment,
      },
      noiseOf,
      (k) => {
        if ((k & 63) === 63 || k === nEv - 1)
          onProgress?.({ phase: 'steps', done: ci * nEv + k + 1, total: totalFits });
      },
    );
    let unit: UnitIntensity;
    if (ch.unitIntensity !== undefined) unit = { unit: ch.unitIntensity, sem: 0, spread: 0, n: 0 };
    else {
      unit = estimateUnitIntensity(finalStepHeights(fits));
      // The spread of single steps also sizes the per-molecule variance; with a given unit the
      // spread is unknown and the counts' uncertainties cover only the noise.
      if (!(unit.unit > 0))
        warnings.push(
          `${ch.name}: only ${unit.n} EV(s) bleached to background in a clean final step, too few to learn the single-molecule intensity; give it by hand to count this channel.`,
        );
    }
    const counts = countMolecules(fits, unit, noiseOf, { disagreementZ: params.counting.disagreementZ });
    results.push({
      name: ch.name,
      role: ch.role,
      channel: ch.channel,
      unit,
      noise: summary,
      counts,
      fits,
      traces: tr,
    });
  }
  return buildTable(spots, params, results, nF, warnings);
}

async function detect(
  source: FrameSource,
  params: EvMarkerParams,
  maps: (channel: number) => ChannelPixelMaps,
  signal: AbortSignal | undefined,
  onProgress: ((p: EvProgress) => void) | undefined,
): Promise<EvSpots> {
  const d = params.detection;
  const detectChannels =
    d.reference === 'union'
      ? params.channels.filter((c) => c.role === 'marker').map((c) => c.channel)
      : [d.reference];
  // With no marker channel (a probe-only run), the counted channels define the EVs.
  const use = detectChannels.length ? detectChannels : params.channels.map((c) => c.channel);
  const { width, height } = source;
  let combined: Float64Array | undefined;
  for (let i = 0; i < use.length; i++) {
    const proj = await projectFrames(
      source,
      use[i],
      { start: params.frameStart, count: d.projectionFrames },
      d.projection,
      signal,
    );
    const raw = waveletSnrMap(proj, width, height);
    // Registered channels are detected on channel 0's grid, so an EV is one spot in the union
    // and every position is in the reference's coordinates.
    const back = maps(use[i]).fromReference;
    const snr = back ? warpToReference(raw, width, height, back) : raw;
    if (!combined) combined = snr;
    else for (let p = 0; p < snr.length; p++) combined[p] = Math.max(combined[p], snr[p]);
    onProgress?.({ phase: 'detect', done: i + 1, total: use.length });
  }
  return findEvSpots(combined!, width, height, {
    thresholdK: d.thresholdK,
    dedupRadiusPx: d.dedupRadiusPx,
    minSeparationPx: d.minSeparationPx,
    // Only the signal disc must be whole: the annulus is clipped at the edge and its median is
    // still a fine background from the pixels left. Requiring the whole annulus dropped every
    // EV within 9 px of the edge — 15 % of the simulator's evMarkers scene.
    borderPx: Math.ceil(params.roi.radiusPx) + 1,
  });
}

function noiseFor(
  setting: EvMarkerParams['steps']['noise'],
  traces: Float64Array,
  nEv: number,
  nF: number,
): { noiseOf: (k: number) => NoiseModel; summary: NoiseModel } {
  if (typeof setting === 'object') return { noiseOf: () => setting, summary: setting };
  if (setting === 'auto') {
    const m = estimateNoiseModel(traces, nEv, nF);
    return { noiseOf: () => m, summary: m };
  }
  const perTrace: NoiseModel[] = [];
  const sig = new Float64Array(nEv);
  for (let k = 0; k < nEv; k++) {
    perTrace.push(estimateConstantNoise(traces, k * nF, nF));
    sig[k] = perTrace[k].sigma0;
  }
  sig.sort();
  return { noiseOf: (k) => perTrace[k], summary: { sigma0: nEv ? sig[nEv >> 1] : Number.NaN, gain: 0 } };
}

function buildTable(
  spots: EvSpots,
  params: EvMarkerParams,
  results: EvChannelResult[],
  nFrames: number,
  warnings: string[],
): EvTable {
  const n = spots.length;
  const columns: Record<string, ColumnArray> = {};
  columns.id = Uint32Array.from({ length: n }, (_, i) => i + 1);
  columns.x = spots.x.map((v) => v * params.pixelSizeNm);
  columns.y = spots.y.map((v) => v * params.pixelSizeNm);
  columns.snr = spots.snr.slice();
  for (const r of results) {
    columns[`${r.name} steps`] = r.counts.steps;
    columns[`${r.name} steps sd`] = r.counts.stepsSd;
    columns[`${r.name} ratio`] = r.counts.ratio;
    columns[`${r.name} ratio sd`] = r.counts.ratioSd;
    columns[`${r.name} initial`] = r.counts.initial;
    columns[`${r.name} disagree`] = r.counts.disagree;
  }
  const cls = classifyEvs(
    columns,
    results.map((r) => ({
      name: r.name,
      role: r.role,
      threshold: params.channels.find((c) => c.name === r.name)!.threshold,
    })),
    params.counting.method,
    params.subtypeNames,
  );
  columns.subtype = cls.subtype;
  for (const m of cls.markerNames) columns[`${m} fraction`] = cls.composition[m];
  if (cls.probe) columns['probe count'] = cls.probe;
  return {
    length: n,
    columns,
    subtypeNames: cls.subtypeNames,
    markerNames: cls.markerNames,
    channels: results,
    nFrames,
    dropped: spots.dropped,
    warnings,
    registration: params.registration ?? null,
  };
}
