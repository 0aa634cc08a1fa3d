// The movie in the browser: simulated demo stack, localizations from the simulator's truth (as a
// ThunderSTORM CSV), build, play, binarize, export.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { openStack } from '../../src/core/stack/open';
import { truthLocalizations } from '../helpers/movieTruthLocs';
import { mem } from '../helpers/sources';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => Promise<unknown> | unknown>;
const FRAMES = 600;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

test('builds, plays, binarizes and exports the movie of the simulated demo', async () => {
  const params = { ...presetParams('demo'), frames: FRAMES };
  const csv = writeThunderstormCsv(truthLocalizations(simulate(params), 0, 3));
  const { page } = s;
  const opened = await page.evaluate(async (p) => {
    const api = (window as unknown as { evscope: Api }).evscope;
    return api.openRecipe({ kind: 'simulated', params: p }, 'Simulating');
  }, params);
  expect(opened).toBe(true);
  const n = await page.evaluate(
    (text) => (window as unknown as { evscope: Api }).evscope.loadLocalizationsCsv(text),
    csv,
  );
  expect((n as { count: number }).count).toBeGreaterThan(1000);

  // The Movie step: live frame count for W = 200, S = 20 → ⌊(600 − 200)/20⌋ + 1 = 21.
  await page.getByRole('button', { name: /Movie/ }).first().click();
  await page.getByLabel('Window W (frames)').fill('200');
  await page.getByLabel('Step S (frames)').fill('20');
  await page.getByLabel('Render pixel (nm)').fill('20');
  await page.getByTestId('movie-count').filter({ hasText: '21' }).waitFor();
  await page.getByRole('button', { name: 'Build movie' }).click();
  await page.getByTestId('movie-status').filter({ hasText: '21 frames ready' }).waitFor();
  await page.getByTestId('movie-frame').filter({ hasText: '1 / 21' }).waitFor();
  await page.getByTestId('movie-time').filter({ hasText: 't = 0.00–1.00 s, centre 0.50 s' }).waitFor();

  // Play: the frame index advances.
  await page.getByRole('button', { name: 'Play movie' }).click();
  await page.waitForFunction(
    () => ((window as unknown as { evscope: Api }).evscope.movieState() as { frame: number }).frame >= 3,
  );
  await page.getByRole('button', { name: 'Pause movie' }).click();
  const stats = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.movieFrame(5),
  )) as {
    sum: number;
    width: number;
    final: boolean;
  };
  expect(stats.width).toBe(640);
  expect(stats.final).toBe(true);
  expect(stats.sum).toBeGreaterThan(0);
  // ←/→ step the movie when it has focus.
  await page.getByTestId('movie-canvas').click();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.getByTestId('movie-frame').filter({ hasText: '2 / 21' }).waitFor();
  await page.screenshot({ path: '/tmp/movie-built.png' });

  // Binarize through the panel: Otsu threshold shown, structures found, plot drawn.
  await page.getByRole('button', { name: 'Find structures' }).click();
  await page.getByTestId('structure-count').waitFor();
  const threshold = await page.getByTestId('movie-threshold').textContent();
  expect(threshold).toMatch(/threshold \d/);
  const count = Number((await page.getByTestId('structure-count').textContent())?.split(' ')[0]);
  expect(count).toBeGreaterThan(0);
  await page.locator('[data-plot="Structures over time"] .main-svg').first().waitFor();
  await page.screenshot({ path: '/tmp/movie-structures.png' });

  // Scripting agrees with the panel.
  const scripted = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.binarizeMovie({ method: 'otsu' }),
  )) as { threshold: number; structures: number };
  expect(scripted.structures).toBe(count);

  // TIFF export arrives as a download.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Movie TIFF' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/movie-W200-S20-20nm\.tif$/);
  // Its download event may land after the call returns: wait for it, so the next waiter gets the next file.
  const scriptedDl = page.waitForEvent('download');
  const bytes = await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.exportMovie('tiff'),
  );
  await scriptedDl;
  expect(bytes).toBeGreaterThan(21 * 640 * 640 * 4);

  // 16-bit with Deflate (the browser's CompressionStream): one scale for the movie, in the file.
  const packedDl = page.waitForEvent('download');
  const packedBytes = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.exportMovie('tiff', {
      dtype: 'uint16',
      compression: 'deflate',
    }),
  )) as number;
  const packed = new Uint8Array(readFileSync((await (await packedDl).path())!));
  expect(packed.length).toBe(packedBytes);
  expect(packedBytes).toBeLessThan((21 * 640 * 640 * 2) / 2);
  const floats = await openStack([mem(new Uint8Array(readFileSync((await d.path())!)), 'movie.tif')]);
  const ints = await openStack([mem(packed, 'movie16.tif')]);
  expect([ints.dtype, ints.frameCount]).toEqual(['uint16', floats.frameCount]);
  const scale = Number(
    /evscope\.scale=([\d.e+-]+)\n/.exec(new TextDecoder('latin1').decode(packed.subarray(0, 4096)))?.[1],
  );
  const want = (await floats.readFrame(10)) as Float32Array;
  const got = (await ints.readFrame(10)) as Uint16Array;
  let differ = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== Math.min(65535, Math.round(scale * want[i]))) differ++;
  expect(differ).toBe(0);
  expect(s.errors).toEqual([]);
});
