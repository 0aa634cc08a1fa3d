// Analysis results (nested objects of numbers, text and typed arrays) as a session section plus
// columnar tables, so a session file re-shows a step's plots without the raw data. Table-shaped
// parts become named tables with named columns and units (the names of the step's CSV export);
// other long typed arrays become columns named by their path (grouped into one table per length);
// short ones and everything else stay in the JSON. The JSON refers to columns by table id and
// column name, so files written with the older c0…cN names still decode. JSON cannot hold NaN or ±Infinity (p-values, τ of a censored fit), so
// those travel as tagged values. Decoding only builds plain data from a whitelist of array types:
// nothing in a file is evaluated.
import type { ColumnArray } from '../locs/table';
import type { SessionTable, TableKind } from './model';
import type { Json } from './schema';

/** Typed arrays longer than this become table columns. */
const INLINE_MAX = 64;
const MAX_COLUMNS = 64;

const ARRAY_TYPES = {
  f64: Float64Array,
  f32: Float32Array,
  u32: Uint32Array,
  i32: Int32Array,
  u16: Uint16Array,
  i16: Int16Array,
  u8: Uint8Array,
  i8: Int8Array,
} as const;
type ArrayTag = keyof typeof ARRAY_TYPES;
type AnyTyped = InstanceType<(typeof ARRAY_TYPES)[ArrayTag]>;

function tagOf(a: ArrayBufferView): ArrayTag | null {
  for (const [tag, C] of Object.entries(ARRAY_TYPES)) if (a instanceof C) return tag as ArrayTag;
  return null;
}

function isColumn(a: ArrayBufferView): a is ColumnArray {
  return !(a instanceof Int16Array || a instanceof Int8Array);
}

function encodeNumber(v: number): Json {
  return Number.isFinite(v) ? v : { $n: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
}

export interface PackedResult {
  json: Json;
  tables: SessionTable[];
}

/** How a table-shaped part of a result (`{ length, columns }`) is written. */
export interface TableSpec {
  /** Distinct table name, e.g. "distances_ev". */
  name: string;
  /** Column name (as in the step's CSV export) and unit per key; unlisted keys keep their key. */
  columns?: Record<string, { name?: string; unit: string }>;
}

export interface PackOptions {
  /** Table id prefix, e.g. "tracks" → tracks.1, tracks.2… */
  prefix: string;
  kind: TableKind;
  name: string;
  stack?: string;
  /** Table-shaped parts by their path in the result, e.g. "coloc.distances". */
  tables?: Record<string, TableSpec>;
  /** Units of loose arrays by their key (last path part), e.g. { counts: "" , binStart: "nm" }. */
  units?: Record<string, string>;
}

const MAX_COLUMN_NAME = 64;

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** `{ length, columns }` whose columns (and same-length sibling arrays) become one table. */
function tableShaped(v: Record<string, unknown>): boolean {
  if (typeof v.length !== 'number' || !isPlain(v.columns)) return false;
  const cols = Object.values(v.columns);
  return (
    cols.length > 0 &&
    cols.every((c) => ArrayBuffer.isView(c) && isColumn(c) && (c as ColumnArray).length === v.length)
  );
}

/**
 * A result as JSON plus tables (see the module comment). Table-shaped parts (`{ length, columns }`)
 * become tables of their own, named by `o.tables` (else by their path) with named columns and
 * units; other long arrays are grouped by length into tables whose columns are named by path.
 */
export function packResult(value: unknown, o: PackOptions): PackedResult {
  const tables: SessionTable[] = [];
  const names = new Set<string>();
  const distinct = (base: string): string => {
    let n = base.slice(0, 200);
    for (let k = 2; names.has(n); k++) n = `${base.slice(0, 190)}_${k}`;
    names.add(n);
    return n;
  };
  const newTable = (name: string, length: number): SessionTable => {
    const t: SessionTable = {
      id: `${o.prefix}.${tables.length + 1}`,
      name: distinct(name),
      kind: o.kind,
      length,
      columns: {},
      units: {},
      ...(o.stack ? { stack: o.stack } : {}),
    };
    tables.push(t);
    return t;
  };
  const addColumn = (t: SessionTable, wanted: string, unit: string, a: ColumnArray): Json => {
    let c = wanted.slice(0, MAX_COLUMN_NAME) || `column${Object.keys(t.columns).length}`;
    for (let k = 2; Object.hasOwn(t.columns, c); k++) c = `${wanted.slice(0, MAX_COLUMN_NAME - 4)}_${k}`;
    t.columns[c] = a;
    t.units[c] = unit;
    return { $t: t.id, c };
  };
  // length → loose table under construction
  const loose = new Map<number, SessionTable>();
  const placeLoose = (a: ColumnArray, path: string): Json => {
    let t = loose.get(a.length);
    if (!t || Object.keys(t.columns).length >= MAX_COLUMNS) {
      t = newTable(`${o.name} (${a.length} rows)`, a.length);
      loose.set(a.length, t);
    }
    return addColumn(t, path, o.units?.[path.slice(path.lastIndexOf('.') + 1)] ?? '', a);
  };
  const packTable = (v: Record<string, unknown>, path: string): Json => {
    const spec = o.tables?.[path];
    const length = v.length as number;
    let t = newTable(spec?.name ?? `${o.prefix}_${path.replace(/\./g, '_')}`, length);
    const place = (key: string, a: ColumnArray): Json => {
      if (Object.keys(t.columns).length >= MAX_COLUMNS) t = newTable(`${t.name}_more`, length);
      const c = spec?.columns?.[key];
      return addColumn(t, c?.name ?? key, c?.unit ?? o.units?.[key] ?? '', a);
    };
    const out: Record<string, Json> = { length };
    const columns: Record<string, Json> = {};
    for (const [k, a] of Object.entries(v.columns as Record<string, ColumnArray>)) columns[k] = place(k, a);
    out.columns = columns;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'length' || k === 'columns') continue;
      if (ArrayBuffer.isView(x) && isColumn(x) && x.length === length) out[k] = place(k, x);
      else {
        const j = walk(x, `${path}.${k}`);
        if (j !== undefined) out[k] = j;
      }
    }
    return out;
  };
  const walk = (v: unknown, path: string): Json | undefined => {
    if (v === null) return null;
    if (typeof v === 'number') return encodeNumber(v);
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (ArrayBuffer.isView(v)) {
      const tag = tagOf(v);
      if (!tag) return undefined;
      const a = v as AnyTyped;
      if (a.length > INLINE_MAX && isColumn(a)) return placeLoose(a, path);
      return { $a: tag, v: Array.from(a, encodeNumber) };
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}.${i}`) ?? null);
    if (isPlain(v)) {
      if (tableShaped(v)) return packTable(v, path);
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v)) {
        const j = walk(x, path ? `${path}.${k}` : k);
        if (j !== undefined) out[k] = j;
      }
      return out;
    }
    return undefined;
  };
  const json = walk(value, '') ?? null;
  return { json, tables };
}

function decodeNumber(j: Json): number {
  if (typeof j === 'number') return j;
  const s = typeof j === 'object' && j !== null && !Array.isArray(j) ? j.$n : undefined;
  if (s === 'NaN') return Number.NaN;
  if (s === 'Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new Error('a result holds a value that is not a number');
}

function isTag(o: Record<string, Json>, keys: string[]): boolean {
  const k = Object.keys(o);
  return k.length === keys.length && keys.every((x) => Object.hasOwn(o, x));
}

/**
 * The result `packResult` made, from its JSON and the session's tables. Throws a sentence when a
 * referenced table or column is missing or an array type is unknown.
 */
export function unpackResult(json: Json, tables: readonly SessionTable[]): unknown {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const walk = (j: Json): unknown => {
    if (j === null || typeof j !== 'object') return j;
    if (Array.isArray(j)) return j.map(walk);
    if (isTag(j, ['$n'])) return decodeNumber(j);
    if (isTag(j, ['$t', 'c']) && typeof j.$t === 'string' && typeof j.c === 'string') {
      const col = byId.get(j.$t)?.columns[j.c];
      if (!col)
        throw new Error(`result table "${j.$t.slice(0, 64)}" (column ${j.c.slice(0, 64)}) is missing`);
      return col;
    }
    if (isTag(j, ['$a', 'v']) && typeof j.$a === 'string' && Array.isArray(j.v)) {
      if (!Object.hasOwn(ARRAY_TYPES, j.$a)) throw new Error(`unknown array type "${j.$a.slice(0, 16)}"`);
      return ARRAY_TYPES[j.$a as ArrayTag].from(j.v.map(decodeNumber));
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(j)) out[k] = walk(x);
    return out;
  };
  return walk(json);
}
