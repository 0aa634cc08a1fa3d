// One input of an experiment through the workbench's own workers, step after step, ending in its
// summary (core/experiment/summary.ts). Each lane of the batch has its own stack, movie and
// tracks workers, so the batch never touches the stack, movie or tracks on screen; localization
// shares the app's pool. Everything an input produced is local to `analyseInput` and is dropped
// when it returns — only the summary (a few dozen numbers) survives, which bounds memory.

import type { StructureResult } from '../../workers/movie.api';
import type { StackRecipe } from '../../workers/stackRecipe';
import type { CellResponse } from '../core/calcium/response';
import { localizeStepParams } from '../core/experiment/localizeStep';
import {
  type ExperimentCalciumParams,
  type ExperimentInput,
  type ExperimentStepName,
  type ExperimentSteps,
  inputKind,
} from '../core/experiment/model';
import {
  buildInputSummary,
  type InputResults,
  type InputSummary,
  type MetricValue,
  metric,
} from '../core/experiment/summary';
import type { PostStep } from '../core/locs/pipeline';
import { concatLocTables, type LocTable } from '../core/locs/table';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import { detectTrackFormat } from '../core/spt/io';
import { median } from '../core/stats/descriptive';
import { browserCalciumBackend, type CalciumBackend } from '../engine/calciumService';
import type { LocalizeEngine } from '../engine/localizeService';
import { browserMarkersBackend, type MarkersBackend } from '../engine/markersService';
import { MovieService } from '../engine/movieService';
import { RenderService } from '../engine/renderService';
import { type StackInfo, StackService } from '../engine/stackService';
import { browserTracksBackend, type TracksBackend, type TracksResult } from '../engine/tracksService';
import type { InputSource } from './experimentActions';

export type ProgressFn = (phase: ExperimentStepName | 'open', fraction: number) => void;

/** The workers one lane of the batch talks to. */
export interface Lane {
  stacks: Pick<StackService, 'openRecipe' | 'close'>;
  movie: Pick<MovieService, 'configure' | 'append' | 'setLocalizedFrames' | 'otsu' | 'analyse'>;
  tracks: TracksBackend;
  /** Reads localization tables (any format the workbench opens). */
  tables: Pick<RenderService['backend'], 'parseLocalizationFile' | 'reset' | 'process' | 'processedTable'>;
  markers: Pick<MarkersBackend, 'run'>;
  calcium: Pick<CalciumBackend, 'run'>;
}

export function browserLane(): Lane {
  return {
    stacks: new StackService(),
    movie: new MovieService(),
    tracks: browserTracksBackend(),
    tables: new RenderService().backend,
    markers: browserMarkersBackend(),
    calcium: browserCalciumBackend(),
  };
}

/** What the steps need to know about an input, from its stack or its experiment row. */
interface Acquisition {
  width: number;
  height: number;
  frameCount: number;
  channels: number;
  pixelNm: number;
  rawIntervalS: number;
  recipe: StackRecipe | null;
}

export class InputCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'InputCancelled';
  }
}

const check = (signal: AbortSignal) => {
  if (signal.aborted) throw new InputCancelled();
};

/** Steps that run, in run order, and whether their inputs exist. */
export function plannedSteps(steps: ExperimentSteps): ExperimentStepName[] {
  const out: ExperimentStepName[] = [];
  if (steps.localize) out.push('localize');
  if (steps.movie) out.push('movie');
  if (steps.tracks) out.push('tracks');
  if (steps.coloc) out.push('coloc');
  if (steps.markers) out.push('markers');
  if (steps.calcium) out.push('calcium');
  return out;
}

/**
 * Problems with a step set the browser batch cannot run on these inputs, as sentences. Tables of
 * localizations need no Localize step; stacks do before a movie or distances can be built.
 */
export function stepProblems(steps: ExperimentSteps, inputs: readonly ExperimentInput[] = []): string[] {
  const p: string[] = [];
  const planned = plannedSteps(steps);
  if (!planned.length) p.push('No step is set: choose at least one step to run.');
  const stacks = inputs.some((x) => !x.excluded && inputKind(x) === 'stack');
  if (steps.movie && !steps.localize && stacks)
    p.push('The Movie step needs localizations: add the Localize step (some inputs are stacks).');
  if (steps.coloc && !(steps.tracks && steps.movie))
    p.push('Distances need the Movie (structures) and Tracks steps.');
  else if (steps.coloc && !steps.localize && stacks)
    p.push('Distances on stacks need the Localize step (structures come from localizations).');
  if (steps.markers && inputs.length && !stacks)
    p.push('EV markers count molecules in stacks: every input here is a localization table.');
  if (steps.calcium && inputs.length && !stacks)
    p.push('Ca²⁺ responses are measured in stacks: every input here is a localization table.');
  return p;
}

let requestSeq = 1_000_000;

async function openStack(lane: Lane, recipe: StackRecipe, name: string): Promise<StackInfo> {
  const out = await lane.stacks.openRecipe(recipe, ++requestSeq, `batch: opening ${name}`);
  if (!out.ok) throw new Error(`${name} did not open: ${out.reason}`);
  return out.info;
}

function frameIntervalS(info: StackInfo, fallbackMs: number | undefined): number {
  return (info.meta.frameIntervalMs ?? fallbackMs ?? PHYSICAL_DEFAULTS.frameIntervalMs) / 1000;
}

function pixelNm(info: StackInfo, fallback: number | undefined): number {
  return info.meta.pixelSizeNm ?? fallback ?? PHYSICAL_DEFAULTS.pixelSizeNm;
}

async function localize(
  engine: LocalizeEngine,
  info: StackInfo,
  steps: ExperimentSteps,
  pixelSizeNm: number,
  signal: AbortSignal,
  progress: ProgressFn,
): Promise<LocTable> {
  const chunks: LocTable[] = [];
  const { channel, params } = localizeStepParams(steps.localize, info, pixelSizeNm);
  const r = await engine.run({
    stack: info,
    channel,
    params,
    scmosMapsFromSimulation: info.recipe.kind === 'simulated' && params.camera?.kind === 'scmos',
    signal,
    onChunk: (t) => chunks.push(t),
    onProgress: (p) => progress('localize', p.framesDone / Math.max(1, p.framesTotal)),
  });
  check(signal);
  if (r.failedFrame)
    throw new Error(`localization stopped at frame ${r.failedFrame.frame + 1}: ${r.failedFrame.message}`);
  return concatLocTables(chunks);
}

/** Structure metrics from the movie worker's tables (the same definitions as structureMetrics). */
export function structureResultMetrics(
  s: StructureResult,
  movieFrameIntervalS: number,
  fieldAreaNm2: number,
): Record<string, MetricValue> {
  const n = s.perFrame.count.length;
  const t = Array.from({ length: n }, (_, k) => k * movieFrameIntervalS);
  const c = s.perFrame.count;
  const mt = t.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const mc = c.reduce((a, b) => a + b, 0) / Math.max(1, n);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (t[i] - mt) * (c[i] - mc);
    sxx += (t[i] - mt) ** 2;
  }
  const coverage = c.map((k, i) => (k * (s.perFrame.meanAreaNm2[i] || 0)) / fieldAreaNm2);
  const d = s.structures.meanDiameterNm.filter(Number.isFinite);
  const life = s.structures.firstFrame.map(
    (f, i) => (s.structures.lastFrame[i] - f + 1) * movieFrameIntervalS,
  );
  return {
    'structures.count': s.count,
    'structures.perFrameMean': n ? metric(mc) : null,
    'structures.perFrameSlopePerS': sxx > 0 ? metric(sxy / sxx) : null,
    'structures.meanDiameterNm': d.length ? metric(d.reduce((a, b) => a + b, 0) / d.length) : null,
    'structures.medianLifetimeS': life.length ? metric(median(Float64Array.from(life))) : null,
    'structures.coverage': n ? metric(coverage.reduce((a, b) => a + b, 0) / n) : null,
  };
}

/** The post-processing steps on a copy of the table, in the lane's render worker. */
async function postProcess(lane: Lane, locs: LocTable, post: PostStep[]): Promise<LocTable> {
  // Structured-cloned to the worker: the table here stays intact for the distance step.
  await lane.tables.reset([locs]);
  try {
    const r = await lane.tables.process(post);
    if (r.rowsOut === 0) throw new Error(`post-processing left no localizations (of ${r.rowsIn})`);
    return await lane.tables.processedTable();
  } finally {
    // The worker would keep both tables until the next input: release them now.
    await lane.tables.reset([]).catch(() => undefined);
  }
}

const EMPTY_MOVIE = {
  window: 1,
  step: 1,
  grid: { x0Nm: 0, y0Nm: 0, width: 1, height: 1, pixelNm: 1 },
  sigma: { kind: 'fixed' as const, nm: 0 },
  frameIntervalS: 1,
  rawFrames: 1,
};

async function structures(
  lane: Lane,
  info: Acquisition,
  locs: LocTable,
  steps: ExperimentSteps,
  signal: AbortSignal,
  progress: ProgressFn,
): Promise<Record<string, MetricValue>> {
  const m = steps.movie!;
  const pxNm = info.pixelNm;
  const rawIntervalS = info.rawIntervalS;
  const grid = {
    x0Nm: 0,
    y0Nm: 0,
    width: Math.ceil((info.width * pxNm) / m.renderPxNm),
    height: Math.ceil((info.height * pxNm) / m.renderPxNm),
    pixelNm: m.renderPxNm,
  };
  await lane.movie.configure({
    window: m.window,
    step: m.step,
    grid,
    sigma: m.sigma,
    frameIntervalS: rawIntervalS,
    rawFrames: info.frameCount,
  });
  // append sends a copy of the columns (the distance step still needs them).
  await lane.movie.append(locs);
  await lane.movie.setLocalizedFrames(info.frameCount);
  check(signal);
  const threshold =
    m.threshold.kind === 'manual'
      ? m.threshold.value
      : await lane.movie.otsu(m.threshold.sampleFrames, m.smoothSigmaPx);
  check(signal);
  const job = lane.movie.analyse(
    { threshold, smoothSigmaPx: m.smoothSigmaPx, connectivity: m.connectivity },
    (done, total) => progress('movie', done / Math.max(1, total)),
  );
  const stop = () => job.cancel();
  signal.addEventListener('abort', stop);
  try {
    const r = await job.promise;
    check(signal);
    return structureResultMetrics(r, m.step * rawIntervalS, info.width * info.height * pxNm * pxNm);
  } finally {
    signal.removeEventListener('abort', stop);
    // The worker keeps a movie until the next configure: leave it a 1-pixel one (memory bound).
    await lane.movie.configure(EMPTY_MOVIE).catch(() => undefined);
  }
}

export interface AnalyseOptions {
  lane: Lane;
  localizer: LocalizeEngine;
  /** Experiment-wide fallbacks for inputs whose files do not say. */
  frameIntervalMs?: number;
  pixelSizeNm?: number;
  signal: AbortSignal;
  progress: ProgressFn;
}

/**
 * Runs the steps on one input and returns its summary. Throws (with a message naming the step)
 * when a step fails, `InputCancelled` when cancelled; the stack is closed either way.
 */
export async function analyseInput(
  input: ExperimentInput,
  source: InputSource,
  steps: ExperimentSteps,
  paramsHash: string,
  o: AnalyseOptions,
): Promise<InputSummary> {
  const { lane, progress } = o;
  progress('open', 0);
  if (source.kind === 'localizations') return analyseTable(input, source, steps, paramsHash, o);
  const recipe: StackRecipe =
    source.kind === 'simulated'
      ? { kind: 'simulated', params: source.params }
      : { kind: 'files', files: [{ name: source.file.name, blob: source.file }] };
  const info = await openStack(lane, recipe, input.path);
  try {
    check(o.signal);
    const acq: Acquisition = {
      width: info.width,
      height: info.height,
      frameCount: info.frameCount,
      channels: info.channels,
      pixelNm: pixelNm(info, o.pixelSizeNm),
      rawIntervalS: frameIntervalS(info, o.frameIntervalMs),
      recipe: info.recipe,
    };
    const locs = steps.localize
      ? await runStep('localize', o.signal, progress, () =>
          localize(o.localizer, info, steps, acq.pixelNm, o.signal, progress),
        )
      : undefined;
    const ca = steps.calcium;
    const calcium = ca
      ? await runStep('calcium', o.signal, progress, () => calciumStep(lane, info, ca, o))
      : undefined;
    return await downstream(input, acq, locs, undefined, steps, paramsHash, o, calcium);
  } finally {
    lane.stacks.close(info.id);
  }
}

/**
 * Ca²⁺ responses of the input's segmented cells on the lane's own Ca²⁺ worker, with the recipe
 * the Ca²⁺ panel runs (the worker opens the stack itself); the frame interval as `evscope batch`
 * takes it: the step's, else the file's, else the experiment's, else 1 s.
 */
async function calciumStep(
  lane: Lane,
  info: StackInfo,
  params: ExperimentCalciumParams,
  o: AnalyseOptions,
): Promise<readonly CellResponse[]> {
  const { channel = 0, ...p } = params;
  if (channel >= info.channels)
    throw new Error(`calcium.channel ${channel} is not a channel of the stack (0–${info.channels - 1})`);
  const frameMs = info.meta.frameIntervalMs ?? o.frameIntervalMs ?? 1000;
  const r = await lane.calcium.run(
    { recipe: info.recipe, channel, params: { ...p, frameIntervalS: p.frameIntervalS ?? frameMs / 1000 } },
    (m) => o.progress('calcium', m.framesDone / Math.max(1, m.frameCount)),
    o.signal,
  );
  return r.cells;
}

/** Runs a step: progress at its start and end, failures named after it. */
async function runStep<T>(
  name: ExperimentStepName,
  signal: AbortSignal,
  progress: ProgressFn,
  run: () => Promise<T>,
): Promise<T> {
  progress(name, 0);
  try {
    const r = await run();
    check(signal);
    progress(name, 1);
    return r;
  } catch (e) {
    if (e instanceof InputCancelled || signal.aborted) throw new InputCancelled();
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A localization table (and its EV tracks file): the steps after Localize. */
async function analyseTable(
  input: ExperimentInput,
  source: Extract<InputSource, { kind: 'localizations' }>,
  steps: ExperimentSteps,
  paramsHash: string,
  o: AnalyseOptions,
): Promise<InputSummary> {
  const parsed = await runStep('localize', o.signal, o.progress, () =>
    o.lane.tables.parseLocalizationFile([{ name: source.file.name, blob: source.file }]),
  );
  const locs = parsed.table;
  const pixel = parsed.pixelSizeNm ?? o.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  let maxX = 0;
  let maxY = 0;
  let maxFrame = 0;
  for (let i = 0; i < locs.length; i++) {
    maxX = Math.max(maxX, locs.columns.x[i]);
    maxY = Math.max(maxY, locs.columns.y[i]);
    maxFrame = Math.max(maxFrame, locs.columns.frame[i]);
  }
  // Tables do not record the acquisition: the experiment row may (frames, fieldPx).
  const row = input as ExperimentInput & { frames?: number; fieldPx?: { width: number; height: number } };
  const acq: Acquisition = {
    width: row.fieldPx?.width ?? Math.ceil(maxX / pixel) + 1,
    height: row.fieldPx?.height ?? Math.ceil(maxY / pixel) + 1,
    frameCount: row.frames ?? maxFrame + 1,
    channels: 1,
    pixelNm: pixel,
    rawIntervalS: (o.frameIntervalMs ?? PHYSICAL_DEFAULTS.frameIntervalMs) / 1000,
    recipe: null,
  };
  let imported: TracksResult | undefined;
  if (steps.tracks && source.tracks) {
    const t = steps.tracks;
    const text = await source.tracks.text();
    imported = await runStep('tracks', o.signal, o.progress, () =>
      o.lane.tracks.importTracks({
        text,
        fileName: source.tracks!.name,
        format: detectTrackFormat(text),
        pixelSizeNm: t.pixelSizeNm ?? pixel,
        frameBase: t.frameBase ?? 1,
        filter: t.filter,
        frameIntervalS: acq.rawIntervalS,
      }),
    );
  } else if (steps.tracks)
    throw new Error('tracks: a localization table needs its EV tracks file (files.tracks)');
  return downstream(input, acq, locs, imported, steps, paramsHash, o);
}

/** Movie structures, tracking (of a stack) and distances, then the summary. */
async function downstream(
  input: ExperimentInput,
  acq: Acquisition,
  locs: LocTable | undefined,
  imported: TracksResult | undefined,
  steps: ExperimentSteps,
  paramsHash: string,
  o: AnalyseOptions,
  calcium?: readonly CellResponse[],
): Promise<InputSummary> {
  const { lane, signal, progress } = o;
  if (steps.calcium && !calcium)
    throw new Error('calcium: the Ca²⁺ step needs a stack, not a localization table');
  const results: InputResults = calcium ? { calcium } : {};
  const extra: Record<string, MetricValue> = {};
  // A table's localizations count as an input's own (as in `evscope batch`).
  if (locs) results.locs = locs;
  // As `evscope batch`: post-processing (drift, merging, filters) shapes the movie and with it
  // the structures and distances; the localization metrics stay those of the raw table.
  const post = steps.post;
  const movieLocs =
    post?.length && locs && steps.movie
      ? await runStep('movie', signal, progress, () => postProcess(lane, locs, post))
      : locs;
  if (steps.movie && movieLocs)
    Object.assign(
      extra,
      await runStep('movie', signal, progress, () =>
        structures(lane, acq, movieLocs, steps, signal, progress),
      ),
    );
  let tracks = imported;
  if (steps.tracks && !tracks && acq.recipe) {
    const t = steps.tracks;
    const recipe = acq.recipe;
    tracks = await runStep('tracks', signal, progress, () =>
      lane.tracks.track(
        {
          recipe,
          channel: t.channel ?? Math.max(0, acq.channels - 1),
          localize: { ...t.localize, pixelSizeNm: t.localize.pixelSizeNm ?? acq.pixelNm },
          link: t.link,
          filter: t.filter,
          frameIntervalS: acq.rawIntervalS,
        },
        (p) => progress('tracks', p.total ? p.done / p.total : 0),
        signal,
      ),
    );
  }
  if (tracks) results.tracks = tracks.summary;
  if (steps.coloc && steps.movie && tracks && locs) {
    const c = steps.coloc;
    const m = steps.movie;
    const tr = tracks;
    const ml = movieLocs ?? locs;
    const r = await runStep('coloc', signal, progress, () =>
      lane.tracks.distances(
        {
          tracks: tr.tracks,
          locs: {
            length: ml.length,
            frame: ml.columns.frame as Uint32Array,
            x: ml.columns.x as Float64Array,
            y: ml.columns.y as Float64Array,
            precision: ml.columns.precision as Float32Array | undefined,
          },
          rawFrames: acq.frameCount,
          rawFrameIntervalS: acq.rawIntervalS,
          camera: { width: acq.width, height: acq.height, pixelNm: acq.pixelNm },
          movie: {
            window: m.window,
            step: m.step,
            renderPxNm: m.renderPxNm,
            sigma: m.sigma,
            smoothSigmaPx: m.smoothSigmaPx,
          },
          threshold: m.threshold,
          evAffine: null,
          control: { kind: 'field' },
          controlPerFrame: c.controlPerFrame ?? 100,
          controlSeed: c.controlSeed,
          cutoffNm: c.cutoff ?? 240,
          histogram: c.histogram ?? { start: -500, width: 50, count: 30 },
          pooling: c.pooling ?? 'nearest',
          // As `evscope batch`: the experiment's matched controls and permutations, not the panel's defaults.
          colocExtra: {
            ...(c.controlTracksPerTrack !== undefined
              ? { controlTracksPerTrack: c.controlTracksPerTrack }
              : {}),
            ...(c.permutations !== undefined ? { permutations: c.permutations } : {}),
            ...(c.minDuration !== undefined ? { minDuration: c.minDuration } : {}),
            ...(c.includeCensored !== undefined ? { includeCensored: c.includeCensored } : {}),
          },
        },
        (p) => progress('coloc', p.total ? p.done / p.total : 0),
        signal,
      ),
    );
    results.coloc = { result: r.coloc, movieFrameIntervalS: r.movieFrameIntervalS };
  }
  if (steps.markers) {
    const recipe = acq.recipe;
    if (!recipe) throw new Error('markers: EV marker counting needs a stack, not a localization table');
    const m = steps.markers;
    const r = await runStep('markers', signal, progress, () =>
      lane.markers.run(
        { recipe, params: { ...m, pixelSizeNm: m.pixelSizeNm ?? acq.pixelNm }, test: 'welch' },
        (p) => progress('markers', p.total ? p.done / p.total : 0),
        signal,
      ),
    );
    results.markers = r.classification;
  }
  // A table is already localized: its summary lists the steps that ran on it.
  const ran = plannedSteps(steps).filter((x) => x !== 'localize' || acq.recipe !== null);
  const summary = buildInputSummary(input, results, ran, paramsHash);
  summary.metrics = { ...summary.metrics, ...extra };
  return summary;
}
