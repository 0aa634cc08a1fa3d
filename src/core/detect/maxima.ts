// Candidate spots: local maxima of the filtered image above a threshold, thinned so that no two
// lie closer than a minimum distance (the brighter wins) — a single-emitter fitter given two
// candidates on one spot returns the same molecule twice.

export class Candidates {
  x: Int32Array;
  y: Int32Array;
  value: Float32Array;
  count = 0;
  private order: Int32Array;

  constructor(capacity = 256) {
    this.x = new Int32Array(capacity);
    this.y = new Int32Array(capacity);
    this.value = new Float32Array(capacity);
    this.order = new Int32Array(capacity);
  }

  push(x: number, y: number, v: number): void {
    if (this.count === this.x.length) this.grow();
    this.x[this.count] = x;
    this.y[this.count] = y;
    this.value[this.count] = v;
    this.count++;
  }

  private grow(): void {
    const c = this.x.length * 2;
    const x = new Int32Array(c);
    const y = new Int32Array(c);
    const v = new Float32Array(c);
    x.set(this.x);
    y.set(this.y);
    v.set(this.value);
    this.x = x;
    this.y = y;
    this.value = v;
    this.order = new Int32Array(c);
  }

  /** Sorts candidates by decreasing value, ties by raster position, so results never depend on scan order. */
  sortByValue(width: number): void {
    const n = this.count;
    const { x, y, value } = this;
    const order = this.order.subarray(0, n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => value[b] - value[a] || y[a] * width + x[a] - (y[b] * width + x[b]));
    const sx = x.slice(0, n);
    const sy = y.slice(0, n);
    const sv = value.slice(0, n);
    for (let i = 0; i < n; i++) {
      x[i] = sx[order[i]];
      y[i] = sy[order[i]];
      value[i] = sv[order[i]];
    }
  }
}

/**
 * Local maxima in the 8-neighbourhood with value > threshold. A plateau yields one pixel: a pixel
 * must exceed its neighbours above and to the left and be ≥ those below and to the right.
 * Outside the image counts as −∞, so spots on the border are found.
 */
export function findLocalMaxima(
  img: Float32Array,
  width: number,
  height: number,
  threshold: number,
  out: Candidates,
): void {
  out.count = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = img[row + x];
      if (v > threshold && isLocalMaximum(img, width, height, x, y, v)) out.push(x, y, v);
    }
  }
}

/**
 * findLocalMaxima restricted to the pixels of 4-pixel groups starting at `starts[0 … count)`
 * (raster order; pixels past the image ignored): the same candidates when every pixel above the
 * threshold lies in a listed group.
 */
export function findLocalMaximaInGroups(
  img: Float32Array,
  width: number,
  height: number,
  threshold: number,
  starts: Int32Array,
  count: number,
  out: Candidates,
): void {
  out.count = 0;
  const n = width * height;
  for (let g = 0; g < count; g++) {
    const s = starts[g];
    const end = Math.min(s + 4, n);
    for (let i = s; i < end; i++) {
      const v = img[i];
      if (!(v > threshold)) continue;
      const y = (i / width) | 0;
      const x = i - y * width;
      if (isLocalMaximum(img, width, height, x, y, v)) out.push(x, y, v);
    }
  }
}

/** The plateau-safe 8-neighbour test of findLocalMaxima for pixel (x, y) of value v. */
function isLocalMaximum(
  img: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
  v: number,
): boolean {
  const i = y * width + x;
  const left = x > 0;
  const right = x < width - 1;
  if (left && !(v > img[i - 1])) return false;
  if (right && !(v >= img[i + 1])) return false;
  if (y > 0) {
    if (!(v > img[i - width])) return false;
    if (left && !(v > img[i - width - 1])) return false;
    if (right && !(v > img[i - width + 1])) return false;
  }
  if (y < height - 1) {
    if (!(v >= img[i + width])) return false;
    if (left && !(v >= img[i + width - 1])) return false;
    if (right && !(v >= img[i + width + 1])) return false;
  }
  return true;
}

/**
 * Keeps, brightest first, candidates at least `minDistance` px (Euclidean) from every kept one;
 * compacts the survivors in place. `mask` is width × height scratch, left all zero on return.
 */
export function suppressClose(
  c: Candidates,
  width: number,
  height: number,
  minDistance: number,
  mask: Uint8Array,
): void {
  c.sortByValue(width);
  if (!(minDistance > 0)) return;
  const r = Math.ceil(minDistance) - 1;
  const r2 = minDistance * minDistance;
  let kept = 0;
  for (let i = 0; i < c.count; i++) {
    const x = c.x[i];
    const y = c.y[i];
    if (mask[y * width + x]) continue;
    c.x[kept] = x;
    c.y[kept] = y;
    c.value[kept] = c.value[i];
    kept++;
    paint(mask, width, height, x, y, r, r2, 1);
  }
  for (let i = 0; i < kept; i++) paint(mask, width, height, c.x[i], c.y[i], r, r2, 0);
  c.count = kept;
}

/** Sets the pixels strictly closer than √r2 to (x, y). */
function paint(
  mask: Uint8Array,
  w: number,
  h: number,
  x: number,
  y: number,
  r: number,
  r2: number,
  v: number,
) {
  for (let dy = -r; dy <= r; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -r; dx <= r; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w || dx * dx + dy * dy >= r2) continue;
      mask[yy * w + xx] = v;
    }
  }
}
