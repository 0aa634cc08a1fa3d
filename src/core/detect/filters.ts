// Band-pass filters that make spots stand out for the local-maximum detector. Both return the
// filtered image and the noise level the threshold is a multiple of.
import { atrousKernel, bSplineKernel } from './bspline';
import { convolveColumns, convolveRows, type SparseKernel, sparseKernel } from './convolve';
import { type Candidates, findLocalMaxima, findLocalMaximaInGroups } from './maxima';
import { WaveletWasm, waveletWasmModule } from './waveletWasm';

export interface SpotFilter {
  readonly width: number;
  readonly height: number;
  /** The band-passed image of the last `apply`, width × height. */
  readonly filtered: Float32Array;
  /** A width × height buffer `apply` reads without copying: write the next frame's photons here. */
  readonly input: Float32Array;
  /** Filters `image` (photons, width × height) and returns the std of its first (noise) level. */
  apply(image: Float32Array): number;
  /** The local maxima of `filtered` above `threshold` (findLocalMaxima's rules) into `out`. */
  findMaxima(threshold: number, out: Candidates): void;
}

/** Copies `src` into the centre of `dst`, repeating edge pixels into the margin. */
function padDuplicate(src: Float32Array, w: number, h: number, m: number, dst: Float32Array): void {
  const pw = w + 2 * m;
  for (let y = 0; y < h + 2 * m; y++) {
    const sy = y < m ? 0 : y >= h + m ? h - 1 : y - m;
    const srow = sy * w;
    const drow = y * pw;
    const left = src[srow];
    const right = src[srow + w - 1];
    for (let x = 0; x < m; x++) dst[drow + x] = left;
    dst.set(src.subarray(srow, srow + w), drow + m);
    for (let x = m + w; x < pw; x++) dst[drow + x] = right;
  }
}

/** std of (a − b[crop]) over the image, with b a padded image of width pw and margin m. */
function stdOfDifference(
  a: Float32Array,
  w: number,
  h: number,
  b: Float32Array,
  pw: number,
  m: number,
): number {
  let sum = 0;
  let sum2 = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const prow = (y + m) * pw + m;
    for (let x = 0; x < w; x++) {
      const d = a[row + x] - b[prow + x];
      sum += d;
      sum2 += d * d;
    }
  }
  return stdFromMoments(sum, sum2, w * h);
}

export interface WaveletOptions {
  /** B-spline order (ThunderSTORM default 3). */
  order: number;
  /** B-spline scale (ThunderSTORM default 2). */
  scale: number;
  /** Kernel samples (ThunderSTORM default 5). */
  samples: number;
}

export const DEFAULT_WAVELET: WaveletOptions = { order: 3, scale: 2, samples: 5 };

/**
 * Which code runs the default kernels: WebAssembly SIMD where the engine has it ('auto'), or
 * JavaScript. Both give the same image to float32 rounding; other kernels always run generic JS.
 */
export type FilterImplementation = 'auto' | 'js';

/**
 * ThunderSTORM's CompoundWaveletFilter, reproduced so thresholds mean the same: pad the image by
 * duplicating edges (margin = radius of the level-2 kernel), V1 = image ⊛ k1 and V2 = V1 ⊛ k2
 * with zero padding beyond the margin, then crop. `filtered` is F = V1 − V2 (the second wavelet
 * level, "Wave.F"); `apply` returns std(F1) with F1 = I − V1 ("Wave.F1").
 *
 * The filter is most of a frame's detection cost, so the default kernels (five taps, symmetric,
 * 1 and 2 px apart) take a fused path: the padding is never materialised (rows through a clamped
 * row table, columns through clamped edge loops), only the distinct rows of the padded image are
 * filtered horizontally, std(F1) is accumulated while V1 is written, and F while V2 is.
 * Other kernels take the generic separable path; both are tested against a naive 2-D reference.
 * Where WebAssembly SIMD is available the default kernels run there instead (waveletWasm.ts), four
 * pixels per instruction.
 */
export class WaveletFilter implements SpotFilter {
  readonly filtered: Float32Array;
  readonly input: Float32Array;
  /** Whether the default kernels run in WebAssembly SIMD (else JavaScript). */
  readonly simd: boolean;
  private readonly wasm: WaveletWasm | null;
  private readonly k1: SparseKernel;
  private readonly k2: SparseKernel;
  private readonly margin: number;
  private readonly fast: boolean;
  /** Horizontal k1 pass of the distinct padded rows (h × pw); generic path: the padded image. */
  private readonly h1: Float32Array;
  private readonly v1: Float32Array;
  /** Horizontal k2 pass over V1's crop columns (ph × w). */
  private readonly h2: Float32Array;
  /** Generic path only. */
  private readonly tmp: Float32Array;
  private readonly v2: Float32Array;
  /** For padded row Y − 2 (Y in [0, ph + 4)): offset of its h1 row, −1 beyond the padding. */
  private readonly rowOffset: Int32Array;
  /** Σ F1 and Σ F1² of the last frame. */
  private readonly moments = new Float64Array(2);

  constructor(
    readonly width: number,
    readonly height: number,
    options: WaveletOptions = DEFAULT_WAVELET,
    implementation: FilterImplementation = 'auto',
  ) {
    const base = bSplineKernel(options.order, options.scale, options.samples);
    this.k1 = sparseKernel(base);
    this.k2 = sparseKernel(atrousKernel(base, 2));
    this.margin = this.k2.radius;
    this.fast = this.k1.symmetric5?.step === 1 && this.k2.symmetric5?.step === 2;
    const module = this.fast && implementation === 'auto' ? waveletWasmModule() : null;
    const s1 = this.k1.symmetric5;
    const s2 = this.k2.symmetric5;
    this.wasm =
      module && s1 && s2
        ? new WaveletWasm(module, width, height, [s1.w0, s1.w1, s1.w2], [s2.w0, s2.w1, s2.w2])
        : null;
    this.simd = this.wasm !== null;
    if (this.wasm) {
      this.filtered = this.wasm.filtered;
      this.input = this.wasm.input;
      this.h1 = this.tmp = this.v1 = this.h2 = this.v2 = new Float32Array(0);
      this.rowOffset = new Int32Array(0);
      return;
    }
    this.input = new Float32Array(width * height);
    const m = this.margin;
    const pw = width + 2 * m;
    const ph = height + 2 * m;
    this.h1 = new Float32Array(this.fast ? height * pw : pw * ph);
    this.tmp = new Float32Array(this.fast ? 0 : pw * ph);
    this.v1 = new Float32Array(pw * ph);
    this.h2 = new Float32Array(width * ph);
    this.v2 = new Float32Array(this.fast ? 0 : width * height);
    this.filtered = new Float32Array(width * height);
    this.rowOffset = new Int32Array(ph + 4);
    for (let Y = -2; Y < ph + 2; Y++) {
      const sy = Y - m < 0 ? 0 : Y - m >= height ? height - 1 : Y - m;
      this.rowOffset[Y + 2] = Y < 0 || Y >= ph ? -1 : sy * pw;
    }
  }

  apply(image: Float32Array): number {
    if (this.wasm) return this.wasm.apply(image);
    if (!this.fast) return this.applyGeneric(image);
    const { width: w, height: h, margin: m, h1, v1, h2, rowOffset } = this;
    const s1 = this.k1.symmetric5!;
    const s2 = this.k2.symmetric5!;
    // One small function per pass: V8 optimises each with complete type feedback (one long
    // function got on-stack-replaced mid-way and then deoptimised on every call).
    waveletRows(image, w, h, m, h1, s1.w0, s1.w1, s1.w2);
    const moments = this.moments;
    waveletColumns(image, w, h, m, h1, rowOffset, v1, s1.w0, s1.w1, s1.w2, moments);
    atrousRows(v1, w, h, m, h2, s2.w0, s2.w1, s2.w2);
    atrousColumnsDifference(v1, h2, w, h, m, this.filtered, s2.w0, s2.w1, s2.w2);
    return stdFromMoments(moments[0], moments[1], w * h);
  }

  findMaxima(threshold: number, out: Candidates): void {
    const { width: w, height: h, wasm } = this;
    if (!wasm) {
      findLocalMaxima(this.filtered, w, h, threshold, out);
      return;
    }
    // A SIMD pass lists the few 4-pixel groups above the threshold; only they are examined.
    const count = wasm.groupsAbove(threshold);
    findLocalMaximaInGroups(this.filtered, w, h, threshold, wasm.groupStarts(), count, out);
  }

  /** Any kernel: materialise the padding, four separable passes, then crop. */
  private applyGeneric(image: Float32Array): number {
    const { width: w, height: h, margin: m } = this;
    const pw = w + 2 * m;
    const ph = h + 2 * m;
    const padded = this.h1;
    padDuplicate(image, w, h, m, padded);
    convolveRows(padded, pw, ph, 0, this.tmp, pw, this.k1);
    convolveColumns(this.tmp, pw, ph, 0, this.v1, ph, this.k1);
    // V2 is only needed inside the crop, and there its support stays within the padded V1.
    convolveRows(this.v1, pw, ph, m, this.h2, w, this.k2);
    convolveColumns(this.h2, w, ph, m, this.v2, h, this.k2);
    const { v1, v2, filtered } = this;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      const prow = (y + m) * pw + m;
      for (let x = 0; x < w; x++) filtered[row + x] = v1[prow + x] - v2[row + x];
    }
    return stdOfDifference(image, w, h, v1, pw, m);
  }
}

/** Pass 1: k1 along each source row, padded by duplication to w + 2m columns, zero beyond. */
function waveletRows(
  image: Float32Array,
  w: number,
  h: number,
  m: number,
  h1: Float32Array,
  a0: number,
  a1: number,
  a2: number,
): void {
  const pw = w + 2 * m;
  // Columns [m + 2, w + m − 2) read only real pixels; the rest clamp.
  const lo = Math.min(pw, m + 2);
  const hi = Math.max(lo, w + m - 2);
  for (let y = 0; y < h; y++) {
    const src = y * w;
    const dst = y * pw;
    horizontalEdge(image, src, w, m, h1, dst, 0, lo, a0, a1, a2);
    if (hi > lo) {
      let p0 = image[src + lo - m - 2];
      let p1 = image[src + lo - m - 1];
      let p2 = image[src + lo - m];
      let p3 = image[src + lo - m + 1];
      for (let X = lo; X < hi; X++) {
        const p4 = image[src + X - m + 2];
        h1[dst + X] = a2 * (p0 + p4) + a1 * (p1 + p3) + a0 * p2;
        p0 = p1;
        p1 = p2;
        p2 = p3;
        p3 = p4;
      }
    }
    horizontalEdge(image, src, w, m, h1, dst, hi, pw, a0, a1, a2);
  }
}

/**
 * Pass 2: k1 down the columns of the padded rows → V1 ((h + 2m) × (w + 2m)); on the crop rows,
 * Σ F1 and Σ F1² (F1 = I − V1) into `moments` while the row is still in cache.
 */
function waveletColumns(
  image: Float32Array,
  w: number,
  h: number,
  m: number,
  h1: Float32Array,
  rowOffset: Int32Array,
  v1: Float32Array,
  a0: number,
  a1: number,
  a2: number,
  moments: Float64Array,
): void {
  const pw = w + 2 * m;
  const ph = h + 2 * m;
  let sum = 0;
  let sum2 = 0;
  for (let Y = 0; Y < ph; Y++) {
    const r0 = rowOffset[Y];
    const r1 = rowOffset[Y + 1];
    const r2 = rowOffset[Y + 2];
    const r3 = rowOffset[Y + 3];
    const r4 = rowOffset[Y + 4];
    const dst = Y * pw;
    if (r0 >= 0 && r4 >= 0) {
      for (let X = 0; X < pw; X++) {
        v1[dst + X] = a2 * (h1[r0 + X] + h1[r4 + X]) + a1 * (h1[r1 + X] + h1[r3 + X]) + a0 * h1[r2 + X];
      }
    } else {
      verticalEdge(h1, r0, r1, r2, r3, r4, v1, dst, pw, a0, a1, a2);
    }
    const y = Y - m;
    if (y >= 0 && y < h) {
      const src = y * w;
      const crop = dst + m;
      for (let x = 0; x < w; x++) {
        const d = image[src + x] - v1[crop + x];
        sum += d;
        sum2 += d * d;
      }
    }
  }
  moments[0] = sum;
  moments[1] = sum2;
}

/** Pass 3: k2 (taps 2 px apart) along V1's rows, crop columns only, where every tap is inside. */
function atrousRows(
  v1: Float32Array,
  w: number,
  h: number,
  m: number,
  h2: Float32Array,
  b0: number,
  b1: number,
  b2: number,
): void {
  const pw = w + 2 * m;
  const ph = h + 2 * m;
  for (let Y = 0; Y < ph; Y++) {
    const src = Y * pw + m;
    const dst = Y * w;
    for (let x = 0; x < w; x++) {
      const c = src + x;
      h2[dst + x] = b2 * (v1[c - 4] + v1[c + 4]) + b1 * (v1[c - 2] + v1[c + 2]) + b0 * v1[c];
    }
  }
}

/** Pass 4: k2 down the columns on the crop rows (V2), written straight as F = V1 − V2. */
function atrousColumnsDifference(
  v1: Float32Array,
  h2: Float32Array,
  w: number,
  h: number,
  m: number,
  out: Float32Array,
  b0: number,
  b1: number,
  b2: number,
): void {
  const pw = w + 2 * m;
  for (let y = 0; y < h; y++) {
    const Y = y + m;
    const q0 = (Y - 4) * w;
    const q1 = (Y - 2) * w;
    const q2 = Y * w;
    const q3 = (Y + 2) * w;
    const q4 = (Y + 4) * w;
    const v = Y * pw + m;
    const dst = y * w;
    for (let x = 0; x < w; x++) {
      out[dst + x] =
        v1[v + x] - (b2 * (h2[q0 + x] + h2[q4 + x]) + b1 * (h2[q1 + x] + h2[q3 + x]) + b0 * h2[q2 + x]);
    }
  }
}

/**
 * Padded columns [from, to) of one row of pass 1, where some of the five taps are clamped to the
 * row's ends (duplicate padding) or fall beyond the margin (zero).
 */
function horizontalEdge(
  image: Float32Array,
  src: number,
  w: number,
  m: number,
  dst: Float32Array,
  out: number,
  from: number,
  to: number,
  a0: number,
  a1: number,
  a2: number,
): void {
  const pw = w + 2 * m;
  for (let X = from; X < to; X++) {
    let s = 0;
    for (let o = -2; o <= 2; o++) {
      const xp = X + o;
      if (xp < 0 || xp >= pw) continue;
      const sx = xp - m < 0 ? 0 : xp - m >= w ? w - 1 : xp - m;
      const wt = o === 0 ? a0 : o === 1 || o === -1 ? a1 : a2;
      s += wt * image[src + sx];
    }
    dst[out + X] = s;
  }
}

/** One row of pass 2 where some of the five rows lie beyond the padding (offset −1: zero). */
function verticalEdge(
  h1: Float32Array,
  r0: number,
  r1: number,
  r2: number,
  r3: number,
  r4: number,
  dst: Float32Array,
  out: number,
  pw: number,
  a0: number,
  a1: number,
  a2: number,
): void {
  for (let X = 0; X < pw; X++) {
    let s = 0;
    if (r0 >= 0) s += a2 * h1[r0 + X];
    if (r1 >= 0) s += a1 * h1[r1 + X];
    if (r2 >= 0) s += a0 * h1[r2 + X];
    if (r3 >= 0) s += a1 * h1[r3 + X];
    if (r4 >= 0) s += a2 * h1[r4 + X];
    dst[out + X] = s;
  }
}

function stdFromMoments(sum: number, sum2: number, n: number): number {
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / Math.max(1, n - 1)));
}

function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let s = 0;
  for (let i = -radius; i <= radius; i++) {
    k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
    s += k[i + radius];
  }
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

export interface DogOptions {
  /** σ of the narrow Gaussian, pixels (about the PSF σ). */
  sigma1Px: number;
  /** σ of the wide Gaussian, pixels (> sigma1Px). */
  sigma2Px: number;
}

/**
 * Difference of Gaussians G(σ1) − G(σ2) with duplicated edges; the noise level is
 * std(I − G(σ1)), the analogue of the wavelet filter's first level.
 */
export class DogFilter implements SpotFilter {
  readonly filtered: Float32Array;
  readonly input: Float32Array;
  private readonly k1: SparseKernel;
  private readonly k2: SparseKernel;
  private readonly margin: number;
  private readonly padded: Float32Array;
  private readonly tmp: Float32Array;
  private readonly g1: Float32Array;
  private readonly g2: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    options: DogOptions,
  ) {
    if (!(options.sigma1Px > 0 && options.sigma2Px > options.sigma1Px))
      throw new Error(`DoG needs 0 < σ1 < σ2 (pixels), got ${options.sigma1Px} and ${options.sigma2Px}`);
    this.margin = Math.ceil(3 * options.sigma2Px);
    this.k1 = sparseKernel(gaussianKernel(options.sigma1Px, Math.ceil(3 * options.sigma1Px)));
    this.k2 = sparseKernel(gaussianKernel(options.sigma2Px, this.margin));
    const pw = width + 2 * this.margin;
    const ph = height + 2 * this.margin;
    this.padded = new Float32Array(pw * ph);
    this.tmp = new Float32Array(width * ph);
    this.g1 = new Float32Array(width * height);
    this.g2 = new Float32Array(width * height);
    this.filtered = new Float32Array(width * height);
    this.input = new Float32Array(width * height);
  }

  findMaxima(threshold: number, out: Candidates): void {
    findLocalMaxima(this.filtered, this.width, this.height, threshold, out);
  }

  apply(image: Float32Array): number {
    const { width: w, height: h, margin: m } = this;
    const pw = w + 2 * m;
    const ph = h + 2 * m;
    padDuplicate(image, w, h, m, this.padded);
    convolveRows(this.padded, pw, ph, m, this.tmp, w, this.k1);
    convolveColumns(this.tmp, w, ph, m, this.g1, h, this.k1);
    convolveRows(this.padded, pw, ph, m, this.tmp, w, this.k2);
    convolveColumns(this.tmp, w, ph, m, this.g2, h, this.k2);
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < w * h; i++) {
      this.filtered[i] = this.g1[i] - this.g2[i];
      const d = image[i] - this.g1[i];
      sum += d;
      sum2 += d * d;
    }
    const n = w * h;
    const mean = sum / n;
    return Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / Math.max(1, n - 1)));
  }
}
