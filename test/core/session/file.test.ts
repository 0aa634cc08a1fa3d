import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readSmlm } from '../../../src/core/io/smlm';
import { openZip, writeZip } from '../../../src/core/io/zip';
import { openSessionFile, SESSION_ENTRY, saveSessionFile } from '../../../src/core/session/file';
import type { SessionTable } from '../../../src/core/session/model';
import { sharedDataDir } from '../../helpers/sharedData';
import { demoSession, demoTables } from './fixtures';

function sameBits(
  a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number },
  b: typeof a,
) {
  expect(a.constructor).toBe(b.constructor);
  expect(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ),
  ).toBe(true);
}

function expectSameTables(got: SessionTable[], want: SessionTable[]) {
  expect(got.map((t) => [t.id, t.name, t.kind, t.length, t.stack, t.source])).toEqual(
    want.map((t) => [t.id, t.name, t.kind, t.length, t.stack, t.source]),
  );
  got.forEach((t, k) => {
    expect(Object.keys(t.columns)).toEqual(Object.keys(want[k].columns));
    for (const [n, c] of Object.entries(want[k].columns)) sameBits(t.columns[n], c);
    for (const n of Object.keys(want[k].columns)) expect(t.units[n]).toBe(want[k].units[n] ?? '');
  });
}

describe('session file', () => {
  test('round-trips session and tables exactly, every dtype, NaN/−0/−∞ bit for bit', () => {
    const session = demoSession();
    const tables = demoTables();
    const bytes = saveSessionFile(session, tables);
    const r = openSessionFile(bytes, { fileName: 'a.smlm' });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.source).toBe('evscope');
    expect(r.warnings).toEqual([]);
    expectSameTables(r.tables, tables);
    expect(r.session).toEqual({ ...session, tables: r.session.tables });
    expect(r.session.tables.map((t) => t.columns.length)).toEqual([11, 3, 4, 1]);
    // Names and notes stay text, exactly as typed.
    expect(r.session.title).toBe('EV demo <script>alert(1)</script>');
    expect(r.session.notes).toBe('line 1\nline 2\t<b>bold?</b>');
  });

  test('is deterministic and does not touch its inputs', () => {
    const tables = demoTables();
    const before = Buffer.from((tables[0].columns.x as Float64Array).buffer).toString('base64');
    const a = saveSessionFile(demoSession(), tables);
    const b = saveSessionFile(demoSession(), demoTables());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from((tables[0].columns.x as Float64Array).buffer).toString('base64')).toBe(before);
    const copy = a.slice();
    openSessionFile(a);
    expect(Buffer.from(a).equals(Buffer.from(copy))).toBe(true);
  });

  test('is a ShareLoc .smlm: manifest.json lists the localization tables as packed records', () => {
    const bytes = saveSessionFile(demoSession(), demoTables());
    const zip = openZip(bytes);
    expect([...zip.entries.keys()]).toEqual([
      'manifest.json',
      'locs.bin',
      'post.bin',
      SESSION_ENTRY,
      'evscope/tables/tracks/0.bin',
      'evscope/tables/tracks/1.bin',
      'evscope/tables/tracks/2.bin',
      'evscope/tables/tracks/3.bin',
      'evscope/tables/dist/0.bin',
    ]);
    const m = JSON.parse(new TextDecoder().decode(zip.read('manifest.json')));
    expect(m.format_version).toBe('0.2');
    expect(m.files[0]).toMatchObject({
      name: 'locs.bin',
      type: 'table',
      rows: 500,
      format: 'smlm-table(binary)-locs',
    });
    const f = m.formats['smlm-table(binary)-locs'];
    expect(f).toMatchObject({ type: 'table', mode: 'binary', columns: 11 });
    expect(f.headers.slice(0, 6)).toEqual(['frame', 'x', 'y', 'sigma', 'intensity', 'background']);
    expect(f.dtype.slice(0, 3)).toEqual(['uint32', 'float64', 'float64']);
    expect(f.units[1]).toBe('nm');
    // 4 + 8 + 8 + 5×4 + 1 + 2 + 4 bytes per record.
    expect(zip.entries.get('locs.bin')?.size).toBe(500 * 47);
    // A reader that knows nothing of evscope's section sees the localizations.
    const plain = readSmlm(bytes);
    expect(plain.tables[0].table.columns.photons).toBeInstanceOf(Float32Array);
    expect(plain.tables[0].table.columns.bg).toBeInstanceOf(Float32Array);
  });

  test('deflated tables (level 1) open the same', () => {
    const tables = demoTables();
    const r = openSessionFile(saveSessionFile(demoSession(), tables, { tableLevel: 1 }));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expectSameTables(r.tables, tables);
  });

  test('refuses to save a session that would not open again', () => {
    const s = demoSession();
    expect(() => saveSessionFile({ ...s, title: 'x'.repeat(201) }, [])).toThrow(
      /title: text longer than 200/,
    );
    const t = demoTables()[2];
    expect(() => saveSessionFile(s, [{ ...t, length: 5 }])).toThrow(/column "track" has 4 rows, expected 5/);
  });

  test('a plain ShareLoc file without evscope/ becomes a session with its localizations', () => {
    const t = demoTables()[0];
    const bytes = saveSessionFile(demoSession(), [t]);
    const zip = openZip(bytes);
    const plain = writeZip([
      { name: 'manifest.json', data: zip.read('manifest.json') },
      { name: 'locs.bin', data: zip.read('locs.bin') },
    ]);
    const r = openSessionFile(plain, { fileName: 'dir/shared.smlm', appVersion: '9.9' });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.source).toBe('smlm');
    expect(r.session.inputs[0]).toMatchObject({
      name: 'shared.smlm',
      size: plain.length,
      role: 'localizations',
    });
    expect(r.session.inputs[0].fingerprint).toMatch(/^evfp1:/);
    expect(r.tables[0].kind).toBe('localizations');
    for (const n of Object.keys(t.columns)) sameBits(r.tables[0].columns[n], t.columns[n]);
  });
});

describe('Locan sample SMLM_dstorm_data.smlm', () => {
  const file = path.join(sharedDataDir ?? '/absent', 'locan_test_data', 'SMLM_dstorm_data.smlm');
  test.skipIf(!existsSync(file))(
    'reads the 10 localizations, positions in nm, as the ThunderSTORM sample has them',
    () => {
      const r = openSessionFile(new Uint8Array(readFileSync(file)), { fileName: 'SMLM_dstorm_data.smlm' });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.source).toBe('smlm');
      const t = r.tables[0];
      expect(t.length).toBe(10);
      expect(Object.keys(t.columns)).toEqual([
        'original_index',
        'x',
        'bg',
        'chi_square',
        'photons',
        'frame',
        'y',
      ]);
      // Locan wrote int8 indices and frames (read into Int32Array), float32 positions.
      expect(Array.from(t.columns.original_index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(Array.from(t.columns.frame)).toEqual(new Array(10).fill(0));
      expect(t.columns.x[0]).toBeCloseTo(1653.34, 2);
      expect(t.columns.y[0]).toBeCloseTo(8879.34, 2);
      expect(t.columns.photons[0]).toBeCloseTo(13324.8, 1);
      expect(t.units.x).toBe('nm');
      // The manifest's own min/max agree with the decoded columns.
      expect(Math.min(...t.columns.x)).toBeCloseTo(1653.34, 2);
      expect(Math.max(...t.columns.y)).toBeCloseTo(18577.3, 1);
    },
  );
});
