// Column layouts shared by the tracker, the importers and the analyses. Positions follow the
// rest of evscope: nm, origin at the top-left corner of the top-left pixel; frames 0-based.
import type { LocTable } from '../locs/table';

/** Per-frame spot detections, one row per spot, in any order. */
export interface Detections {
  readonly length: number;
  readonly frame: Uint32Array;
  readonly x: Float64Array | Float32Array;
  readonly y: Float64Array | Float32Array;
  readonly intensity: Float64Array | Float32Array;
}

/** The columns every table of track positions has: track id, frame (0-based), x and y in nm. */
// A type, not an interface: tables of these columns must stay assignable to string-indexed records.
export type TrackPositionColumns = {
  track: Uint32Array;
  frame: Uint32Array;
  x: Float64Array;
  y: Float64Array;
};

/** Tracks, one row per detection, sorted by track then frame. Track ids need not be contiguous. */
export interface TrackTable {
  readonly length: number;
  readonly columns: Readonly<TrackPositionColumns & { intensity: Float64Array }>;
}

/**
 * How the localizer plugs in: its LocTable (frame, x, y in nm plus a brightness column, e.g.
 * `photons`) is read as detections without copying the position columns.
 */
export function detectionsFromLocTable(t: LocTable, intensityColumn = 'photons'): Detections {
  const { frame, x, y } = t.columns;
  if (!(frame instanceof Uint32Array)) throw new Error('detections need a u32 "frame" column');
  for (const [name, c] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!(c instanceof Float64Array || c instanceof Float32Array))
      throw new Error(`detections need a float "${name}" column`);
  }
  const src = t.columns[intensityColumn];
  let intensity: Float64Array | Float32Array;
  if (src instanceof Float64Array || src instanceof Float32Array) intensity = src;
  else if (src) intensity = Float64Array.from(src);
  else intensity = new Float64Array(t.length).fill(Number.NaN);
  return {
    length: t.length,
    frame,
    x: x as Float64Array | Float32Array,
    y: y as Float64Array | Float32Array,
    intensity,
  };
}

/** Groups a track table's rows: `start[k]..start[k+1]` are the rows of the k-th track. */
export function trackRanges(t: TrackTable): { ids: Uint32Array; start: Uint32Array } {
  const { track } = t.columns;
  let n = 0;
  for (let i = 0; i < t.length; i++) if (i === 0 || track[i] !== track[i - 1]) n++;
  const ids = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  let k = 0;
  for (let i = 0; i < t.length; i++) {
    if (i === 0 || track[i] !== track[i - 1]) {
      ids[k] = track[i];
      start[k++] = i;
    } else if (t.columns.frame[i] <= t.columns.frame[i - 1]) {
      throw new Error(`track ${track[i]}: rows must be sorted by frame without repeats (row ${i})`);
    }
  }
  start[n] = t.length;
  return { ids, start };
}

/** Sorts rows by (track, frame) and checks that no track visits a frame twice. */
export function sortTrackTable(t: TrackTable): TrackTable {
  const { track, frame } = t.columns;
  const order = new Uint32Array(t.length);
  for (let i = 0; i < t.length; i++) order[i] = i;
  order.sort((a, b) => track[a] - track[b] || frame[a] - frame[b]);
  const out = takeRows(t, order);
  for (let i = 1; i < out.length; i++) {
    if (
      out.columns.track[i] === out.columns.track[i - 1] &&
      out.columns.frame[i] === out.columns.frame[i - 1]
    )
      throw new Error(`track ${out.columns.track[i]} has two positions in frame ${out.columns.frame[i]}`);
  }
  return out;
}

export function takeRows(t: TrackTable, rows: Uint32Array | Int32Array): TrackTable {
  const c = t.columns;
  const n = rows.length;
  const track = new Uint32Array(n);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const intensity = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    track[k] = c.track[i];
    frame[k] = c.frame[i];
    x[k] = c.x[i];
    y[k] = c.y[i];
    intensity[k] = c.intensity[i];
  }
  return { length: n, columns: { track, frame, x, y, intensity } };
}
