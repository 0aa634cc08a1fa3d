// One experiment input through the steps, in-process, with the kernels and writers the single
// verbs use (localizeRun on a worker pool as `localize`, SlidingMovie + writeMovieTiffs as
// `movie`, the tracks API or the track importers as `track`, FrameSweep + analyzeColocalization
// as `coloc`). Results go to OUT/<id>/; the result objects feed the input's summary.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LocalizeApi } from '../../workers/localize.api';
import { writeMovieTiffs } from '../../workers/movie.export';
import { createTracksApi } from '../../workers/tracks.api';
import { pooledOtsuThreshold } from '../core/binarize/otsu';
import { gaussianSmooth } from '../core/binarize/smooth';
import type { LabelledStructures } from '../core/binarize/structures';
import { analyseCalcium, type CellRow, cellsCsv, tracesCsv } from '../core/calcium';
import { analyzeColocalization, type ColocParams, colocControls } from '../core/coloc/analysis';
import { FrameSweep } from '../core/coloc/frameSweep';
import { distancesCsv, trackTestCsv } from '../core/coloc/report';
import { analyzeEvMarkers } from '../core/ev/analyzeEvMarkers';
import { type Classification, classifyEvs } from '../core/ev/classify';
import { evTableCsv } from '../core/ev/evTableCsv';
import { resolveEvMarkerParams } from '../core/ev/params';
import { localizeStepParams } from '../core/experiment/localizeStep';
import type { Experiment, ExperimentInput, ExperimentStepName } from '../core/experiment/model';
import { inputKind } from '../core/experiment/model';
import type { InputResults } from '../core/experiment/summary';
import { writeThunderstormCsv } from '../core/io/thunderstormCsv';
import { applyPipeline } from '../core/locs/pipeline';
import { type ColumnArray, concatLocTables, type LocTable, selectRows } from '../core/locs/table';
import type { RenderGrid } from '../core/movie/grid';
import { SlidingMovie } from '../core/movie/slidingMovie';
import { movieFrameCount, movieFrameLimitError } from '../core/movie/window';
import { PHYSICAL_DEFAULTS } from '../core/physicalDefaults';
import { noMoviePositionsReason, trackPositionsForMovie } from '../core/spt/blocks';
import { detectTrackFormat, parseSptText, parseTrackCsv, tracksToCsv } from '../core/spt/io';
import { filterTracks, summarizeTracks } from '../core/spt/summary';
import type { TrackTable } from '../core/spt/types';
import { readFrameBlock } from '../core/stack/frameBlock';
import type { FrameSource } from '../core/stack/types';
import { localizeRun } from '../engine/localizeRun';
import { localizeNodeWorkerFactory } from '../engine/nodeWorker';
import { WorkerPool } from '../engine/workerPool';
import { readLocsFromDisk } from './locFiles';
import { withStack } from './openInputs';
import { outputSink, writeOutputSafely } from './safeOutput';

export interface InputRunContext {
  experiment: Experiment;
  input: ExperimentInput;
  steps: ExperimentStepName[];
  /** Folder the experiment's relative paths start from. */
  baseDir: string;
  /** OUT/<id>/ (exists). */
  dir: string;
  threads: number;
}

const STALL_TIMEOUT_MS = 60_000;

export function inputPath(baseDir: string, p: string): string {
  return resolve(baseDir, p);
}

/** Everything the steps need about the acquisition, from the stack or the experiment file. */
interface Acquisition {
  rawFrames: number;
  widthPx: number;
  heightPx: number;
  pixelNm: number;
  frameIntervalS: number;
}

/** Runs the steps; returns the result objects the summary is built from. */
export async function runInput(ctx: InputRunContext): Promise<InputResults> {
  const { input, baseDir } = ctx;
  const main = inputPath(baseDir, input.path);
  if (inputKind(input) === 'localizations') {
    const r = await readLocsFromDisk(main, ctx.experiment.pixelSizeNm);
    return analyse(ctx, r.table, null);
  }
  const paths = [main, ...(input.files?.sidecar ? [inputPath(baseDir, input.files.sidecar)] : [])];
  return withStack(paths, async (stack) => {
    const locs = ctx.steps.includes('localize') ? await step('localize', () => localize(ctx, stack)) : null;
    return analyse(ctx, locs, stack);
  });
}

/** Runs `f`, naming the step in any error (the batch prints it beside the input). */
async function step<T>(name: ExperimentStepName, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function analyse(
  ctx: InputRunContext,
  locs: LocTable | null,
  stack: FrameSource | null,
): Promise<InputResults> {
  const out: InputResults = {};
  const acq = acquisition(ctx, locs, stack);
  if (locs) out.locs = locs;
  const interval = movieInterval(ctx, acq);
  let movie: { structures: LabelledStructures; grid: RenderGrid; movieFrames: number } | null = null;
  if (ctx.steps.includes('movie')) {
    if (!locs) throw new Error('movie: the movie step needs localizations');
    movie = await step('movie', () => movieStep(ctx, locs, acq));
    out.structures = { structures: movie.structures, movieFrameIntervalS: interval };
  }
  let tracks: TrackTable | null = null;
  if (ctx.steps.includes('tracks')) {
    tracks = await step('tracks', async () => {
      const t = await tracksStep(ctx, stack, acq);
      await writeOutputSafely(join(ctx.dir, 'tracks.csv'), tracksToCsv(t));
      return t;
    });
    out.tracks = summarizeTracks(tracks, { frameInterval: acq.frameIntervalS });
  }
  if (ctx.steps.includes('coloc')) {
    if (!movie || !tracks) throw new Error('coloc: the coloc step needs the movie and tracks steps');
    const m = movie;
    const t = tracks;
    out.coloc = {
      result: await step('coloc', () => colocStep(ctx, t, m, acq)),
      movieFrameIntervalS: interval,
    };
  }
  if (ctx.steps.includes('markers')) {
    if (!stack) throw new Error('markers: EV marker counting needs a stack');
    out.markers = await step('markers', () => markersStep(ctx, stack));
  }
  if (ctx.steps.includes('calcium')) {
    if (!stack) throw new Error('calcium: the Ca²⁺ step needs a stack');
    out.calcium = await step('calcium', () => calciumStep(ctx, stack));
  }
  return out;
}

/**
 * Ca²⁺ responses of the input's segmented cells, as `evscope calcium` computes them: per-cell
 * table and traces in the input's folder (calcium_cells.csv, calcium_traces.csv).
 */
async function calciumStep(ctx: InputRunContext, stack: FrameSource): Promise<CellRow[]> {
  const { channel = 0, ...params } = ctx.experiment.steps.calcium!;
  if (channel >= stack.channels)
    throw new Error(`calcium.channel ${channel} is not a channel of the stack (0–${stack.channels - 1})`);
  const frameMs = stack.meta.frameIntervalMs ?? ctx.experiment.frameIntervalMs ?? 1000;
  const options = { channel };
  const r = await analyseCalcium(
    {
      width: stack.width,
      height: stack.height,
      frameCount: stack.frameCount,
      readFrame: (i) => stack.readFrame(i, options),
      readFrames: stack.readFrames ? (first, n) => readFrameBlock(stack, first, n, options) : undefined,
    },
    { ...params, frameIntervalS: params.frameIntervalS ?? frameMs / 1000 },
  );
  await writeOutputSafely(join(ctx.dir, 'calcium_cells.csv'), cellsCsv(r));
  await writeOutputSafely(join(ctx.dir, 'calcium_traces.csv'), tracesCsv(r));
  return r.cells;
}

/** EV marker counting and typing, as `evscope count` does for one stack. */
async function markersStep(ctx: InputRunContext, stack: FrameSource): Promise<Classification> {
  const input = ctx.experiment.steps.markers!;
  const params = resolveEvMarkerParams(
    { ...input, pixelSizeNm: input.pixelSizeNm ?? stack.meta.pixelSizeNm ?? ctx.experiment.pixelSizeNm },
    stack,
  );
  const table = await analyzeEvMarkers(stack, params);
  const c = classifyEvs(
    table.columns,
    params.channels.map((x) => ({ name: x.name, role: x.role, threshold: x.threshold })),
    params.counting.method,
    params.subtypeNames,
  );
  const columns: Record<string, ColumnArray> = { ...table.columns, subtype: c.subtype };
  for (const m of c.markerNames) columns[`${m} fraction`] = c.composition[m];
  if (c.probe) columns['probe count'] = c.probe;
  await writeOutputSafely(
    join(ctx.dir, 'evs.csv'),
    evTableCsv({ length: table.length, columns, subtypeNames: c.subtypeNames }),
  );
  return c;
}

function movieInterval(ctx: InputRunContext, acq: Acquisition): number {
  return (ctx.experiment.steps.movie?.step ?? 1) * acq.frameIntervalS;
}

function acquisition(ctx: InputRunContext, locs: LocTable | null, stack: FrameSource | null): Acquisition {
  const e = ctx.experiment;
  const x = ctx.input;
  const pixelNm = stack?.meta.pixelSizeNm ?? e.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  const frameMs = stack?.meta.frameIntervalMs ?? e.frameIntervalMs ?? PHYSICAL_DEFAULTS.frameIntervalMs;
  if (stack)
    return {
      rawFrames: stack.frameCount,
      widthPx: stack.width,
      heightPx: stack.height,
      pixelNm,
      frameIntervalS: frameMs / 1000,
    };
  let lastFrame = 0;
  let maxX = 0;
  let maxY = 0;
  if (locs)
    for (let i = 0; i < locs.length; i++) {
      lastFrame = Math.max(lastFrame, locs.columns.frame[i] + 1);
      maxX = Math.max(maxX, locs.columns.x[i]);
      maxY = Math.max(maxY, locs.columns.y[i]);
    }
  return {
    rawFrames: x.frames ?? lastFrame,
    widthPx: x.fieldPx?.width ?? Math.ceil((maxX + 1e-9) / pixelNm),
    heightPx: x.fieldPx?.height ?? Math.ceil((maxY + 1e-9) / pixelNm),
    pixelNm,
    frameIntervalS: frameMs / 1000,
  };
}

async function localize(ctx: InputRunContext, stack: FrameSource): Promise<LocTable> {
  const { channel, params } = localizeStepParams(
    ctx.experiment.steps.localize,
    stack,
    stack.meta.pixelSizeNm ?? ctx.experiment.pixelSizeNm,
  );
  const pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), {
    size: ctx.threads,
    stallTimeoutMs: STALL_TIMEOUT_MS,
  });
  const chunks: LocTable[] = [];
  try {
    const res = await localizeRun({
      source: {
        width: stack.width,
        height: stack.height,
        frameCount: stack.frameCount,
        readFrame: (i, signal) => stack.readFrame(i, { channel, signal }),
      },
      params,
      pool,
      onChunk: (t) => chunks.push(t),
    });
    if (res.failedFrame)
      throw new Error(
        `frame ${res.failedFrame.frame + 1} could not be localized (${res.failedFrame.message})`,
      );
  } finally {
    pool.terminate();
  }
  const table = concatLocTables(chunks);
  await writeOutputSafely(join(ctx.dir, 'locs.csv'), writeThunderstormCsv(table));
  return table;
}

async function movieStep(ctx: InputRunContext, raw: LocTable, acq: Acquisition) {
  const p = ctx.experiment.steps.movie!;
  const post = ctx.experiment.steps.post;
  let table = post?.length ? applyPipeline(raw, post).table : raw;
  const w = { window: p.window, step: p.step };
  const movieFrames = movieFrameCount(acq.rawFrames, w);
  if (movieFrames === 0)
    throw new Error(`the movie window (${p.window}) is longer than the ${acq.rawFrames} raw frames`);
  const tooMany = movieFrameLimitError(acq.rawFrames, w);
  if (tooMany) throw new Error(tooMany);
  if (p.sigma.kind === 'precision' && !table.columns.precision)
    throw new Error('the localizations have no precision column: give the movie a fixed sigma');
  const keep = new Uint8Array(table.length);
  let beyond = 0;
  for (let i = 0; i < table.length; i++) {
    keep[i] = table.columns.frame[i] < acq.rawFrames ? 1 : 0;
    beyond += 1 - keep[i];
  }
  if (beyond) table = selectRows(table, keep);
  const fieldW = acq.widthPx * acq.pixelNm;
  const fieldH = acq.heightPx * acq.pixelNm;
  const grid: RenderGrid = {
    x0Nm: 0,
    y0Nm: 0,
    width: Math.ceil(fieldW / p.renderPxNm),
    height: Math.ceil(fieldH / p.renderPxNm),
    pixelNm: p.renderPxNm,
  };
  const movie = SlidingMovie.fromTable(table, { ...w, grid, sigma: p.sigma }, acq.rawFrames);
  const threshold =
    p.threshold.kind === 'manual'
      ? p.threshold.value
      : pooledOtsuThreshold(
          movie.frameCount,
          (n) =>
            p.smoothSigmaPx > 0
              ? gaussianSmooth(movie.getFrame(n), grid.width, grid.height, p.smoothSigmaPx)
              : movie.getFrame(n),
          { sampleFrames: p.threshold.sampleFrames },
        );
  if (!Number.isFinite(threshold)) throw new Error('Otsu found no split (the sampled movie frames are flat)');
  const mask = await outputSink(join(ctx.dir, 'mask.tif'));
  const labels = await outputSink(join(ctx.dir, 'labels.tif'));
  let ok = false;
  try {
    const r = await writeMovieTiffs(movie, {
      mask: mask.sink,
      labels: labels.sink,
      threshold,
      smoothSigmaPx: p.smoothSigmaPx,
      connectivity: p.connectivity,
      rawFrameIntervalMs: acq.frameIntervalS * 1000,
    });
    ok = true;
    if (!r.structures) throw new Error('the movie produced no label movie');
    return { structures: r.structures, grid, movieFrames: r.frames };
  } finally {
    await mask.finish(ok);
    await labels.finish(ok);
  }
}

async function tracksStep(
  ctx: InputRunContext,
  stack: FrameSource | null,
  acq: Acquisition,
): Promise<TrackTable> {
  const p = ctx.experiment.steps.tracks!;
  const file = ctx.input.files?.tracks;
  if (file) {
    const path = inputPath(ctx.baseDir, file);
    const text = await readFile(path, 'utf8');
    const opts = { pixelSize: p.pixelSizeNm ?? acq.pixelNm, frameBase: p.frameBase ?? 1 };
    let t: TrackTable;
    try {
      t = detectTrackFormat(text) === 'csv' ? parseTrackCsv(text, opts) : parseSptText(text, opts);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    return filterTracks(t, { minLength: p.filter.minLength, minMeanIntensity: p.filter.minMeanIntensity });
  }
  if (!stack) throw new Error('tracking needs a stack (or files.tracks to import)');
  const api = createTracksApi(async () => stack);
  const r = await api.track({
    recipe: { kind: 'files', files: [] },
    channel: p.channel ?? stack.channels - 1,
    localize: { pixelSizeNm: acq.pixelNm, ...p.localize },
    link: p.link,
    filter: p.filter,
    frameIntervalS: acq.frameIntervalS,
  });
  return r.tracks;
}

async function colocStep(
  ctx: InputRunContext,
  tracks: TrackTable,
  movie: { structures: LabelledStructures; grid: RenderGrid; movieFrames: number },
  acq: Acquisition,
) {
  const m = ctx.experiment.steps.movie!;
  const c = ctx.experiment.steps.coloc!;
  const { grid, movieFrames, structures } = movie;
  const positions = trackPositionsForMovie(tracks, { step: m.step, window: m.window, movieFrames });
  if (!positions.length)
    throw new Error(noMoviePositionsReason(tracks, { step: m.step, window: m.window, movieFrames }));
  const params: ColocParams = {
    ...c,
    movieFrames,
    frameInterval: m.step * acq.frameIntervalS,
    controlRegion: {
      kind: 'rect',
      x0: grid.x0Nm,
      y0: grid.y0Nm,
      x1: grid.x0Nm + grid.width * grid.pixelNm,
      y1: grid.y0Nm + grid.height * grid.pixelNm,
    },
  };
  const controls = colocControls(positions, params);
  const sweep = new FrameSweep(
    movieFrames,
    [positions.columns, controls.points.columns, controls.tracks.columns],
    {
      grid,
      perStructure: params.pooling === 'pooled',
    },
  );
  const lab = new Uint32Array(grid.width * grid.height);
  for (let t = 0; t < movieFrames; t++)
    sweep.addFrame(t, sweep.needs(t) ? structures.labelFrame(t, lab) : null);
  const r = analyzeColocalization(positions, sweep.provider(), params, controls);
  await writeOutputSafely(join(ctx.dir, 'distances.csv'), distancesCsv(r.distances));
  await writeOutputSafely(join(ctx.dir, 'per_track.csv'), trackTestCsv(r));
  return r;
}
