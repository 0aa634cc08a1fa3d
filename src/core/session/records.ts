// Autosave as separate records, so a save costs what changed: the session document without its
// view (`meta`), the view (`view`, with the modification time), and every table column in chunks
// of CHUNK_ROWS rows. Each record carries a content version (a 64-bit hash of its bytes); a save
// writes only the records whose version differs from the stored index, and the index — the list
// of records and versions — is committed with them in one transaction, so a crash leaves the
// previous save whole. Sessions autosaved before this format (one .smlm per session) are
// converted the first time they are opened.
import type { ColumnArray } from '../locs/table';
import { type OpenSessionResult, openSessionFile } from './file';
import {
  bytesPerElement,
  columnFromBytes,
  describeTables,
  type Session,
  type SessionTable,
  type TableInfo,
  tableFromInfo,
} from './model';
import { validateSession } from './validate';

/** Rows per column record: 1 M rows are 4–8 MB, so appending to a table rewrites at most that. */
export const CHUNK_ROWS = 1 << 20;

export interface RecordVersion {
  version: string;
  bytes: number;
}

/** What both autosave formats record of a session. */
interface AutosaveHeader {
  id: string;
  title: string;
  /** ISO time of the save. */
  saved: string;
  /** Bytes stored over all records. */
  bytes: number;
  localizations: number;
  stacks: string[];
}

/** The listing of one autosaved session and the versions of its records. */
export interface SessionIndex extends AutosaveHeader {
  /** 'review' when the session was autosaved while under review (it reopens in review mode). */
  mode?: 'review';
  records: Record<string, RecordVersion>;
}

/** A session autosaved before the record format: the whole .smlm in one record. */
export interface LegacyAutosave extends AutosaveHeader {
  file: ArrayBuffer;
}

/** What autosave needs from IndexedDB (the session worker) or from a test's memory store. */
export interface RecordStore {
  getIndex(id: string): Promise<SessionIndex | undefined>;
  listIndexes(): Promise<SessionIndex[]>;
  getRecord(key: string): Promise<Uint8Array | undefined>;
  /** Puts, deletes and the index in one transaction. */
  commit(index: SessionIndex, puts: [string, Uint8Array][], deletes: string[]): Promise<void>;
  /** The index and every record of session `id`. */
  remove(id: string): Promise<void>;
  legacy: {
    list(): Promise<Omit<LegacyAutosave, 'file'>[]>;
    get(id: string): Promise<LegacyAutosave | undefined>;
    delete(id: string): Promise<void>;
  };
}

export interface SaveReport {
  /** Bytes stored for the session after this save. */
  stored: number;
  /** Bytes this save wrote (records only; the index is a few hundred bytes more). */
  written: number;
  /** Keys of the records written. */
  keys: string[];
}

/** A 64-bit content version: two independent 32-bit multiplicative hashes over words and length. */
export function contentVersion(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5 ^ bytes.length;
  let h2 = 0x3c6ef372 ^ Math.imul(bytes.length, 0x27d4eb2f);
  const words = bytes.byteOffset % 4 === 0 ? bytes.length >>> 2 : 0;
  if (words > 0) {
    const w32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const w = w32[i];
      h1 = Math.imul(h1 ^ w, 0x9e3779b1);
      h1 = (h1 << 13) | (h1 >>> 19);
      h2 = Math.imul(h2 + w, 0x85ebca6b);
      h2 ^= h2 >>> 15;
    }
  }
  for (let i = words * 4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 0x9e3779b1);
    h1 = (h1 << 13) | (h1 >>> 19);
    h2 = Math.imul(h2 + bytes[i], 0x85ebca6b);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const metaKey = (id: string) => `${id}/meta`;
const viewKey = (id: string) => `${id}/view`;
const chunkKey = (id: string, table: string, column: number, chunk: number) =>
  `${id}/t/${encodeURIComponent(table)}/${column}/${chunk}`;

function columnBytes(c: ColumnArray): Uint8Array {
  return new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
}

/** Every record of a session as (key, bytes) — bytes are views, copied only when written. */
function* recordsOf(id: string, session: Session, tables: readonly SessionTable[]) {
  const enc = new TextEncoder();
  const { view, modified, ...meta } = session;
  yield [metaKey(id), enc.encode(JSON.stringify(meta))] as const;
  yield [viewKey(id), enc.encode(JSON.stringify({ view, modified }))] as const;
  for (const t of tables) {
    for (const [k, c] of Object.values(t.columns).entries()) {
      const bytes = columnBytes(c);
      const per = CHUNK_ROWS * c.BYTES_PER_ELEMENT;
      for (let j = 0; j * per < bytes.length; j++)
        yield [chunkKey(id, t.id, k, j), bytes.subarray(j * per, (j + 1) * per)] as const;
    }
  }
}

/**
 * Saves the session into `store`, writing only records whose content changed since the stored
 * index. Throws (nothing written) when the session would not open again.
 */
export async function saveSessionRecords(
  store: RecordStore,
  id: string,
  session: Session,
  tables: readonly SessionTable[],
  now = new Date(),
  mode: 'edit' | 'review' = 'edit',
): Promise<SaveReport> {
  for (const t of tables)
    for (const [name, c] of Object.entries(t.columns))
      if (c.length !== t.length)
        throw new Error(`table "${t.id}": column "${name}" has ${c.length} rows, expected ${t.length}`);
  const checked = validateSession({ ...session, tables: describeTables(tables) });
  if (!checked.ok) throw new Error(`the session cannot be saved: ${checked.errors.slice(0, 5).join('; ')}`);
  const prev = (await store.getIndex(id))?.records ?? {};
  const records: Record<string, RecordVersion> = {};
  const puts: [string, Uint8Array][] = [];
  let stored = 0;
  let written = 0;
  for (const [key, bytes] of recordsOf(id, checked.session, tables)) {
    const version = contentVersion(bytes);
    records[key] = { version, bytes: bytes.length };
    stored += bytes.length;
    if (prev[key]?.version === version && prev[key].bytes === bytes.length) continue;
    // A copy: storing a view would clone the whole column's buffer.
    puts.push([key, bytes.slice()]);
    written += bytes.length;
  }
  const deletes = Object.keys(prev).filter((k) => !(k in records));
  const index: SessionIndex = {
    id,
    title: session.title,
    saved: now.toISOString(),
    bytes: stored,
    localizations: tables.find((t) => t.kind === 'localizations')?.length ?? 0,
    stacks: session.stacks.map((s) => s.label),
    ...(mode === 'review' ? { mode } : {}),
    records,
  };
  await store.commit(index, puts, deletes);
  return { stored, written, keys: puts.map(([k]) => k) };
}

class RecordError extends Error {}

async function need(store: RecordStore, key: string, expected?: number): Promise<Uint8Array> {
  const r = await store.getRecord(key);
  if (!r) throw new RecordError(`record ${key} is missing`);
  if (expected !== undefined && r.length !== expected)
    throw new RecordError(`record ${key} holds ${r.length} bytes, ${expected} expected`);
  return r;
}

async function readTable(store: RecordStore, id: string, info: TableInfo): Promise<SessionTable> {
  const columns: Record<string, ColumnArray> = {};
  const units: Record<string, string> = {};
  for (const [k, c] of info.columns.entries()) {
    const size = bytesPerElement(c.dtype);
    const all = new Uint8Array(info.rows * size);
    const per = CHUNK_ROWS * size;
    for (let j = 0; j * per < all.length; j++)
      all.set(await need(store, chunkKey(id, info.id, k, j), Math.min(per, all.length - j * per)), j * per);
    columns[c.name] = columnFromBytes(c.dtype, all);
    units[c.name] = c.unit;
  }
  return tableFromInfo(info, columns, units);
}

async function readRecords(store: RecordStore, id: string, name: string): Promise<OpenSessionResult> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const meta = JSON.parse(dec.decode(await need(store, metaKey(id))));
  const { view, modified } = JSON.parse(dec.decode(await need(store, viewKey(id))));
  const v = validateSession({ ...meta, view, modified });
  if (!v.ok) return { ok: false, errors: v.errors.map((m) => `${name}: ${m}`) };
  const tables: SessionTable[] = [];
  for (const info of v.session.tables) tables.push(await readTable(store, id, info));
  return { ok: true, session: v.session, tables, source: 'evscope', warnings: [] };
}

/**
 * Opens autosaved session `id`; one in the old single-record format is converted to records
 * (and its old record dropped) on the way. Never throws.
 */
export async function openSessionRecords(
  store: RecordStore,
  id: string,
  appVersion: string,
): Promise<OpenSessionResult> {
  const index = await store.getIndex(id);
  const name = index?.title || 'autosaved session';
  try {
    if (index) return await readRecords(store, id, name);
    const old = await store.legacy.get(id);
    if (!old) return { ok: false, errors: [`autosaved session ${id} is no longer stored`] };
    const r = openSessionFile(new Uint8Array(old.file), {
      fileName: old.title || 'autosaved session',
      appVersion,
    });
    if (!r.ok) return r;
    await saveSessionRecords(store, id, r.session, r.tables, new Date(old.saved));
    await store.legacy.delete(id);
    return r;
  } catch (e) {
    return { ok: false, errors: [`${name}: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

export type AutosaveListing = Omit<SessionIndex, 'records'>;

/** Both formats, newest first. */
export async function listSessionRecords(store: RecordStore): Promise<AutosaveListing[]> {
  const own = (await store.listIndexes()).map(({ records: _r, ...e }) => e);
  const ids = new Set(own.map((e) => e.id));
  const old = (await store.legacy.list()).filter((e) => !ids.has(e.id));
  return [...own, ...old].sort((a, b) => b.saved.localeCompare(a.saved));
}

/** Drops the oldest sessions beyond `keep`. */
export async function pruneSessionRecords(store: RecordStore, keep: number): Promise<void> {
  const all = await listSessionRecords(store);
  const own = new Set((await store.listIndexes()).map((e) => e.id));
  for (const e of all.slice(keep)) {
    if (own.has(e.id)) await store.remove(e.id);
    else await store.legacy.delete(e.id);
  }
}
