// The EV table as CSV, the same text from the CLI and from the workbench's export: one row per
// EV, positions in nm (ThunderSTORM convention), every count with its uncertainty, and the
// subtype by name so the file reads without the session.
import { csvField } from '../io/csv';
import { csvText } from '../io/resultCsv';
import type { ColumnArray } from '../locs/table';

export interface EvCsvInput {
  length: number;
  columns: Record<string, ColumnArray>;
  subtypeNames: readonly string[];
}

/** Column order: id, position, then each channel's counts, then composition, subtype, probe. */
export function evTableColumns(columns: Record<string, ColumnArray>): string[] {
  const order = (k: string): number => {
    if (k === 'id') return 0;
    if (k === 'x') return 1;
    if (k === 'y') return 2;
    if (k === 'snr') return 3;
    if (k === 'subtype') return 6;
    if (k === 'probe count') return 7;
    if (k.endsWith(' fraction')) return 5;
    return 4;
  };
  return Object.keys(columns)
    .map((k, i) => ({ k, i }))
    .sort((a, b) => order(a.k) - order(b.k) || a.i - b.i)
    .map((x) => x.k);
}

const HEADER: Record<string, string> = { x: 'x [nm]', y: 'y [nm]' };

/** CSV with a header line; counts keep 4 significant decimals, NaN is written empty. */
export function evTableCsv(t: EvCsvInput): string {
  const keys = evTableColumns(t.columns);
  return csvText(
    keys.map((k) => HEADER[k] ?? k),
    t.length,
    (e, c) => {
      const k = keys[c];
      const v = t.columns[k][e];
      if (k === 'subtype') return csvField(v >= 0 ? (t.subtypeNames[v] ?? String(v)) : 'unclassified');
      if (!Number.isFinite(v)) return '';
      return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
    },
    'minimal',
  );
}
