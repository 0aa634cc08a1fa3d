// The guided path of a lab demo: the app opens on the simulated demo, the user goes to Localize,
// runs it on the PALM channel, and sees progress, the table, the histograms and the comparison
// with ground truth — which must be close to the physics, not just present.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

test('localizing the demo streams results that agree with its ground truth', async () => {
  const { page } = s;
  await page.getByTestId('frame-count').filter({ hasText: '/ 2500' }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: /Next: Localize/ }).click();
  await page.getByTestId('run-localize').waitFor();
  // The first 400 frames keep the test short; the run still streams in chunks.
  await page.evaluate(() => {
    const api = (window as unknown as { evscope: Api }).evscope;
    api.setLocalizeParams({ channel: 0, firstFrame: 1, lastFrame: 400 });
  });
  await page.getByTestId('run-localize').click();
  const outcome = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    for (;;) {
      const st = api.runStatus() as { status: string; count: number };
      if (st.status !== 'running') return st;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  expect(outcome.status).toBe('done');
  expect(outcome.count).toBeGreaterThan(100);
  // The table catches up with the last streamed chunk.
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=loc-row-count]')?.getAttribute('data-rows') === String(n),
    outcome.count,
  );
  await page.locator('[data-testid=loc-histograms] .main-svg').first().waitFor();
  expect(await page.locator('[data-testid=loc-histograms] .js-plotly-plot').count()).toBe(4);
  // Every figure exports as SVG from its mode bar (PNG is plotly's own camera button).
  const plot = page.locator('[data-testid=loc-histograms] .js-plotly-plot').first();
  await plot.hover();
  const svgDownload = page.waitForEvent('download');
  await plot.locator('[data-title="Download plot as SVG"]').click();
  const svg = await svgDownload;
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  // PALM molecules in the demo are bright and sparse: most are found, and the error is near the CRLB.
  const jaccard = page.getByTestId('truth-jaccard');
  await jaccard.waitFor({ timeout: 120_000 });
  await page.waitForFunction(() =>
    /\d/.test(document.querySelector('[data-testid=truth-jaccard]')?.textContent ?? ''),
  );
  const score = (await page.evaluate(() => {
    const api = (window as unknown as { evscope: Api }).evscope;
    return api.groundTruthScore(250);
  })) as { jaccard: number; rmse: number; rmseOverCrlb: number; biasX: number; biasY: number };
  console.log(
    `demo, frames 1–400: Jaccard ${score.jaccard.toFixed(3)}, RMSE ${score.rmse.toFixed(1)} nm, RMSE/CRLB ${score.rmseOverCrlb.toFixed(2)}`,
  );
  expect(score.jaccard).toBeGreaterThan(0.7);
  expect(score.rmseOverCrlb).toBeLessThan(1.45);
  expect(Math.hypot(score.biasX, score.biasY)).toBeLessThan(5);
  await page.screenshot({ path: '/tmp/evscope-demo-localized.png' });
  expect(s.errors).toEqual([]);
});

test("the demo's localizations reconstruct, and drift correction updates the reconstruction", async () => {
  const { page } = s;
  await page.locator('[data-step=post]').click();
  await page.getByRole('tab', { name: 'Reconstruction' }).click();
  const count = (await page.evaluate(
    () => ((window as unknown as { evscope: Api }).evscope.runStatus() as { count: number }).count,
  )) as number;
  await page
    .getByTestId('post-count-out')
    .filter({ hasText: count.toLocaleString('en-US') })
    .waitFor();
  const hash = () =>
    page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=recon-canvas]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i] + 7 * d[i + 1]) | 0;
      return h;
    });
  const stats = () =>
    page.evaluate(
      () => (window as unknown as { evscope: Api }).evscope.reconstructionStats() as Promise<{ sum: number }>,
    );
  const before = await stats();
  expect(before.sum).toBeGreaterThan(0.95 * count);
  const hashBefore = await hash();
  await page.locator('[data-add-step="Drift (RCC)"]').click();
  await page.getByRole('img', { name: 'Drift trace' }).waitFor({ timeout: 120_000 });
  // A live cell: the quality check may distrust the estimate and leave it unapplied; the user
  // can still apply it, which must then change the reconstruction.
  const quality = page.getByTestId('drift-quality');
  await quality.waitFor();
  if ((await quality.getAttribute('data-applied')) === 'false') {
    expect(await quality.textContent()).toContain('UNRELIABLE — not applied');
    await page.getByRole('button', { name: 'Apply anyway' }).click();
    await page.locator('[data-testid=drift-quality][data-applied=true]').waitFor({ timeout: 120_000 });
  }
  await stats();
  await page.waitForFunction((h) => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=recon-canvas]');
    if (!c) return false;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let x = 0;
    for (let i = 0; i < d.length; i += 4) x = (Math.imul(x, 31) + d[i] + 7 * d[i + 1]) | 0;
    return x !== h;
  }, hashBefore);
  await page.screenshot({ path: '/tmp/evscope-demo-recon.png' });
  expect(s.errors).toEqual([]);
});
