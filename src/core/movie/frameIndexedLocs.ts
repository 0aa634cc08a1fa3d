// The localizations a movie draws from, kept as growable columns (x, y, σ in nm, raw frame) and
// indexed by raw frame (a counting sort, rebuilt lazily after appends), so that the localizations
// of any frame range are one contiguous run of `order`.

export class FrameIndexedLocs {
  length = 0;
  x = new Float64Array(1024);
  y = new Float64Array(1024);
  sigma = new Float64Array(1024);
  frame = new Uint32Array(1024);
  private orderArr = new Uint32Array(0);
  private frameStartArr = new Uint32Array(1);
  /** Frame of each entry of `order`, when indexed sparsely (null: `frameStartArr` is dense). */
  private sortedFrames: Uint32Array | null = null;
  private indexed = true;

  push(frame: number, x: number, y: number, sigma: number): void {
    if (this.length === this.x.length) this.grow(2 * this.length);
    const i = this.length++;
    this.frame[i] = frame;
    this.x[i] = x;
    this.y[i] = y;
    this.sigma[i] = sigma;
    this.indexed = false;
  }

  /** Loc indices sorted by frame (stable); `frameStart[f]..frameStart[f+1]` are frame f's. */
  get order(): Uint32Array {
    this.reindex();
    return this.orderArr;
  }

  /** Range [lo, hi) of `order` holding raw frames [start, end). */
  rangeOf(start: number, end: number): { lo: number; hi: number } {
    this.reindex();
    const sorted = this.sortedFrames;
    if (sorted) return { lo: lowerBound(sorted, start), hi: lowerBound(sorted, end) };
    const fs = this.frameStartArr;
    const last = fs.length - 1;
    const clamp = (f: number) => Math.max(0, Math.min(f, last));
    return { lo: fs[clamp(start)], hi: fs[clamp(end)] };
  }

  private reindexSparse(): void {
    const n = this.length;
    const frame = this.frame;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => frame[a] - frame[b] || a - b);
    const sorted = new Uint32Array(n);
    for (let q = 0; q < n; q++) sorted[q] = frame[order[q]];
    this.orderArr = order;
    this.sortedFrames = sorted;
    this.frameStartArr = new Uint32Array(1);
    this.indexed = true;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.x = copy(this.x, (n) => new Float64Array(n));
    this.y = copy(this.y, (n) => new Float64Array(n));
    this.sigma = copy(this.sigma, (n) => new Float64Array(n));
    this.frame = copy(this.frame, (n) => new Uint32Array(n));
  }

  private reindex(): void {
    if (this.indexed) return;
    const n = this.length;
    const frame = this.frame;
    let maxFrame = -1;
    for (let i = 0; i < n; i++) if (frame[i] > maxFrame) maxFrame = frame[i];
    // A frame range far beyond the row count (one damaged row at frame 10⁹) is indexed by
    // sorting, so memory follows the rows, not the largest frame number.
    if (maxFrame + 2 > 4 * n + 1024) {
      this.reindexSparse();
      return;
    }
    this.sortedFrames = null;
    const fs = new Uint32Array(maxFrame + 2);
    for (let i = 0; i < n; i++) fs[frame[i] + 1]++;
    for (let f = 1; f < fs.length; f++) fs[f] += fs[f - 1];
    const order =
      this.orderArr.length >= n ? this.orderArr : new Uint32Array(Math.max(n, 2 * this.orderArr.length));
    const next = fs.slice(0, fs.length - 1);
    for (let i = 0; i < n; i++) order[next[frame[i]]++] = i;
    this.orderArr = order;
    this.frameStartArr = fs;
    this.indexed = true;
  }
}

/** First index q with sorted[q] ≥ value. */
function lowerBound(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
