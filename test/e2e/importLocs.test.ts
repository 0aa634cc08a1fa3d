// "Open localizations…" in the browser with a Picasso HDF5 + YAML pair written at test time by
// the core writer: both files are picked at once, h5wasm loads in the render worker under the
// app's CSP, and Post-process shows the count and the format.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeLocalizationFile } from '../../src/core/io/localizationFiles';
import { locTableFromColumns } from '../../src/core/locs/table';
import { sharedDataDir } from '../helpers/sharedData';
import { type BrowserSession, openApp } from './browser';

const N = 1234;
const PX = 117;
let s: BrowserSession;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'evscope-import-'));
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a Picasso HDF5 + YAML pair opens through the button and Post-process shows its localizations', async () => {
  const { page } = s;
  // Deterministic positions over a 40 × 30 px camera; photons vary so the columns are not constant.
  const frame = new Uint32Array(N);
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  const photons = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    frame[i] = i % 500;
    x[i] = (((i * 7919) % 4000) / 100) * PX;
    y[i] = (((i * 104729) % 3000) / 100) * PX;
    photons[i] = 500 + (i % 97) * 10;
  }
  const table = locTableFromColumns({ frame, x, y, photons });
  const out = await writeLocalizationFile(
    'beads_locs.hdf5',
    table,
    { x: 'nm', y: 'nm' },
    {
      appVersion: 'test',
      pixelSizeNm: PX,
      width: 40,
      height: 30,
    },
  );
  expect(out.sidecar?.name).toBe('beads_locs.yaml');
  const hdf5 = path.join(dir, 'beads_locs.hdf5');
  const yaml = path.join(dir, out.sidecar!.name);
  writeFileSync(hdf5, out.bytes);
  writeFileSync(yaml, out.sidecar!.text);

  // The HDF5 alone is refused with what to do, and nothing is loaded.
  const input = page.getByTestId('locs-input').first();
  await input.setInputFiles([hdf5]);
  await page
    .getByText(/Picasso HDF5 needs its \.yaml \(pixel size\) — select both files/)
    .first()
    .waitFor();

  await input.setInputFiles([yaml, hdf5]);
  const shown = N.toLocaleString('en-US');
  await page.getByText(`${shown} localizations from beads_locs.hdf5`).first().waitFor({ timeout: 120_000 });
  await page
    .getByText(/Read as Picasso HDF5 \+ YAML, 117 nm camera pixels/)
    .first()
    .waitFor();
  await page.getByTestId('post-count-out').filter({ hasText: shown }).waitFor({ timeout: 120_000 });
  const count = await page.evaluate(
    () =>
      (
        (
          window as unknown as { evscope: Record<string, () => { length: number } | null> }
        ).evscope.localizations() ?? { length: 0 }
      ).length,
  );
  expect(count).toBe(N);
  await page.screenshot({ path: '/tmp/importLocs.png' });

  // …and they export back to Picasso: an HDF5 file (its signature) and its YAML.
  const downloads: import('playwright-core').Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export-picasso').click();
  await expect.poll(() => downloads.length, { timeout: 120_000 }).toBe(2);
  const names = downloads.map((d) => d.suggestedFilename()).sort();
  expect(names[0]).toMatch(/_locs\.hdf5$/);
  expect(names[1]).toMatch(/_locs\.yaml$/);
  const h5 = downloads.find((d) => d.suggestedFilename().endsWith('.hdf5'))!;
  const bytes = readFileSync((await h5.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  // No CSP violation (h5wasm's WebAssembly compile) nor any other console error.
  expect(s.errors).toEqual([]);
});

const decodeH5 = sharedDataDir ? path.join(sharedDataDir, 'locan_test_data', 'decode_dstorm_data.h5') : '';
test.skipIf(!decodeH5 || !existsSync(decodeH5))(
  'a DECODE .h5 opens alone: recognised as DECODE, no YAML asked for',
  async () => {
    const { page } = s;
    await page.getByTestId('locs-input').first().setInputFiles([decodeH5]);
    // The beads table from the test before is open: the workbench asks before replacing it.
    const choice = page.getByTestId('choice');
    const loaded = page.getByText('96 localizations from decode_dstorm_data.h5').first();
    await Promise.race([choice.waitFor(), loaded.waitFor()]);
    if (await choice.isVisible()) await choice.getByRole('button', { name: 'Add as a table' }).click();
    await loaded.waitFor();
    await page
      .getByText(/Read as DECODE HDF5/)
      .first()
      .waitFor();
    expect(await page.getByText(/decode_dstorm_data\.h5.*\.yaml/).count()).toBe(0);
    expect(s.errors).toEqual([]);
  },
);
