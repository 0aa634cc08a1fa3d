import { expect, test } from 'vitest';
import {
  concatLocTables,
  createLocTable,
  locTableFromColumns,
  STANDARD_COLUMNS,
  selectRows,
} from '../../../src/core/locs/table';

test('concatenation keeps every column and fills gaps', () => {
  const a = locTableFromColumns({ frame: new Uint32Array([0, 1]), x: new Float64Array([1, 2]) });
  const b = locTableFromColumns({
    frame: new Uint32Array([2]),
    x: new Float64Array([3]),
    photons: new Float32Array([500]),
  });
  const c = concatLocTables([a, b]);
  expect(c.length).toBe(3);
  expect([...c.columns.frame]).toEqual([0, 1, 2]);
  expect([...c.columns.x]).toEqual([1, 2, 3]);
  expect(c.columns.photons[0]).toBeNaN();
  expect(c.columns.photons[2]).toBe(500);
});

test('columns of unequal length are refused', () => {
  expect(() => locTableFromColumns({ x: new Float64Array(2), y: new Float64Array(3) })).toThrow(/column "y"/);
});

test('row selection keeps order and types', () => {
  const t = createLocTable(4, STANDARD_COLUMNS);
  (t.columns.x as Float64Array).set([10, 20, 30, 40]);
  const s = selectRows(t, new Uint8Array([1, 0, 1, 0]));
  expect(s.length).toBe(2);
  expect([...s.columns.x]).toEqual([10, 30]);
  expect(s.columns.frame).toBeInstanceOf(Uint32Array);
});
