// Autosave records: a save writes only what changed (counted through an injected store), a
// restore gives back exactly what was saved, and sessions in the old one-.smlm-per-session
// format are converted when opened.
import { describe, expect, test } from 'vitest';
import { saveSessionFile } from '../../../src/core/session/file';
import type { Session, SessionTable } from '../../../src/core/session/model';
import {
  CHUNK_ROWS,
  type LegacyAutosave,
  listSessionRecords,
  openSessionRecords,
  pruneSessionRecords,
  type RecordStore,
  type SessionIndex,
  saveSessionRecords,
} from '../../../src/core/session/records';
import { demoSession, demoTables } from './fixtures';

/** IndexedDB's semantics in memory (values are stored as copies), with every write recorded. */
function memoryStore() {
  const indexes = new Map<string, SessionIndex>();
  const records = new Map<string, Uint8Array>();
  const legacy = new Map<string, LegacyAutosave>();
  const puts: string[] = [];
  const deletes: string[] = [];
  const store: RecordStore = {
    getIndex: async (id) => structuredClone(indexes.get(id)),
    listIndexes: async () => [...indexes.values()].map((x) => structuredClone(x)),
    getRecord: async (k) => records.get(k)?.slice(),
    async commit(index, p, d) {
      for (const [k, v] of p) {
        records.set(k, v.slice());
        puts.push(k);
      }
      for (const k of d) {
        records.delete(k);
        deletes.push(k);
      }
      indexes.set(index.id, structuredClone(index));
    },
    async remove(id) {
      indexes.delete(id);
      for (const k of [...records.keys()]) if (k.startsWith(`${id}/`)) records.delete(k);
    },
    legacy: {
      list: async () => [...legacy.values()].map(({ file: _f, ...e }) => e),
      get: async (id) => legacy.get(id),
      delete: async (id) => void legacy.delete(id),
    },
  };
  return { store, indexes, records, legacy, puts, deletes };
}

function expectSameTables(got: SessionTable[], want: SessionTable[]) {
  expect(got.map((t) => [t.id, t.kind, t.length, Object.keys(t.columns)])).toEqual(
    want.map((t) => [t.id, t.kind, t.length, Object.keys(t.columns)]),
  );
  got.forEach((t, k) => {
    for (const [name, c] of Object.entries(t.columns)) {
      const w = want[k].columns[name];
      expect(c.constructor).toBe(w.constructor);
      // Bit for bit: NaN, −0 and ±∞ included (Buffer.equals: vitest's deep equality is slow on MBs).
      const same = Buffer.from(c.buffer, c.byteOffset, c.byteLength).equals(
        Buffer.from(w.buffer, w.byteOffset, w.byteLength),
      );
      expect(same, `${t.id}.${name}`).toBe(true);
    }
    expect(t.units).toEqual(
      Object.fromEntries(Object.keys(t.columns).map((c) => [c, want[k].units[c] ?? ''])),
    );
  });
}

const withView = (s: Session, frame: number, zoom: number): Session => ({
  ...s,
  modified: new Date(Date.parse(s.modified) + 1000 * frame).toISOString(),
  view: { ...s.view, frame, zoom },
});

describe('autosave records', () => {
  test('a view-only change writes the view record alone; restore equals the saved state', async () => {
    const m = memoryStore();
    const session = demoSession();
    const tables = demoTables();
    const first = await saveSessionRecords(m.store, 'S1', session, tables);
    expect(first.keys).toContain('S1/meta');
    expect(first.keys).toContain('S1/view');
    // One record per column (all below CHUNK_ROWS rows) of every non-empty table.
    const columns = tables.filter((t) => t.length > 0).reduce((n, t) => n + Object.keys(t.columns).length, 0);
    expect(first.keys).toHaveLength(2 + columns);
    expect(first.written).toBe(first.stored);

    m.puts.length = 0;
    const moved = withView(session, 7, 3.5);
    const second = await saveSessionRecords(m.store, 'S1', moved, tables);
    expect(m.puts).toEqual(['S1/view']);
    expect(second.keys).toEqual(['S1/view']);
    expect(second.written).toBe(m.records.get('S1/view')?.length);
    expect(second.written).toBeLessThan(first.stored / 20);
    expect(m.deletes).toEqual([]);

    // Nothing changed: nothing written.
    m.puts.length = 0;
    expect((await saveSessionRecords(m.store, 'S1', moved, tables)).keys).toEqual([]);
    expect(m.puts).toEqual([]);

    const r = await openSessionRecords(m.store, 'S1', 'test');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.session.view).toEqual(moved.view);
    expect(r.session.modified).toBe(moved.modified);
    // The same document a session file gives back.
    const viaFile = (await import('../../../src/core/session/file')).openSessionFile(
      saveSessionFile(moved, tables),
    );
    if (!viaFile.ok) throw new Error(viaFile.errors.join('\n'));
    expect(r.session).toEqual(viaFile.session);
    expectSameTables(r.tables, tables);
  });

  test('a changed row rewrites its column chunk only; a grown table its last chunk and the document', async () => {
    const m = memoryStore();
    const session = demoSession();
    const n = CHUNK_ROWS + 1000;
    const big: SessionTable = {
      id: 'locs',
      name: 'localizations',
      kind: 'localizations',
      length: n,
      columns: {
        frame: Uint32Array.from({ length: n }, (_, i) => i >> 6),
        x: Float32Array.from({ length: n }, (_, i) => (i * 7919) % 25600),
      },
      units: { x: 'nm' },
    };
    await saveSessionRecords(m.store, 'S', session, [big]);
    expect(m.puts.filter((k) => k.startsWith('S/t/'))).toEqual([
      'S/t/locs/0/0',
      'S/t/locs/0/1',
      'S/t/locs/1/0',
      'S/t/locs/1/1',
    ]);

    m.puts.length = 0;
    (big.columns.x as Float32Array)[5] = -1;
    const r1 = await saveSessionRecords(m.store, 'S', session, [big]);
    expect(m.puts).toEqual(['S/t/locs/1/0']);
    expect(r1.written).toBe(CHUNK_ROWS * 4);

    m.puts.length = 0;
    const grown: SessionTable = {
      ...big,
      length: n + 10,
      columns: {
        frame: Uint32Array.from({ length: n + 10 }, (_, i) => i >> 6),
        x: Float32Array.from({ length: n + 10 }, (_, i) => (i === 5 ? -1 : (i * 7919) % 25600)),
      },
    };
    await saveSessionRecords(m.store, 'S', session, [grown]);
    expect(m.puts.sort()).toEqual(['S/meta', 'S/t/locs/0/1', 'S/t/locs/1/1']);
    const r = await openSessionRecords(m.store, 'S', 'test');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expectSameTables(r.tables, [grown]);

    // A table dropped: its records go in the same commit.
    m.puts.length = 0;
    await saveSessionRecords(m.store, 'S', session, []);
    expect(m.puts).toEqual(['S/meta']);
    expect(m.deletes.sort()).toEqual(['S/t/locs/0/0', 'S/t/locs/0/1', 'S/t/locs/1/0', 'S/t/locs/1/1']);
    expect([...m.records.keys()].sort()).toEqual(['S/meta', 'S/view']);
  }, 60_000);

  test('an old single-record autosave is listed, opened, and converted to records on the way', async () => {
    const m = memoryStore();
    const session = withView(demoSession(), 4, 2);
    const tables = demoTables(300, 9);
    const file = saveSessionFile(session, tables);
    m.legacy.set('OLD', {
      id: 'OLD',
      title: 'old one',
      saved: '2026-01-02T03:04:05.000Z',
      bytes: file.length,
      localizations: 300,
      stacks: [],
      file: file.slice().buffer,
    });
    await saveSessionRecords(m.store, 'NEW', demoSession(), [], new Date('2026-02-01T00:00:00Z'));
    expect((await listSessionRecords(m.store)).map((e) => [e.id, e.saved])).toEqual([
      ['NEW', '2026-02-01T00:00:00.000Z'],
      ['OLD', '2026-01-02T03:04:05.000Z'],
    ]);

    const r = await openSessionRecords(m.store, 'OLD', 'test');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.session.view).toEqual(session.view);
    expectSameTables(r.tables, tables);
    expect(m.legacy.has('OLD')).toBe(false);
    expect(m.indexes.get('OLD')?.saved).toBe('2026-01-02T03:04:05.000Z');
    // Read back from the records now.
    const again = await openSessionRecords(m.store, 'OLD', 'test');
    if (!again.ok) throw new Error(again.errors.join('\n'));
    expect(again.session).toEqual(r.session);
    expectSameTables(again.tables, tables);
  });

  test('a damaged or missing record gives a message naming it, not a throw', async () => {
    const m = memoryStore();
    await saveSessionRecords(m.store, 'S', demoSession(), demoTables(50));
    m.records.set('S/t/locs/1/0', new Uint8Array(3));
    const r = await openSessionRecords(m.store, 'S', 'test');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toMatch(/record S\/t\/locs\/1\/0 holds 3 bytes, 400 expected/);
    m.records.delete('S/view');
    const r2 = await openSessionRecords(m.store, 'S', 'test');
    if (!r2.ok) expect(r2.errors.join()).toMatch(/record S\/view is missing/);
    expect((await openSessionRecords(m.store, 'nope', 'test')).ok).toBe(false);
  });

  test('a session saved under review is listed as such until saved editable', async () => {
    const m = memoryStore();
    await saveSessionRecords(m.store, 'R', demoSession(), [], new Date(), 'review');
    expect((await listSessionRecords(m.store))[0]).toMatchObject({ id: 'R', mode: 'review' });
    await saveSessionRecords(m.store, 'R', demoSession(), [], new Date(), 'edit');
    expect((await listSessionRecords(m.store))[0].mode).toBeUndefined();
  });

  test('pruning keeps the newest sessions of both formats', async () => {
    const m = memoryStore();
    for (let k = 0; k < 4; k++)
      await saveSessionRecords(m.store, `S${k}`, demoSession(), [], new Date(Date.UTC(2026, 0, 1 + 2 * k)));
    m.legacy.set('L', {
      id: 'L',
      title: '',
      saved: new Date(Date.UTC(2026, 0, 4)).toISOString(),
      bytes: 1,
      localizations: 0,
      stacks: [],
      file: new ArrayBuffer(1),
    });
    await pruneSessionRecords(m.store, 3);
    expect((await listSessionRecords(m.store)).map((e) => e.id)).toEqual(['S3', 'S2', 'L']);
    expect([...m.records.keys()].some((k) => k.startsWith('S0/') || k.startsWith('S1/'))).toBe(false);
  });
});
