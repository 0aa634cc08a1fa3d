// A drift trace and its application. Correction never overwrites data: the corrected table gets
// new x/y arrays and keeps the original coordinates in x_raw/y_raw (the first correction's raw
// values survive later ones), so any correction can be undone or redone from the session.
import type { DriftQuality } from './driftQuality';
import { type ColumnArray, type LocTable, locTableFromColumns } from './table';

export interface DriftTrace {
  method: 'rcc' | 'fiducial';
  /** Drift (nm) at frame f = 0…frames−1, zero at frame 0: corrected = observed − drift. */
  dx: Float64Array;
  dy: Float64Array;
  /** The sparse estimates the trace was interpolated from (segment centres, fiducial samples). */
  nodes: { frame: Float64Array; dx: Float64Array; dy: Float64Array };
  /** How far the estimate can be trusted (driftQuality.ts); absent for traces read from files. */
  quality?: DriftQuality;
}

/** Returns a table whose x/y are drift-corrected; other columns are shared, not copied. */
export function applyDrift(table: LocTable, trace: DriftTrace): LocTable {
  const { x, y, frame } = table.columns;
  if (!x || !y || !frame) throw new Error('drift correction needs frame, x and y columns');
  const last = trace.dx.length - 1;
  if (last < 0) throw new Error('empty drift trace');
  const n = table.length;
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Frames past the trace (e.g. appended later) keep the last known drift.
    const f = Math.min(frame[i], last);
    cx[i] = x[i] - trace.dx[f];
    cy[i] = y[i] - trace.dy[f];
  }
  const columns: Record<string, ColumnArray> = { ...table.columns, x: cx, y: cy };
  if (!table.columns.x_raw) columns.x_raw = x;
  if (!table.columns.y_raw) columns.y_raw = y;
  return locTableFromColumns(columns);
}

/** Shifts a trace so that it is zero at frame 0 (the reference every method reports against). */
export function zeroAtFirstFrame(trace: DriftTrace): DriftTrace {
  const ox = trace.dx[0] ?? 0;
  const oy = trace.dy[0] ?? 0;
  for (let f = 0; f < trace.dx.length; f++) {
    trace.dx[f] -= ox;
    trace.dy[f] -= oy;
  }
  for (let k = 0; k < trace.nodes.frame.length; k++) {
    trace.nodes.dx[k] -= ox;
    trace.nodes.dy[k] -= oy;
  }
  return trace;
}

/** Number of frames spanned by the table: max frame + 1. */
export function frameCountOf(table: LocTable): number {
  const f = table.columns.frame;
  if (!f) throw new Error('table has no frame column');
  let m = -1;
  let at = -1;
  for (let i = 0; i < table.length; i++)
    if (f[i] > m) {
      m = f[i];
      at = i;
    }
  // A drift trace holds one value per frame: a damaged frame number must not size it.
  if (m + 1 > MAX_TRACE_FRAMES)
    throw new Error(
      `localization ${at + 1} is in frame ${m + 1}; drift traces are limited to ${MAX_TRACE_FRAMES} frames (is the frame column damaged?)`,
    );
  return m + 1;
}

/** Far beyond any acquisition (a 10⁶-frame movie is hours at kHz rates); 40 MB per trace. */
export const MAX_TRACE_FRAMES = 5_000_000;
