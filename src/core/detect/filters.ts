// Band-pass filters that make spots stand out for the local-maximum detector. Both return the
// filtered image and the noise level the threshold is a multiple of.
import { atrousKernel, bSplineKernel } from './bspline';
import { convolveColumns, convolveRows, type SparseKernel, sparseKernel } from './convolve';

export interface SpotFilter {
  readonly width: number;
  readonly height: number;
  /** The band-passed image of the last `apply`, width × height. */
  readonly filtered: Float32Array;
  /** Filters `image` (photons, width × height) and returns the std of its first (noise) level. */
  apply(image: Float32Array): number;
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
  const n = w * h;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / Math.max(1, n - 1)));
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
 * ThunderSTORM's CompoundWaveletFilter, reproduced step by step so thresholds mean the same: pad
 * the image by duplicating edges (margin = radius of the level-2 kernel), V1 = image ⊛ k1 and
 * V2 = V1 ⊛ k2 with zero padding beyond the margin, then crop. `filtered` is F = V1 − V2 (the
 * second wavelet level, "Wave.F"); `apply` returns std(F1) with F1 = I − V1 ("Wave.F1").
 */
export class WaveletFilter implements SpotFilter {
  readonly filtered: Float32Array;
  private readonly k1: SparseKernel;
  private readonly k2: SparseKernel;
  private readonly margin: number;
  private readonly padded: Float32Array;
  private readonly tmp: Float32Array;
  private readonly v1: Float32Array;
  private readonly tmp2: Float32Array;
  private readonly v2: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    options: WaveletOptions = DEFAULT_WAVELET,
  ) {
    const base = bSplineKernel(options.order, options.scale, options.samples);
    this.k1 = sparseKernel(base);
    this.k2 = sparseKernel(atrousKernel(base, 2));
    this.margin = this.k2.radius;
    const pw = width + 2 * this.margin;
    const ph = height + 2 * this.margin;
    this.padded = new Float32Array(pw * ph);
    this.tmp = new Float32Array(pw * ph);
    this.v1 = new Float32Array(pw * ph);
    this.tmp2 = new Float32Array(width * ph);
    this.v2 = new Float32Array(width * height);
    this.filtered = new Float32Array(width * height);
  }

  apply(image: Float32Array): number {
    const { width: w, height: h, margin: m } = this;
    const pw = w + 2 * m;
    const ph = h + 2 * m;
    padDuplicate(image, w, h, m, this.padded);
    convolveRows(this.padded, pw, ph, 0, this.tmp, pw, this.k1);
    convolveColumns(this.tmp, pw, ph, 0, this.v1, ph, this.k1);
    // V2 is only needed inside the crop, and there its support stays within the padded V1.
    convolveRows(this.v1, pw, ph, m, this.tmp2, w, this.k2);
    convolveColumns(this.tmp2, w, ph, m, this.v2, h, this.k2);
    const { v1, v2, filtered } = this;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      const prow = (y + m) * pw + m;
      for (let x = 0; x < w; x++) filtered[row + x] = v1[prow + x] - v2[row + x];
    }
    return stdOfDifference(image, w, h, v1, pw, m);
  }
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
