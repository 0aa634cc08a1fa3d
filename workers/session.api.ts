// The session worker: everything that touches a whole session's bytes — fingerprinting input
// files, writing and reading .smlm session files, and the autosave store in IndexedDB — so
// millions of localizations never serialise or hash on the main thread. Autosave keeps each
// session as separate records (src/core/session/records.ts) and writes only what changed.
import * as Comlink from 'comlink';
import './sessionSections';
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
import {
  type AutosaveListing,
  type LegacyAutosave,
  listSessionRecords,
  openSessionRecords,
  pruneSessionRecords,
  type RecordStore,
  type SaveReport,
  type SessionIndex,
  saveSessionRecords,
} from '../src/core/session/records';

/** An autosaved session as listed (without its bytes). */
export type AutosaveEntry = AutosaveListing;

const DB = 'evscope-sessions';
/** Version 1 held one .smlm per session in LEGACY; version 2 adds the record stores. */
const LEGACY = 'autosave';
const INDEX = 'sessions';
const RECORDS = 'records';
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
      const open = indexedDB.open(DB, 2);
      open.onupgradeneeded = () => {
        const d = open.result;
        if (!d.objectStoreNames.contains(LEGACY)) d.createObjectStore(LEGACY, { keyPath: 'id' });
        if (!d.objectStoreNames.contains(INDEX)) d.createObjectStore(INDEX, { keyPath: 'id' });
        if (!d.objectStoreNames.contains(RECORDS)) d.createObjectStore(RECORDS);
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => {
        dbPromise = null;
        reject(unavailable(open.error));
      };
    });
  }
  return dbPromise;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await db()).transaction(name, mode).objectStore(name);
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (storage full?)'));
  });
}

/** Every key of session `id`'s records: "<id>/" up to the next character. */
const recordRange = (id: string) => IDBKeyRange.bound(`${id}/`, `${id}/\uffff`);

const idbStore: RecordStore = {
  async getIndex(id) {
    return (await req((await store(INDEX, 'readonly')).get(id))) as SessionIndex | undefined;
  },
  async listIndexes() {
    return (await req((await store(INDEX, 'readonly')).getAll())) as SessionIndex[];
  },
  async getRecord(key) {
    const v = (await req((await store(RECORDS, 'readonly')).get(key))) as Uint8Array | undefined;
    return v;
  },
  async commit(index, puts, deletes) {
    const tx = (await db()).transaction([INDEX, RECORDS], 'readwrite');
    const finished = done(tx);
    const records = tx.objectStore(RECORDS);
    for (const [k, v] of puts) records.put(v, k);
    for (const k of deletes) records.delete(k);
    tx.objectStore(INDEX).put(index);
    await finished;
  },
  async remove(id) {
    const tx = (await db()).transaction([INDEX, RECORDS], 'readwrite');
    const finished = done(tx);
    tx.objectStore(RECORDS).delete(recordRange(id));
    tx.objectStore(INDEX).delete(id);
    await finished;
  },
  legacy: {
    async list() {
      const all = (await req((await store(LEGACY, 'readonly')).getAll())) as LegacyAutosave[];
      return all.map(({ file: _f, ...e }) => e);
    },
    async get(id) {
      return (await req((await store(LEGACY, 'readonly')).get(id))) as LegacyAutosave | undefined;
    },
    async delete(id) {
      await req((await store(LEGACY, 'readwrite')).delete(id));
    },
  },
};

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

    /**
     * Stores a session under `id`, writing only the records that changed since its last save;
     * returns the bytes stored and written.
     */
    async autosave(
      id: string,
      session: Session,
      tables: SessionTable[],
      mode: 'edit' | 'review' = 'edit',
    ): Promise<SaveReport> {
      const report = await saveSessionRecords(idbStore, id, session, tables, new Date(), mode);
      await pruneSessionRecords(idbStore, MAX_AUTOSAVES);
      return report;
    },

    async listAutosaves(): Promise<AutosaveEntry[]> {
      return listSessionRecords(idbStore);
    },

    async openAutosave(id: string, appVersion: string): Promise<OpenSessionResult> {
      return transferTables(await openSessionRecords(idbStore, id, appVersion));
    },

    async deleteAutosave(id: string): Promise<void> {
      await idbStore.remove(id);
      await idbStore.legacy.delete(id);
    },
  };
}

export type SessionApi = ReturnType<typeof createSessionApi>;
