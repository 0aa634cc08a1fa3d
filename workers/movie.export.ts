// Streams a movie (and optionally its binary and label movies) into multi-page TIFFs one frame
// at a time, for the movie worker's downloads and `evscope movie` alike: memory is one movie
// frame, one mask and the labeller's run lists, never the whole movie.
import { IncrementalSmoother } from '../src/core/binarize/incrementalSmooth';
import { binarize } from '../src/core/binarize/smooth';
import {
  type Connectivity,
  type LabelledStructures,
  StructureLabeller,
} from '../src/core/binarize/structures';
import {
  autoMovieScale,
  MOVIE_DTYPE_MAX,
  type MovieDtype,
  quantiseFrame,
  sampleFrameIndices,
  scaleDescriptionLines,
} from '../src/core/movie/quantise';
import type { SlidingMovie } from '../src/core/movie/slidingMovie';
import { createTiffWriter, type TiffCompression } from '../src/core/stack/tiffWriter';

export type ByteSink = (chunk: Uint8Array) => void | Promise<void>;

export interface MovieTiffOptions {
  /** The movie frames (float32 unless `dtype` says otherwise). */
  movie?: ByteSink;
  /** Movie pixel type (default float32); integer types store round(scale · value). */
  dtype?: MovieDtype;
  /** Integer movies: stored = round(scale · value); default chosen from sampled frames (autoMovieScale). */
  scale?: number;
  /** Frames sampled for the automatic scale (default 20). */
  scaleSampleFrames?: number;
  /** For every file written (default none). */
  compression?: TiffCompression;
  /** Forces BigTIFF (default: only when a file could exceed 4 GiB). */
  bigTiff?: boolean;
  /** Deflate level (default 1: a third of level 6's time for ~12% more bytes, bench movie-write). */
  deflateLevel?: number;
  /** A faster zlib compressor than fflate's, where the platform has one (Node's zlib). */
  deflate?: (bytes: Uint8Array, level: number) => Uint8Array | Promise<Uint8Array>;
  /** Binary movie, uint8 0/1 (needs threshold). */
  mask?: ByteSink;
  /** Label movie, uint16 (uint32 beyond 65535 structures) (needs threshold). */
  labels?: ByteSink;
  threshold?: number;
  smoothSigmaPx?: number;
  connectivity?: Connectivity;
  /** Raw frame interval, ms: the movie's interval is step × this. */
  rawFrameIntervalMs?: number;
  first?: number;
  end?: number;
  /** Called after each frame of each pass; returning true stops (cancel) with an AbortError. */
  onFrame?: (done: number, total: number) => boolean | undefined | Promise<boolean | undefined>;
}

export interface MovieTiffResult {
  frames: number;
  dtype: MovieDtype;
  /** Integer movies: the scale used (value = stored / scale) and how many pixels hit the top. */
  scale?: number;
  clipped: number;
  structures: LabelledStructures | null;
  bytes: { movie: number; mask: number; labels: number };
}

export function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export async function writeMovieTiffs(movie: SlidingMovie, o: MovieTiffOptions): Promise<MovieTiffResult> {
  const first = o.first ?? 0;
  const end = o.end ?? movie.frameCount;
  const frames = end - first;
  if (!(frames > 0)) throw new Error('the movie has no complete frames yet');
  const { width, height, pixelNm } = movie.grid;
  const needMask = !!(o.mask || o.labels);
  if (needMask && !Number.isFinite(o.threshold ?? Number.NaN))
    throw new Error('a binary or label movie needs a finite threshold');
  const intervalMs = o.rawFrameIntervalMs ? o.rawFrameIntervalMs * movie.step : undefined;
  const compression = o.compression ?? 'none';
  const common = {
    width,
    height,
    frameCount: frames,
    pixelSizeNm: pixelNm,
    frameIntervalMs: intervalMs,
    compression,
    bigTiff: o.bigTiff,
    deflate: o.deflate,
    deflateLevel: o.deflateLevel ?? 1,
  };
  const dtype = o.dtype ?? 'float32';
  const q = o.movie && dtype !== 'float32' ? integerMovie(movie, dtype, first, end, o) : null;
  const movieW = o.movie
    ? createTiffWriter({
        ...common,
        dtype,
        descriptionLines: q ? scaleDescriptionLines(q.scale) : undefined,
        sink: o.movie,
      })
    : null;
  const maskW = o.mask ? createTiffWriter({ ...common, dtype: 'uint8', sink: o.mask }) : null;
  const labeller = o.labels ? new StructureLabeller(width, height, o.connectivity ?? 26, movie.grid) : null;
  const total = o.labels ? 2 * frames : frames;
  const sigma = o.smoothSigmaPx ?? 0;
  const threshold = o.threshold ?? Number.POSITIVE_INFINITY;
  // Consecutive frames differ little: smoothed and thresholded around the changed pixels only.
  const inc = needMask && sigma > 0 ? new IncrementalSmoother(width, height, sigma, threshold) : null;
  const mask = inc ? inc.mask : new Uint8Array(width * height);
  let done = 0;
  let clipped = 0;
  for (const f of movie.frames(first, end)) {
    if (movieW && q) {
      clipped += quantiseFrame(f.image, q.buffer, q.scale, q.max);
      await movieW.writeFrame(q.buffer);
    } else if (movieW) await movieW.writeFrame(f.image);
    if (needMask) {
      if (inc) inc.next(f.image, f.changed);
      else binarize(f.image, threshold, mask);
      if (maskW) await maskW.writeFrame(mask);
      labeller?.addFrame(mask);
    }
    if (await o.onFrame?.(++done, total)) throw abortError();
  }
  await movieW?.close();
  await maskW?.close();
  let structures: LabelledStructures | null = null;
  let labelBytes = 0;
  if (labeller && o.labels) {
    structures = labeller.finish();
    const wide = structures.count > 0xffff;
    const labelsW = createTiffWriter({
      ...common,
      dtype: wide ? 'uint32' : 'uint16',
      sink: o.labels,
    });
    const lab = new Uint32Array(width * height);
    const narrow = wide ? null : new Uint16Array(width * height);
    for (let t = 0; t < frames; t++) {
      structures.labelFrame(t, lab);
      if (narrow) {
        for (let i = 0; i < lab.length; i++) narrow[i] = lab[i];
        await labelsW.writeFrame(narrow);
      } else await labelsW.writeFrame(lab);
      if (await o.onFrame?.(++done, total)) throw abortError();
    }
    await labelsW.close();
    labelBytes = labelsW.totalBytes;
  }
  return {
    frames,
    dtype,
    ...(q ? { scale: q.scale } : {}),
    clipped,
    structures,
    bytes: { movie: movieW?.totalBytes ?? 0, mask: maskW?.totalBytes ?? 0, labels: labelBytes },
  };
}

/** The integer movie's scale (given, or from sampled frames) and its reusable frame buffer. */
function integerMovie(
  movie: SlidingMovie,
  dtype: Exclude<MovieDtype, 'float32'>,
  first: number,
  end: number,
  o: MovieTiffOptions,
) {
  let scale = o.scale;
  if (scale === undefined) {
    let max = 0;
    for (const k of sampleFrameIndices(end - first, o.scaleSampleFrames ?? 20)) {
      const img = movie.getFrame(first + k);
      for (let i = 0; i < img.length; i++) if (img[i] > max) max = img[i];
    }
    scale = autoMovieScale(max, dtype);
  }
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`the movie scale must be > 0, got ${scale}`);
  const n = movie.grid.width * movie.grid.height;
  return {
    scale,
    max: MOVIE_DTYPE_MAX[dtype],
    buffer: dtype === 'uint16' ? new Uint16Array(n) : new Uint8Array(n),
  };
}

/**
 * Collects a stream into a Blob without one big contiguous buffer: parts are folded into an
 * intermediate Blob every few tens of MB, which the browser may keep on disk.
 */
export function blobSink(type = 'image/tiff', foldBytes = 32 * 2 ** 20) {
  let blob = new Blob([], { type });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const fold = () => {
    blob = new Blob([blob, ...(pending as BlobPart[])], { type });
    pending = [];
    pendingBytes = 0;
  };
  return {
    sink: (chunk: Uint8Array) => {
      // The writer may reuse its buffers: keep a copy.
      pending.push(chunk.slice());
      pendingBytes += chunk.length;
      if (pendingBytes >= foldBytes) fold();
    },
    blob(): Blob {
      fold();
      return blob;
    },
  };
}
