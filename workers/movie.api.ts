// The movie worker's API: it owns one SlidingMovie built from localization chunks as they stream
// in, renders frames to RGBA for playback (colour map, a contrast fixed across the movie, binary
// or structure outlines), finds the Otsu threshold, labels structures and writes TIFF downloads.
// Long jobs yield between frames so a cancel() or a playback frame can get in.

import { binaryMovieFrames } from '../src/core/binarize/movieStructures';
import { evenlySpacedIndices, pooledOtsuThreshold } from '../src/core/binarize/otsu';
import { gaussianSmooth } from '../src/core/binarize/smooth';
import type { Connectivity, LabelledStructures, StructurePart } from '../src/core/binarize/structures';
import { StructureLabeller } from '../src/core/binarize/structures';
import { contrastingColours } from '../src/core/color/lut';
import { type ColormapName, colormapLut, paintFrame } from '../src/core/display/colormaps';
import { locTableFromColumns } from '../src/core/locs/table';
import type { RenderGrid } from '../src/core/movie/grid';
import type { MovieDtype } from '../src/core/movie/quantise';
import { type MovieSigma, SlidingMovie } from '../src/core/movie/slidingMovie';
import type { MovieFrameTimes } from '../src/core/movie/window';
import type { TiffCompression } from '../src/core/stack/tiffWriter';
import { abortError, blobSink, writeMovieTiffs } from './movie.export';
import type { StructuresPartRequest } from './structuresPart.api';

export interface MovieConfig {
  window: number;
  step: number;
  grid: RenderGrid;
  sigma: MovieSigma;
  /** Raw frame interval, s. */
  frameIntervalS: number;
  /** Raw frames of the stack, for the expected number of movie frames. */
  rawFrames: number;
}

/** The columns the movie needs, copied out of a LocTable chunk (transferred in). */
export interface TiffExportOptions {
  threshold?: number;
  smoothSigmaPx?: number;
  connectivity?: Connectivity;
  /** The movie's pixel type (default float32). */
  dtype?: MovieDtype;
  compression?: TiffCompression;
}

/** The browser's native zlib compressor (CompressionStream 'deflate' is zlib-wrapped, as TIFF wants). */
async function nativeDeflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface LocChunk {
  length: number;
  frame: Uint32Array;
  x: Float64Array;
  y: Float64Array;
  precision?: Float32Array;
}

export interface MovieStatus {
  /** Bumps on every change to the movie's content. */
  generation: number;
  localizations: number;
  dropped: number;
  localizedFrames: number;
  /** Final movie frames (complete windows). */
  ready: number;
  /** Movie frames once every raw frame is localized. */
  expected: number;
}

/** Colour maps drawn with the movie (the EV layer): outline colours must stand out from them too. */
type AlsoShown = { alsoShown?: ColormapName[] };

export type Overlay =
  | { kind: 'none' }
  /** Outline of value ≥ threshold after optional smoothing: the live binarization preview. */
  | ({ kind: 'threshold'; threshold: number; smoothSigmaPx: number } & AlsoShown)
  /** Outlines of the labelled structures (after analyse()); `selected` in a second colour. */
  | ({ kind: 'structures'; selected?: number } & AlsoShown);

export interface FrameRequest {
  frame: number;
  colormap: ColormapName;
  /** Display window; 'auto' re-derives it from this frame alone. */
  contrast: { min: number; max: number } | 'auto';
  overlay: Overlay;
}

export interface RenderedMovieFrame {
  frame: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  window: { min: number; max: number };
  final: boolean;
  startFrame: number;
  endFrame: number;
  times: MovieFrameTimes;
  generation: number;
}

export interface AnalyseRequest {
  threshold: number;
  smoothSigmaPx: number;
  connectivity: Connectivity;
}

/** Structure tables as plain arrays so they clone cheaply and render directly. */
export interface StructureResult {
  threshold: number;
  connectivity: Connectivity;
  frames: number;
  count: number;
  structures: {
    id: number[];
    firstFrame: number[];
    lastFrame: number[];
    maxAreaNm2: number[];
    meanDiameterNm: number[];
    xNm: number[];
    yNm: number[];
  };
  perFrame: { count: number[]; meanAreaNm2: number[]; meanDiameterNm: number[] };
}

export type Progress = (done: number, total: number) => void;

/** A worker labelling one part of the movie for one analyse() call (structuresPart.api.ts). */
export interface StructuresHelper {
  label(req: StructuresPartRequest, onProgress: (done: number) => void): Promise<StructurePart>;
  /** Rejects if the worker stops. */
  died: Promise<never>;
  terminate(): void;
}

export interface MovieApiOptions {
  transfer?: <T>(value: T, transferables: Transferable[]) => T;
  /** A helper worker for the second half of analyse() (browser); none: one thread. */
  structuresHelper?: () => StructuresHelper | null;
}

/** Fewer movie frames than twice this are not worth a helper worker's start-up. */
const MIN_PARALLEL_FRAMES = 10;

const outlineCache = new Map<string, { outline: number[]; selected: number[] }>();

/** Outline and selected-structure colours that contrast with the movie's map and the layers over it. */
export function outlineColours(colormap: ColormapName, alsoShown: readonly ColormapName[] = []) {
  const key = [colormap, ...alsoShown].join(',');
  let c = outlineCache.get(key);
  if (!c) {
    const [outline, selected] = contrastingColours([colormap, ...alsoShown].map(colormapLut), 2);
    c = { outline: [...outline], selected: [...selected] };
    outlineCache.set(key, c);
  }
  return c;
}

/** Colours each pixel on the edge of a non-zero region (4-neighbourhood) of `mask`. */
export function paintOutline(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  rgba: Uint8ClampedArray,
  colour: (label: number) => number[] | null,
): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const m = mask[i];
      if (!m) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        mask[i - 1] !== m ||
        mask[i + 1] !== m ||
        mask[i - width] !== m ||
        mask[i + width] !== m;
      if (!edge) continue;
      const c = colour(m);
      if (!c) continue;
      rgba[4 * i] = c[0];
      rgba[4 * i + 1] = c[1];
      rgba[4 * i + 2] = c[2];
    }
  }
}

/** Pooled display window: 0 to the given percentile of the non-zero pixels of evenly spaced frames. */
function pooledWindow(movie: SlidingMovie, count: number, sampleFrames: number, highPct: number) {
  const picks = evenlySpacedIndices(count, sampleFrames);
  const perFrame = Math.max(1, Math.floor(200_000 / Math.max(1, picks.length)));
  const pooled: number[] = [];
  for (const n of picks) {
    const img = movie.getFrame(n);
    const stride = Math.max(1, Math.floor(img.length / perFrame));
    for (let i = 0; i < img.length; i += stride) if (img[i] > 0) pooled.push(img[i]);
  }
  if (pooled.length === 0) return { min: 0, max: 1 };
  const sorted = Float64Array.from(pooled).sort();
  const max = sorted[Math.min(sorted.length - 1, Math.floor((highPct / 100) * (sorted.length - 1)))];
  return { min: 0, max: max > 0 ? max : sorted[sorted.length - 1] || 1 };
}

export function createMovieApi(options: MovieApiOptions = {}) {
  const transfer = options.transfer ?? (<T>(v: T) => v);
  let movie: SlidingMovie | null = null;
  let config: MovieConfig | null = null;
  let generation = 0;
  let dropped = 0;
  let structures: { gen: number; result: LabelledStructures; request: AnalyseRequest } | null = null;
  const cancelled = new Set<number>();
  let labelScratch: Uint32Array | null = null;

  const need = () => {
    if (!movie || !config) throw new Error('movie worker: configure() must be called first');
    return { movie, config };
  };
  const status = (): MovieStatus => {
    const m = movie;
    return {
      generation,
      localizations: m?.localizationCount ?? 0,
      dropped,
      localizedFrames: m?.localizedFrames ?? 0,
      ready: m?.frameCount ?? 0,
      expected: m && config ? Math.max(0, Math.floor((config.rawFrames - m.window) / m.step) + 1) : 0,
    };
  };
  // Lets queued messages (cancel, playback frames) run between frames of a long job.
  let lastYield = 0;
  const maybeYield = async () => {
    const now = performance.now();
    if (now - lastYield < 30) return;
    await new Promise((r) => setTimeout(r, 0));
    lastYield = performance.now();
  };
  const progressFor = (job: number | undefined, onProgress?: Progress) => {
    let last = 0;
    return async (done: number, total: number) => {
      const now = performance.now();
      if (onProgress && (now - last > 100 || done === total)) {
        last = now;
        onProgress(done, total);
      }
      await maybeYield();
      return job !== undefined && cancelled.has(job);
    };
  };
  const smoothedFrame = (n: number, sigma: number) => {
    const { movie: m } = need();
    const img = m.getFrame(n);
    return sigma > 0 ? gaussianSmooth(img, m.grid.width, m.grid.height, sigma) : img;
  };

  return {
    configure(c: MovieConfig): MovieStatus {
      movie = new SlidingMovie({
        window: c.window,
        step: c.step,
        grid: c.grid,
        sigma: c.sigma,
        frameIntervalS: c.frameIntervalS,
        cacheSize: 8,
      });
      config = c;
      dropped = 0;
      structures = null;
      generation++;
      return status();
    },

    append(chunk: LocChunk): MovieStatus {
      const { movie: m } = need();
      const cols: Record<string, Uint32Array | Float64Array | Float32Array> = {
        frame: chunk.frame,
        x: chunk.x,
        y: chunk.y,
      };
      if (chunk.precision) cols.precision = chunk.precision;
      const r = m.append(locTableFromColumns(cols));
      dropped += r.dropped;
      if (r.accepted > 0) {
        generation++;
        structures = null;
      }
      return status();
    },

    setLocalizedFrames(rawFrames: number): MovieStatus {
      const { movie: m } = need();
      const before = m.frameCount;
      m.setLocalizedFrames(rawFrames);
      if (m.frameCount !== before) generation++;
      return status();
    },

    status,

    /** Pooled contrast over evenly spaced frames, so intensities compare across the movie. */
    contrast(sampleFrames = 10, highPct = 99.5): { min: number; max: number } {
      const { movie: m } = need();
      const count = m.frameCount || Math.max(0, status().expected);
      return pooledWindow(m, Math.max(1, count), sampleFrames, highPct);
    },

    renderFrame(req: FrameRequest): RenderedMovieFrame {
      const { movie: m } = need();
      const n = Math.max(0, Math.round(req.frame));
      const values = m.getFrame(n);
      const { width, height } = m.grid;
      const win = req.contrast === 'auto' ? pooledWindowOf(values) : req.contrast;
      const rgba = new Uint8ClampedArray(width * height * 4);
      paintFrame(values, width, height, win, colormapLut(req.colormap), rgba, width);
      const o = req.overlay;
      if (o.kind === 'threshold' && Number.isFinite(o.threshold)) {
        const v = o.smoothSigmaPx > 0 ? gaussianSmooth(values, width, height, o.smoothSigmaPx) : values;
        const mask = new Uint8Array(width * height);
        for (let i = 0; i < mask.length; i++) mask[i] = v[i] >= o.threshold ? 1 : 0;
        const { outline } = outlineColours(req.colormap, o.alsoShown);
        paintOutline(mask, width, height, rgba, () => outline);
      } else if (o.kind === 'structures' && structures && structures.gen === generation) {
        if (n < structures.result.frameCount) {
          labelScratch =
            labelScratch?.length === width * height ? labelScratch : new Uint32Array(width * height);
          const lab = structures.result.labelFrame(n, labelScratch);
          const { outline, selected } = outlineColours(req.colormap, o.alsoShown);
          paintOutline(lab, width, height, rgba, (l) => (l === o.selected ? selected : outline));
        }
      }
      const { start, end } = m.frameRange(n);
      return transfer(
        {
          frame: n,
          width,
          height,
          rgba,
          window: win,
          final: m.isFinal(n),
          startFrame: start,
          endFrame: end,
          times: m.frameTimes(n),
          generation,
        },
        [rgba.buffer],
      );
    },

    /** Value of one movie pixel (localizations per pixel per raw frame), for the cursor readout. */
    valueAt(frame: number, x: number, y: number): number | null {
      const { movie: m } = need();
      const { width, height } = m.grid;
      if (!(x >= 0 && y >= 0 && x < width && y < height)) return null;
      return m.getFrame(frame)[Math.floor(y) * width + Math.floor(x)];
    },

    /** Summary of one movie frame (scripting, tests). */
    frameStats(frame: number) {
      const { movie: m } = need();
      const img = m.getFrame(frame);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let sum = 0;
      let nonZero = 0;
      for (let i = 0; i < img.length; i++) {
        const v = img[i];
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        if (v !== 0) nonZero++;
      }
      const { start, end } = m.frameRange(frame);
      return {
        frame,
        width: m.grid.width,
        height: m.grid.height,
        min,
        max,
        mean: sum / img.length,
        sum,
        nonZero,
        final: m.isFinal(frame),
        startFrame: start,
        endFrame: end,
        times: m.frameTimes(frame),
      };
    },

    /** Otsu threshold of the pixels pooled from `sampleFrames` evenly spaced (smoothed) frames. */
    otsu(sampleFrames = 10, smoothSigmaPx = 0): number {
      const { movie: m } = need();
      if (m.frameCount === 0) throw new Error('no complete movie frame yet: wait for the build');
      return pooledOtsuThreshold(m.frameCount, (n) => smoothedFrame(n, smoothSigmaPx), { sampleFrames });
    },

    /** Binarizes every final frame and labels the structures; keeps them for outlines and export. */
    async analyse(req: AnalyseRequest, job?: number, onProgress?: Progress): Promise<StructureResult> {
      const { movie: m } = need();
      const frames = m.frameCount;
      if (frames === 0) throw new Error('no complete movie frame yet: wait for the build');
      if (!Number.isFinite(req.threshold)) throw new Error('the threshold must be a finite number');
      const gen = generation;
      const { width, height } = m.grid;
      const labeller = new StructureLabeller(width, height, req.connectivity, m.grid);
      // The second half in a helper worker, from its own copy of the movie; joined in order.
      const helper = frames >= 2 * MIN_PARALLEL_FRAMES ? (options.structuresHelper?.() ?? null) : null;
      const split = helper ? Math.ceil(frames / 2) : frames;
      const tick = progressFor(job, onProgress);
      let done = 0;
      let helperDone = 0;
      const remote = helper
        ? Promise.race([
            helper.label(
              {
                splats: m.splats(),
                movie: { window: m.window, step: m.step, grid: m.grid, localizedFrames: m.localizedFrames },
                threshold: req.threshold,
                smoothSigmaPx: req.smoothSigmaPx,
                connectivity: req.connectivity,
                start: split,
                end: frames,
              },
              (d) => {
                helperDone = d;
              },
            ),
            helper.died,
          ])
        : null;
      // Rejections are taken when awaited below; until then they must not go unhandled.
      remote?.catch(() => {});
      try {
        // Consecutive frames differ little: smoothed and thresholded around the changed pixels.
        for (const { mask } of binaryMovieFrames(m, 0, split, req.threshold, req.smoothSigmaPx)) {
          labeller.addFrame(mask);
          if (await tick(++done + helperDone, frames)) throw abortError();
        }
        if (remote) {
          while (helperDone < frames - split) {
            const waited = await Promise.race([remote, new Promise((r) => setTimeout(r, 100, null))]);
            if (waited) break;
            if (await tick(done + helperDone, frames)) throw abortError();
          }
          labeller.absorb(await remote);
        }
      } finally {
        helper?.terminate();
        if (job !== undefined) cancelled.delete(job);
      }
      const result = labeller.finish();
      if (gen === generation) structures = { gen, result, request: req };
      const s = result.structures.columns;
      const p = result.perFrame;
      return {
        threshold: req.threshold,
        connectivity: req.connectivity,
        frames,
        count: result.count,
        structures: {
          id: Array.from(s.id),
          firstFrame: Array.from(s.firstFrame),
          lastFrame: Array.from(s.lastFrame),
          maxAreaNm2: Array.from(s.maxAreaNm2),
          meanDiameterNm: Array.from(s.meanDiameterNm),
          xNm: Array.from(s.xNm),
          yNm: Array.from(s.yNm),
        },
        perFrame: {
          count: Array.from(p.count),
          meanAreaNm2: Array.from(p.meanAreaNm2),
          meanDiameterNm: Array.from(p.meanDiameterNm),
        },
      };
    },

    /**
     * The movie ('movie', float32), its binary movie ('mask', uint8) or label movie ('labels')
     * as a multi-page TIFF Blob with pixel size and frame interval (S × raw interval).
     */
    async exportTiff(
      kind: 'movie' | 'mask' | 'labels',
      opts: TiffExportOptions,
      job?: number,
      onProgress?: Progress,
    ): Promise<Blob> {
      const { movie: m, config: c } = need();
      const out = blobSink();
      try {
        await writeMovieTiffs(m, {
          [kind]: out.sink,
          threshold: opts.threshold,
          smoothSigmaPx: opts.smoothSigmaPx,
          connectivity: opts.connectivity,
          rawFrameIntervalMs: c.frameIntervalS * 1000,
          dtype: opts.dtype,
          compression: opts.compression,
          deflate: typeof CompressionStream === 'function' ? nativeDeflate : undefined,
          onFrame: progressFor(job, onProgress),
        });
      } finally {
        if (job !== undefined) cancelled.delete(job);
      }
      return out.blob();
    },

    cancel(job: number): void {
      cancelled.add(job);
    },
  };
}

function pooledWindowOf(values: Float32Array) {
  let max = 0;
  const nz: number[] = [];
  const stride = Math.max(1, Math.floor(values.length / 100_000));
  for (let i = 0; i < values.length; i += stride) if (values[i] > 0) nz.push(values[i]);
  if (nz.length === 0) return { min: 0, max: 1 };
  nz.sort((a, b) => a - b);
  max = nz[Math.floor(0.995 * (nz.length - 1))];
  return { min: 0, max: max > 0 ? max : 1 };
}

export type MovieApi = ReturnType<typeof createMovieApi>;
