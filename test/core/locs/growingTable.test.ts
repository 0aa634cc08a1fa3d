// The growing table must equal concatenating every chunk (the reference, concatLocTables) at every
// step of a stream, and cost O(n) copies in all — not one copy of the whole table per chunk.
import { expect, test } from 'vitest';
import { GrowingLocTable } from '../../../src/core/locs/growingTable';
import { concatLocTables, type LocTable, locTableFromColumns } from '../../../src/core/locs/table';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Chunks of 0–40 rows; some lack `photons` or carry a `flags` column, as imports and fitters do. */
function stream(count: number, seed: number): LocTable[] {
  const r = rng(seed);
  const out: LocTable[] = [];
  let frame = 0;
  for (let c = 0; c < count; c++) {
    const n = Math.floor(r() * 41);
    const cols: Record<string, Float64Array | Uint32Array | Float32Array | Uint8Array> = {
      frame: Uint32Array.from({ length: n }, () => frame),
      x: Float64Array.from({ length: n }, () => r() * 1e4),
    };
    if (r() > 0.3) cols.photons = Float32Array.from({ length: n }, () => Math.round(r() * 1000));
    if (r() > 0.7) cols.flags = Uint8Array.from({ length: n }, () => (r() > 0.5 ? 1 : 0));
    out.push(locTableFromColumns(cols));
    frame++;
  }
  return out;
}

const plain = (t: LocTable) =>
  Object.fromEntries(
    Object.entries(t.columns)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, Array.from(v.subarray(0, t.length))]),
  );

test('equals the concatenation of the chunks after every append, columns appearing late included', () => {
  const chunks = stream(120, 7);
  const g = new GrowingLocTable();
  for (let i = 0; i < chunks.length; i++) {
    g.append(chunks[i]);
    if (i % 13 === 0 || i === chunks.length - 1) {
      const ref = concatLocTables(chunks.slice(0, i + 1));
      const got = g.table();
      expect(got.length).toBe(ref.length);
      expect(plain(got)).toEqual(plain(ref));
    }
  }
});

test('a table taken earlier does not change when more rows arrive', () => {
  const chunks = stream(60, 11);
  const g = new GrowingLocTable();
  for (const c of chunks.slice(0, 30)) g.append(c);
  const early = g.table();
  const before = plain(early);
  for (const c of chunks.slice(30)) g.append(c);
  expect(plain(early)).toEqual(before);
});

test('appending n rows copies O(n) values, where re-concatenating per chunk copies O(n²)', () => {
  const cols = 3;
  const chunk = locTableFromColumns({
    frame: new Uint32Array(16),
    x: new Float64Array(16),
    y: new Float64Array(16),
  });
  const g = new GrowingLocTable();
  let naive = 0;
  for (let i = 0; i < 5000; i++) {
    g.append(chunk);
    naive += g.length * cols;
  }
  const n = g.length;
  // Each row is written once on arrival and moved at most once per doubling: < 3 copies a value.
  expect(g.copied).toBeLessThan(3 * n * cols);
  expect(g.copied).toBeGreaterThanOrEqual(n * cols);
  // 5000 chunks: the naive cost is ~2500 copies a value.
  expect(naive / g.copied).toBeGreaterThan(500);
});
