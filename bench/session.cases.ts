// Saving and opening a session with 5 million localizations (9 columns, as the localizer writes
// them) — issue 9 asks < 3 s each in Chromium. Also the same with DEFLATE level 1 on the tables,
// to show why they are stored (splice `sessionCases` into bench/cases.ts).
import { openSessionFile, saveSessionFile } from '../src/core/session/file';
import { createSession, type SessionTable } from '../src/core/session/model';
import {
  openSessionRecords,
  type RecordStore,
  type SessionIndex,
  saveSessionRecords,
} from '../src/core/session/records';
import type { BenchCase } from './types';

function locs(n: number): SessionTable {
  // Cheap deterministic values with realistic entropy (not constant runs DEFLATE would love).
  let s = 12345;
  const r = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const f32 = () => new Float32Array(n);
  const t = {
    frame: new Uint32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    sigma: f32(),
    photons: f32(),
    bg: f32(),
    precision: f32(),
    logL: f32(),
    iterations: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    t.frame[i] = Math.floor(i / 500);
    t.x[i] = r() * 51200;
    t.y[i] = r() * 51200;
    t.sigma[i] = 110 + 40 * r();
    t.photons[i] = 300 + 3000 * r();
    t.bg[i] = 5 + 10 * r();
    t.precision[i] = 3 + 20 * r();
    t.logL[i] = -50 * r();
    t.iterations[i] = 3 + Math.floor(10 * r());
  }
  return {
    id: 'locs',
    name: 'localizations',
    kind: 'localizations',
    length: n,
    columns: t,
    units: { x: 'nm', y: 'nm' },
  };
}

function run(level: number, n: number): BenchCase['run'] {
  return async (log) => {
    const table = locs(n);
    const session = createSession({ appVersion: 'bench', now: new Date('2026-01-01T00:00:00Z') });
    const t0 = performance.now();
    const bytes = saveSessionFile(session, [table], { tableLevel: level });
    const t1 = performance.now();
    const r = openSessionFile(bytes, { fileName: 'bench.smlm' });
    const t2 = performance.now();
    if (!r.ok) throw new Error(r.errors.join('\n'));
    if (r.tables[0].length !== n || r.tables[0].columns.x[n - 1] !== table.columns.x[n - 1])
      throw new Error('round trip differs');
    log(`${n} localizations, level ${level}: ${(bytes.length / 1e6).toFixed(0)} MB`);
    return {
      localizations: n,
      'file MB': Number((bytes.length / 1e6).toFixed(1)),
      'save s': Number(((t1 - t0) / 1000).toFixed(2)),
      'open s': Number(((t2 - t1) / 1000).toFixed(2)),
    };
  };
}

/**
 * An in-memory record store that copies what it is given, as IndexedDB's structured clone does:
 * the figures are the autosave's own work (hashing, slicing, reassembling), not the browser's
 * storage engine, which a browser run of the e2e autosave test exercises.
 */
function memoryStore(): RecordStore {
  const indexes = new Map<string, SessionIndex>();
  const records = new Map<string, Uint8Array>();
  return {
    getIndex: async (id) => indexes.get(id),
    listIndexes: async () => [...indexes.values()],
    getRecord: async (k) => records.get(k),
    async commit(index, puts, deletes) {
      for (const [k, v] of puts) records.set(k, v.slice());
      for (const k of deletes) records.delete(k);
      indexes.set(index.id, structuredClone(index));
    },
    async remove(id) {
      indexes.delete(id);
    },
    legacy: { list: async () => [], get: async () => undefined, delete: async () => {} },
  };
}

function autosaveRun(n: number): BenchCase['run'] {
  return async (log) => {
    const table = locs(n);
    const session = createSession({ appVersion: 'bench', now: new Date('2026-01-01T00:00:00Z') });
    const store = memoryStore();
    const t0 = performance.now();
    const first = await saveSessionRecords(store, 'bench', session, [table]);
    const t1 = performance.now();
    const moved = { ...session, view: { ...session.view, frame: 17, zoom: 2 } };
    const view = await saveSessionRecords(store, 'bench', moved, [table]);
    const t2 = performance.now();
    const r = await openSessionRecords(store, 'bench', 'bench');
    const t3 = performance.now();
    if (!r.ok || r.tables[0].columns.x[n - 1] !== table.columns.x[n - 1])
      throw new Error('round trip differs');
    log(
      `${n} localizations: first save ${(first.written / 1e6).toFixed(0)} MB, view-only save ${view.written} bytes`,
    );
    return {
      localizations: n,
      'first save MB': Number((first.written / 1e6).toFixed(1)),
      'first save s': Number(((t1 - t0) / 1000).toFixed(2)),
      'view-only save bytes written': view.written,
      'view-only save records': view.keys.length,
      'view-only save ms': Number((t2 - t1).toFixed(0)),
      'open s': Number(((t3 - t2) / 1000).toFixed(2)),
    };
  };
}

export const sessionCases: BenchCase[] = [
  { name: 'session-5M-autosave-view', where: ['node', 'browser'], run: autosaveRun(5_000_000) },
  { name: 'session-5M-store', where: ['node', 'browser'], run: run(0, 5_000_000) },
  { name: 'session-1M-deflate1', where: ['node', 'browser'], run: run(1, 1_000_000) },
];
