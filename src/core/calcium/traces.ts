// Per-cell traces computed in one streaming pass over the movie: each frame is reduced to one
// mean per cell and one background mean the moment it is read, so a 2,000-frame stack never
// sits in memory. Only the pixels that belong to a cell or to the background are visited, from
// index lists built once from the label image.
import { squaredDistanceTransform } from '../coloc/edt';
import { quantile } from '../stats/descriptive';

export interface BackgroundOptions {
  /** Pixels this close to a cell are never background, px. Default 3. */
  marginPx?: number;
  /** Keep the dimmest this-percent of the remaining pixels. Default 20. */
  percentile?: number;
}

/**
 * Automatic background region: pixels at least `marginPx` from every cell whose mean intensity
 * is in the lowest `percentile` % of those pixels (debris and out-of-focus cells stay out).
 */
export function autoBackgroundMask(
  image: ArrayLike<number>,
  labels: Int32Array,
  width: number,
  height: number,
  options: BackgroundOptions = {},
): Uint8Array {
  const margin = options.marginPx ?? 3;
  const pct = options.percentile ?? 20;
  const d2 = squaredDistanceTransform(labels, width, height);
  const far: number[] = [];
  for (let i = 0; i < labels.length; i++) if (d2[i] > margin * margin) far.push(i);
  if (!far.length)
    throw new Error(`no background: every pixel is within ${margin} px of a cell; draw a background region`);
  const cut = quantile(
    far.map((i) => image[i]),
    pct / 100,
  );
  const mask = new Uint8Array(labels.length);
  for (const i of far) if (image[i] <= cut) mask[i] = 1;
  return mask;
}

export interface CellGeometry {
  /** Pixels per cell (index = cell − 1). */
  area: Int32Array;
  /** Centroid per cell, px (pixel centres at integer + 0.5). */
  x: Float64Array;
  y: Float64Array;
}

export function cellGeometry(labels: Int32Array, count: number, width: number): CellGeometry {
  const area = new Int32Array(count);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 1 || l > count) continue;
    const px = i % width;
    area[l - 1]++;
    x[l - 1] += px + 0.5;
    y[l - 1] += (i - px) / width + 0.5;
  }
  for (let c = 0; c < count; c++) {
    x[c] /= area[c] || 1;
    y[c] /= area[c] || 1;
  }
  return { area, x, y };
}

/**
 * Streams frames into per-cell background-corrected mean traces. `traces` is cell-major:
 * cell c's value at frame f is traces[c·frames + f]; `background` holds the background mean.
 */
export class CellTraceAccumulator {
  readonly traces: Float64Array;
  readonly raw: Float64Array;
  readonly background: Float64Array;
  readonly framesSeen: Uint8Array;
  private readonly index: Int32Array;
  private readonly slot: Int32Array;
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;

  constructor(
    labels: Int32Array,
    readonly count: number,
    backgroundMask: Uint8Array,
    readonly frames: number,
  ) {
    const idx: number[] = [];
    const slot: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l >= 1 && l <= count) {
        idx.push(i);
        slot.push(l - 1);
      } else if (backgroundMask[i]) {
        idx.push(i);
        slot.push(count);
      }
    }
    this.index = Int32Array.from(idx);
    this.slot = Int32Array.from(slot);
    this.counts = new Float64Array(count + 1);
    for (const s of slot) this.counts[s]++;
    if (!this.counts[count]) throw new Error('the background region is empty');
    this.sums = new Float64Array(count + 1);
    this.traces = new Float64Array(count * frames);
    this.raw = new Float64Array(count * frames);
    this.background = new Float64Array(frames);
    this.framesSeen = new Uint8Array(frames);
  }

  addFrame(frame: number, pixels: ArrayLike<number>): void {
    const { index, slot, sums, counts, count, frames } = this;
    sums.fill(0);
    for (let j = 0; j < index.length; j++) sums[slot[j]] += pixels[index[j]];
    const bg = sums[count] / counts[count];
    this.background[frame] = bg;
    for (let c = 0; c < count; c++) {
      const m = counts[c] ? sums[c] / counts[c] : Number.NaN;
      this.raw[c * frames + frame] = m;
      this.traces[c * frames + frame] = m - bg;
    }
    this.framesSeen[frame] = 1;
  }

  /** Cell c's background-corrected trace (a view, no copy). */
  trace(c: number): Float64Array {
    return this.traces.subarray(c * this.frames, (c + 1) * this.frames);
  }
}

/** Running per-pixel mean of frames, for the segmentation image. */
export class MeanImage {
  readonly sum: Float64Array;
  frames = 0;
  constructor(readonly pixels: number) {
    this.sum = new Float64Array(pixels);
  }
  add(frame: ArrayLike<number>): void {
    const s = this.sum;
    for (let i = 0; i < s.length; i++) s[i] += frame[i];
    this.frames++;
  }
  mean(): Float32Array {
    const out = new Float32Array(this.pixels);
    const k = this.frames ? 1 / this.frames : 0;
    for (let i = 0; i < out.length; i++) out[i] = this.sum[i] * k;
    return out;
  }
}
