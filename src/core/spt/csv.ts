// A small CSV writer for columnar result tables (tracks, summaries, histograms, distances), so
// every analysis output can be saved the same way. Floats keep 7 significant digits — far below
// any localization precision — and integer columns are written exactly.

export interface ColumnarTable {
  readonly length: number;
  readonly columns: Readonly<Record<string, ArrayLike<number>>>;
}

export interface CsvOptions {
  /** Header text per column (default: the column name), e.g. { x: 'x [nm]' }. */
  headers?: Readonly<Record<string, string>>;
  /** Columns to write, in order (default: all, in insertion order). */
  order?: readonly string[];
  /** Added to a column's values on export, e.g. { frame: 1 } for 1-based frames. */
  offsets?: Readonly<Record<string, number>>;
  significantDigits?: number;
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export function formatNumber(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

export function writeCsv(t: ColumnarTable, options: CsvOptions = {}): string {
  const names = options.order ?? Object.keys(t.columns);
  const digits = options.significantDigits ?? 7;
  const cols = names.map((n) => {
    const c = t.columns[n];
    if (!c) throw new Error(`writeCsv: no column "${n}"`);
    if (c.length < t.length) throw new Error(`writeCsv: column "${n}" is shorter than the table`);
    return c;
  });
  const offs = names.map((n) => options.offsets?.[n] ?? 0);
  const lines: string[] = [names.map((n) => quote(options.headers?.[n] ?? n)).join(',')];
  const cells: string[] = new Array(names.length);
  for (let i = 0; i < t.length; i++) {
    for (let k = 0; k < cols.length; k++) cells[k] = formatNumber(cols[k][i] + offs[k], digits);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
