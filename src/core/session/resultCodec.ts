// Analysis results (nested objects of numbers, text and typed arrays) as a session section plus
// columnar tables, so a session file re-shows a step's plots without the raw data. Long typed
// arrays become binary columns (grouped into one table per length); short ones and everything
// else stay in the JSON. JSON cannot hold NaN or ±Infinity (p-values, τ of a censored fit), so
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

export interface PackOptions {
  /** Table id prefix, e.g. "tracks" → tracks.1, tracks.2… */
  prefix: string;
  kind: TableKind;
  name: string;
  stack?: string;
}

/** A result as JSON plus tables (see the module comment). */
export function packResult(value: unknown, o: PackOptions): PackedResult {
  // length → table under construction
  const groups = new Map<number, { id: string; columns: Record<string, ColumnArray> }[]>();
  const tables: SessionTable[] = [];
  const place = (a: ColumnArray): Json => {
    let list = groups.get(a.length);
    if (!list) {
      list = [];
      groups.set(a.length, list);
    }
    let t = list[list.length - 1];
    if (!t || Object.keys(t.columns).length >= MAX_COLUMNS) {
      t = { id: `${o.prefix}.${tables.length + 1}`, columns: {} };
      list.push(t);
      tables.push({
        id: t.id,
        name: `${o.name} (${a.length} rows)`,
        kind: o.kind,
        length: a.length,
        columns: t.columns,
        units: {},
        ...(o.stack ? { stack: o.stack } : {}),
      });
    }
    const c = `c${Object.keys(t.columns).length}`;
    t.columns[c] = a;
    return { $t: t.id, c };
  };
  const walk = (v: unknown): Json | undefined => {
    if (v === null) return null;
    if (typeof v === 'number') return encodeNumber(v);
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (ArrayBuffer.isView(v)) {
      const tag = tagOf(v);
      if (!tag) return undefined;
      const a = v as AnyTyped;
      if (a.length > INLINE_MAX && isColumn(a)) return place(a);
      return { $a: tag, v: Array.from(a, encodeNumber) };
    }
    if (Array.isArray(v)) return v.map((x) => walk(x) ?? null);
    if (typeof v === 'object') {
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const j = walk(x);
        if (j !== undefined) out[k] = j;
      }
      return out;
    }
    return undefined;
  };
  const json = walk(value) ?? null;
  for (const t of tables) for (const k of Object.keys(t.columns)) t.units[k] = '';
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
