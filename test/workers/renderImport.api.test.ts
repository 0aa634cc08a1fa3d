// The render worker's "open any localization file" over a real MessageChannel, against the
// external samples (../shared/data; each test skips, saying so, where a sample is absent).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, expect, test } from 'vitest';
import { createRenderApi, type RenderApi } from '../../workers/render.api';
import { sharedDataDir } from '../helpers/sharedData';

const { port1, port2 } = new MessageChannel();
Comlink.expose(createRenderApi(), port1 as unknown as Comlink.Endpoint);
const api = Comlink.wrap<RenderApi>(port2 as unknown as Comlink.Endpoint);
afterAll(() => {
  port1.close();
  port2.close();
});

const dir = sharedDataDir ?? '/absent/shared/data';
const p = (...parts: string[]) => path.join(dir, ...parts);
const picked = (...parts: string[]) => ({
  name: parts[parts.length - 1],
  blob: new Blob([readFileSync(p(...parts))]),
});

const picasso = ['picasso_samples', 'raw_movie_locs.hdf5'] as const;
const picassoYaml = ['picasso_samples', 'raw_movie_locs.yaml'] as const;
const hasPicasso = existsSync(p(...picasso)) && existsSync(p(...picassoYaml));

test.skipIf(!hasPicasso)('Picasso HDF5 + YAML: 2399 localizations, x_nm = (x + 0.5) × 130 nm', async () => {
  // The YAML listed first, and the movie's own YAML beside it: the sidecar is matched by name.
  const r = await api.parseLocalizationFile([
    picked('picasso_samples', 'raw_movie.yaml'),
    picked(...picassoYaml),
    picked(...picasso),
  ]);
  expect(r.format).toBe('picasso-hdf5');
  expect(r.formatName).toBe('Picasso HDF5 + YAML');
  expect(r.fileName).toBe('raw_movie_locs.hdf5');
  expect(r.sidecarName).toBe('raw_movie_locs.yaml');
  expect(r.pixelSizeNm).toBe(130);
  expect(r.table.length).toBe(2399);
  // The first row's pixel coordinates, read independently of the reader under test: h5wasm in Node.
  const h5 = await import('h5wasm/node');
  await h5.ready;
  const f = new h5.File(p(...picasso), 'r');
  try {
    const locs = f.get('locs') as InstanceType<typeof h5.Dataset>;
    const rows = locs.slice([[0, 3]]) as unknown as number[][];
    const names = (locs.metadata.compound_type?.members ?? []).map((m) => m.name);
    const ix = names.indexOf('x');
    const iy = names.indexOf('y');
    expect([ix, iy].every((i) => i >= 0)).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(r.table.columns.x[i]).toBeCloseTo((Number(rows[i][ix]) + 0.5) * 130, 3);
      expect(r.table.columns.y[i]).toBeCloseTo((Number(rows[i][iy]) + 0.5) * 130, 3);
    }
  } finally {
    f.close();
  }
});

test.skipIf(!hasPicasso)('Picasso HDF5 alone is refused, naming the file and the missing YAML', async () => {
  await expect(api.parseLocalizationFile([picked(...picasso)])).rejects.toThrow(
    /raw_movie_locs\.hdf5: Picasso HDF5 needs its \.yaml \(pixel size\) — select both files/,
  );
});

const decode = ['locan_test_data', 'decode_dstorm_data.h5'] as const;
test.skipIf(!existsSync(p(...decode)))('a DECODE .h5 alone opens: no YAML asked for', async () => {
  const r = await api.parseLocalizationFile([picked(...decode)]);
  expect(r.format).toBe('decode-h5');
  expect(r.formatName).toBe('DECODE HDF5');
  expect(r.sidecarName).toBeNull();
  expect(r.pixelSizeNm).toBe(127);
  expect(r.table.length).toBe(96);
  expect(r.table.columns.frame[0]).toBe(294);
});

const smlm = ['locan_test_data', 'SMLM_dstorm_data.smlm'] as const;
test.skipIf(!existsSync(p(...smlm)))('Locan .smlm: 10 localizations in nm', async () => {
  const r = await api.parseLocalizationFile([picked(...smlm)]);
  expect(r.format).toBe('smlm');
  expect(r.formatName).toBe('SMLM (.smlm)');
  expect(r.table.length).toBe(10);
  expect(r.table.columns.x[0]).toBeCloseTo(1653.34, 2);
  expect(r.table.columns.y[0]).toBeCloseTo(8879.34, 2);
});

const ts = ['locan_test_data', 'Thunderstorm_dstorm_data.csv'] as const;
test.skipIf(!existsSync(p(...ts)))(
  'ThunderSTORM CSV goes the fast path; Nanoimager .csv is told apart',
  async () => {
    const r = await api.parseLocalizationFile([picked(...ts)]);
    expect(r.format).toBe('thunderstorm-csv');
    expect(r.table.length).toBe(19);
    expect(r.table.columns.x[0]).toBeCloseTo(1320.109670647555, 9);
    const ni = await api.parseLocalizationFile([picked('locan_test_data', 'Nanoimager_dstorm_data.csv')]);
    expect(ni.format).toBe('nanoimager-csv');
    expect(ni.table.length).toBe(14);
  },
);

test('two data files, or an unknown one, are refused with the names', async () => {
  const csv = '"frame","x [nm]","y [nm]"\n1,5,6\n';
  await expect(
    api.parseLocalizationFile([
      { name: 'a.csv', blob: new Blob([csv]) },
      { name: 'b.csv', blob: new Blob([csv]) },
    ]),
  ).rejects.toThrow(/a\.csv, b\.csv: select one localization file/);
  await expect(
    api.parseLocalizationFile([{ name: 'notes.txt', blob: new Blob(['hello\n']) }]),
  ).rejects.toThrow(/notes\.txt: not a localization file/);
});
