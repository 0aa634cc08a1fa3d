import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { readThunderstormCsv, writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { openSessionFile, saveSessionFile } from '../../src/core/session/file';
import { createSession } from '../../src/core/session/model';
import { presetParams } from '../../src/core/sim/presets';

const dir = mkdtempSync(join(tmpdir(), 'evscope-session-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = 40;
const table = {
  length: n,
  columns: {
    frame: Uint32Array.from({ length: n }, (_, i) => i),
    x: Float64Array.from({ length: n }, (_, i) => 100 + i * 33.3),
    y: Float64Array.from({ length: n }, (_, i) => 2000 - i * 12.1),
    sigma: Float32Array.from({ length: n }, () => 130),
    photons: Float32Array.from({ length: n }, (_, i) => 900 + i),
    bg: Float32Array.from({ length: n }, () => 10),
    precision: Float32Array.from({ length: n }, () => 8),
  },
};

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m) => void out.push(String(m)));
  const error = vi.spyOn(console, 'error').mockImplementation((m) => void err.push(String(m)));
  try {
    return { code: await main(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('evscope session / convert-locs', () => {
  const csv = join(dir, 'locs.csv');
  writeFileSync(csv, writeThunderstormCsv(table));

  test('pack → info → unpack keeps localizations and parameters', async () => {
    writeFileSync(
      join(dir, 'p.json'),
      JSON.stringify({ localize: { pixelSizeNm: 100 }, movie: { windowFrames: 50 } }),
    );
    const s = join(dir, 's.smlm');
    const packed = await run(
      'session',
      'pack',
      csv,
      '--params',
      join(dir, 'p.json'),
      '--title',
      'demo',
      '--out',
      s,
    );
    expect(packed.code).toBe(0);
    const r = openSessionFile(new Uint8Array(readFileSync(s)));
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.session.steps).toEqual({ localize: { pixelSizeNm: 100 }, movie: { windowFrames: 50 } });
    expect(r.session.inputs[0]).toMatchObject({ name: 'locs.csv', role: 'localizations' });
    expect(Array.from(r.tables[0].columns.x)).toEqual(Array.from(table.columns.x));
    const info = await run('session', 'info', s);
    expect(info.out).toMatch(/evscope session, version 2/);
    expect(info.out).toMatch(/in1 {2}locs\.csv {2}\d+ bytes {2}evfp1:[0-9a-f]{16} {2}localizations/);
    expect(info.out).toMatch(/locs1 {2}localizations {2}40 rows {2}frame:uint32 x:float64\[nm\]/);
    const un = await run('session', 'unpack', s, '--out', join(dir, 'u'));
    expect(un.code).toBe(0);
    const back = readThunderstormCsv(readFileSync(join(dir, 'u', 'tables', 'locs1.csv'), 'utf8')).table;
    expect(Array.from(back.columns.y)).toEqual(Array.from(table.columns.y));
    expect(JSON.parse(readFileSync(join(dir, 'u', 'session.json'), 'utf8')).title).toBe('demo');
  });

  test('info lists the results of every input, not only the one on screen', async () => {
    const sim = { kind: 'simulated' as const, params: JSON.parse(JSON.stringify(presetParams('demo'))) };
    const session = createSession({
      appVersion: 't',
      stacks: [
        { id: 's1', label: 'A', recipe: sim, meta: {} },
        { id: 's2', label: 'B', recipe: sim, meta: {} },
      ],
      steps: { post: [] },
      view: { activeStack: 's2' },
      others: [{ stack: 's1', label: 'A', steps: { localizeRun: { status: 'done' }, post: [] } }],
    });
    const f = join(dir, 'two.smlm');
    writeFileSync(
      f,
      saveSessionFile(session, [
        { ...table, id: 'o1.locs', name: 'localizations', kind: 'localizations', units: {}, stack: 's1' },
      ]),
    );
    const info = await run('session', 'info', f);
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/other inputs \(1\):\n {2}o1 {2}s1 {2}A {2}steps: localizeRun, post/);
    expect(info.out).toMatch(/o1\.locs {2}localizations {2}40 rows/);
  });

  test('invalid parameters are refused with the reason; a damaged session names the file', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ localize: { sigmaNm: -1 } }));
    const r = await run(
      'session',
      'pack',
      csv,
      '--params',
      join(dir, 'bad.json'),
      '--out',
      join(dir, 'x.smlm'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/steps\.localize: PSF sigma must be > 0 nm, got -1/);
    writeFileSync(join(dir, 'junk.smlm'), 'not a zip');
    const j = await run('session', 'info', join(dir, 'junk.smlm'));
    expect(j.code).toBe(1);
    expect(j.err).toMatch(/junk\.smlm: not a ZIP archive/);
  });

  test('convert-locs: CSV → Picasso HDF5 (+ YAML) → CSV → .smlm', async () => {
    const h5 = join(dir, 'c.hdf5');
    expect(
      (await run('convert-locs', csv, '--out', h5, '--pixel-size', '100', '--width', '64', '--height', '64'))
        .code,
    ).toBe(0);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toMatch(/Pixelsize: 100/);
    const back = join(dir, 'c.csv');
    expect((await run('convert-locs', h5, '--out', back)).code).toBe(0);
    const t = readThunderstormCsv(readFileSync(back, 'utf8')).table;
    for (let i = 0; i < n; i++) expect(t.columns.x[i]).toBeCloseTo(table.columns.x[i], 2);
    const sm = join(dir, 'c.smlm');
    expect((await run('convert-locs', back, '--out', sm)).code).toBe(0);
    const r = openSessionFile(new Uint8Array(readFileSync(sm)));
    expect(r.ok && r.tables[0].length).toBe(n);
    const missing = await run('convert-locs', csv, '--out', join(dir, 'd.hdf5'));
    expect(missing.err).toMatch(/Picasso files need the camera's pixelSizeNm, width, height/);
  });
});
