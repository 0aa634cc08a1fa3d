// The batch queue's memory across reloads: the experiment, each input's status and the summary
// of every finished input, in IndexedDB (a tab's localStorage is too small for 100s of
// summaries and blocks the main thread). Files are not persisted (see state/experimentFiles.ts).

/** What a reload needs to resume the queue: plain, structured-cloneable data. */
export interface PersistedExperiment {
  savedAt: string;
  state: unknown;
}

export interface ExperimentPersistence {
  load(): Promise<PersistedExperiment | null>;
  save(p: PersistedExperiment): Promise<void>;
  clear(): Promise<void>;
}

const DB = 'evscope-experiment';
const STORE = 'queue';
const KEY = 'current';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The browser's IndexedDB; a tab without it (private modes of some browsers) keeps nothing. */
export function indexedDbPersistence(): ExperimentPersistence {
  let dbp: Promise<IDBDatabase> | null = null;
  const db = () => {
    dbp ??= new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB did not open'));
    });
    return dbp;
  };
  const store = async (mode: IDBTransactionMode) => (await db()).transaction(STORE, mode).objectStore(STORE);
  return {
    async load() {
      if (typeof indexedDB === 'undefined') return null;
      return ((await req((await store('readonly')).get(KEY))) as PersistedExperiment | undefined) ?? null;
    },
    async save(p) {
      if (typeof indexedDB === 'undefined') return;
      await req((await store('readwrite')).put(p, KEY));
    },
    async clear() {
      if (typeof indexedDB === 'undefined') return;
      await req((await store('readwrite')).delete(KEY));
    },
  };
}

/** For tests and for tabs without IndexedDB: the same contract, in memory (a structured clone). */
export function memoryPersistence(): ExperimentPersistence & { saves: number } {
  let value: PersistedExperiment | null = null;
  const p = {
    saves: 0,
    async load() {
      return value ? structuredClone(value) : null;
    },
    async save(v: PersistedExperiment) {
      p.saves++;
      value = structuredClone(v);
    },
    async clear() {
      value = null;
    },
  };
  return p;
}
