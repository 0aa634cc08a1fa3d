// Result sections: table-shaped parts become named tables with units, loose long arrays are named
// by their path, and sections written by older versions (columns c0…cN) still decode.
import { expect, test } from 'vitest';
import { openSessionFile, saveSessionFile } from '../../../src/core/session/index';
import { createSession } from '../../../src/core/session/model';
import { packResult, unpackResult } from '../../../src/core/session/resultCodec';

const ramp = (n: number, f = 1) => Float64Array.from({ length: n }, (_, i) => i * f);

test('table-shaped parts become named tables; loose arrays are named by path; all round-trip', () => {
  const n = 100;
  const value = {
    a: { length: n, columns: { frame: Uint32Array.from(ramp(n)), x: ramp(n, 2.5) }, distance: ramp(n, -1) },
    b: { length: n, columns: { frame: Uint32Array.from(ramp(n)), x: ramp(n, 3) } },
    hist: { counts: ramp(80), edges: ramp(81), total: Number.POSITIVE_INFINITY },
    small: ramp(3),
    p: Number.NaN,
  };
  const packed = packResult(value, {
    prefix: 'r',
    kind: 'distances',
    name: 'result',
    tables: { a: { name: 'distances_ev', columns: { x: { name: 'x [nm]', unit: 'nm' } } } },
    units: { counts: '', edges: 'nm' },
  });
  const byName = new Map(packed.tables.map((t) => [t.name, t]));
  expect([...byName.keys()].sort()).toEqual(['distances_ev', 'r_b', 'result (80 rows)', 'result (81 rows)']);
  const ev = byName.get('distances_ev')!;
  expect(Object.keys(ev.columns)).toEqual(['frame', 'x [nm]', 'distance']);
  expect(ev.units['x [nm]']).toBe('nm');
  expect(ev.length).toBe(n);
  expect(Object.keys(byName.get('result (81 rows)')!.columns)).toEqual(['hist.edges']);
  expect(byName.get('result (81 rows)')!.units['hist.edges']).toBe('nm');
  // Through a real file: the JSON references survive validation and the tables their encoding.
  const session = createSession({ appVersion: 't', steps: { r: packed.json } });
  const opened = openSessionFile(saveSessionFile(session, packed.tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  expect(unpackResult(opened.session.steps.r, opened.tables)).toEqual(value);
});

test('a section written with c0…cN column names (before tables were named) still decodes', () => {
  const legacyJson = {
    distances: {
      length: 70,
      columns: { x: { $t: 'distances.1', c: 'c0' }, d: { $t: 'distances.1', c: 'c1' } },
    },
    tau: { $n: 'Infinity' },
  };
  const x = ramp(70, 2);
  const d = ramp(70, -3);
  const legacyTable = {
    id: 'distances.1',
    name: 'EV–structure distances (70 rows)',
    kind: 'distances' as const,
    length: 70,
    columns: { c0: x, c1: d },
    units: { c0: '', c1: '' },
  };
  expect(unpackResult(legacyJson, [legacyTable])).toEqual({
    distances: { length: 70, columns: { x, d } },
    tau: Number.POSITIVE_INFINITY,
  });
});
