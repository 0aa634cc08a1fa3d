// Writing result tables as CSV: one header line, one line per row, comma-separated, LF line ends
// and a final newline. Every CSV evscope writes (localizations, tracks, truth, EVs, drift,
// colocalisation tables) goes through `csvText`; `writeResultCsv` is the general writer for columnar
// result tables. Floats keep 7 significant digits by default — far below any localization
// precision — and integer columns are written exactly.

import { csvField } from './csv';

/** A quoted header cell, as ThunderSTORM writes them ("x [nm]"). */
export function quotedCsvHeader(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * Header line plus `rows` lines whose cell c of row r is `cell(r, c)` (already CSV-safe text).
 * Headers are always quoted unless `headerQuoting` is 'minimal' (quoted only when they must be).
 */
export function csvText(
  header: readonly string[],
  rows: number,
  cell: (row: number, column: number) => string,
  headerQuoting: 'always' | 'minimal' = 'always',
): string {
  const q = headerQuoting === 'always' ? quotedCsvHeader : csvField;
  const lines: string[] = [header.map(q).join(',')];
  const cells: string[] = new Array(header.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < header.length; c++) cells[c] = cell(r, c);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Integers exactly, other values to `digits` significant digits without trailing zeros; NaN as "NaN". */
export function formatNumber(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

export interface ColumnarTable {
  readonly length: number;
  readonly columns: Readonly<Record<string, ArrayLike<number>>>;
}

export interface ResultCsvOptions {
  /** Header text per column (default: the column name), e.g. { x: 'x [nm]' }. */
  headers?: Readonly<Record<string, string>>;
  /** Columns to write, in order (default: all, in insertion order). */
  order?: readonly string[];
  /** Added to a column's values on export, e.g. { frame: 1 } for 1-based frames. */
  offsets?: Readonly<Record<string, number>>;
  significantDigits?: number;
}

export function writeResultCsv(t: ColumnarTable, options: ResultCsvOptions = {}): string {
  const names = options.order ?? Object.keys(t.columns);
  const digits = options.significantDigits ?? 7;
  const cols = names.map((n) => {
    const c = t.columns[n];
    if (!c) throw new Error(`CSV export: the table has no column "${n}"`);
    if (c.length < t.length) throw new Error(`CSV export: column "${n}" is shorter than the table`);
    return c;
  });
  const offs = names.map((n) => options.offsets?.[n] ?? 0);
  return csvText(
    names.map((n) => options.headers?.[n] ?? n),
    t.length,
    (r, c) => formatNumber(cols[c][r] + offs[c], digits),
  );
}
