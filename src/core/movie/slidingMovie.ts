// The sliding-window super-resolution movie (SCIENCE.md §3). Movie frame n is the Gaussian render
// of the localizations of raw frames [n·S, n·S + W), divided by W, so a pixel reads
// "localizations per pixel per raw frame" whatever the window length.
//
// Incremental form. A dense image per block of S frames would need a ring of ⌈W/S⌉ images: 167 ×
// 1280² Float32 = 1.1 GB for the reference movie (W = 1002, S = 6, 10 nm over 12.8 µm). Blocks
// are kept sparse instead: their localizations, indexed by raw frame. Going from frame m to n > m
// subtracts the splats of raw frames [mS, nS) and adds those of [mS + W, nS + W): two contiguous
// frame ranges of S·(n − m) frames each, whether or not S divides W, so no gcd-sized blocks or
// partial-block sums are needed. The fixed-point accumulator (splat.ts) makes add-then-subtract
// exact, so a slid frame is bit-identical to a fresh render of its window. A frame then costs
// O(localizations in 2S raw frames × splat area) to update plus O(pixels) to copy out, never O(W).
//
// Streaming. Chunks of localizations may arrive in any order while localization runs: each is
// splatted straight into every live accumulator whose window holds its frame (the render is
// linear) and cached frames whose window it touches are dropped. `setLocalizedFrames(F)` says raw
// frames [0, F) are complete; movie frames whose window lies inside them are final.

import type { LocTable } from '../locs/table';
import { PHYSICAL_DEFAULTS } from '../physicalDefaults';
import { frame0 } from '../units';
import { FrameIndexedLocs } from './frameIndexedLocs';
import type { RenderGrid } from './grid';
import { FIXED_POINT_ONE, fixedPointToFloat, GaussianSplatter } from './splat';
import {
  checkMovieWindow,
  type MovieFrameTimes,
  type MovieWindow,
  movieFrameCount,
  movieFrameRange,
  movieFrameTimes,
} from './window';

/** σ of each splat: the localization's precision × factor (floored at minNm), or one fixed σ. */
export type MovieSigma =
  | { kind: 'precision'; factor: number; minNm?: number }
  | { kind: 'fixed'; nm: number };

export interface SlidingMovieOptions extends MovieWindow {
  grid: RenderGrid;
  sigma: MovieSigma;
  /** Raw frame interval for time labels, s (default 1/200 s: 200 frames/s). */
  frameIntervalS?: number;
  /** Frames kept by getFrame for playback (default 4). */
  cacheSize?: number;
}

export interface MovieFrame {
  index: number;
  /** Valid until the iterator advances; copy it to keep it. */
  image: Float32Array;
  /**
   * Pixels (indices) that may differ from the frame this iterator yielded before — every pixel
   * that does is listed, some listed ones may not differ — or null when any may (the first
   * frame, a fresh render). Valid until the iterator advances.
   */
  changed: Int32Array | null;
  startFrame: number;
  endFrame: number;
}

export interface AppendResult {
  accepted: number;
  /** Rows with a non-finite position or σ, an invalid frame, or a splat entirely off the grid. */
  dropped: number;
}

// A window sum positioned at one movie frame (or nowhere, frame −1); `touched`, if kept, lists
// the pixels splatted since it was last cleared.
interface Accumulator {
  acc: Float64Array;
  frame: number;
  touched?: TouchedPixels;
}

// Pixels written since the last clear, each listed once (`mark[p] === epoch` when listed), or
// `all` after a fresh render. Sliding a frame touches a few percent of the pixels: converting and
// handing on only those is what makes the per-frame pipeline incremental (issue 19).
class TouchedPixels {
  readonly list: Int32Array;
  count = 0;
  all = true;
  private readonly mark: Int32Array;
  private epoch = 1;
  constructor(n: number) {
    this.list = new Int32Array(n);
    this.mark = new Int32Array(n);
  }

  add(rect: { x: number; y: number; w: number; h: number }, width: number): void {
    if (this.all) return;
    const { list, mark, epoch } = this;
    let count = this.count;
    for (let j = 0; j < rect.h; j++) {
      const row = (rect.y + j) * width + rect.x;
      for (let p = row; p < row + rect.w; p++)
        if (mark[p] !== epoch) {
          mark[p] = epoch;
          list[count++] = p;
        }
    }
    this.count = count;
  }

  clear(): void {
    this.count = 0;
    this.all = false;
    if (++this.epoch === 0x7fffffff) {
      this.mark.fill(0);
      this.epoch = 1;
    }
  }
}

export class SlidingMovie {
  readonly window: number;
  readonly step: number;
  readonly grid: RenderGrid;
  readonly sigma: MovieSigma;
  readonly frameIntervalS: number;
  private readonly locs = new FrameIndexedLocs();
  private readonly splatter: GaussianSplatter;
  private readonly live = new Set<Accumulator>();
  private readonly playback: Accumulator;
  private readonly cache = new Map<number, Float32Array>();
  private readonly cacheSize: number;
  private localized = 0;

  constructor(options: SlidingMovieOptions) {
    checkMovieWindow(options);
    this.window = options.window;
    this.step = options.step;
    this.grid = options.grid;
    this.sigma = options.sigma;
    this.frameIntervalS = options.frameIntervalS ?? PHYSICAL_DEFAULTS.frameIntervalMs / 1000;
    this.cacheSize = Math.max(1, options.cacheSize ?? 4);
    this.splatter = new GaussianSplatter(options.grid);
    if (options.sigma.kind === 'precision' && !(options.sigma.factor > 0))
      throw new RangeError('sigma factor must be > 0');
    if (options.sigma.kind === 'fixed' && !(options.sigma.nm >= 0))
      throw new RangeError('fixed sigma must be ≥ 0');
    this.playback = this.newAccumulator();
    this.live.add(this.playback);
  }

  /** A movie of a finished table: raw frames [0, rawFrames) (default: up to its last frame). */
  static fromTable(table: LocTable, options: SlidingMovieOptions, rawFrames?: number): SlidingMovie {
    const m = new SlidingMovie(options);
    m.append(table);
    let f = rawFrames;
    if (f === undefined) {
      f = 0;
      const frame = table.columns.frame;
      for (let i = 0; i < table.length; i++) if (frame[i] + 1 > f) f = frame[i] + 1;
    }
    m.setLocalizedFrames(f);
    return m;
  }

  get localizationCount(): number {
    return this.locs.length;
  }

  /**
   * Copies of the splats drawn (raw frame, x, y nm, σ nm), e.g. for a worker that renders part
   * of the movie: a movie with σ = 1 × precision appended this as (frame, x, y, precision) and
   * given the same window, step, grid and localized frames has the same frames, bit for bit.
   */
  splats(): { frame: Uint32Array; x: Float64Array; y: Float64Array; precision: Float64Array } {
    const { frame, x, y, sigma, length } = this.locs;
    return {
      frame: frame.slice(0, length),
      x: x.slice(0, length),
      y: y.slice(0, length),
      precision: sigma.slice(0, length),
    };
  }

  /** Raw frames known to be completely localized. */
  get localizedFrames(): number {
    return this.localized;
  }

  /** Movie frames whose window is complete (final). */
  get frameCount(): number {
    return movieFrameCount(this.localized, this);
  }

  /** Declares raw frames [0, rawFrames) complete; never moves backwards. */
  setLocalizedFrames(rawFrames: number): void {
    if (rawFrames > this.localized) this.localized = Math.floor(rawFrames);
  }

  isFinal(n: number): boolean {
    return n < this.frameCount;
  }

  frameRange(n: number): { start: number; end: number } {
    return movieFrameRange(frame0(n), this);
  }

  frameTimes(n: number): MovieFrameTimes {
    return movieFrameTimes(frame0(n), this, this.frameIntervalS);
  }

  /** Adds a chunk (columns frame, x, y, and precision when σ follows precision). */
  append(chunk: LocTable): AppendResult {
    const { frame, x, y, precision } = chunk.columns;
    if (!frame || !x || !y) throw new Error('localizations need frame, x and y columns');
    const sigma = this.sigma;
    if (sigma.kind === 'precision' && !precision)
      throw new Error('σ from precision needs a precision column');
    const factor = sigma.kind === 'precision' ? sigma.factor : 0;
    const minNm = sigma.kind === 'precision' ? (sigma.minNm ?? 0) : 0;
    const fixed = sigma.kind === 'fixed' ? sigma.nm : 0;
    const positioned = [...this.live].filter((a) => a.frame >= 0);
    let accepted = 0;
    let minFrame = Number.POSITIVE_INFINITY;
    let maxFrame = -1;
    for (let i = 0; i < chunk.length; i++) {
      const f = frame[i];
      const xi = x[i];
      const yi = y[i];
      const s = sigma.kind === 'precision' ? Math.max(precision[i] * factor, minNm) : fixed;
      if (
        !(Number.isInteger(f) && f >= 0 && Number.isFinite(xi) && Number.isFinite(yi) && Number.isFinite(s))
      )
        continue;
      if (!this.splatter.touchesGrid(xi, yi, s)) continue;
      this.locs.push(f, xi, yi, s);
      accepted++;
      if (f < minFrame) minFrame = f;
      if (f > maxFrame) maxFrame = f;
      for (const a of positioned) {
        const start = a.frame * this.step;
        if (f >= start && f < start + this.window) {
          this.splatter.splat(a.acc, xi, yi, s, 1);
          a.touched?.add(this.splatter.lastRect, this.grid.width);
        }
      }
    }
    if (accepted > 0) {
      for (const n of [...this.cache.keys()]) {
        const start = n * this.step;
        if (start <= maxFrame && start + this.window > minFrame) this.cache.delete(n);
      }
    }
    return { accepted, dropped: chunk.length - accepted };
  }

  /**
   * Movie frame n for playback. Served from a small cache, otherwise slid from the previously
   * shown frame (or rendered afresh when that costs less). The array is shared with the cache:
   * do not modify it. Frames past `frameCount` show the localizations that have arrived so far.
   */
  getFrame(n: number): Float32Array {
    if (!(Number.isInteger(n) && n >= 0))
      throw new RangeError(`movie frame must be an integer ≥ 0, got ${n}`);
    const hit = this.cache.get(n);
    if (hit) {
      this.cache.delete(n);
      this.cache.set(n, hit);
      return hit;
    }
    this.moveTo(this.playback, n);
    let out: Float32Array | undefined;
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next().value as number;
      out = this.cache.get(oldest);
      this.cache.delete(oldest);
    }
    out = fixedPointToFloat(this.playback.acc, 1 / this.window, out ?? this.newImage());
    this.cache.set(n, out);
    return out;
  }

  /**
   * Movie frames [first, end) in order (default: all final frames) with one running sum:
   * memory is one accumulator and one output image, whatever the length of the movie.
   */
  *frames(first = 0, end = this.frameCount): Generator<MovieFrame> {
    const a = this.newAccumulator();
    const touched = new TouchedPixels(a.acc.length);
    a.touched = touched;
    const image = this.newImage();
    this.live.add(a);
    const k = 1 / this.window / FIXED_POINT_ONE;
    try {
      for (let n = first; n < end; n++) {
        this.moveTo(a, n);
        let changed: Int32Array | null = null;
        if (touched.all) fixedPointToFloat(a.acc, 1 / this.window, image);
        else {
          // The same product as fixedPointToFloat, at the touched pixels only.
          const { list, count } = touched;
          const acc = a.acc;
          for (let j = 0; j < count; j++) image[list[j]] = acc[list[j]] * k;
          changed = list.subarray(0, count);
        }
        touched.clear();
        const { start, end: stop } = this.frameRange(n);
        yield { index: n, image, changed, startFrame: start, endFrame: stop };
      }
    } finally {
      this.live.delete(a);
    }
  }

  /**
   * Direct render of raw frames [start, end), divided by their number: the reference a slid
   * frame must equal, and the image of any other frame range.
   */
  renderRange(start: number, end: number, out: Float32Array = this.newImage()): Float32Array {
    const a: Accumulator = { acc: new Float64Array(this.grid.width * this.grid.height), frame: -1 };
    this.splatRange(a, start, end, 1);
    return fixedPointToFloat(a.acc, 1 / Math.max(end - start, 1), out);
  }

  private newAccumulator(): Accumulator {
    return { acc: new Float64Array(this.grid.width * this.grid.height), frame: -1 };
  }

  private newImage(): Float32Array {
    return new Float32Array(this.grid.width * this.grid.height);
  }

  private moveTo(a: Accumulator, n: number): void {
    const m = a.frame;
    if (m === n) return;
    const S = this.step;
    const W = this.window;
    // Sliding touches 2|n − m|·S raw frames, a fresh render W of them plus a clear.
    if (m >= 0 && 2 * Math.abs(n - m) * S < W) {
      if (n > m) {
        this.splatRange(a, m * S, n * S, -1);
        this.splatRange(a, m * S + W, n * S + W, 1);
      } else {
        this.splatRange(a, n * S + W, m * S + W, -1);
        this.splatRange(a, n * S, m * S, 1);
      }
    } else {
      a.acc.fill(0);
      if (a.touched) a.touched.all = true;
      this.splatRange(a, n * S, n * S + W, 1);
    }
    a.frame = n;
  }

  private splatRange(a: Accumulator, start: number, end: number, sign: 1 | -1): void {
    const { lo, hi } = this.locs.rangeOf(start, end);
    const order = this.locs.order;
    const { x, y, sigma } = this.locs;
    const splatter = this.splatter;
    const { acc, touched } = a;
    const width = this.grid.width;
    for (let k = lo; k < hi; k++) {
      const i = order[k];
      splatter.splat(acc, x[i], y[i], sigma[i], sign);
      if (touched) touched.add(splatter.lastRect, width);
    }
  }
}
