// The session worker: everything that touches a whole session's bytes — fingerprinting input
// files, writing and reading .smlm session files, and the autosave store in IndexedDB — so
// millions of localizations never serialise or hash on the main thread.
import * as Comlink from 'comlink';
import {
  blobRangeReader,
  fingerprintFile,
  type OpenSessionResult,
  openSessionFile,
  type Session,
  type SessionTable,
  STORAGE_UNAVAILABLE,
  saveSessionFile,
} from '../src/core/session/index';

/** An autosaved session as listed (without its bytes). */
export interface AutosaveEntry {
  id: string;
  title: string;
  /** ISO time of the save. */
  saved: string;
  bytes: number;
  localizations: number;
  stacks: string[];
}

interface AutosaveRecord extends AutosaveEntry {
  file: ArrayBuffer;
}

const DB = 'evscope-sessions';
const STORE = 'autosave';
/** Recent sessions kept; older ones drop off so storage cannot grow without bound. */
export const MAX_AUTOSAVES = 12;

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function unavailable(why: unknown): Error {
  const e = new Error(`IndexedDB is not available${why instanceof Error ? `: ${why.message}` : ''}`);
  e.name = STORAGE_UNAVAILABLE;
  return e;
}

let dbPromise: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(unavailable(null));
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => {
        dbPromise = null;
        reject(unavailable(open.error));
      };
    });
  }
  return dbPromise;
}

async function store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await db()).transaction(STORE, mode).objectStore(STORE);
}

function entryOf(r: AutosaveRecord): AutosaveEntry {
  const { file: _file, ...e } = r;
  return e;
}

function transferTables(r: OpenSessionResult): OpenSessionResult {
  if (!r.ok) return r;
  const buffers = new Set<ArrayBuffer>();
  for (const t of r.tables)
    for (const c of Object.values(t.columns)) if (c.buffer instanceof ArrayBuffer) buffers.add(c.buffer);
  return Comlink.transfer(r, [...buffers]);
}

export function createSessionApi() {
  return {
    async fingerprint(blob: Blob): Promise<string> {
      return fingerprintFile(blobRangeReader(blob));
    },

    /** The .smlm bytes (transferred). Throws with the reasons when the session is invalid. */
    save(session: Session, tables: SessionTable[]): Uint8Array {
      const bytes = saveSessionFile(session, tables);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    },

    /** Never throws: a hostile file gives { ok: false, errors }. */
    open(bytes: Uint8Array, fileName: string, appVersion: string): OpenSessionResult {
      return transferTables(openSessionFile(bytes, { fileName, appVersion }));
    },

    async openBlob(blob: Blob, appVersion: string): Promise<OpenSessionResult> {
      const name = (blob as File).name ?? 'session file';
      return transferTables(
        openSessionFile(new Uint8Array(await blob.arrayBuffer()), { fileName: name, appVersion }),
      );
    },

    /** Serialises and stores a session under `id`; returns the stored size in bytes. */
    async autosave(id: string, session: Session, tables: SessionTable[]): Promise<number> {
      const bytes = saveSessionFile(session, tables);
      const rec: AutosaveRecord = {
        id,
        title: session.title,
        saved: new Date().toISOString(),
        bytes: bytes.byteLength,
        localizations: tables.find((t) => t.kind === 'localizations')?.length ?? 0,
        stacks: session.stacks.map((s) => s.label),
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      };
      await req((await store('readwrite')).put(rec));
      const all = ((await req((await store('readonly')).getAll())) as AutosaveRecord[]).sort((a, b) =>
        b.saved.localeCompare(a.saved),
      );
      for (const old of all.slice(MAX_AUTOSAVES)) await req((await store('readwrite')).delete(old.id));
      return bytes.byteLength;
    },

    async listAutosaves(): Promise<AutosaveEntry[]> {
      const all = (await req((await store('readonly')).getAll())) as AutosaveRecord[];
      return all.map(entryOf).sort((a, b) => b.saved.localeCompare(a.saved));
    },

    async openAutosave(id: string, appVersion: string): Promise<OpenSessionResult> {
      const rec = (await req((await store('readonly')).get(id))) as AutosaveRecord | undefined;
      if (!rec) return { ok: false, errors: [`autosaved session ${id} is no longer stored`] };
      return transferTables(
        openSessionFile(new Uint8Array(rec.file), { fileName: rec.title || 'autosaved session', appVersion }),
      );
    },

    async deleteAutosave(id: string): Promise<void> {
      await req((await store('readwrite')).delete(id));
    },
  };
}

export type SessionApi = ReturnType<typeof createSessionApi>;
