// Hostile and damaged session files: every one must give a clear error (or, where the damage
// is harmless, a valid session) — never a crash, a hang, or a change to what the caller holds.
// Seeded, so a failure replays exactly.
import { deflateSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { openZip, writeZip, type ZipWriteEntry } from '../../../src/core/io/zip';
import { Rng } from '../../../src/core/random';
import {
  type OpenSessionResult,
  openSessionFile,
  SESSION_ENTRY,
  saveSessionFile,
} from '../../../src/core/session/file';
import { demoSession, demoTables } from './fixtures';

const NAME = 'fuzz.smlm';
const valid = saveSessionFile(demoSession(), demoTables(300));
const stats = { cases: 0, ok: 0, errors: 0 };

function open(bytes: Uint8Array): OpenSessionResult {
  const copy = bytes.slice();
  let r: OpenSessionResult;
  expect(() => {
    r = openSessionFile(bytes, { fileName: NAME });
  }).not.toThrow();
  stats.cases++;
  // The caller's bytes are never modified.
  expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
  r = r!;
  if (r.ok) {
    stats.ok++;
  } else {
    stats.errors++;
    expect(r.errors.length).toBeGreaterThan(0);
    for (const m of r.errors) {
      expect(m.startsWith(`${NAME}: `)).toBe(true);
      expect(m.length).toBeGreaterThan(NAME.length + 5);
      expect(m.length).toBeLessThan(600);
    }
  }
  return r;
}

function entries(bytes: Uint8Array): ZipWriteEntry[] {
  const z = openZip(bytes);
  return [...z.entries.keys()].map((name) => ({ name, data: z.read(name) }));
}

function replace(name: string, data: Uint8Array | string): Uint8Array {
  const d = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return writeZip(entries(valid).map((e) => (e.name === name ? { name, data: d } : e)));
}

const manifest = () => JSON.parse(new TextDecoder().decode(openZip(valid).read('manifest.json')));
const sessionJson = () => JSON.parse(new TextDecoder().decode(openZip(valid).read(SESSION_ENTRY)));

function errorOf(bytes: Uint8Array): string {
  const r = open(bytes);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.errors.join('\n');
}

describe('fuzz: damaged files', () => {
  test('300 random byte flips: each an error or a valid session', () => {
    const rng = new Rng(11, 0);
    for (let k = 0; k < 300; k++) {
      const b = valid.slice();
      const flips = 1 + Math.floor(rng.uniform() * 8);
      for (let j = 0; j < flips; j++)
        b[Math.floor(rng.uniform() * b.length)] ^= 1 + Math.floor(rng.uniform() * 255);
      const r = open(b);
      if (r.ok) expect(r.tables.length).toBe(4);
    }
  });

  test('200 truncations and 100 random-garbage files', () => {
    const rng = new Rng(12, 0);
    for (let k = 0; k < 200; k++) errorOf(valid.subarray(0, Math.floor(rng.uniform() * valid.length)));
    for (let k = 0; k < 100; k++) {
      const b = new Uint8Array(Math.floor(rng.uniform() * 5000));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rng.uniform() * 256);
      if (k % 2) b.set([0x50, 0x4b, 0x05, 0x06], Math.max(0, b.length - 22)); // a fake end record
      errorOf(b);
    }
  });

  test('not a ZIP, empty, ZIP without a manifest', () => {
    expect(errorOf(new Uint8Array(0))).toBe(`${NAME}: not a ZIP archive (too short)`);
    expect(errorOf(new TextEncoder().encode('<html><script>alert(1)</script></html>'))).toMatch(
      /not a ZIP archive/,
    );
    expect(errorOf(writeZip([{ name: 'x.txt', data: new Uint8Array(3) }]))).toBe(
      `${NAME}: no manifest.json: not a ShareLoc .smlm file`,
    );
  });
});

describe('fuzz: hostile manifests', () => {
  test('unsupported dtype named with its path', () => {
    const m = manifest();
    m.formats['smlm-table(binary)-locs'].dtype[0] = 'float128';
    expect(errorOf(replace('manifest.json', JSON.stringify(m)))).toBe(
      `${NAME}: manifest.json: formats["smlm-table(binary)-locs"].dtype[0] 'float128' is not supported`,
    );
  });

  test('wrong types, huge counts and shapes, mismatched sizes', () => {
    const cases: [(m: ReturnType<typeof manifest>) => void, RegExp][] = [
      [(m) => (m.files = 'x'), /"files" must be a list/],
      [(m) => (m.formats = []), /"formats" must be an object/],
      [(m) => (m.files[0] = 7), /files\[0\] must be an object/],
      [(m) => (m.files[0].rows = 1e15), /files\[0\]\.rows 1000000000000000 is larger than the limit/],
      [(m) => (m.files[0].rows = -3), /files\[0\]\.rows -3 is not a non-negative integer/],
      [(m) => (m.files[0].rows = '12abc'), /files\[0\]\.rows "12abc" is not a non-negative integer/],
      [
        (m) => (m.files[0].rows = 301),
        /"locs\.bin" holds 14100 bytes, but 301 rows × 47 bytes per row need 14147/,
      ],
      [(m) => (m.files[0].name = '../../etc/passwd'), /"\.\.\/\.\.\/etc\/passwd" is not in the archive/],
      [(m) => (m.files[0].format = 'nope'), /format "nope" is not in "formats"/],
      [
        (m) => (m.formats['smlm-table(binary)-locs'].shape[1] = [1e9, 1e9]),
        /shape\[1\]\[0\] 1000000000 is larger than the limit/,
      ],
      [
        (m) => (m.formats['smlm-table(binary)-locs'].columns = 1e6),
        /columns 1000000 is larger than the limit/,
      ],
      [(m) => (m.formats['smlm-table(binary)-locs'].headers = [1]), /11 columns, but 1 headers/],
      [(m) => (m.formats['smlm-table(binary)-locs'].units[1] = 'px'), /x is in "px"; only nm is supported/],
      [(m) => (m.formats['smlm-table(binary)-locs'].dtype = 'float32'), /needs "headers" and "dtype" lists/],
      [(m) => (m.files = new Array(5000).fill(m.files[0])), /lists 5000 files \(limit 1024\)/],
    ];
    for (const [mutate, re] of cases) {
      const m = manifest();
      mutate(m);
      expect(errorOf(replace('manifest.json', JSON.stringify(m)))).toMatch(re);
    }
  });

  test('invalid JSON: NaN, trailing garbage, deep nesting, invalid UTF-8', () => {
    expect(errorOf(replace('manifest.json', '{"files": NaN}'))).toMatch(/manifest\.json is not valid JSON/);
    expect(errorOf(replace('manifest.json', '{} trailing'))).toMatch(/manifest\.json is not valid JSON/);
    expect(errorOf(replace('manifest.json', '[1]'))).toMatch(/manifest\.json must hold a JSON object/);
    expect(errorOf(replace('manifest.json', new Uint8Array([0x7b, 0xff, 0x7d])))).toMatch(/not valid JSON/);
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(
      errorOf(replace(SESSION_ENTRY, `{"format":"evscope-session","version":1,"notes":${deep}}`)),
    ).toMatch(/session\.json: /);
  });
});

describe('fuzz: hostile session.json', () => {
  test('structure-aware mutations: 300 random paths set to hostile values', () => {
    const rng = new Rng(13, 0);
    const hostile: unknown[] = [
      null,
      -1,
      1e308,
      -0,
      2 ** 53,
      'x'.repeat(300_000),
      '<script>alert(1)</script>',
      '\u0000',
      [],
      {},
      true,
      'NaN',
      [[[[[[[[[[1]]]]]]]]]],
      { __proto__: null, constructor: 1 },
      JSON.parse('{"__proto__": {"admin": true}}'),
      new Array(10_000).fill(0),
    ];
    const paths: string[][] = [];
    const collect = (v: unknown, p: string[]) => {
      paths.push(p);
      if (v && typeof v === 'object' && p.length < 6)
        for (const [k, x] of Object.entries(v)) collect(x, [...p, k]);
    };
    collect(sessionJson(), []);
    for (let k = 0; k < 300; k++) {
      const s = sessionJson();
      const p = paths[1 + Math.floor(rng.uniform() * (paths.length - 1))];
      let o = s;
      for (const key of p.slice(0, -1)) o = o[key];
      const value = hostile[Math.floor(rng.uniform() * hostile.length)];
      if (rng.uniform() < 0.15) delete o[p[p.length - 1]];
      else o[p[p.length - 1]] = value;
      const r = open(replace(SESSION_ENTRY, JSON.stringify(s)));
      if (r.ok) {
        // Accepted values are plain data; nothing reached a prototype.
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
        expect(r.tables.length).toBe(4);
      }
    }
  });

  test('script in names stays text; table descriptions that disagree with the data are refused', () => {
    const s = sessionJson();
    s.title = '<img src=x onerror="alert(1)">';
    s.tables[2].name = '<script>fetch("//evil")</script>';
    const r = open(replace(SESSION_ENTRY, JSON.stringify(s)));
    expect(r.ok && [r.session.title, r.tables[2].name]).toEqual([s.title, s.tables[2].name]);
    const rows = sessionJson();
    rows.tables[2].rows = 2 ** 31 - 1;
    expect(errorOf(replace(SESSION_ENTRY, JSON.stringify(rows)))).toMatch(
      /tables\[2\] "tracks": column "track" holds 16 bytes, 2147483647 uint32 rows need 8589934588/,
    );
    const dt = sessionJson();
    dt.tables[0].columns[1].dtype = 'float32';
    expect(errorOf(replace(SESSION_ENTRY, JSON.stringify(dt)))).toMatch(
      /column "x" is float64 in the manifest, float32 in session\.json/,
    );
    const miss = sessionJson();
    miss.tables[2].columns.push({ name: 'extra', dtype: 'uint8', unit: '' });
    expect(errorOf(replace(SESSION_ENTRY, JSON.stringify(miss)))).toMatch(
      /column "extra" \(evscope\/tables\/tracks\/4\.bin\) is missing/,
    );
  });
});

describe('fuzz: hostile ZIP containers', () => {
  /** Patches the central-directory uncompressed size of `name`. */
  function patchSize(zip: Uint8Array, name: string, size: number): Uint8Array {
    const b = zip.slice();
    const dv = new DataView(b.buffer);
    const enc = new TextEncoder().encode(name);
    for (let i = 0; i < b.length - 46; i++) {
      if (dv.getUint32(i, true) !== 0x02014b50) continue;
      const n = dv.getUint16(i + 28, true);
      if (n === enc.length && Buffer.from(b.subarray(i + 46, i + 46 + n)).equals(Buffer.from(enc))) {
        dv.setUint32(i + 24, size, true);
        return b;
      }
    }
    throw new Error('entry not found');
  }

  test('zip bomb: inflating past the declared size is stopped early', () => {
    const zeros = new Uint8Array(16 << 20);
    const bomb = writeZip([
      ...entries(valid).filter((e) => e.name !== 'evscope/tables/tracks/0.bin'),
      { name: 'evscope/tables/tracks/0.bin', data: zeros, level: 9 },
    ]);
    expect(bomb.length).toBeLessThan(200_000);
    const e = errorOf(patchSize(bomb, 'evscope/tables/tracks/0.bin', 16));
    expect(e).toMatch(
      /"evscope\/tables\/tracks\/0\.bin" (holds 16 bytes|inflates to more than its declared 16 bytes)/,
    );
  });

  test('impossible declared sizes, too many entries, unsafe names, encryption, duplicates', () => {
    const big = writeZip([{ name: 'manifest.json', data: new TextEncoder().encode('{}'), level: 9 }]);
    expect(errorOf(patchSize(big, 'manifest.json', 2_000_000_000))).toMatch(
      /"manifest\.json" declares 2000000000 bytes from \d+ compressed bytes, which DEFLATE cannot produce/,
    );
    const many = writeZip(
      Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}`, data: new Uint8Array(0) })),
    );
    expect(errorOf(many)).toBe(`${NAME}: 5000 entries, more than the limit of 4096`);
    const withEvil = writeZip([
      ...entries(valid),
      { name: '../../evil.sh', data: new Uint8Array(1) },
      { name: '/etc/cron.d/x', data: new Uint8Array(1) },
      { name: 'C:/x', data: new Uint8Array(1) },
    ]);
    const r = open(withEvil);
    expect(r.ok && r.warnings).toEqual([
      'ignored the entry "../../evil.sh" (its name points outside the archive)',
      'ignored the entry "/etc/cron.d/x" (its name points outside the archive)',
      'ignored the entry "C:/x" (its name points outside the archive)',
    ]);
    const enc = valid.slice();
    const dv = new DataView(enc.buffer);
    for (let i = 0; i < enc.length - 4; i++)
      if (dv.getUint32(i, true) === 0x02014b50) dv.setUint16(i + 8, 0x0801, true);
    expect(errorOf(enc)).toMatch(/"manifest\.json" is encrypted/);
    // Two entries of one name (the writer refuses, so build it from two archives' parts).
    const one = writeZip([{ name: 'manifest.json', data: new TextEncoder().encode('{}') }]);
    const dup = new Uint8Array(one.length * 2);
    const lh = one.length - 22 - (46 + 13);
    dup.set(one.subarray(0, lh), 0);
    dup.set(one.subarray(0, lh), lh);
    const cd1 = one.subarray(lh, one.length - 22).slice();
    const cd2 = cd1.slice();
    new DataView(cd2.buffer).setUint32(42, lh, true);
    dup.set(cd1, 2 * lh);
    dup.set(cd2, 2 * lh + cd1.length);
    const eocd = one.subarray(one.length - 22).slice();
    const ev = new DataView(eocd.buffer);
    ev.setUint16(8, 2, true);
    ev.setUint16(10, 2, true);
    ev.setUint32(12, cd1.length * 2, true);
    ev.setUint32(16, 2 * lh, true);
    dup.set(eocd, 2 * lh + 2 * cd1.length);
    expect(errorOf(dup.subarray(0, 2 * lh + 2 * cd1.length + 22))).toBe(
      `${NAME}: "manifest.json" appears twice`,
    );
    // Stored entries with damaged deflate data.
    const bad = writeZip([{ name: 'manifest.json', data: deflateSync(new TextEncoder().encode('{}')) }]);
    expect(errorOf(bad)).toMatch(/manifest\.json is not valid JSON/);
  });

  test('summary', () => {
    console.log(
      `session fuzz: ${stats.cases} files, ${stats.ok} opened, ${stats.errors} refused with a message`,
    );
    expect(stats.cases).toBeGreaterThan(700);
  });
});
