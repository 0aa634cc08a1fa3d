// LocTable: localizations as structure-of-arrays. One typed array per column so kernels run
// tight loops, chunks move between threads by transferring buffers, and any column can be
// filtered or plotted by name.

export type ColumnArray = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
export type ColumnType = 'f64' | 'f32' | 'u32' | 'i32' | 'u16' | 'u8';

export interface ColumnSpec {
  type: ColumnType;
  /** Unit shown in headers and exports, e.g. "nm", "photon", "" for counts. */
  unit: string;
  description: string;
}

/**
 * The columns evscope's own localizer writes. Positions follow ThunderSTORM: nm, origin at the
 * top-left corner of the top-left pixel. Frames are 0-based inside evscope (1-based in CSV).
 */
export const STANDARD_COLUMNS = {
  frame: { type: 'u32', unit: '', description: 'frame index, 0-based' },
  x: { type: 'f64', unit: 'nm', description: 'x position' },
  y: { type: 'f64', unit: 'nm', description: 'y position' },
  sigma: { type: 'f32', unit: 'nm', description: 'PSF standard deviation' },
  photons: { type: 'f32', unit: 'photon', description: 'photons in the PSF' },
  bg: { type: 'f32', unit: 'photon', description: 'background photons per pixel' },
  precision: { type: 'f32', unit: 'nm', description: 'localization precision (CRLB)' },
  logL: { type: 'f32', unit: '', description: 'log-likelihood ratio (goodness of fit)' },
  iterations: { type: 'u8', unit: '', description: 'fit iterations' },
} as const satisfies Record<string, ColumnSpec>;

export interface LocTable {
  readonly length: number;
  readonly columns: Readonly<Record<string, ColumnArray>>;
}

const COLUMN_ARRAYS: Record<ColumnType, new (length: number) => ColumnArray> = {
  f64: Float64Array,
  f32: Float32Array,
  u32: Uint32Array,
  i32: Int32Array,
  u16: Uint16Array,
  u8: Uint8Array,
};
const COLUMN_TYPES = Object.keys(COLUMN_ARRAYS) as ColumnType[];

export function allocColumn(type: ColumnType, length: number): ColumnArray {
  return new COLUMN_ARRAYS[type](length);
}

export function columnType(a: ColumnArray): ColumnType {
  for (const t of COLUMN_TYPES) if (a instanceof COLUMN_ARRAYS[t]) return t;
  return 'u8';
}

/** A table with the given columns, all of `length` rows, zero-filled. */
export function createLocTable(length: number, spec: Record<string, ColumnSpec>): LocTable {
  const columns: Record<string, ColumnArray> = {};
  for (const [name, s] of Object.entries(spec)) columns[name] = allocColumn(s.type, length);
  return { length, columns };
}

export function emptyLocTable(): LocTable {
  return createLocTable(0, STANDARD_COLUMNS);
}

/** Builds a table from columns, checking that they agree in length. */
export function locTableFromColumns(columns: Record<string, ColumnArray>): LocTable {
  const names = Object.keys(columns);
  const length = names.length ? columns[names[0]].length : 0;
  for (const n of names) {
    if (columns[n].length !== length)
      throw new Error(`column "${n}" has ${columns[n].length} rows, expected ${length}`);
  }
  return { length, columns };
}

/**
 * Concatenates chunks (e.g. streamed from workers). Columns missing from some chunks are kept and
 * filled with NaN (floats) or 0 (integers) there, so nothing a chunk carried is dropped.
 */
export function concatLocTables(tables: readonly LocTable[]): LocTable {
  const types = new Map<string, ColumnType>();
  let length = 0;
  for (const t of tables) {
    length += t.length;
    for (const [n, c] of Object.entries(t.columns)) if (!types.has(n)) types.set(n, columnType(c));
  }
  const columns: Record<string, ColumnArray> = {};
  for (const [n, type] of types) {
    const out = allocColumn(type, length);
    if (type === 'f64' || type === 'f32') out.fill(Number.NaN);
    let at = 0;
    for (const t of tables) {
      const c = t.columns[n];
      if (c) out.set(c.subarray(0, t.length), at);
      at += t.length;
    }
    columns[n] = out;
  }
  return { length, columns };
}

/** Rows where `keep[i]` is non-zero, in order. */
export function selectRows(t: LocTable, keep: Uint8Array): LocTable {
  let n = 0;
  for (let i = 0; i < t.length; i++) if (keep[i]) n++;
  const columns: Record<string, ColumnArray> = {};
  for (const [name, c] of Object.entries(t.columns)) {
    const out = allocColumn(columnType(c), n);
    let k = 0;
    for (let i = 0; i < t.length; i++) if (keep[i]) out[k++] = c[i];
    columns[name] = out;
  }
  return { length: n, columns };
}
