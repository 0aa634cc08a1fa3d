// Signed distances for a whole movie, one frame at a time. analyzeColocalization asks its
// provider for (frame, x, y) in track order, i.e. sweeping through the movie once per track; a
// movie's signed-distance fields (668 frames of up to 1280² at 10 nm) cannot all be held, and
// recomputing a field per request would repeat each frame's EDT for every track. So the sweep is
// turned around: every position that will be asked about (EV positions, control points) is
// registered first, grouped by movie frame; then the binary frames stream through once, in
// order, each frame's field is computed only if some position falls in it, sampled at those
// positions, and dropped. The provider handed to the analysis answers from the sampled values.
// Values are exactly those of PointSignedDistance / StructureDistances at the point ('exact',
// the default), or of signedDistanceField + sampleField for the interpolating samplers.
import { labelComponents2D } from '../binarize/structures';
import type { RenderGrid } from '../movie/grid';
import { nm } from '../units';
import type { SignedDistanceProvider } from './analysisDistance';
import { EdgeIndex } from './edgeIndex';
import {
  type FieldSampling,
  pixelIndexAt,
  StructureDistances,
  sampleField,
  signedDistanceField,
} from './signedDistance';

export interface QueryPoints {
  readonly frame: ArrayLike<number>;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface FrameSweepOptions {
  grid: RenderGrid;
  /** First frame this sweep measures (default 0): a part of a movie swept in parallel. */
  first?: number;
  /** Also keep the distance to every structure of the frame (for pooled histograms). */
  perStructure?: boolean;
  sampling?: FieldSampling;
}

const key = (x: number, y: number) => `${x}|${y}`;

/** Frames [start, end) of a sweep, measured (see FrameSweep.part / adopt). */
export interface SweepPart {
  start: number;
  end: number;
  nearest: Float64Array;
  structValues: Float64Array[] | null;
  maxStructures: number;
}

export class FrameSweep {
  readonly grid: RenderGrid;
  readonly frameCount: number;
  private readonly perStructure: boolean;
  private readonly sampling: FieldSampling;
  /** Points of each frame: CSR over frames into (x, y) arrays. */
  private readonly start: Uint32Array;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly nearest: Float64Array;
  private readonly lookup: Map<string, number>[];
  private structValues: Float64Array[] = [];
  private maxStructures = 0;
  private readonly field: Float32Array;
  private edges: EdgeIndex | null = null;
  private done = 0;

  /** `frameCount` movie frames; points outside [0, frameCount) are ignored (their distance is NaN). */
  constructor(frameCount: number, sets: readonly QueryPoints[], options: FrameSweepOptions) {
    this.grid = options.grid;
    this.frameCount = frameCount;
    this.perStructure = options.perStructure ?? false;
    this.sampling = options.sampling ?? 'exact';
    const counts = new Uint32Array(frameCount + 1);
    for (const s of sets)
      for (let i = 0; i < s.frame.length; i++) if (s.frame[i] < frameCount) counts[s.frame[i] + 1]++;
    for (let f = 0; f < frameCount; f++) counts[f + 1] += counts[f];
    this.start = counts;
    const n = counts[frameCount];
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    this.nearest = new Float64Array(n).fill(Number.NaN);
    this.lookup = Array.from({ length: frameCount }, () => new Map<string, number>());
    const at = counts.slice(0, frameCount);
    for (const s of sets)
      for (let i = 0; i < s.frame.length; i++) {
        const f = s.frame[i];
        if (f >= frameCount) continue;
        const k = key(s.x[i], s.y[i]);
        // The same point asked twice (a control point on an EV position) is sampled once.
        if (this.lookup[f].has(k)) continue;
        const r = at[f]++;
        this.px[r] = s.x[i];
        this.py[r] = s.y[i];
        this.lookup[f].set(k, r);
      }
    this.field = new Float32Array(this.grid.width * this.grid.height);
    this.done = options.first ?? 0;
  }

  /**
   * What was measured in frames [start, framesDone), to hand to a sweep over the same points
   * (`adopt`): movie frames can be swept in parts, in parallel, and put together in order.
   */
  part(start: number): SweepPart {
    const a = this.start[start];
    const b = this.start[this.done];
    return {
      start,
      end: this.done,
      nearest: this.nearest.slice(a, b),
      structValues: this.perStructure ? this.structValues.slice(a, b) : null,
      maxStructures: this.maxStructures,
    };
  }

  /** Takes over a part measured by another sweep over the same points; parts arrive in order. */
  adopt(p: SweepPart): void {
    if (p.start !== this.done)
      throw new Error(`parts must arrive in order: expected ${this.done}, got ${p.start}`);
    const a = this.start[p.start];
    if (p.nearest.length !== this.start[p.end] - a)
      throw new RangeError('the part does not match these points');
    this.nearest.set(p.nearest, a);
    if (p.structValues)
      for (let i = 0; i < p.structValues.length; i++) this.structValues[a + i] = p.structValues[i];
    if (p.maxStructures > this.maxStructures) this.maxStructures = p.maxStructures;
    this.done = p.end;
  }

  /** Whether movie frame t has any point to measure (frames without can be skipped unrendered). */
  needs(t: number): boolean {
    return t < this.frameCount && this.lookup[t].size > 0;
  }

  /** Frames measured so far (they must arrive in order, 0, 1, 2…). */
  get framesDone(): number {
    return this.done;
  }

  /**
   * Measures the points of movie frame t against its binary mask (non-zero = structure); null
   * for a frame without points (see `needs`).
   */
  addFrame(t: number, mask: ArrayLike<number> | null): void {
    const g = this.grid;
    if (t !== this.done) throw new Error(`frames must arrive in order: expected ${this.done}, got ${t}`);
    if (!this.needs(t)) {
      this.done++;
      return;
    }
    if (!mask) throw new Error(`movie frame ${t} has positions to measure: its mask is needed`);
    if (mask.length !== g.width * g.height) throw new RangeError('mask size does not match the grid');
    this.done++;
    const a = this.start[t];
    const b = a + this.lookup[t].size;
    // Exact values at a few points: the edge pixels, kept from the previous frame and updated
    // where the mask changed, then a search over the nearby ones (EdgeIndex: PointSignedDistance's
    // values bit for bit), cheaper than any pass over the whole frame
    // (issue 19).
    if (this.sampling === 'exact' && !this.perStructure) {
      this.edges ??= new EdgeIndex(g);
      this.edges.update(mask);
      for (let r = a; r < b; r++) this.nearest[r] = this.edges.at(this.px[r], this.py[r]);
      return;
    }
    // Structures cover a small part of a movie frame and the points are few: reading each
    // needed pixel centre from the structures' contours (StructureDistances) then costs far less
    // than a whole-frame EDT. The values are the same: at a centre, the nearest-structure field
    // is the minimum of the per-structure distances (inside one structure, its own negative
    // value; 8-connected labels never touch, so its nearest non-member pixel is background).
    let structurePixels = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) structurePixels++;
    const contourWork = 4 * (b - a) * structurePixels;
    const useContours = this.perStructure || (structurePixels > 0 && contourWork < 8 * mask.length);
    if (!useContours) {
      signedDistanceField(mask, g.width, g.height, nm(g.pixelNm), this.field);
      for (let r = a; r < b; r++)
        this.nearest[r] = sampleField(this.field, g, this.px[r], this.py[r], this.sampling);
      return;
    }
    const { labels, count } = labelComponents2D(mask, g.width, g.height, 8);
    if (count > this.maxStructures) this.maxStructures = count;
    const sd = count ? new StructureDistances(labels, g) : null;
    const centre = (p: number) => {
      if (!sd) return Number.POSITIVE_INFINITY;
      const cx = g.x0Nm + ((p % g.width) + 0.5) * g.pixelNm;
      const cy = g.y0Nm + (Math.floor(p / g.width) + 0.5) * g.pixelNm;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 1; k <= count; k++) {
        const v = sd.signedDistance(k, cx, cy, 'nearest');
        if (v < best) best = v;
      }
      return best;
    };
    // sampleField reads only the few centres around each point: hand it those, computed on demand.
    const field = new Proxy([] as number[], {
      get: (_t, k) => (k === 'length' ? mask.length : centre(Number(k))),
    });
    // Exact at the point: the nearest structure's value is the least of the per-structure ones
    // (inside one, its own negative value; outside all, the nearest square of any).
    const exactNearest = (x: number, y: number) => {
      if (!sd) return pixelIndexAt(g, x, y) < 0 ? Number.NaN : Number.POSITIVE_INFINITY;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 1; k <= count; k++) best = Math.min(best, sd.signedDistance(k, x, y, 'exact'));
      return best;
    };
    for (let r = a; r < b; r++) {
      this.nearest[r] =
        this.sampling === 'exact'
          ? exactNearest(this.px[r], this.py[r])
          : sampleField(field, g, this.px[r], this.py[r], this.sampling);
      if (!this.perStructure) continue;
      const v = new Float64Array(count);
      if (sd) sd.signedDistances(this.px[r], this.py[r], v, this.sampling);
      this.structValues[r] = v;
    }
  }

  /** The provider over what was measured; a point never registered or not yet swept reads NaN. */
  provider(): SignedDistanceProvider {
    const find = (frame: number, x: number, y: number) =>
      frame < this.frameCount ? (this.lookup[frame].get(key(x, y)) ?? -1) : -1;
    const p: SignedDistanceProvider = {
      distance: (frame, x, y) => {
        const r = find(frame, x, y);
        return r < 0 ? Number.NaN : this.nearest[r];
      },
    };
    if (!this.perStructure) return p;
    return {
      ...p,
      maxStructures: this.maxStructures,
      structureDistances: (frame, x, y, out) => {
        const r = find(frame, x, y);
        const v = r < 0 ? undefined : this.structValues[r];
        if (!v) return 0;
        out.set(v);
        return v.length;
      },
    };
  }
}
