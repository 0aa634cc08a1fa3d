// The per-cell table and the traces as CSV. One row per cell with stable snake_case column names,
// so tables from several stacks/conditions concatenate (add a condition column) and aggregate
// with the cell as the unit. Frame numbers in files are 1-based, as in ImageJ and ThunderSTORM.
import type { CalciumResult, CellRow } from './analyse';

export const CELL_COLUMNS = [
  'cell',
  'x_px',
  'y_px',
  'area_px',
  'f0',
  'baseline_sd_dff',
  'threshold_dff',
  'responder',
  'latency_frames',
  'latency_s',
  'peak_dff',
  'peak_frame',
  'auc_dff_s',
  'transients',
  'bleach_rate_per_frame',
  'note',
] as const;

const num = (v: number, digits = 6) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '');
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function cellRowValues(r: CellRow): string[] {
  return [
    String(r.cell),
    num(r.xPx),
    num(r.yPx),
    String(r.areaPx),
    num(r.f0),
    num(r.baselineSd),
    num(r.threshold),
    r.responder ? '1' : '0',
    num(r.latencyFrames),
    num(r.latencyS),
    num(r.peakDff),
    r.peakFrame >= 0 ? String(r.peakFrame + 1) : '',
    num(r.aucDffS),
    String(r.transients),
    num(r.bleachRatePerFrame),
    quote(r.note),
  ];
}

export function cellsCsv(result: Pick<CalciumResult, 'cells'>): string {
  const lines = [CELL_COLUMNS.join(',')];
  for (const r of result.cells) lines.push(cellRowValues(r).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Wide traces: frame, time_s, background, then ΔF/F₀ and background-corrected F per cell. A result
 * restored from a session has ΔF/F₀ only: the background and F columns are then left out.
 */
export function tracesCsv(
  result: Pick<CalciumResult, 'count' | 'frames' | 'dff' | 'params'> & {
    traces: Float64Array | null;
    background: Float64Array | null;
  },
): string {
  const { count, frames, dff, traces, background } = result;
  const dt = result.params.frameIntervalS;
  const head = ['frame', 'time_s'];
  if (background) head.push('background');
  for (let c = 1; c <= count; c++) head.push(`dff_${c}`);
  if (traces) for (let c = 1; c <= count; c++) head.push(`f_${c}`);
  const lines = [head.join(',')];
  for (let f = 0; f < frames; f++) {
    const row = [String(f + 1), num(f * dt)];
    if (background) row.push(num(background[f]));
    for (let c = 0; c < count; c++) row.push(num(dff[c * frames + f]));
    if (traces) for (let c = 0; c < count; c++) row.push(num(traces[c * frames + f]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
