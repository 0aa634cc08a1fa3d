// Gaussian smoothing of an image before thresholding, separable, with a sampled kernel cut at
// ±3σ. Near the border the kernel is renormalised over the pixels that exist, so a flat image
// stays flat and structures touching the edge are not dimmed.

// Scratch reused across calls: movies smooth hundreds of frames of the same size, and a fresh
// multi-megabyte buffer per frame costs more than the convolution itself.
let scratch = new Float64Array(0);
let input = new Float64Array(0);
// Rows with a non-zero pixel. Movie frames at 10 nm are mostly empty: an empty row smooths to
// an empty row (exactly +0, as the sums would give), so the passes skip them.
let rowHits = new Int32Array(0);

export function gaussianSmooth(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sigmaPx: number,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  const n = width * height;
  if (!(sigmaPx > 0)) {
    for (let i = 0; i < n; i++) out[i] = src[i];
    return out;
  }
  const r = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float64Array(2 * r + 1);
  for (let k = -r; k <= r; k++) kernel[k + r] = Math.exp((-0.5 * k * k) / (sigmaPx * sigmaPx));
  if (scratch.length < n) scratch = new Float64Array(n);
  if (rowHits.length < height + 1) rowHits = new Int32Array(height + 1);
  // The passes read one array type only (Float32 → Float64 is exact), which keeps their inner
  // loops monomorphic whatever the caller hands in.
  let values: Float64Array;
  if (src instanceof Float64Array) values = src;
  else {
    if (input.length < n) input = new Float64Array(n);
    values = input;
    for (let i = 0; i < n; i++) values[i] = src[i];
  }
  countRowHits(values, width, height, rowHits);
  const tmp = scratch;
  horizontalPass(values, width, height, kernel, r, rowHits, tmp);
  verticalPass(tmp, width, height, kernel, r, rowHits, out);
  return out;
}

/** hits[y + 1] − hits[y] = 1 when row y has a non-zero pixel; hits[0] = 0 (prefix counts). */
function countRowHits(v: Float64Array, width: number, height: number, hits: Int32Array): void {
  hits[0] = 0;
  for (let y = 0; y < height; y++) {
    let any = 0;
    for (let i = y * width, end = i + width; i < end; i++)
      if (v[i] !== 0) {
        any = 1;
        break;
      }
    hits[y + 1] = hits[y] + any;
  }
}

// The same sums in the same order as the textbook loop (so results are bit-identical to it), but
// the border columns are split off so the interior runs without a branch per pixel, and the
// source is read through one concrete typed-array type per call site.
function horizontalPass(
  src: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  r: number,
  hits: Int32Array,
  tmp: Float64Array,
): void {
  let wFull = 0;
  for (let k = 0; k < kernel.length; k++) wFull += kernel[k];
  const invFull = 1 / wFull;
  const interiorEnd = width - r;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (hits[y + 1] === hits[y]) {
      tmp.fill(0, row, row + width);
      continue;
    }
    const border = (x: number) => {
      const lo = x < r ? -x : -r;
      const hi = x + r >= width ? width - 1 - x : r;
      let s = 0;
      let w = 0;
      for (let k = lo; k <= hi; k++) {
        s += kernel[k + r] * src[row + x + k];
        w += kernel[k + r];
      }
      // A column with the whole kernel inside (narrow images) takes the interior's formula.
      tmp[row + x] = lo === -r && hi === r ? s * invFull : s / w;
    };
    const head = Math.min(r, width);
    for (let x = 0; x < head; x++) border(x);
    for (let x = r; x < interiorEnd; x++) {
      let s = 0;
      const base = row + x - r;
      for (let k = 0; k <= 2 * r; k++) s += kernel[k] * src[base + k];
      tmp[row + x] = s * invFull;
    }
    for (let x = Math.max(head, interiorEnd); x < width; x++) border(x);
  }
}

/** Row-wise accumulation (k outer, x inner) keeps memory access sequential. */
function verticalPass(
  tmp: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  r: number,
  hits: Int32Array,
  out: Float32Array,
): void {
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const lo = y < r ? -y : -r;
    const hi = y + r >= height ? height - 1 - y : r;
    if (hits[y + hi + 1] === hits[y + lo]) {
      out.fill(0, y * width, (y + 1) * width);
      continue;
    }
    let w = 0;
    for (let k = lo; k <= hi; k++) w += kernel[k + r];
    acc.fill(0);
    for (let k = lo; k <= hi; k++) {
      const c = kernel[k + r];
      const base = (y + k) * width;
      for (let x = 0; x < width; x++) acc[x] += c * tmp[base + x];
    }
    const inv = 1 / w;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = acc[x] * inv;
  }
}

/** Structure mask: 1 where value ≥ threshold (evscope's convention, see otsu.ts). */
export function binarize(
  values: ArrayLike<number>,
  threshold: number,
  out: Uint8Array = new Uint8Array(values.length),
): Uint8Array {
  // Smoothed movie frames are Float32Array: their own loop keeps the element access monomorphic.
  if (values instanceof Float32Array) binarizeF32(values, threshold, out);
  else for (let i = 0; i < values.length; i++) out[i] = values[i] >= threshold ? 1 : 0;
  return out;
}

function binarizeF32(values: Float32Array, threshold: number, out: Uint8Array): void {
  for (let i = 0; i < values.length; i++) out[i] = values[i] >= threshold ? 1 : 0;
}
