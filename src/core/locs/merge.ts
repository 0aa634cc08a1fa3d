// Blink merging: the localizations one emitter leaves in consecutive frames (with up to g dark
// frames) become one localization. Position is the inverse-variance (precision-weighted) mean —
// the minimum-variance combination of independent estimates — unless asked otherwise; the
// combined precision is 1/√Σ(1/σᵢ²) accordingly.
import { type Links, linkBlinks } from './link';
import { allocColumn, type ColumnArray, columnType, type LocTable, locTableFromColumns } from './table';

export type MergeWeighting = 'precision' | 'photons' | 'equal';

export interface MergeOptions {
  radiusNm: number;
  maxGapFrames: number;
  /** Default: 'precision' when the table has it, else 'photons' when it has that, else 'equal'. */
  weighting?: MergeWeighting;
  mask?: Uint8Array;
}

export interface MergeResult {
  table: LocTable;
  links: Links;
}

/**
 * One row per linked group, in order of first appearance. Columns: `frame` first frame,
 * `frame_last` last frame, `n_merged` localizations merged (summed when re-merging), `photons`
 * summed, `precision` combined, other float columns weighted means, other integer columns the
 * first row's value.
 */
export function mergeBlinks(table: LocTable, opts: MergeOptions): MergeResult {
  const { frame, x, y } = table.columns;
  if (!frame || !x || !y) throw new Error('merging needs frame, x and y columns');
  const n = table.length;
  const links = linkBlinks(frame, x, y, n, opts);
  const { group, groups } = links;
  const precision = table.columns.precision;
  const photons = table.columns.photons;
  const weighting = opts.weighting ?? (precision ? 'precision' : photons ? 'photons' : 'equal');
  if (weighting === 'precision' && !precision)
    throw new Error('precision weighting needs a precision column');
  if (weighting === 'photons' && !photons) throw new Error('photon weighting needs a photons column');

  // Invalid weights (NaN, ≤ 0) get a vanishing weight, so a group made only of them still gets
  // an unweighted mean instead of NaN.
  const w = new Float64Array(n);
  const wsum = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g < 0) continue;
    let v = 1;
    if (weighting === 'precision') v = 1 / (precision[i] * precision[i]);
    else if (weighting === 'photons') v = photons[i];
    if (!(v > 0 && v < Number.POSITIVE_INFINITY)) v = 1e-300;
    w[i] = v;
    wsum[g] += v;
  }

  const first = new Int32Array(groups).fill(-1);
  const firstFrame = new Uint32Array(groups).fill(0xffffffff);
  const lastFrame = new Uint32Array(groups);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g < 0) continue;
    if (frame[i] < firstFrame[g]) {
      firstFrame[g] = frame[i];
      first[g] = i;
    }
    const fl = table.columns.frame_last ? table.columns.frame_last[i] : frame[i];
    if (fl > lastFrame[g]) lastFrame[g] = fl;
  }

  const out: Record<string, ColumnArray> = {};
  const acc = new Float64Array(groups);
  for (const [name, col] of Object.entries(table.columns)) {
    const type = columnType(col);
    const dst = allocColumn(type, groups);
    if (name === 'frame') dst.set(firstFrame);
    else if (name === 'frame_last') dst.set(lastFrame);
    else if (name === 'n_merged' || name === 'photons') {
      acc.fill(0);
      for (let i = 0; i < n; i++) if (group[i] >= 0) acc[group[i]] += col[i];
      dst.set(acc);
    } else if (name === 'precision') {
      acc.fill(0);
      for (let i = 0; i < n; i++) if (group[i] >= 0) acc[group[i]] += 1 / (col[i] * col[i]);
      for (let g = 0; g < groups; g++) dst[g] = 1 / Math.sqrt(acc[g]);
    } else if (type === 'f64' || type === 'f32') {
      acc.fill(0);
      for (let i = 0; i < n; i++) if (group[i] >= 0) acc[group[i]] += w[i] * col[i];
      for (let g = 0; g < groups; g++) dst[g] = acc[g] / wsum[g];
    } else {
      for (let g = 0; g < groups; g++) dst[g] = col[first[g]];
    }
    out[name] = dst;
  }
  if (!out.n_merged) out.n_merged = Uint32Array.from(links.size);
  if (!out.frame_last) out.frame_last = lastFrame;
  return { table: locTableFromColumns(out), links };
}
