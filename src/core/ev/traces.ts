// Per-EV intensity traces: the sum over a small disc around the EV minus the disc's area times
// the median of a surrounding annulus (robust to a neighbour's tail or a passing blink). All EVs
// and channels are read in one pass over the frames, each frame once, so a long stack streams.
import type { FrameSource } from '../stack/types';

export interface RoiParams {
  /** Disc radius (px) summed for the EV's signal. */
  radiusPx: number;
  /** Annulus (px) whose median is the local background per pixel. */
  annulusInnerPx: number;
  annulusOuterPx: number;
}

export interface FrameRange {
  start: number;
  count: number;
}

export interface TraceProgress {
  done: number;
  total: number;
}

/** Pixel offsets of each EV's disc and annulus, flattened with per-EV start indices. */
export interface RoiMasks {
  discStart: Int32Array;
  disc: Int32Array;
  ringStart: Int32Array;
  ring: Int32Array;
  maxRing: number;
}

/** Pixels whose centres (i + 0.5) lie inside the disc or the annulus around each EV. */
export function buildRoiMasks(
  x: Float64Array,
  y: Float64Array,
  width: number,
  height: number,
  roi: RoiParams,
): RoiMasks {
  const n = x.length;
  const disc: number[] = [];
  const ring: number[] = [];
  const discStart = new Int32Array(n + 1);
  const ringStart = new Int32Array(n + 1);
  const r2 = roi.radiusPx * roi.radiusPx;
  const in2 = roi.annulusInnerPx * roi.annulusInnerPx;
  const out2 = roi.annulusOuterPx * roi.annulusOuterPx;
  const reach = Math.ceil(Math.max(roi.radiusPx, roi.annulusOuterPx)) + 1;
  let maxRing = 0;
  for (let e = 0; e < n; e++) {
    discStart[e] = disc.length;
    ringStart[e] = ring.length;
    const px = Math.floor(x[e]);
    const py = Math.floor(y[e]);
    for (let yy = Math.max(0, py - reach); yy <= Math.min(height - 1, py + reach); yy++) {
      for (let xx = Math.max(0, px - reach); xx <= Math.min(width - 1, px + reach); xx++) {
        const d2 = (xx + 0.5 - x[e]) ** 2 + (yy + 0.5 - y[e]) ** 2;
        if (d2 <= r2) disc.push(yy * width + xx);
        else if (d2 > in2 && d2 <= out2) ring.push(yy * width + xx);
      }
    }
    maxRing = Math.max(maxRing, ring.length - ringStart[e]);
  }
  discStart[n] = disc.length;
  ringStart[n] = ring.length;
  return { discStart, disc: Int32Array.from(disc), ringStart, ring: Int32Array.from(ring), maxRing };
}

/**
 * Traces for every EV in every listed channel: result[c][e · frames + f]. Reads frames
 * start … start+count−1 of each channel once, lazily, in frame order. `allMasks` is one set for
 * all channels, or one per listed channel (registered channels place each EV's ROI where the
 * EV lies in that channel).
 */
export async function extractEvTraces(
  source: FrameSource,
  allMasks: RoiMasks | readonly RoiMasks[],
  channels: readonly number[],
  range: FrameRange,
  signal?: AbortSignal,
  onProgress?: (p: TraceProgress) => void,
): Promise<Float64Array[]> {
  const perChannel = Array.isArray(allMasks)
    ? (allMasks as readonly RoiMasks[])
    : channels.map(() => allMasks as RoiMasks);
  if (perChannel.length !== channels.length)
    throw new Error(`${perChannel.length} ROI mask sets for ${channels.length} channels`);
  const nEv = perChannel[0] ? perChannel[0].discStart.length - 1 : 0;
  const nF = range.count;
  const traces = channels.map(() => new Float64Array(nEv * nF));
  const scratch = new Float64Array(Math.max(1, ...perChannel.map((m) => m.maxRing)));
  const total = nF * channels.length;
  for (let f = 0; f < nF; f++) {
    for (let ci = 0; ci < channels.length; ci++) {
      signal?.throwIfAborted();
      const frame = await source.readFrame(range.start + f, { channel: channels[ci], signal });
      const tr = traces[ci];
      const masks = perChannel[ci];
      for (let e = 0; e < nEv; e++) {
        let sum = 0;
        const d0 = masks.discStart[e];
        const d1 = masks.discStart[e + 1];
        for (let k = d0; k < d1; k++) sum += frame[masks.disc[k]];
        const r0 = masks.ringStart[e];
        const m = masks.ringStart[e + 1] - r0;
        for (let k = 0; k < m; k++) scratch[k] = frame[masks.ring[r0 + k]];
        const bg = m > 0 ? medianSelect(scratch, m) : 0;
        tr[e * nF + f] = sum - (d1 - d0) * bg;
      }
      onProgress?.({ done: f * channels.length + ci + 1, total });
    }
  }
  return traces;
}

/**
 * Median of a[0 … n) by quickselect (Hoare partition), reordering a in place: O(n) and no
 * allocation, as it runs once per EV per frame.
 */
export function medianSelect(a: Float64Array, n: number): number {
  const hi = selectKth(a, n, n >> 1);
  if (n & 1) return hi;
  // Even n: the lower middle is the largest value left of the upper middle after selection.
  let lo = a[0];
  for (let i = 1; i < n >> 1; i++) if (a[i] > lo) lo = a[i];
  return 0.5 * (lo + hi);
}

function selectKth(a: Float64Array, n: number, k: number): number {
  let l = 0;
  let r = n - 1;
  while (r > l) {
    const pivot = a[(l + r) >> 1];
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k];
}

/**
 * Mean or maximum of frames start … start+count−1 of one channel, in Float64 for the wavelet
 * filter. The detection image: EVs are brightest before bleaching, so a few frames suffice.
 */
export async function projectFrames(
  source: FrameSource,
  channel: number,
  range: FrameRange,
  mode: 'mean' | 'max',
  signal?: AbortSignal,
): Promise<Float64Array> {
  const n = source.width * source.height;
  const out = new Float64Array(n).fill(mode === 'max' ? Number.NEGATIVE_INFINITY : 0);
  for (let f = 0; f < range.count; f++) {
    signal?.throwIfAborted();
    const frame = await source.readFrame(range.start + f, { channel, signal });
    if (mode === 'max') for (let i = 0; i < n; i++) out[i] = Math.max(out[i], frame[i]);
    else for (let i = 0; i < n; i++) out[i] += frame[i];
  }
  if (mode === 'mean') for (let i = 0; i < n; i++) out[i] /= range.count;
  return out;
}
