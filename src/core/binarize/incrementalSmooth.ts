// Smoothing and binarizing a sequence of movie frames that differ little from one to the next
// (issue 19). Consecutive sliding-window frames differ only where the localizations of the 2S raw
// frames entering and leaving the window were splatted: a few percent of the pixels. Smoothing
// is linear, so smooth(F_next) = smooth(F) + smooth(F_next − F): the kernel is splatted around
// the changed pixels only, and only the pixels it reaches are re-thresholded.
//
// Same operator as gaussianSmooth (sampled Gaussian cut at ±max(1, ⌈3σ⌉), renormalised per row
// and per column over the pixels that exist), but not the same rounding: the running sum is
// Float64, updated in a different order. F_next − F of two Float32 frames is exact in Float64, so
// the only differences are Float64 rounding, ~1e-16 relative per update, far below the Float32
// output's 6e-8: the Float32 values are those of gaussianSmooth or one unit in the last place
// away, and a mask pixel can differ only where the smoothed value lies within that of the
// threshold. The running sum is rebuilt from the frame whenever most pixels change, which also
// bounds the drift.

export class IncrementalSmoother {
  readonly width: number;
  readonly height: number;
  readonly threshold: number;
  /** Smoothed current frame (Float32, like gaussianSmooth's output). */
  readonly smoothed: Float32Array;
  /** 1 where smoothed ≥ threshold (binarize's convention). */
  readonly mask: Uint8Array;
  /** Pixels of the input that changed at the last `next` (for diagnostics and benches). */
  lastChanged = 0;
  /** Structure pixels (ones) of the mask, kept up to date without a pass over it. */
  maskPixels = 0;
  private readonly r: number;
  // Kernel taps pre-divided per output column / row by that column's / row's weight sum.
  private readonly kx: Float64Array;
  private readonly ky: Float64Array;
  private readonly previous: Float32Array;
  private readonly previousPairs: Float64Array;
  private readonly changedList: Int32Array;
  /** Differences along one run of changed pixels. */
  private readonly diff: Float64Array;
  private readonly sum: Float64Array;
  private readonly rowPass: Float64Array;
  private readonly rowMark: Uint8Array;
  private readonly outMark: Uint8Array;
  private readonly rowList: Int32Array;
  private readonly outList: Int32Array;
  private rowTouched = 0;
  private outTouched = 0;
  private started = false;

  constructor(width: number, height: number, sigmaPx: number, threshold: number) {
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
      throw new RangeError(`frame size must be positive integers, got ${width}×${height}`);
    if (!(sigmaPx > 0)) throw new RangeError(`smoothing σ must be > 0 px, got ${sigmaPx}`);
    this.width = width;
    this.height = height;
    this.threshold = threshold;
    const n = width * height;
    const r = Math.max(1, Math.ceil(3 * sigmaPx));
    this.r = r;
    const kernel = new Float64Array(2 * r + 1);
    for (let k = -r; k <= r; k++) kernel[k + r] = Math.exp((-0.5 * k * k) / (sigmaPx * sigmaPx));
    this.kx = normalisedTaps(kernel, r, width);
    this.ky = normalisedTaps(kernel, r, height);
    this.smoothed = new Float32Array(n);
    this.mask = new Uint8Array(n);
    this.previous = new Float32Array(n);
    this.previousPairs = new Float64Array(this.previous.buffer, 0, n >> 1);
    this.changedList = new Int32Array(n);
    this.diff = new Float64Array(width);
    this.sum = new Float64Array(n);
    this.rowPass = new Float64Array(n);
    this.rowMark = new Uint8Array(n);
    this.outMark = new Uint8Array(n);
    this.rowList = new Int32Array(n);
    this.outList = new Int32Array(n);
  }

  /**
   * Moves to the next frame (any frame of the same size; cheapest when it differs little).
   * `changed`, if known, lists every pixel where the frame may differ from the one given last
   * (SlidingMovie.frames() yields it): then the frame is not compared pixel by pixel.
   */
  next(frame: ArrayLike<number>, changed: ArrayLike<number> | null = null): void {
    const n = this.width * this.height;
    if (frame.length !== n) throw new RangeError('frame size does not match the smoother');
    this.update(frame, changed && this.started ? this.listHinted(frame, changed) : this.listChanged(frame));
  }

  private update(frame: ArrayLike<number>, listed: number): void {
    const n = this.width * this.height;
    const changed = listed;
    const list = this.changedList;
    for (let j = 0; j < changed; j++) {
      const v = frame[list[j]];
      // A non-finite value would poison the running sum for good (NaN never cancels).
      if (!Number.isFinite(v)) throw new RangeError(`frame value at pixel ${list[j]} is not finite: ${v}`);
    }
    this.lastChanged = changed;
    if (!this.started || 4 * changed > n) {
      // Rebuild from the frame itself: everything is re-thresholded.
      this.rebuildFrom(frame);
      this.refreshAll();
    } else {
      this.splatRows(frame, changed);
      this.splatColumns();
      this.refreshMarked();
    }
    this.started = true;
  }

  // The running sum of a whole frame: the same operator as splatting every pixel (the same
  // taps), gathered per output pixel in two separable passes, several times cheaper.
  private rebuildFrom(frame: ArrayLike<number>): void {
    const { width, height, r, kx, ky, rowPass, sum, previous } = this;
    const span = 2 * r + 1;
    for (let i = 0; i < previous.length; i++) previous[i] = frame[i];
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let xo = 0; xo < width; xo++) {
        // Input column xo + j feeds output column xo through tap r + j.
        const lo = xo < r ? -xo : -r;
        const hi = xo + r >= width ? width - 1 - xo : r;
        const taps = xo * span + r;
        let s = 0;
        for (let j = lo; j <= hi; j++) s += kx[taps + j] * previous[row + xo + j];
        rowPass[row + xo] = s;
      }
    }
    sum.fill(0);
    for (let yo = 0; yo < height; yo++) {
      const lo = yo < r ? -yo : -r;
      const hi = yo + r >= height ? height - 1 - yo : r;
      const out = yo * width;
      for (let j = lo; j <= hi; j++) {
        const w = ky[yo * span + r + j];
        const src = (yo + j) * width;
        for (let x = 0; x < width; x++) sum[out + x] += w * rowPass[src + x];
      }
    }
    rowPass.fill(0);
    this.outTouched = 0;
  }

  // The listed pixels where the frame differs from `previous`, into changedList.
  private listHinted(frame: ArrayLike<number>, hint: ArrayLike<number>): number {
    const prev = this.previous;
    const list = this.changedList;
    const n = prev.length;
    let changed = 0;
    for (let j = 0; j < hint.length; j++) {
      const i = hint[j];
      if (!(i >= 0 && i < n)) throw new RangeError(`changed pixel ${i} is outside the frame`);
      if (frame[i] !== prev[i]) list[changed++] = i;
    }
    return changed;
  }

  // Lists the pixels where the frame differs from `previous` (v !== p, as the sums need it) in
  // changedList; returns how many. This pass over the whole frame was most of an update's cost,
  // so a Float32 frame is compared two pixels at a time through Float64 views: two doubles are
  // equal only if both Float32 halves are (identical bits, or ±0 halves, which the scalar test
  // calls equal too); unequal pairs are decided pixel by pixel.
  private listChanged(frame: ArrayLike<number>): number {
    const prev = this.previous;
    const list = this.changedList;
    const n = prev.length;
    let changed = 0;
    if (frame instanceof Float32Array && frame.byteOffset % 8 === 0 && n % 2 === 0) {
      const a = new Float64Array(frame.buffer, frame.byteOffset, n >> 1);
      const b = this.previousPairs;
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) continue;
        const i = k << 1;
        if (frame[i] !== prev[i]) list[changed++] = i;
        if (frame[i + 1] !== prev[i + 1]) list[changed++] = i + 1;
      }
      return changed;
    }
    for (let i = 0; i < n; i++) if (frame[i] !== prev[i]) list[changed++] = i;
    return changed;
  }

  // Horizontal pass of the difference frame − previous at the listed pixels; records the
  // row-pass pixels it touched. `previous` becomes the frame.
  private splatRows(frame: ArrayLike<number>, changed: number): void {
    const { width, r, kx, rowPass, rowMark, rowList, previous, changedList, diff } = this;
    const span = 2 * r + 1;
    let touched = 0;
    // Changed pixels come in runs along rows (the movie lists its splats' rectangles row by
    // row): each run is convolved as a whole, so every output pixel is marked once per run and
    // the taps are read in order.
    for (let j = 0; j < changed; ) {
      const i0 = changedList[j];
      const x0 = i0 % width;
      const row = i0 - x0;
      let len = 1;
      while (j + len < changed && changedList[j + len] === i0 + len && x0 + len < width) len++;
      for (let m = 0; m < len; m++) {
        const v = frame[i0 + m];
        diff[m] = v - previous[i0 + m];
        previous[i0 + m] = v;
      }
      const x1 = x0 + len - 1;
      const xb = x1 + r < width ? x1 + r : width - 1;
      for (let xo = x0 > r ? x0 - r : 0; xo <= xb; xo++) {
        // Input column x feeds output column xo through tap r − (xo − x).
        const lo = Math.max(xo - r, x0);
        const hi = Math.min(xo + r, x1);
        const taps = xo * span + r - xo + x0;
        let sum = 0;
        for (let m = lo - x0; m <= hi - x0; m++) sum += kx[taps + m] * diff[m];
        const q = row + xo;
        rowPass[q] += sum;
        if (!rowMark[q]) {
          rowMark[q] = 1;
          rowList[touched++] = q;
        }
      }
      j += len;
    }
    this.rowTouched = touched;
  }

  private splatColumns(): void {
    const { width, height, r, ky, rowPass, rowMark, rowList, sum, outMark, outList } = this;
    const span = 2 * r + 1;
    let touched = 0;
    const n = this.rowTouched;
    // Row-pass pixels come in runs along rows too: each run adds to the same columns of the
    // rows around it, with one tap per output row.
    for (let j = 0; j < n; ) {
      const q0 = rowList[j];
      const x0 = q0 % width;
      const y = (q0 - x0) / width;
      let len = 1;
      while (j + len < n && rowList[j + len] === q0 + len && x0 + len < width) len++;
      const lo = y < r ? -y : -r;
      const hi = y + r >= height ? height - 1 - y : r;
      for (let k = lo; k <= hi; k++) {
        const yo = y + k;
        const tap = ky[yo * span + r - k];
        const base = yo * width + x0;
        for (let m = 0; m < len; m++) {
          const o = base + m;
          sum[o] += tap * rowPass[q0 + m];
          if (!outMark[o]) {
            outMark[o] = 1;
            outList[touched++] = o;
          }
        }
      }
      for (let m = 0; m < len; m++) {
        rowPass[q0 + m] = 0;
        rowMark[q0 + m] = 0;
      }
      j += len;
    }
    this.outTouched = touched;
  }

  private refreshMarked(): void {
    const { sum, smoothed, mask, outMark, outList, threshold } = this;
    let count = this.maskPixels;
    for (let j = 0; j < this.outTouched; j++) {
      const o = outList[j];
      outMark[o] = 0;
      smoothed[o] = sum[o];
      const m = smoothed[o] >= threshold ? 1 : 0;
      count += m - mask[o];
      mask[o] = m;
    }
    this.maskPixels = count;
  }

  private refreshAll(): void {
    const { sum, smoothed, mask, outMark, outList, threshold } = this;
    for (let j = 0; j < this.outTouched; j++) outMark[outList[j]] = 0;
    let count = 0;
    for (let i = 0; i < sum.length; i++) {
      smoothed[i] = sum[i];
      const m = smoothed[i] >= threshold ? 1 : 0;
      count += m;
      mask[i] = m;
    }
    this.maskPixels = count;
  }
}

// taps[c·(2r+1) + r + k] = kernel[r + k] / (sum of the kernel taps that land inside [0, n)
// around output c): gaussianSmooth's per-column (per-row) renormalisation, folded into the taps.
function normalisedTaps(kernel: Float64Array, r: number, n: number): Float64Array {
  const span = 2 * r + 1;
  const taps = new Float64Array(n * span);
  for (let c = 0; c < n; c++) {
    const lo = c < r ? -c : -r;
    const hi = c + r >= n ? n - 1 - c : r;
    let w = 0;
    for (let k = lo; k <= hi; k++) w += kernel[k + r];
    for (let k = lo; k <= hi; k++) taps[c * span + r + k] = kernel[r + k] / w;
  }
  return taps;
}
