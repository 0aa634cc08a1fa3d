// Radix-2 complex FFT on split real/imaginary Float64Arrays, in place. Split storage keeps the
// arrays transferable and lets a real image be transformed by zeroing `im`. Twiddles and the
// bit-reversal permutation are cached per size, so repeated transforms allocate nothing.

interface FftPlan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}

const plans = new Map<number, FftPlan>();

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function plan(n: number): FftPlan {
  let p = plans.get(n);
  if (p) return p;
  if (!isPowerOfTwo(n)) throw new Error(`FFT size ${n} is not a power of two`);
  const cos = new Float64Array(n >> 1);
  const sin = new Float64Array(n >> 1);
  for (let k = 0; k < n >> 1; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r >>> 0;
  }
  p = { n, cos, sin, rev };
  plans.set(n, p);
  return p;
}

/**
 * In-place FFT of the n values starting at `offset`. Forward uses e^{-2πikx/n}; the inverse uses
 * e^{+2πikx/n} and divides by n, so inverse(forward(a)) = a.
 */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false, offset = 0, n = re.length): void {
  if (n <= 1) return;
  const { cos, sin, rev } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      const a = offset + i;
      const b = offset + j;
      const tr = re[a];
      re[a] = re[b];
      re[b] = tr;
      const ti = im[a];
      im[a] = im[b];
      im[b] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = offset + start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse) {
    const s = 1 / n;
    for (let i = offset; i < offset + n; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }
}

// Column passes gather into a scratch line: strided butterflies would thrash the cache.
let scratchRe = new Float64Array(0);
let scratchIm = new Float64Array(0);

/** In-place 2-D FFT of a row-major width×height complex image (both powers of two). */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  inverse = false,
): void {
  if (re.length < width * height || im.length < width * height) throw new Error('FFT buffers too short');
  for (let y = 0; y < height; y++) fft1d(re, im, inverse, y * width, width);
  for (let x = 0; x < width; x++) fftColumn(re, im, width, height, x, inverse);
}

/** FFT of column x in place, through scratch rows so the 1-D transform reads contiguous memory. */
function fftColumn(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  x: number,
  inverse: boolean,
) {
  if (scratchRe.length < height) {
    scratchRe = new Float64Array(height);
    scratchIm = new Float64Array(height);
  }
  const cr = scratchRe;
  const ci = scratchIm;
  for (let y = 0, i = x; y < height; y++, i += width) {
    cr[y] = re[i];
    ci[y] = im[i];
  }
  fft1d(cr, ci, inverse, 0, height);
  for (let y = 0, i = x; y < height; y++, i += width) {
    re[i] = cr[y];
    im[i] = ci[y];
  }
}

/** Maps an FFT index to its signed frequency or circular shift: n−1 → −1. */
export function signedIndex(i: number, n: number): number {
  return i < n >> 1 ? i : i - n;
}

/**
 * Inverse 2-D FFT evaluated only in the columns within ±halfWidth (circularly) of column 0: the
 * row pass is full, the column pass skips the rest. A cross-correlation searched near zero shift
 * needs no more, and this halves the cost. Other columns are left holding row-pass values.
 */
export function inverseFft2dNearZero(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  halfWidth: number,
): void {
  for (let y = 0; y < height; y++) fft1d(re, im, true, y * width, width);
  const h = Math.min(halfWidth, (width >> 1) - 1);
  for (let s = -h; s <= h; s++) {
    fftColumn(re, im, width, height, s < 0 ? s + width : s, true);
  }
}

/**
 * Spectra of two real images from one complex FFT of a + i·b, using the Hermitian symmetry of
 * real signals: A(k) = (Z(k) + Z*(−k))/2, B(k) = (Z(k) − Z*(−k))/2i. On entry re/im hold Z;
 * the four outputs receive A and B.
 */
export function splitTwoRealSpectra(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  aRe: Float32Array | Float64Array,
  aIm: Float32Array | Float64Array,
  bRe: Float32Array | Float64Array,
  bIm: Float32Array | Float64Array,
): void {
  for (let v = 0; v < height; v++) {
    const mv = v === 0 ? 0 : height - v;
    for (let u = 0; u < width; u++) {
      const mu = u === 0 ? 0 : width - u;
      const k = v * width + u;
      const m = mv * width + mu;
      const zr = re[k];
      const zi = im[k];
      const wr = re[m];
      const wi = im[m];
      aRe[k] = 0.5 * (zr + wr);
      aIm[k] = 0.5 * (zi - wi);
      bRe[k] = 0.5 * (zi + wi);
      bIm[k] = 0.5 * (wr - zr);
    }
  }
}
