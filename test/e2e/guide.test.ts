// Steps that guide, on the default workbench (the EV-uptake demo): one h1; side-by-side channels
// labelled by name; EV markers says what it needs, refuses the PALM structure channel as a
// marker and opens the marker simulation; the reconstruction renders at the zoom's resolution.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp('/');
  await s.page.waitForFunction(() => 'evscope' in window);
  await s.page
    .locator('[data-step="data"] .state')
    .filter({ hasText: 'loaded' })
    .waitFor({ timeout: 60_000 });
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 60_000);

test('the page has one h1, and side-by-side channels are labelled with their names', async () => {
  const { page } = s;
  const h1 = page.getByRole('heading', { level: 1 });
  expect(await h1.count()).toBe(1);
  expect(await h1.textContent()).toMatch(/^evscope/);
  await page
    .getByRole('toolbar')
    .locator('select')
    .filter({ hasText: 'side by side' })
    .selectOption('side-by-side');
  const labels = page.getByTestId('channel-label');
  await expect.poll(() => labels.count()).toBe(2);
  expect(await labels.allTextContents()).toEqual(['1 · caveolin-1 (PALM)', '2 · EV (CD63-Halo7-SF650T)']);
  // Each label sits over its own panel: the second starts right of the first.
  const [a, b] = [await labels.nth(0).boundingBox(), await labels.nth(1).boundingBox()];
  expect(b!.x).toBeGreaterThan(a!.x + 100);
  await page.screenshot({ path: '/tmp/guide-side-by-side.png' });
});

test('EV markers on the uptake demo: what it needs, no nonsense roles, the marker simulation on offer', async () => {
  const { page } = s;
  await page.locator('[data-step="markers"]').click();
  await page.getByTestId('markers-advice').filter({ hasText: 'EV-uptake demo' }).waitFor();
  expect(await page.getByTestId('markers-needs').textContent()).toMatch(/one channel per marker/);
  expect(await page.getByLabel('Role of channel 1').inputValue()).toBe('skip');
  expect(await page.getByTestId('markers-run').isDisabled()).toBe(true);
  await page.getByLabel('Role of channel 1').selectOption('marker');
  await page.getByTestId('markers-errors').filter({ hasText: 'images cell structures' }).waitFor();
  expect(await page.getByTestId('markers-run').isDisabled()).toBe(true);
  await page.screenshot({ path: '/tmp/guide-markers-demo.png' });

  await page.getByTestId('markers-open-simulation').first().click();
  await page.getByLabel('Name of channel 4').waitFor({ timeout: 60_000 });
  expect(await page.getByLabel('Role of channel 4').inputValue()).toBe('probe');
  expect(await page.getByTestId('markers-advice').count()).toBe(0);
  expect(await page.getByTestId('markers-errors').count()).toBe(0);
  expect(await page.getByTestId('markers-run').isDisabled()).toBe(false);
});

test('zooming the reconstruction renders finer, down to 1 nm, and the px field shows it', async () => {
  const { page } = s;
  // Localizations over a 12.8 µm field, enough to render.
  await page.evaluate(() => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const rows = ['"frame","x [nm]","y [nm]","uncertainty [nm]"'];
    for (let i = 0; i < 4000; i++)
      rows.push(`${(i % 50) + 1},${(i * 7919) % 12_800},${(i * 104_729) % 12_800},8`);
    api.loadLocalizationsCsv(rows.join('\n'));
  });
  await page.locator('[data-step="post"]').click();
  await page.getByRole('tab', { name: 'Reconstruction' }).click();
  const stats = () =>
    page.evaluate(
      () =>
        (window as unknown as { evscope: Api }).evscope.reconstructionStats() as Promise<{ pixelNm: number }>,
    );
  const field = page.getByTestId('recon-pixel');
  const fitted = (await stats()).pixelNm;
  expect(fitted).toBeGreaterThan(10); // 12.8 µm over a few hundred screen pixels
  expect(Number(await field.inputValue())).toBeCloseTo(fitted, 1);
  for (let k = 0; k < 6; k++) await page.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = (await stats()).pixelNm;
  expect(zoomed).toBeLessThan(10);
  expect(zoomed).toBeCloseTo(fitted / 1.25 ** 6, 3);
  await expect.poll(async () => Number(await field.inputValue())).toBeCloseTo(zoomed, 1);
  for (let k = 0; k < 12; k++) await page.getByRole('button', { name: 'Zoom in' }).click();
  expect((await stats()).pixelNm).toBe(1);
  // Typing a pixel zooms to it.
  await field.fill('4');
  await field.press('Enter');
  await expect.poll(async () => (await stats()).pixelNm).toBe(4);
  await page.screenshot({ path: '/tmp/guide-recon-zoom.png' });
  expect(s.errors).toEqual([]);
});

test('"Movie stale" only when the localizations really changed', async () => {
  const { page } = s;
  const movieState = () => page.locator('[data-step="movie"] .state').textContent();
  const run = (patch: object) =>
    page.evaluate(async (patch) => {
      const api = (window as unknown as { evscope: Api }).evscope;
      api.setLocalizeParams(patch);
      await api.runLocalization();
    }, patch);
  await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('demo') as object), frames: 300 };
    await api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  await run({ firstFrame: 1, lastFrame: 300, thresholdFactor: 1 });
  await page.evaluate(async () => {
    await (window as unknown as { evscope: Api }).evscope.buildMovie({ window: 100, step: 50 });
  });
  await expect.poll(movieState, { timeout: 30_000 }).toBe('5 frames');
  // The same run again gives the same localizations: the movie is still theirs.
  await run({});
  await expect.poll(movieState, { timeout: 30_000 }).toBe('5 frames');
  // Another threshold gives other localizations: now it is stale.
  await run({ thresholdFactor: 2 });
  await expect.poll(movieState, { timeout: 30_000 }).toBe('stale');
  expect(s.errors).toEqual([]);
}, 180_000);
