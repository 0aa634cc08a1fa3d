// The ground-truth emission table: one row per (molecule, frame) in which the molecule emitted.
// Built once, up front, so any frame can later be rendered on its own: rows are sorted by
// (channel, frame) and `frameStart` indexes them, making "all emitters of frame k" a slice.

/** Columns of the truth table; positions in nm, origin at the top-left corner of the top-left pixel. */
export type TruthEventColumns = {
  /** 0-based frame. */
  frame: Uint32Array;
  channel: Uint8Array;
  /** Where the emitter lands on this channel's camera (after drift and channel transform), nm. */
  x: Float64Array;
  y: Float64Array;
  /** Position in the sample (before drift and channel transform), nm. */
  xSample: Float64Array;
  ySample: Float64Array;
  /** Expected detected photons in this frame (shot noise is added when the frame is rendered). */
  photons: Float64Array;
  /** Unique molecule id (dye, fluorescent protein, or a bulk-labelled EV). */
  molecule: Uint32Array;
  /** The EV or structure the molecule belongs to (its id), or −1. */
  parent: Int32Array;
};

export type TruthEvents = {
  readonly length: number;
  readonly columns: TruthEventColumns;
  readonly channels: number;
  readonly frames: number;
  /** Rows of (channel c, frame k) are frameStart[c·frames + k] … frameStart[c·frames + k + 1] − 1. */
  readonly frameStart: Uint32Array;
};

/** Growable structure-of-arrays buffer for events in generation order. */
export class EventBuilder {
  length = 0;
  private cap = 1024;
  frame = new Uint32Array(this.cap);
  channel = new Uint8Array(this.cap);
  xSample = new Float64Array(this.cap);
  ySample = new Float64Array(this.cap);
  photons = new Float64Array(this.cap);
  molecule = new Uint32Array(this.cap);
  parent = new Int32Array(this.cap);

  push(
    frame: number,
    channel: number,
    x: number,
    y: number,
    photons: number,
    molecule: number,
    parent: number,
  ): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.frame[i] = frame;
    this.channel[i] = channel;
    this.xSample[i] = x;
    this.ySample[i] = y;
    this.photons[i] = photons;
    this.molecule[i] = molecule;
    this.parent[i] = parent;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Uint32Array | Uint8Array | Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.frame = g(this.frame);
    this.channel = g(this.channel);
    this.xSample = g(this.xSample);
    this.ySample = g(this.ySample);
    this.photons = g(this.photons);
    this.molecule = g(this.molecule);
    this.parent = g(this.parent);
  }
}

/**
 * Sorts the built events by (channel, frame) with a counting sort (O(n)), keeps generation order
 * within a frame, and maps sample positions to camera positions with `toCamera`. Events landing
 * outside the field of view are dropped: nothing would be seen of them, so they are not truth.
 */
export function finalizeEvents(
  b: EventBuilder,
  channels: number,
  frames: number,
  toCamera: (channel: number, frame: number, xs: number, ys: number, out: Float64Array) => void,
  fieldWidthNm: number,
  fieldHeightNm: number,
): TruthEvents {
  const n = b.length;
  const camX = new Float64Array(n);
  const camY = new Float64Array(n);
  const keep = new Uint8Array(n);
  const p = new Float64Array(2);
  const counts = new Uint32Array(channels * frames + 1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    toCamera(b.channel[i], b.frame[i], b.xSample[i], b.ySample[i], p);
    camX[i] = p[0];
    camY[i] = p[1];
    if (p[0] >= 0 && p[0] < fieldWidthNm && p[1] >= 0 && p[1] < fieldHeightNm) {
      keep[i] = 1;
      kept++;
      counts[b.channel[i] * frames + b.frame[i] + 1]++;
    }
  }
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  const frameStart = counts.slice();
  const next = counts;
  const cols: TruthEventColumns = {
    frame: new Uint32Array(kept),
    channel: new Uint8Array(kept),
    x: new Float64Array(kept),
    y: new Float64Array(kept),
    xSample: new Float64Array(kept),
    ySample: new Float64Array(kept),
    photons: new Float64Array(kept),
    molecule: new Uint32Array(kept),
    parent: new Int32Array(kept),
  };
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const j = next[b.channel[i] * frames + b.frame[i]]++;
    cols.frame[j] = b.frame[i];
    cols.channel[j] = b.channel[i];
    cols.x[j] = camX[i];
    cols.y[j] = camY[i];
    cols.xSample[j] = b.xSample[i];
    cols.ySample[j] = b.ySample[i];
    cols.photons[j] = b.photons[i];
    cols.molecule[j] = b.molecule[i];
    cols.parent[j] = b.parent[i];
  }
  return { length: kept, columns: cols, channels, frames, frameStart };
}

/** Row range [start, end) of the events of one channel and frame. */
export function eventRange(t: TruthEvents, channel: number, frame: number): [number, number] {
  const k = channel * t.frames + frame;
  return [t.frameStart[k], t.frameStart[k + 1]];
}
