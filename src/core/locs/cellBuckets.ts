// Points bucketed by the square cell (side = the search radius) they fall in, for nearest-
// neighbour searches within that radius: every point within it of a query lies in the 3×3 cells
// around the query's. Cells are hashed into CSR arrays that are allocated once and rebuilt per
// frame, so blink linking and NeNA allocate nothing per frame.

export class CellBuckets {
  private readonly start: Int32Array;
  /** The bucketed ids, bucket by bucket (see `around`). */
  readonly items: Int32Array;
  private readonly itemHash: Int32Array;
  private readonly inv: number;
  private hmask = 0;

  /** For up to `capacity` points at a time, with cells of side `cell`. */
  constructor(capacity: number, cell: number) {
    let maxHash = 16;
    while (maxHash < 2 * capacity) maxHash <<= 1;
    this.start = new Int32Array(maxHash + 1);
    this.items = new Int32Array(capacity);
    this.itemHash = new Int32Array(capacity);
    this.inv = 1 / cell;
  }

  /** Buckets the points ids[from], …, ids[to − 1], point `id` being at (x[id], y[id]). */
  build(ids: ArrayLike<number>, from: number, to: number, x: ArrayLike<number>, y: ArrayLike<number>): void {
    const { start, items, itemHash, inv } = this;
    const n = to - from;
    let hashSize = 16;
    while (hashSize < 2 * n) hashSize <<= 1;
    const hmask = hashSize - 1;
    this.hmask = hmask;
    start.fill(0, 0, hashSize + 1);
    for (let k = 0; k < n; k++) {
      const id = ids[from + k];
      const h = cellHash(Math.floor(x[id] * inv), Math.floor(y[id] * inv)) & hmask;
      itemHash[k] = h;
      start[h + 1]++;
    }
    for (let h = 0; h < hashSize; h++) start[h + 1] += start[h];
    for (let k = 0; k < n; k++) items[start[itemHash[k]]++] = ids[from + k];
    // The fill pass advanced each start to the next bucket's: shift back.
    for (let h = hashSize; h > 0; h--) start[h] = start[h - 1];
    start[0] = 0;
  }

  /**
   * The 3×3 cells around (x, y) as nine ranges [ranges[2c], ranges[2c + 1]) of `items`: a
   * superset of the points within one cell side (callers test the distance). `ranges` has 18
   * entries; no point is copied, as this runs once per localization.
   */
  around(x: number, y: number, ranges: Int32Array): void {
    const { start, hmask } = this;
    const cx = Math.floor(x * this.inv);
    const cy = Math.floor(y * this.inv);
    let c = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const h = cellHash(cx + dx, cy + dy) & hmask;
        ranges[c++] = start[h];
        ranges[c++] = start[h + 1];
      }
  }
}

function cellHash(cx: number, cy: number): number {
  return (Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77)) >>> 0;
}
