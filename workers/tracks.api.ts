// The EV tracking and distance-analysis worker (SCIENCE.md §4).
//  - track: opens the stack from its recipe (frames never cross threads), detects and fits the
//    EVs of one channel with the localizer, links them (LAP with gap closing), filters and
//    summarises the tracks (MSD, D, mobility class);
//  - importTracks: the same result from a ThunderSTORM-style CSV or a 7-column SPT text;
//  - distances: renders the sliding-window movie of the PALM localizations, binarizes it (Otsu
//    pooled over evenly spaced frames, or a set threshold), sweeps it once measuring the signed
//    distance of every EV position (block-averaged on the movie's step) and every control point,
//    then runs the colocalization statistics.
// Progress is throttled; `cancel` aborts the running call between frames.
import * as Comlink from 'comlink';
import { otsuThreshold, pooledOtsuThreshold } from '../src/core/binarize/otsu';
import { binarize, gaussianSmooth } from '../src/core/binarize/smooth';
import {
  analyzeColocalization,
  type ColocParams,
  type ColocResult,
  colocControls,
} from '../src/core/coloc/analysis';
import type { ControlRegion } from '../src/core/coloc/analysisControl';
import type { HistogramSpec } from '../src/core/coloc/analysisHistogram';
import { FrameSweep } from '../src/core/coloc/frameSweep';
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import { concatLocTables, type LocTable } from '../src/core/locs/table';
import { gridForCameraRegion, type RenderGrid } from '../src/core/movie/grid';
import type { MovieSigma, SlidingMovie } from '../src/core/movie/slidingMovie';
import { movieFrameCount } from '../src/core/movie/window';
import type { Affine } from '../src/core/registration/affine';
import { noMoviePositionsReason, trackPositionsForMovie } from '../src/core/spt/blocks';
import { parseSptText, parseTrackCsv } from '../src/core/spt/io';
import { linkWithRadiusCheck, type RadiusCheck } from '../src/core/spt/radiusCheck';
import { filterTracks, summarizeTracks, type TrackSummary } from '../src/core/spt/summary';
import { detectionsFromLocTable, type TrackTable } from '../src/core/spt/types';
import type { FrameSource, PixelArray } from '../src/core/stack/types';
import { type DistanceSweepApi, movieForSweep, type SweepRange, sweepRange } from './distanceSweep.api';
import { openRecipe, type StackRecipe } from './stackRecipe';

export interface TrackFilterParams {
  /** Shortest track kept, in positions. */
  minLength: number;
  /** Lowest mean intensity kept (photons); 0 keeps all. */
  minMeanIntensity: number;
}

export interface TrackingRequest {
  recipe: StackRecipe;
  /** 0-based EV channel. */
  channel: number;
  /** Detection and fitting (pixel size, σ, threshold, camera); σ is fitted by default. */
  localize: LocalizeParamsInput;
  /**
   * `autoRadius`: when the radius check (radiusCheck.ts) finds the radius short for the fastest
   * EVs, link once more with the suggested radius (detections are kept, so this is cheap).
   */
  link: { maxLinkDistance: number; maxGap: number; autoRadius?: boolean };
  filter: TrackFilterParams;
  /** Raw frame interval, s (for D). */
  frameIntervalS: number;
  /** Raw frames [start, end) to track; default all. */
  frames?: { start: number; end: number };
  /**
   * The channel's spots, found already with `localize` over `frames` (the localization pool does
   * it on every core): the worker only links them. Absent: it detects them itself, on one core.
   */
  detections?: LocTable;
}

export interface TrackImportRequest {
  text: string;
  fileName: string;
  format: 'csv' | 'text';
  /** Camera pixel size (nm) for columns in pixels. */
  pixelSizeNm: number;
  frameBase: 0 | 1;
  filter: TrackFilterParams;
  frameIntervalS: number;
}

export interface TracksResult {
  tracks: TrackTable;
  summary: TrackSummary;
  source: { kind: 'tracked'; channel: number } | { kind: 'imported'; fileName: string };
  /** Spots detected (tracking) or rows read (import). */
  detections: number;
  /** Tracks before the filters. */
  tracksBefore: number;
  segments: number;
  gapsClosed: number;
  /** Tracking only: is the search radius large enough for the EVs' steps (radiusCheck.ts)? */
  radiusCheck?: RadiusCheck;
  elapsedMs: number;
}

export type TracksPhase = 'detect' | 'link' | 'movie' | 'threshold' | 'cell' | 'distances' | 'statistics';

export interface TracksProgress {
  phase: TracksPhase;
  done: number;
  total: number;
  /** Seconds since the call started. */
  elapsed: number;
}

export interface PalmLocalizations {
  length: number;
  frame: Uint32Array;
  x: Float64Array | Float32Array;
  y: Float64Array | Float32Array;
  /** Localization precision, nm (for σ from precision). */
  precision?: Float32Array | Float64Array;
}

export interface MovieSettings {
  /** W and S, raw frames. */
  window: number;
  step: number;
  renderPxNm: number;
  sigma: MovieSigma;
  /** Gaussian smoothing before thresholding, render px. */
  smoothSigmaPx: number;
}

export type ThresholdChoice = { kind: 'otsu'; sampleFrames: number } | { kind: 'manual'; value: number };

export type ControlChoice =
  | { kind: 'field' }
  /** Uniform over the cell: the mean projection of `channel`, smoothed, thresholded by Otsu. */
  | { kind: 'cell'; recipe: StackRecipe; channel: number; smoothPx: number }
  /** Uniform inside a polygon drawn by the user (nm, channel-0 coordinates). */
  | { kind: 'polygon'; x: number[]; y: number[] };

export interface DistanceRequest {
  tracks: TrackTable;
  locs: PalmLocalizations;
  /** Raw frames of the stack and their interval. */
  rawFrames: number;
  rawFrameIntervalS: number;
  /** The camera field (px) and pixel size (nm): the movie covers it. */
  camera: { width: number; height: number; pixelNm: number };
  movie: MovieSettings;
  threshold: ThresholdChoice;
  /** Maps EV-channel nm onto the PALM channel's nm (two-colour registration); null: identity. */
  evAffine: Affine | null;
  control: ControlChoice;
  controlPerFrame: number;
  controlSeed?: number;
  /** The distance analysis's other settings (an experiment's coloc step); default as ColocParams. */
  colocExtra?: Pick<
    ColocParams,
    'controlTracksPerTrack' | 'permutations' | 'minDuration' | 'includeCensored'
  >;
  cutoffNm: number;
  histogram: HistogramSpec;
  pooling: 'nearest' | 'pooled';
}

export interface CellMask {
  width: number;
  height: number;
  pixelNm: number;
  mask: Uint8Array;
  threshold: number;
  coverage: number;
}

export interface DistanceResult {
  coloc: ColocResult;
  grid: RenderGrid;
  movieFrames: number;
  /** Movie frame interval, s (S × raw frame interval). */
  movieFrameIntervalS: number;
  window: number;
  step: number;
  threshold: number;
  thresholdKind: 'otsu' | 'manual';
  /** Mean fraction of the field covered by structures, over the frames measured. */
  structureCoverage: number;
  cellMask: CellMask | null;
  evPositions: number;
  elapsedMs: number;
}

const PROGRESS_INTERVAL_MS = 150;
const YIELD_INTERVAL_MS = 40;
const DETECT_CHUNK = 32;

/** The channel's spots over the requested frames, detected and fitted here, frame after frame. */
async function detect(
  open: (recipe: StackRecipe, signal?: AbortSignal) => Promise<FrameSource>,
  req: TrackingRequest,
  signal: AbortSignal,
  pace: ReturnType<typeof pacer>,
): Promise<LocTable> {
  const src = await open(req.recipe, signal);
  if (!(Number.isInteger(req.channel) && req.channel >= 0 && req.channel < src.channels))
    throw new Error(`Channel ${req.channel + 1} does not exist: ${src.name} has ${src.channels}.`);
  const params = resolveLocalizeParams(req.localize);
  const scratch = new LocalizeScratch(src.width, src.height, params);
  const start = req.frames?.start ?? 0;
  const end = Math.min(req.frames?.end ?? src.frameCount, src.frameCount);
  const size = src.width * src.height;
  const chunks: LocTable[] = [];
  let block: PixelArray | null = null;
  for (let f = start; f < end; f += DETECT_CHUNK) {
    const count = Math.min(DETECT_CHUNK, end - f);
    for (let k = 0; k < count; k++) {
      const frame = await src.readFrame(f + k, { channel: req.channel });
      if (!block || block.length < DETECT_CHUNK * size) {
        const Ctor = frame.constructor as new (n: number) => PixelArray;
        block = new Ctor(DETECT_CHUNK * size);
      }
      block.set(frame, k * size);
    }
    chunks.push(localizeFrames(block!, count, f, scratch));
    pace.report('detect', f + count - start, end - start);
    await pace.tick();
  }
  return concatLocTables(chunks);
}
const CELL_PROJECTION_FRAMES = 200;
/** Fewer movie frames than twice this are not worth a helper worker's start-up. */
const MIN_PARALLEL_FRAMES = 20;

/** A worker running distanceSweep.api for one call; `died` rejects if it stops. */
export interface SweepHelper {
  api: Comlink.Remote<DistanceSweepApi>;
  died: Promise<never>;
  terminate(): void;
}

const yieldNow = () => new Promise((r) => setTimeout(r, 0));

class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

/** Throttled progress + cooperative cancellation, one per call. */
function pacer(signal: AbortSignal, onProgress?: (p: TracksProgress) => void) {
  const t0 = performance.now();
  let lastSent = 0;
  let lastYield = t0;
  return {
    t0,
    report(phase: TracksPhase, done: number, total: number, force = false) {
      const now = performance.now();
      if (!force && now - lastSent < PROGRESS_INTERVAL_MS && done < total) return;
      lastSent = now;
      onProgress?.({ phase, done, total, elapsed: (now - t0) / 1000 });
    },
    /** Lets a cancel message in now and then; throws once cancelled. */
    async tick() {
      const now = performance.now();
      if (now - lastYield > YIELD_INTERVAL_MS) {
        lastYield = now;
        await yieldNow();
      }
      if (signal.aborted) throw new Cancelled();
    },
  };
}

function summarize(tracks: TrackTable, filter: TrackFilterParams, frameIntervalS: number) {
  const kept = filterTracks(tracks, {
    minLength: filter.minLength,
    minMeanIntensity: filter.minMeanIntensity > 0 ? filter.minMeanIntensity : undefined,
  });
  return { kept, summary: summarizeTracks(kept, { frameInterval: frameIntervalS }) };
}

function countTracks(t: TrackTable): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) if (i === 0 || t.columns.track[i] !== t.columns.track[i - 1]) n++;
  return n;
}

function transferResult(r: TracksResult): TracksResult {
  return Comlink.transfer(r, [
    ...Object.values(r.tracks.columns).map((c) => c.buffer as ArrayBuffer),
    ...Object.values(r.summary.columns).map((c) => c.buffer as ArrayBuffer),
  ]);
}

/** Mean of up to `maxFrames` evenly spaced frames of one channel. */
export async function meanProjection(
  src: FrameSource,
  channel: number,
  maxFrames: number,
  tick: () => Promise<void>,
): Promise<Float64Array> {
  const n = src.frameCount;
  const k = Math.min(n, maxFrames);
  const sum = new Float64Array(src.width * src.height);
  for (let i = 0; i < k; i++) {
    const f = k === 1 ? 0 : Math.round((i * (n - 1)) / (k - 1));
    const frame = await src.readFrame(f, { channel });
    for (let p = 0; p < sum.length; p++) sum[p] += frame[p];
    await tick();
  }
  for (let p = 0; p < sum.length; p++) sum[p] /= k;
  return sum;
}

/** The cell as the bright region of a smoothed mean projection (Otsu), in camera pixels. */
export function cellMaskFromProjection(
  projection: ArrayLike<number>,
  width: number,
  height: number,
  pixelNm: number,
  smoothPx: number,
): CellMask {
  const smooth = gaussianSmooth(projection, width, height, smoothPx);
  const threshold = otsuThreshold(smooth);
  const mask = binarize(smooth, threshold);
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i];
  return { width, height, pixelNm, mask, threshold, coverage: c / mask.length };
}

/** Tracks in the EV channel's nm mapped onto the PALM channel (the registration's one call). */
export function registerTracks(t: TrackTable, affine: Affine | null): TrackTable {
  if (!affine) return t;
  const { x, y } = t.columns;
  const ox = new Float64Array(t.length);
  const oy = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    ox[i] = affine.a * x[i] + affine.b * y[i] + affine.c;
    oy[i] = affine.d * x[i] + affine.e * y[i] + affine.f;
  }
  return { length: t.length, columns: { ...t.columns, x: ox, y: oy } };
}

/**
 * Sweeps the movie's frames into `sweep`: the first half here, the second in a helper worker
 * when there is one (distanceSweep.api.ts), both parts adopted in order.
 */
async function sweepInParts(
  range: SweepRange,
  sweep: FrameSweep,
  movie: SlidingMovie,
  pace: ReturnType<typeof pacer>,
  spawn?: () => SweepHelper | null,
): Promise<{ covered: number; measured: number }> {
  const total = range.end - range.start;
  const helper = total >= 2 * MIN_PARALLEL_FRAMES ? (spawn?.() ?? null) : null;
  const split = helper ? range.start + Math.ceil(total / 2) : range.end;
  let localDone = 0;
  let helperDone = 0;
  const report = () => pace.report('distances', localDone + helperDone, total);
  const remote = helper
    ? Promise.race([
        helper.api.sweep(
          { ...range, start: split },
          Comlink.proxy((d: number) => {
            helperDone = d;
            report();
          }),
        ),
        helper.died,
      ])
    : null;
  // Rejections are taken when awaited below; until then they must not go unhandled.
  remote?.catch(() => {});
  try {
    const local = await sweepRange(
      { ...range, end: split },
      async (d) => {
        localDone = d;
        report();
        await pace.tick();
      },
      movie,
    );
    sweep.adopt(local.part);
    if (!remote) return local;
    const far = await remote;
    sweep.adopt(far.part);
    return { covered: local.covered + far.covered, measured: local.measured + far.measured };
  } finally {
    helper?.terminate();
  }
}

export function createTracksApi(
  open: (recipe: StackRecipe, signal?: AbortSignal) => Promise<FrameSource> = openRecipe,
  /** A helper worker for the per-frame distances (browser); none: one thread (Node, tests). */
  sweepHelper?: () => SweepHelper | null,
) {
  let current: AbortController | null = null;

  function begin(): AbortController {
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    return ctl;
  }

  return {
    async track(req: TrackingRequest, onProgress?: (p: TracksProgress) => void): Promise<TracksResult> {
      const ctl = begin();
      const pace = pacer(ctl.signal, onProgress);
      try {
        const spots = req.detections ?? (await detect(open, req, ctl.signal, pace));
        pace.report('link', 0, 1, true);
        await pace.tick();
        const { linked, radiusCheck } = linkWithRadiusCheck(
          detectionsFromLocTable(spots, 'photons'),
          req.link,
        );
        const { kept, summary } = summarize(linked.tracks, req.filter, req.frameIntervalS);
        pace.report('link', 1, 1, true);
        return transferResult({
          tracks: kept,
          summary,
          source: { kind: 'tracked', channel: req.channel },
          detections: spots.length,
          tracksBefore: countTracks(linked.tracks),
          segments: linked.segments,
          gapsClosed: linked.gapsClosed,
          radiusCheck,
          elapsedMs: performance.now() - pace.t0,
        });
      } finally {
        if (current === ctl) current = null;
      }
    },

    importTracks(req: TrackImportRequest): TracksResult {
      const t0 = performance.now();
      let tracks: TrackTable;
      try {
        tracks =
          req.format === 'csv'
            ? parseTrackCsv(req.text, { pixelSize: req.pixelSizeNm, frameBase: req.frameBase })
            : parseSptText(req.text, { pixelSize: req.pixelSizeNm, frameBase: req.frameBase });
      } catch (e) {
        throw new Error(`${req.fileName}: ${(e as Error).message}`);
      }
      const { kept, summary } = summarize(tracks, req.filter, req.frameIntervalS);
      return transferResult({
        tracks: kept,
        summary,
        source: { kind: 'imported', fileName: req.fileName },
        detections: tracks.length,
        tracksBefore: countTracks(tracks),
        segments: 0,
        gapsClosed: 0,
        elapsedMs: performance.now() - t0,
      });
    },

    async distances(req: DistanceRequest, onProgress?: (p: TracksProgress) => void): Promise<DistanceResult> {
      const ctl = begin();
      const pace = pacer(ctl.signal, onProgress);
      try {
        const m = req.movie;
        const movieFrames = movieFrameCount(req.rawFrames, m);
        if (movieFrames < 1)
          throw new Error(
            `The movie window (${m.window} frames) is longer than the stack (${req.rawFrames} frames): shorten it.`,
          );
        if (!req.tracks.length)
          throw new Error('There are no tracks to measure: track the EVs or import tracks first.');
        if (!req.locs.length)
          throw new Error(
            'There are no PALM localizations to build the movie from: run Localize on channel 1 first.',
          );
        const grid = gridForCameraRegion(
          { x: 0, y: 0, width: req.camera.width, height: req.camera.height },
          req.camera.pixelNm,
          m.renderPxNm,
        );
        const sigma: MovieSigma =
          m.sigma.kind === 'precision' && !req.locs.precision
            ? { kind: 'fixed', nm: Math.max(m.sigma.minNm ?? 0, 20) }
            : m.sigma;
        const columns: Record<string, Uint32Array | Float64Array | Float32Array> = {
          frame: req.locs.frame,
          x: req.locs.x,
          y: req.locs.y,
        };
        if (req.locs.precision) columns.precision = req.locs.precision;
        pace.report('movie', 0, 1, true);
        const movieOptions = {
          window: m.window,
          step: m.step,
          grid,
          sigma,
          frameIntervalS: req.rawFrameIntervalS,
        };
        const locs = { length: req.locs.length, columns };
        const movie = movieForSweep({ locs, movie: movieOptions, rawFrames: req.rawFrames });
        await pace.tick();

        // Positions first, so the sweep knows which frames need a distance field.
        const registered = registerTracks(req.tracks, req.evAffine);
        const positions = trackPositionsForMovie(registered, { step: m.step, window: m.window, movieFrames });
        if (!positions.length)
          throw new Error(
            `${noMoviePositionsReason(registered, { step: m.step, window: m.window, movieFrames })} Shorten the window W or track the frames the movie covers.`,
          );
        let cellMask: CellMask | null = null;
        let region: ControlRegion;
        if (req.control.kind === 'cell') {
          pace.report('cell', 0, 1, true);
          const src = await open(req.control.recipe, ctl.signal);
          const proj = await meanProjection(src, req.control.channel, CELL_PROJECTION_FRAMES, pace.tick);
          cellMask = cellMaskFromProjection(
            proj,
            src.width,
            src.height,
            req.camera.pixelNm,
            req.control.smoothPx,
          );
          if (!(cellMask.coverage > 0))
            throw new Error('The cell mask is empty: use the whole field as control.');
          region = {
            kind: 'mask',
            mask: cellMask.mask,
            x0: 0,
            y0: 0,
            pixelNm: req.camera.pixelNm,
            width: cellMask.width,
            height: cellMask.height,
          };
        } else if (req.control.kind === 'polygon') {
          region = { kind: 'polygon', x: req.control.x, y: req.control.y };
        } else {
          region = {
            kind: 'rect',
            x0: grid.x0Nm,
            y0: grid.y0Nm,
            x1: grid.x0Nm + grid.width * grid.pixelNm,
            y1: grid.y0Nm + grid.height * grid.pixelNm,
          };
        }
        const params: ColocParams = {
          movieFrames,
          frameInterval: m.step * req.rawFrameIntervalS,
          controlRegion: region,
          controlPerFrame: req.controlPerFrame,
          controlSeed: req.controlSeed ?? 1,
          cutoff: req.cutoffNm,
          histogram: req.histogram,
          pooling: req.pooling,
          ...req.colocExtra,
        };
        const controls = colocControls(positions, params);

        let threshold: number;
        if (req.threshold.kind === 'manual') threshold = req.threshold.value;
        else {
          pace.report('threshold', 0, 1, true);
          threshold = pooledOtsuThreshold(
            movieFrames,
            (n) => gaussianSmooth(movie.getFrame(n), grid.width, grid.height, m.smoothSigmaPx),
            { sampleFrames: req.threshold.sampleFrames },
          );
          if (!Number.isFinite(threshold))
            throw new Error('Otsu found no threshold: the movie frames are flat. Set the threshold by hand.');
        }
        await pace.tick();

        const sets = [positions.columns, controls.points.columns, controls.tracks.columns].map(
          ({ frame, x, y }) => ({ frame, x, y }),
        );
        const sweep = new FrameSweep(movieFrames, sets, { grid, perStructure: req.pooling === 'pooled' });
        const range: SweepRange = {
          locs,
          rawFrames: req.rawFrames,
          movie: movieOptions,
          movieFrames,
          smoothSigmaPx: m.smoothSigmaPx,
          threshold,
          sets,
          perStructure: req.pooling === 'pooled',
          start: 0,
          end: movieFrames,
        };
        const { covered, measured } = await sweepInParts(range, sweep, movie, pace, sweepHelper);
        pace.report('statistics', 0, 1, true);
        const coloc = analyzeColocalization(positions, sweep.provider(), params, controls);
        pace.report('statistics', 1, 1, true);
        return {
          coloc,
          grid,
          movieFrames,
          movieFrameIntervalS: m.step * req.rawFrameIntervalS,
          window: m.window,
          step: m.step,
          threshold,
          thresholdKind: req.threshold.kind,
          structureCoverage: measured ? covered / measured : 0,
          cellMask,
          evPositions: positions.length,
          elapsedMs: performance.now() - pace.t0,
        };
      } finally {
        if (current === ctl) current = null;
      }
    },

    /** Stops the running call; its promise rejects. */
    cancel(): void {
      current?.abort();
    },
  };
}

export type TracksApi = ReturnType<typeof createTracksApi>;
