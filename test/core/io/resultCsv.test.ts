import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../../src/core/io/csv';
import { csvText, formatNumber, writeResultCsv } from '../../../src/core/io/resultCsv';
import { writeCsv } from '../../../src/core/spt/csv';

describe('result-table CSV', () => {
  test('columns in order, renamed headers, offsets, 7 significant digits, exact integers', () => {
    const t = {
      length: 2,
      columns: {
        track: Int32Array.from([3, 4]),
        frame: Uint32Array.from([0, 9]),
        x: Float64Array.from([1 / 3, 123456789.25]),
        unused: Float64Array.from([0, 0]),
      },
    };
    const text = writeResultCsv(t, {
      order: ['track', 'frame', 'x'],
      headers: { x: 'x [nm]' },
      offsets: { frame: 1 },
    });
    expect(text).toBe('"track","frame","x [nm]"\n3,1,0.3333333\n4,10,123456800\n');
    // The old spt name is the same writer.
    expect(
      writeCsv(t, { order: ['track', 'frame', 'x'], headers: { x: 'x [nm]' }, offsets: { frame: 1 } }),
    ).toBe(text);
  });

  test('special values and a table with no rows', () => {
    expect(formatNumber(Number.NaN, 7)).toBe('NaN');
    expect(formatNumber(Number.NEGATIVE_INFINITY, 7)).toBe('-Infinity');
    expect(formatNumber(-2.5e-12, 3)).toBe('-2.5e-12');
    expect(writeResultCsv({ length: 0, columns: { a: new Float64Array(0) } })).toBe('"a"\n');
  });

  test('refuses missing or short columns with the column name', () => {
    const t = { length: 3, columns: { a: Float64Array.from([1, 2]) } };
    expect(() => writeResultCsv(t)).toThrow(/"a" is shorter/);
    expect(() => writeResultCsv(t, { order: ['b'] })).toThrow(/no column "b"/);
  });

  test('csvText quotes headers always or only when needed, and parses back', () => {
    const header = ['id', 'name, with comma', 'say "hi"'];
    const cell = (r: number, c: number) => (c === 0 ? String(r + 1) : c === 1 ? '"a,b"' : 'x');
    const always = csvText(header, 2, cell);
    expect(always.split('\n')[0]).toBe('"id","name, with comma","say ""hi"""');
    const minimal = csvText(header, 2, cell, 'minimal');
    expect(minimal.split('\n')[0]).toBe('id,"name, with comma","say ""hi"""');
    const rows: string[][] = [];
    parseCsv(minimal, (f) => rows.push([...f]));
    expect(rows).toEqual([header, ['1', 'a,b', 'x'], ['2', 'a,b', 'x']]);
    expect(always.endsWith('\n')).toBe(true);
  });
});
