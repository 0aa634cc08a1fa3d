// Post-processing in the browser: localizations with a known linear drift are loaded for a
// simulated stack, RCC drift correction recovers the drift and changes the reconstruction, a
// filter drops rows, undo restores them, and the reconstruction exports as PNG. A second test
// streams chunks into locsStore and watches the reconstruction follow.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { simulateStructures } from '../core/locs/simulate';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => Promise<unknown> | unknown>;
type Stats = { width: number; height: number; sum: number; count: number; pixelNm: number };

const F = 2000;
const DRIFT_X = 80;
const DRIFT_Y = -50;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

const stats = () =>
  s.page.evaluate(
    () => (window as unknown as { evscope: Api }).evscope.reconstructionStats() as Promise<Stats>,
  );

async function canvasHash(): Promise<number> {
  return s.page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=recon-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i] + 7 * d[i + 1]) | 0;
    return h;
  });
}

test('drift correction, filter, undo and PNG export on localizations of a simulated stack', async () => {
  const { page } = s;
  const ok = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('dstorm') as object), frames: 20 };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);

  const sim = simulateStructures({
    seed: 5,
    fovNm: 12_800,
    molecules: 3000,
    frames: F,
    locsPerMolecule: 10,
    precisionNm: 10,
    drift: (f) => [(DRIFT_X * f) / F, (DRIFT_Y * f) / F],
  });
  const csv = writeThunderstormCsv(sim.table);
  const n = await page.evaluate(
    (text) => (window as unknown as { evscope: Api }).evscope.importLocalizationsCsv(text, 'drifting.csv'),
    csv,
  );
  expect(n).toEqual({ count: sim.table.length, warnings: [] });

  await page.locator('[data-step=post]').click();
  await page.getByRole('tab', { name: 'Reconstruction' }).click();
  await page
    .getByTestId('post-count-out')
    .filter({ hasText: sim.table.length.toLocaleString('en-US') })
    .waitFor();
  const before = await stats();
  expect(before.count).toBe(sim.table.length);
  // Conservation on screen: the whole field is visible after "fit", so Σ = localizations.
  expect(before.sum).toBeGreaterThan(0.98 * sim.table.length);
  expect(before.sum).toBeLessThan(1.0001 * sim.table.length);
  // Screen resolution: never larger than the canvas in device pixels (plus one edge pixel).
  const box = (await page.getByTestId('recon-canvas').boundingBox())!;
  expect(before.width).toBeLessThanOrEqual(Math.ceil(box.width) + 2);
  const hashBefore = await canvasHash();
  await page.screenshot({ path: '/tmp/post-before.png' });

  await page.locator('[data-add-step="Drift (RCC)"]').click();
  await page.getByRole('img', { name: 'Drift trace' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('drift-summary').waitFor();
  const trace = (await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.driftTrace())) as {
    dx: number[];
    dy: number[];
    applied: boolean;
  };
  expect(trace.dx.length).toBe(F);
  // A static sample: the quality check trusts the estimate, so it is applied, and says so.
  expect(trace).toMatchObject({ applied: true, reliable: true, problems: [] });
  await page.getByTestId('drift-quality').filter({ hasText: 'reliable — applied' }).waitFor();
  // RCC reports drift relative to frame 0: the last frame should show the full linear drift.
  expect(trace.dx[F - 1]).toBeGreaterThan(DRIFT_X - 10);
  expect(trace.dx[F - 1]).toBeLessThan(DRIFT_X + 10);
  expect(trace.dy[F - 1]).toBeGreaterThan(DRIFT_Y - 10);
  expect(trace.dy[F - 1]).toBeLessThan(DRIFT_Y + 10);
  await page.waitForFunction(() => document.querySelector('[data-testid=recon-canvas]') !== null);
  await stats();
  await page.waitForTimeout(200);
  expect(await canvasHash()).not.toBe(hashBefore);
  await page.screenshot({ path: '/tmp/post-drift.png' });

  // A filter with a live error, then a valid one that drops rows.
  await page.locator('[data-add-step=Filter]').click();
  const expr = page.getByTestId('filter-expression');
  await expr.fill('photons > ');
  await page.getByRole('alert').filter({ hasText: 'position' }).waitFor();
  await expr.fill('photons > 1000');
  await expr.press('Enter');
  await page
    .getByTestId('post-count-out')
    .filter({ hasNotText: sim.table.length.toLocaleString('en-US') })
    .waitFor();
  const filtered = Number((await page.getByTestId('post-count-out').textContent())!.replace(/\D/g, ''));
  expect(filtered).toBeLessThan(0.7 * sim.table.length);
  expect(filtered).toBeGreaterThan(0.3 * sim.table.length);
  await page.screenshot({ path: '/tmp/post-filter.png' });

  // Undo (keyboard) takes the filter expression back to its default; undo again removes it.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page
    .getByTestId('post-count-out')
    .filter({ hasText: sim.table.length.toLocaleString('en-US') })
    .waitFor();
  expect(await page.locator('[data-post-step=filter]').count()).toBe(0);
  await page.keyboard.press('Control+Shift+z');
  expect(await page.locator('[data-post-step=filter]').count()).toBe(1);
  await page.getByRole('button', { name: 'Remove Filter' }).click();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'PNG', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const tiffBytes = await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.exportReconstruction('tiff'),
  );
  // 12.8 µm at 10 nm: 1280² float32 pixels at least.
  expect(tiffBytes).toBeGreaterThan(1280 * 1280 * 4);
  expect(s.errors).toEqual([]);
});

test('the reconstruction follows localizations streaming into the store', async () => {
  const { page } = s;
  const sums: number[] = [];
  for (let k = 0; k < 3; k++) {
    await page.evaluate((k) => {
      const api = (window as unknown as { evscope: Api }).evscope;
      const n = 2000;
      const frame: number[] = [];
      const x: number[] = [];
      const y: number[] = [];
      const precision: number[] = [];
      for (let i = 0; i < n; i++) {
        frame.push(k * 100 + (i % 100));
        x.push(1000 + ((i * 37) % 9000));
        y.push(1000 + ((i * 91) % 9000));
        precision.push(10);
      }
      return api.appendLocalizations({ frame, x, y, precision });
    }, k);
    // Chunks are throttled, not dropped: wait until the image has all of them.
    await page.waitForFunction(
      async (want) => {
        const st = (await (window as unknown as { evscope: Api }).evscope.reconstructionStats()) as Stats;
        return st?.count === want;
      },
      2000 * (k + 1),
    );
    sums.push((await stats()).sum);
  }
  await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.finishLocalizations());
  expect(sums[1]).toBeGreaterThan(sums[0] * 1.5);
  expect(sums[2]).toBeGreaterThan(sums[1] * 1.3);
  await page.screenshot({ path: '/tmp/post-stream.png' });
  expect(s.errors).toEqual([]);
});
