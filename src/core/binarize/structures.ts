// Connected structures of a binary movie, per frame (4- or 8-connectivity) or in (x, y, t)
// (6- or 26-connectivity), streamed one frame at a time.
//
// Memory: each frame is reduced to its runs (maximal horizontal stretches of structure pixels)
// as it arrives; runs are linked to the runs they touch in the row above and, in 3-D, in the
// three rows around them in the previous frame, with a union-find over all runs. The movie volume
// is never held: the reference movie (668 frames of 1280²) would be 1.1 GB as bytes and 4.4 GB as
// 32-bit labels, while its runs take a few MB. A 3-D structure's final label is only known after
// its last frame (two blobs may merge later), so labels and tables are produced by finish().

import type { RenderGrid } from '../movie/grid';

export type Connectivity = 4 | 8 | 6 | 26;

/** One row per structure and frame it occupies, ordered by frame. Bounding boxes in pixels. */
export interface StructureObservations {
  length: number;
  columns: {
    structure: Uint32Array;
    frame: Uint32Array;
    areaPx: Uint32Array;
    areaNm2: Float64Array;
    xNm: Float64Array;
    yNm: Float64Array;
    /** Diameter of the disc with the same area. */
    diameterNm: Float64Array;
    /** Bounding box [x0, x1) × [y0, y1) in grid pixels. */
    bboxX0: Uint32Array;
    bboxY0: Uint32Array;
    bboxX1: Uint32Array;
    bboxY1: Uint32Array;
  };
}

/** One row per structure (id = its label, 1-based). */
export interface StructureSummary {
  length: number;
  columns: {
    id: Uint32Array;
    firstFrame: Uint32Array;
    lastFrame: Uint32Array;
    frames: Uint32Array;
    /** Pixels over all frames (voxels in x, y, t). */
    volumePx: Float64Array;
    maxAreaNm2: Float64Array;
    meanAreaNm2: Float64Array;
    meanDiameterNm: Float64Array;
    /** Centroid over all its pixels in all its frames. */
    xNm: Float64Array;
    yNm: Float64Array;
  };
}

/** Per movie frame, for plots over time. */
export interface FrameStructureSummary {
  count: Uint32Array;
  areaPx: Float64Array;
  meanAreaNm2: Float64Array;
  meanDiameterNm: Float64Array;
}

export interface LabelledStructures {
  width: number;
  height: number;
  frameCount: number;
  connectivity: Connectivity;
  /** Number of structures; labels run 1..count, 0 is background. */
  count: number;
  observations: StructureObservations;
  structures: StructureSummary;
  perFrame: FrameStructureSummary;
  /** Label image of frame t (Uint32 per pixel). */
  labelFrame(t: number, out?: Uint32Array): Uint32Array;
}

type GridNm = Pick<RenderGrid, 'x0Nm' | 'y0Nm' | 'pixelNm'>;

/** Frames labelled apart (StructureLabeller.part), to be joined in order (absorb). */
export interface StructurePart {
  width: number;
  height: number;
  connectivity: Connectivity;
  runY: Int32Array;
  runX0: Int32Array;
  runX1: Int32Array;
  /** Union-find root of each run within the part. */
  root: Int32Array;
  /** First run of each frame of the part, and the end. */
  frameRunStart: Int32Array;
}

class GrowableI32 {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(2 * this.length);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

export class StructureLabeller {
  readonly width: number;
  readonly height: number;
  readonly connectivity: Connectivity;
  private readonly grid: GridNm;
  private readonly runY = new GrowableI32();
  private readonly runX0 = new GrowableI32();
  private readonly runX1 = new GrowableI32();
  private readonly parent = new GrowableI32();
  private readonly frameRunStart: number[] = [0];
  // Index of the first run of each row (height + 1 entries) in the current and previous frame.
  private rowStart: Int32Array;
  private prevRowStart: Int32Array;
  private finished = false;

  constructor(
    width: number,
    height: number,
    connectivity: Connectivity = 26,
    grid: GridNm = { x0Nm: 0, y0Nm: 0, pixelNm: 1 },
  ) {
    if (![4, 8, 6, 26].includes(connectivity)) throw new RangeError(`connectivity must be 4, 8, 6 or 26`);
    this.width = width;
    this.height = height;
    this.connectivity = connectivity;
    this.grid = grid;
    this.rowStart = new Int32Array(height + 1);
    this.prevRowStart = new Int32Array(height + 1);
  }

  get frameCount(): number {
    return this.frameRunStart.length - 1;
  }

  /** This labeller's frames as a part for `absorb` (transferable arrays). */
  part(): StructurePart {
    const n = this.runY.length;
    const root = new Int32Array(n);
    for (let r = 0; r < n; r++) root[r] = this.find(r);
    return {
      width: this.width,
      height: this.height,
      connectivity: this.connectivity,
      runY: this.runY.data.slice(0, n),
      runX0: this.runX0.data.slice(0, n),
      runX1: this.runX1.data.slice(0, n),
      root,
      frameRunStart: Int32Array.from(this.frameRunStart),
    };
  }

  /**
   * Appends the frames of a part labelled by another labeller (in another worker), linking its
   * first frame to this one's last as addFrame would have: afterwards this labeller is as if it
   * had been given those frames itself (the same labels and tables).
   */
  absorb(p: StructurePart): void {
    if (this.finished) throw new Error('finish() was called');
    if (p.width !== this.width || p.height !== this.height || p.connectivity !== this.connectivity)
      throw new RangeError('the part has another frame size or connectivity');
    const end = this.runY.length;
    const lastStart = this.frameRunStart[this.frameRunStart.length - 2] ?? 0;
    const hadFrames = this.frameCount > 0;
    for (let k = 0; k < p.runY.length; k++) {
      this.runY.push(p.runY[k]);
      this.runX0.push(p.runX0[k]);
      this.runX1.push(p.runX1[k]);
      this.parent.push(end + k);
    }
    // The part's own links (its union-find roots), then the links across the cut.
    for (let k = 0; k < p.runY.length; k++) if (p.root[k] !== k) this.union(end + k, end + p.root[k]);
    for (let f = 1; f < p.frameRunStart.length; f++) this.frameRunStart.push(end + p.frameRunStart[f]);
    const across = this.connectivity === 6 || this.connectivity === 26;
    if (across && hadFrames && p.frameRunStart.length > 1) {
      const diagonal = this.connectivity === 26 ? 1 : 0;
      const before = this.rowsOf(lastStart, end, this.prevRowStart);
      const first = this.rowsOf(end, end + p.frameRunStart[1], this.rowStart);
      for (let y = 0; y < this.height; y++)
        for (let py = Math.max(0, y - diagonal); py <= Math.min(this.height - 1, y + diagonal); py++)
          this.linkRows(before[py], before[py + 1], first[y], first[y + 1], diagonal);
    }
    // Rows of the new last frame, for frames added after the part.
    const n = this.frameRunStart.length;
    if (n > 1) this.rowsOf(this.frameRunStart[n - 2], this.frameRunStart[n - 1], this.prevRowStart);
  }

  // First run of each row (height + 1 entries) among runs [from, to) of one frame.
  private rowsOf(from: number, to: number, rows: Int32Array): Int32Array {
    const ry = this.runY.data;
    let r = from;
    for (let y = 0; y <= this.height; y++) {
      while (r < to && ry[r] < y) r++;
      rows[y] = r;
    }
    return rows;
  }

  /** Adds the next frame's mask (non-zero = structure), width·height row-major. */
  addFrame(mask: ArrayLike<number>): void {
    if (this.finished) throw new Error('finish() was called');
    if (mask.length !== this.width * this.height)
      throw new RangeError('mask size does not match the labeller');
    const { width, height } = this;
    const diagonal = this.connectivity === 8 || this.connectivity === 26 ? 1 : 0;
    const acrossFrames = this.connectivity === 6 || this.connectivity === 26;
    const hasPrev = this.frameCount > 0;
    const [runY, runX0, runX1, parent] = [this.runY, this.runX0, this.runX1, this.parent];
    const rows = this.rowStart;
    const words = wordsOf(mask, width);
    for (let y = 0; y < height; y++) {
      rows[y] = runY.length;
      const row = y * width;
      let x = 0;
      while (x < width) {
        if (!mask[row + x]) {
          // Movie masks are mostly background: skip it four pixels at a time where aligned.
          if (words && (x & 3) === 0) {
            let k = (row + x) >> 2;
            const end = (row + width) >> 2;
            while (k < end && words[k] === 0) k++;
            const skipped = (k << 2) - row;
            if (skipped > x) {
              x = skipped;
              continue;
            }
          }
          x++;
          continue;
        }
        const x0 = x;
        while (x < width && mask[row + x]) x++;
        const id = runY.length;
        runY.push(y);
        runX0.push(x0);
        runX1.push(x);
        parent.push(id);
      }
      if (y > 0) this.linkRows(rows[y - 1], rows[y], rows[y], runY.length, diagonal);
      if (acrossFrames && hasPrev) {
        const prev = this.prevRowStart;
        const reach = diagonal;
        for (let py = Math.max(0, y - reach); py <= Math.min(height - 1, y + reach); py++)
          this.linkRows(prev[py], prev[py + 1], rows[y], runY.length, diagonal);
      }
    }
    rows[height] = runY.length;
    this.frameRunStart.push(runY.length);
    this.rowStart = this.prevRowStart;
    this.prevRowStart = rows;
  }

  /** Resolves labels and measures every structure in every frame. */
  finish(): LabelledStructures {
    this.finished = true;
    const nRuns = this.runY.length;
    const runLabel = new Uint32Array(nRuns);
    const labelOfRoot = new Uint32Array(nRuns);
    let count = 0;
    for (let r = 0; r < nRuns; r++) {
      const root = this.find(r);
      if (!labelOfRoot[root]) labelOfRoot[root] = ++count;
      runLabel[r] = labelOfRoot[root];
    }
    const observations = this.measure(runLabel, count);
    return {
      width: this.width,
      height: this.height,
      frameCount: this.frameCount,
      connectivity: this.connectivity,
      count,
      observations,
      structures: summarise(observations, count),
      perFrame: perFrameSummary(observations, this.frameCount),
      labelFrame: (t, out = new Uint32Array(this.width * this.height)) => {
        if (!(t >= 0 && t < this.frameCount)) throw new RangeError(`frame ${t} out of range`);
        out.fill(0);
        const { data: ry } = this.runY;
        const { data: rx0 } = this.runX0;
        const { data: rx1 } = this.runX1;
        for (let r = this.frameRunStart[t]; r < this.frameRunStart[t + 1]; r++)
          out.fill(runLabel[r], ry[r] * this.width + rx0[r], ry[r] * this.width + rx1[r]);
        return out;
      },
    };
  }

  // Unites runs [a0, a1) of one row with runs [b0, b1) of another where they touch; both lists
  // are sorted by x, so one merge-like pass suffices (the run that ends first cannot reach past
  // the other's successor, which starts at least one gap pixel later).
  private linkRows(a0: number, a1: number, b0: number, b1: number, diagonal: number): void {
    const x0 = this.runX0.data;
    const x1 = this.runX1.data;
    let i = a0;
    let j = b0;
    while (i < a1 && j < b1) {
      if (x0[i] < x1[j] + diagonal && x0[j] < x1[i] + diagonal) this.union(i, j);
      if (x1[i] < x1[j]) i++;
      else j++;
    }
  }

  private find(r: number): number {
    const p = this.parent.data;
    while (p[r] !== r) {
      p[r] = p[p[r]];
      r = p[r];
    }
    return r;
  }

  // The smaller run id becomes the root, so roots are first appearances and labels are
  // numbered in order of appearance (frame, then row, then x).
  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const p = this.parent.data;
    if (ra < rb) p[rb] = ra;
    else p[ra] = rb;
  }

  private measure(runLabel: Uint32Array, count: number): StructureObservations {
    const { x0Nm, y0Nm, pixelNm } = this.grid;
    const ry = this.runY.data;
    const rx0 = this.runX0.data;
    const rx1 = this.runX1.data;
    const rowOf = new Int32Array(count + 1).fill(-1);
    const seenIn = new Int32Array(count + 1).fill(-1);
    const cols = {
      structure: [] as number[],
      frame: [] as number[],
      area: [] as number[],
      sx: [] as number[],
      sy: [] as number[],
      bx0: [] as number[],
      by0: [] as number[],
      bx1: [] as number[],
      by1: [] as number[],
    };
    for (let t = 0; t < this.frameCount; t++) {
      for (let r = this.frameRunStart[t]; r < this.frameRunStart[t + 1]; r++) {
        const s = runLabel[r];
        if (seenIn[s] !== t) {
          seenIn[s] = t;
          rowOf[s] = cols.structure.length;
          cols.structure.push(s);
          cols.frame.push(t);
          cols.area.push(0);
          cols.sx.push(0);
          cols.sy.push(0);
          cols.bx0.push(rx0[r]);
          cols.by0.push(ry[r]);
          cols.bx1.push(rx1[r]);
          cols.by1.push(ry[r] + 1);
        }
        const k = rowOf[s];
        const len = rx1[r] - rx0[r];
        cols.area[k] += len;
        // Pixel centres are at index + ½; the run's centres sum to len·(x0 + x1)/2.
        cols.sx[k] += (len * (rx0[r] + rx1[r])) / 2;
        cols.sy[k] += len * (ry[r] + 0.5);
        if (rx0[r] < cols.bx0[k]) cols.bx0[k] = rx0[r];
        if (rx1[r] > cols.bx1[k]) cols.bx1[k] = rx1[r];
        if (ry[r] + 1 > cols.by1[k]) cols.by1[k] = ry[r] + 1;
      }
    }
    const n = cols.structure.length;
    const px2 = pixelNm * pixelNm;
    const areaNm2 = Float64Array.from(cols.area, (a) => a * px2);
    return {
      length: n,
      columns: {
        structure: Uint32Array.from(cols.structure),
        frame: Uint32Array.from(cols.frame),
        areaPx: Uint32Array.from(cols.area),
        areaNm2,
        xNm: Float64Array.from(cols.sx, (s, i) => x0Nm + (s / cols.area[i]) * pixelNm),
        yNm: Float64Array.from(cols.sy, (s, i) => y0Nm + (s / cols.area[i]) * pixelNm),
        diameterNm: areaNm2.map((a) => 2 * Math.sqrt(a / Math.PI)),
        bboxX0: Uint32Array.from(cols.bx0),
        bboxY0: Uint32Array.from(cols.by0),
        bboxX1: Uint32Array.from(cols.bx1),
        bboxY1: Uint32Array.from(cols.by1),
      },
    };
  }
}

// A mask's bytes as 32-bit words when every row starts on a word (else null): a word is 0
// exactly when its four pixels are.
function wordsOf(mask: ArrayLike<number>, width: number): Int32Array | null {
  if (!(mask instanceof Uint8Array) || mask.byteOffset % 4 !== 0 || width % 4 !== 0) return null;
  return new Int32Array(mask.buffer, mask.byteOffset, mask.length >> 2);
}

function summarise(obs: StructureObservations, count: number): StructureSummary {
  const c = {
    id: Uint32Array.from({ length: count }, (_, i) => i + 1),
    firstFrame: new Uint32Array(count).fill(0xffffffff),
    lastFrame: new Uint32Array(count),
    frames: new Uint32Array(count),
    volumePx: new Float64Array(count),
    maxAreaNm2: new Float64Array(count),
    meanAreaNm2: new Float64Array(count),
    meanDiameterNm: new Float64Array(count),
    xNm: new Float64Array(count),
    yNm: new Float64Array(count),
  };
  const o = obs.columns;
  for (let i = 0; i < obs.length; i++) {
    const s = o.structure[i] - 1;
    c.firstFrame[s] = Math.min(c.firstFrame[s], o.frame[i]);
    c.lastFrame[s] = Math.max(c.lastFrame[s], o.frame[i]);
    c.frames[s]++;
    c.volumePx[s] += o.areaPx[i];
    c.maxAreaNm2[s] = Math.max(c.maxAreaNm2[s], o.areaNm2[i]);
    c.meanAreaNm2[s] += o.areaNm2[i];
    c.meanDiameterNm[s] += o.diameterNm[i];
    c.xNm[s] += o.xNm[i] * o.areaPx[i];
    c.yNm[s] += o.yNm[i] * o.areaPx[i];
  }
  for (let s = 0; s < count; s++) {
    c.meanAreaNm2[s] /= c.frames[s];
    c.meanDiameterNm[s] /= c.frames[s];
    c.xNm[s] /= c.volumePx[s];
    c.yNm[s] /= c.volumePx[s];
  }
  return { length: count, columns: c };
}

function perFrameSummary(obs: StructureObservations, frames: number): FrameStructureSummary {
  const s: FrameStructureSummary = {
    count: new Uint32Array(frames),
    areaPx: new Float64Array(frames),
    meanAreaNm2: new Float64Array(frames),
    meanDiameterNm: new Float64Array(frames),
  };
  const o = obs.columns;
  for (let i = 0; i < obs.length; i++) {
    const t = o.frame[i];
    s.count[t]++;
    s.areaPx[t] += o.areaPx[i];
    s.meanAreaNm2[t] += o.areaNm2[i];
    s.meanDiameterNm[t] += o.diameterNm[i];
  }
  for (let t = 0; t < frames; t++)
    if (s.count[t]) {
      s.meanAreaNm2[t] /= s.count[t];
      s.meanDiameterNm[t] /= s.count[t];
    }
  return s;
}

/** Labels of a 2-D mask (volumes that fit in memory; see StructureLabeller for streams). */
export function labelComponents2D(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  connectivity: 4 | 8 = 8,
): { labels: Uint32Array; count: number } {
  const l = new StructureLabeller(width, height, connectivity);
  l.addFrame(mask);
  const r = l.finish();
  return { labels: r.labelFrame(0), count: r.count };
}

/** Labels of a 3-D volume (depth frames of width·height, frame-major) held in memory. */
export function labelComponents3D(
  volume: Uint8Array,
  width: number,
  height: number,
  depth: number,
  connectivity: 6 | 26 = 26,
): { labels: Uint32Array; count: number } {
  const n = width * height;
  const l = new StructureLabeller(width, height, connectivity);
  for (let t = 0; t < depth; t++) l.addFrame(volume.subarray(t * n, (t + 1) * n));
  const r = l.finish();
  const labels = new Uint32Array(n * depth);
  for (let t = 0; t < depth; t++) r.labelFrame(t, labels.subarray(t * n, (t + 1) * n));
  return { labels, count: r.count };
}
