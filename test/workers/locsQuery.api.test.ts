import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { afterAll, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import { createLocsQueryApi, type LocsQueryApi } from '../../workers/locsQuery.api';

const channel = new MessageChannel();
Comlink.expose(createLocsQueryApi(), nodeEndpoint(channel.port1));
const api = Comlink.wrap<LocsQueryApi>(nodeEndpoint(channel.port2));
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

test('the query worker filters and sorts the columns it is sent', async () => {
  const rng = new Rng(5);
  const n = 20_000;
  const t = locTableFromColumns({
    photons: Float32Array.from({ length: n }, () => rng.uniform() * 2000),
    precision: Float32Array.from({ length: n }, () => rng.uniform() * 30),
  });
  const q = { filter: 'photons > 500 && precision < 20', sortBy: 'precision', descending: true };
  const rows = await api.query(t, q);
  expect(rows).toBeInstanceOf(Uint32Array);
  expect(rows.length).toBeGreaterThan(n * 0.4);
  // Expected rows from a plain loop and Array.prototype.sort, independent of the query engine.
  const { photons, precision } = t.columns as Record<string, Float32Array>;
  const want: number[] = [];
  for (let i = 0; i < n; i++) if (photons[i] > 500 && precision[i] < 20) want.push(i);
  want.sort((a, b) => precision[b] - precision[a] || a - b);
  expect(Array.from(rows)).toEqual(want);
  await expect(api.query(t, { filter: 'photons >' })).rejects.toThrow(/position/);
});

test('CSV export of chosen rows, in their order, in ThunderSTORM format with 1-based frames', async () => {
  const t = locTableFromColumns({
    frame: Uint32Array.from([0, 1, 2]),
    x: Float64Array.from([10, 20, 30]),
    y: Float64Array.from([1, 2, 3]),
  });
  const text = await api.csv(t, Uint32Array.from([2, 0]));
  const lines = text.trim().split('\n');
  expect(lines[0]).toMatch(/^"?id"?,"?frame"?,"?x \[nm\]"?,"?y \[nm\]"?/);
  expect(lines.slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual(['3,30,3', '1,10,1']);
});
