import { describe, expect, test } from 'vitest';
import { argsort, filterColumns, queryRows } from '../../../src/core/locs/argsort';
import { parseFilter } from '../../../src/core/locs/filterExpr';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { Rng } from '../../../src/core/random';

function reference(values: ArrayLike<number>, descending: boolean): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  const nan = idx.filter((i) => Number.isNaN(values[i]));
  const ok = idx.filter((i) => !Number.isNaN(values[i]));
  ok.sort((a, b) => (descending ? values[b] - values[a] : values[a] - values[b]) || a - b);
  return [...ok, ...nan];
}

describe('argsort', () => {
  test('matches a stable comparator sort on mixed signs, ties, zeros, infinities and NaN', () => {
    const rng = new Rng(3);
    const v = new Float64Array(5000);
    for (let i = 0; i < v.length; i++) v[i] = Math.round((rng.uniform() - 0.5) * 200) / 4;
    v.set(
      [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e-300, Number.NaN],
      10,
    );
    for (const desc of [false, true]) expect(Array.from(argsort(v, desc))).toEqual(reference(v, desc));
  });

  test('float32 and integer columns, and a subset of rows', () => {
    const rng = new Rng(9);
    const f = Float32Array.from({ length: 3000 }, () => rng.uniform() * 1000);
    const u = Uint32Array.from({ length: 3000 }, () => Math.floor(rng.uniform() * 50));
    expect(Array.from(argsort(f))).toEqual(reference(f, false));
    expect(Array.from(argsort(u, true))).toEqual(reference(u, true));
    const subset = Uint32Array.from([7, 3, 2999, 100, 5]);
    const want = reference(
      Array.from(subset, (i) => f[i]),
      false,
    ).map((k) => subset[k]);
    expect(Array.from(argsort(f, false, subset))).toEqual(want);
  });

  test('a million rows sort correctly', () => {
    const rng = new Rng(1);
    const v = Float32Array.from({ length: 1_000_000 }, () => rng.uniform() * 5000);
    const t0 = performance.now();
    const idx = argsort(v);
    const ms = performance.now() - t0;
    for (let i = 1; i < idx.length; i++)
      if (v[idx[i - 1]] > v[idx[i]]) throw new Error(`out of order at ${i}`);
    console.log(`argsort of 1,000,000 rows: ${ms.toFixed(0)} ms`);
  });
});

describe('queryRows', () => {
  const t = locTableFromColumns({
    frame: Uint32Array.from([0, 0, 1, 2, 2, 3]),
    photons: Float32Array.from([300, 900, 600, 1200, 50, 700]),
    sigma: Float32Array.from([120, 130, 125, Number.NaN, 140, 128]),
  });

  test('filters by an expression, then sorts the kept rows', () => {
    expect(Array.from(queryRows(t, {}))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(queryRows(t, { filter: 'photons > 500' }))).toEqual([1, 2, 3, 5]);
    expect(
      Array.from(queryRows(t, { filter: 'photons > 500', sortBy: 'photons', descending: true })),
    ).toEqual([3, 1, 5, 2]);
    expect(Array.from(queryRows(t, { sortBy: 'sigma' }))).toEqual([0, 2, 5, 1, 4, 3]);
  });

  test('a bad expression or column throws with its position', () => {
    expect(() => queryRows(t, { filter: 'photonz > 1' })).toThrow(/position 1/);
    expect(() => queryRows(t, { sortBy: 'nope' })).toThrow(/no such column/);
  });

  test('filterColumns lists what an expression reads', () => {
    const cols = ['photons', 'sigma', 'frame'];
    expect([...filterColumns(parseFilter('photons > 500 && abs(sigma - 130) < frame', cols))].sort()).toEqual(
      ['frame', 'photons', 'sigma'],
    );
  });
});
