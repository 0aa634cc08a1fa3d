// Cell segmentation of a mean (or reference) image of a Ca²⁺-indicator movie: Gaussian smoothing,
// Otsu's threshold, then a distance-transform watershed so that touching cells come apart. The
// watershed's basins are merged when the saddle between two of them is shallower than `hPx`
// (their "dynamics"): an elongated cell has a wobbly distance ridge with several pixel maxima,
// and only a real neck between two cells is deep.
import { histogramOf, otsuThreshold } from '../binarize/otsu';
import { binarize, gaussianSmooth } from '../binarize/smooth';
import { labelComponents2D } from '../binarize/structures';
import { squaredDistanceTransform } from '../coloc/edt';

export interface SegmentOptions {
  /** Smoothing before thresholding, px (0: none). Default 1.5. */
  smoothSigmaPx?: number;
  /** Intensity threshold on the smoothed image; default from `method`. */
  threshold?: number;
  /**
   * Automatic threshold: 'triangle' (Zack 1977, ImageJ's "Triangle"; default) suits a dominant
   * background peak with cells spread over a long bright tail, so dim cells are kept; 'otsu'
   * splits two classes and loses cells dimmer than the middle of the two.
   */
  method?: 'triangle' | 'otsu';
  /** Split touching cells by a distance-transform watershed (default true). */
  splitTouching?: boolean;
  /** Neck depth, px, below which two watershed basins stay one cell. Default 2. */
  hPx?: number;
  /** Regions smaller than this are dropped, px. Default 20. */
  minAreaPx?: number;
  /**
   * Trim each cell to where the smoothed image is above half way between the background and the
   * cell's own level (its 90th percentile): a threshold low enough to keep dim cells would
   * otherwise draw bright cells a blur-width too large. Default true.
   */
  halfMaxEdges?: boolean;
}

export interface Segmentation {
  /** 0 = no cell, 1…count = cell. */
  labels: Int32Array;
  count: number;
  width: number;
  height: number;
  /** The threshold used (on the smoothed image). */
  threshold: number;
}

export function segmentCells(
  image: ArrayLike<number>,
  width: number,
  height: number,
  options: SegmentOptions = {},
): Segmentation {
  if (image.length !== width * height) throw new RangeError('image size does not match width × height');
  const smooth = gaussianSmooth(image, width, height, options.smoothSigmaPx ?? 1.5);
  const threshold =
    options.threshold ?? (options.method === 'otsu' ? otsuThreshold(smooth) : triangleThreshold(smooth));
  const mask = binarize(smooth, threshold);
  const labels =
    options.splitTouching === false
      ? componentsOf(mask, width, height)
      : distanceWatershed(mask, width, height, options.hPx ?? 2);
  if (options.halfMaxEdges !== false) trimToHalfMax(labels, smooth);
  const count = dropSmallRegions(labels, options.minAreaPx ?? 20);
  return { labels, count, width, height, threshold };
}

/**
 * Triangle threshold: the histogram bin farthest below the line from the highest bin to the far
 * end of the longer tail; the threshold is that bin's upper edge, on the bright side of the peak.
 */
export function triangleThreshold(values: ArrayLike<number>, bins = 256): number {
  const h = histogramOf(values, bins);
  const c = h.counts;
  let peak = 0;
  for (let i = 1; i < bins; i++) if (c[i] > c[peak]) peak = i;
  let last = bins - 1;
  while (last > peak && c[last] === 0) last--;
  let first = 0;
  while (first < peak && c[first] === 0) first++;
  // Work on the longer tail (cells are brighter than background: normally the upper one).
  const upper = last - peak >= peak - first;
  const end = upper ? last : first;
  if (end === peak) return otsuThreshold(values, bins);
  const w = (h.max - h.min) / bins;
  const dx = end - peak;
  const dy = c[end] - c[peak];
  let best = peak;
  let bestD = -1;
  const step = upper ? 1 : -1;
  for (let i = peak; i !== end; i += step) {
    const d = Math.abs(dy * (i - peak) - dx * (c[i] - c[peak]));
    if (d > bestD) {
      bestD = d;
      best = i;
    }
  }
  return h.min + (upper ? best + 1 : best) * w;
}

/** 8-connected components of a mask, labelled 1…n (the binarize step's labeller). */
export function componentsOf(mask: ArrayLike<number>, width: number, height: number): Int32Array {
  return Int32Array.from(labelComponents2D(mask, width, height, 8).labels);
}

/**
 * Marker watershed on the distance to the background: markers are the regional maxima of the
 * distance, flooded in order of decreasing distance (a priority queue), then basins whose
 * separating saddle is less than `hPx` below the lower of their two peaks are merged.
 */
export function distanceWatershed(mask: Uint8Array, width: number, height: number, hPx: number): Int32Array {
  const n = width * height;
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) background[i] = mask[i] ? 0 : 1;
  const d2 = squaredDistanceTransform(background, width, height);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = mask[i] ? Math.sqrt(Math.min(d2[i], 1e12)) : 0;
  const labels = regionalMaxima(dist, mask, width, height);
  const peaks: number[] = [0];
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l) peaks[l] = Math.max(peaks[l] ?? 0, dist[i]);
  }
  const saddles = flood(dist, mask, labels, width, height);
  mergeShallow(labels, peaks, saddles, hPx);
  return labels;
}

const NEIGHBOURS = [
  [-1, -1],
  [0, -1],
  [1, -1],
  [-1, 0],
  [1, 0],
  [-1, 1],
  [0, 1],
  [1, 1],
] as const;

/** Plateaus of the mask where no 8-neighbour is higher, labelled 1…k. */
function regionalMaxima(dist: Float64Array, mask: Uint8Array, width: number, height: number): Int32Array {
  const n = width * height;
  const candidate = new Uint8Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!mask[p]) continue;
      let top = true;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && dist[ny * width + nx] > dist[p]) {
          top = false;
          break;
        }
      }
      candidate[p] = top ? 1 : 0;
    }
  // A plateau touching a higher pixel anywhere is not a maximum: drop it whole.
  const plateaus = componentsOfEqual(candidate, dist, width, height);
  const bad = new Set<number>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const l = plateaus[p];
      if (!l) continue;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (dist[q] === dist[p] && mask[q] && !candidate[q]) bad.add(l);
      }
    }
  const remap = new Int32Array(plateaus.reduce((m, v) => Math.max(m, v), 0) + 1);
  let next = 0;
  for (let l = 1; l < remap.length; l++) remap[l] = bad.has(l) ? 0 : ++next;
  for (let i = 0; i < n; i++) plateaus[i] = remap[plateaus[i]];
  return plateaus;
}

function componentsOfEqual(mask: Uint8Array, dist: Float64Array, width: number, height: number): Int32Array {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let next = 0;
  for (let start = 0; start < labels.length; start++) {
    if (!mask[start] || labels[start]) continue;
    labels[start] = ++next;
    let top = 0;
    stack[top++] = start;
    while (top) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (mask[q] && !labels[q] && dist[q] === dist[p]) {
          labels[q] = next;
          stack[top++] = q;
        }
      }
    }
  }
  return labels;
}

/** Key of an unordered label pair. */
const pairKey = (a: number, b: number) => (a < b ? a * 0x100000 + b : b * 0x100000 + a);

/**
 * Priority flood from the markers in order of decreasing distance; returns, per pair of
 * adjacent basins, the highest distance at which they meet (their saddle).
 */
function flood(
  dist: Float64Array,
  mask: Uint8Array,
  labels: Int32Array,
  width: number,
  height: number,
): Map<number, number> {
  const heap = new MaxHeap(width * height);
  const queued = new Uint8Array(width * height);
  for (let p = 0; p < labels.length; p++)
    if (labels[p]) {
      queued[p] = 1;
      heap.push(p, dist[p]);
    }
  const saddles = new Map<number, number>();
  while (heap.size) {
    const p = heap.pop();
    const x = p % width;
    const y = (p - x) / width;
    const l = labels[p];
    for (const [dx, dy] of NEIGHBOURS) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (!mask[q]) continue;
      const m = labels[q];
      if (m && m !== l) {
        const k = pairKey(l, m);
        const s = Math.min(dist[p], dist[q]);
        if (!(saddles.get(k)! >= s)) saddles.set(k, s);
      } else if (!m && !queued[q]) {
        labels[q] = l;
        queued[q] = 1;
        heap.push(q, dist[q]);
      }
    }
  }
  return saddles;
}

function mergeShallow(labels: Int32Array, peaks: number[], saddles: Map<number, number>, hPx: number): void {
  const parent = peaks.map((_, i) => i);
  const height = peaks.slice();
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const edges = [...saddles].sort((u, v) => v[1] - u[1]);
  for (const [k, s] of edges) {
    const a = find(Math.floor(k / 0x100000));
    const b = find(k % 0x100000);
    if (a === b) continue;
    if (Math.min(height[a], height[b]) - s < hPx) {
      parent[b] = a;
      height[a] = Math.max(height[a], height[b]);
    }
  }
  for (let i = 0; i < labels.length; i++) if (labels[i]) labels[i] = find(labels[i]);
}

function trimToHalfMax(labels: Int32Array, image: Float32Array): void {
  const outside: number[] = [];
  const inside = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) outside.push(image[i]);
    else {
      const v = inside.get(l);
      if (v) v.push(image[i]);
      else inside.set(l, [image[i]]);
    }
  }
  if (!outside.length) return;
  outside.sort((a, b) => a - b);
  const bg = outside[outside.length >> 1];
  const cut = new Map<number, number>();
  for (const [l, v] of inside) {
    v.sort((a, b) => a - b);
    const level = v[Math.floor(0.9 * (v.length - 1))];
    cut.set(l, bg + 0.5 * (level - bg));
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l && image[i] < (cut.get(l) ?? 0)) labels[i] = 0;
  }
}

/** Zeroes regions under `minArea` pixels and renumbers the rest 1…n in raster order; returns n. */
export function dropSmallRegions(labels: Int32Array, minArea: number): number {
  const area = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (labels[i]) area.set(labels[i], (area.get(labels[i]) ?? 0) + 1);
  const remap = new Map<number, number>();
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    let m = remap.get(l);
    if (m === undefined) {
      m = (area.get(l) ?? 0) >= minArea ? ++next : 0;
      remap.set(l, m);
    }
    labels[i] = m;
  }
  return next;
}

/** Binary max-heap of pixel indices keyed by a float priority. */
class MaxHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }
  push(item: number, key: number): void {
    let i = this.size++;
    const { items, keys } = this;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up] >= key) break;
      items[i] = items[up];
      keys[i] = keys[up];
      i = up;
    }
    items[i] = item;
    keys[i] = key;
  }
  pop(): number {
    const { items, keys } = this;
    const top = items[0];
    const n = --this.size;
    const item = items[n];
    const key = keys[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && keys[c + 1] > keys[c]) c++;
      if (keys[c] <= key) break;
      items[i] = items[c];
      keys[i] = keys[c];
      i = c;
    }
    items[i] = item;
    keys[i] = key;
    return top;
  }
}
