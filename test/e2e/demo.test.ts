// The first screen: the simulated demo, labelled as such; the "New simulation" dialog; and the
// ground-truth comparison of localizations against the simulation's truth.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => Promise<unknown> | unknown>;

let s: BrowserSession;
let page: Page;
const shots = process.env.EVSCOPE_SHOTS ?? '';

beforeAll(async () => {
  s = await openApp();
  page = s.page;
});
afterAll(async () => {
  await s?.close();
});

async function canvasPainted(): Promise<{ painted: number; levels: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=viewer-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    const levels = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      painted++;
      levels.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
    }
    return { painted, levels: levels.size };
  });
}

test('/ opens on the simulated two-channel demo, labelled simulated, frame 1 rendered', async () => {
  await page.waitForFunction(
    () => document.querySelector('[data-testid=viewer-canvas]')?.getAttribute('aria-label') === 'Frame 1',
  );
  // Time from navigation start to the first demo frame on screen.
  const ms = await page.evaluate(() => performance.now());
  console.log(`demo frame 1 on screen ${ms.toFixed(0)} ms after navigation`);
  const info = (await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.activeStack())) as {
    channels: number;
    meta: { simulated?: boolean; channelNames?: string[] };
    recipe: { kind: string };
  };
  expect(info.channels).toBe(2);
  expect(info.meta.simulated).toBe(true);
  expect(info.recipe.kind).toBe('simulated');
  await expect(page.getByTestId('simulated-badge').textContent()).resolves.toBe(
    'Simulated · demo — ground truth available',
  );
  await expect(page.getByTestId('simulated-corner').isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('simulation-guide').isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Next: Localize →' }).isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Open your own data…' }).isVisible()).resolves.toBe(true);
  const c = await canvasPainted();
  expect(c.painted).toBeGreaterThan(10_000);
  expect(c.levels).toBeGreaterThan(20);
  if (shots) await page.screenshot({ path: `${shots}/demo-start.png` });
});

test('New simulation: an invalid value is refused with its reason; a valid one creates the stack', async () => {
  await page.getByRole('button', { name: 'New simulation…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New simulation' });
  await dialog.waitFor();
  await dialog.getByLabel('Preset').selectOption('isolated');
  const width = dialog.getByLabel('Width (px)');
  await width.fill('4');
  await dialog.getByText('width must be an integer of 8–4096 px (got 4)').waitFor();
  await expect(dialog.getByRole('button', { name: 'Create' }).isDisabled()).resolves.toBe(true);
  await dialog.getByLabel('Frames').fill('12.5');
  await dialog.getByText('Must be a whole number.').waitFor();
  if (shots) await page.screenshot({ path: `${shots}/dialog-invalid.png` });
  await width.fill('48');
  await dialog.getByLabel('Height (px)').fill('40');
  await dialog.getByLabel('Frames').fill('30');
  await expect(dialog.getByRole('button', { name: 'Create' }).isEnabled()).resolves.toBe(true);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('frame-count').filter({ hasText: '/ 30' }).waitFor();
  await expect(dialog.count()).resolves.toBe(0);
  const info = (await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.activeStack())) as {
    width: number;
    height: number;
    frameCount: number;
  };
  expect(info).toMatchObject({ width: 48, height: 40, frameCount: 30 });
  await expect(page.getByTestId('simulated-badge').textContent()).resolves.toContain('isolated');
});

test('Escape closes the dialog and focus returns to its button', async () => {
  const opener = page.getByRole('button', { name: 'New simulation…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New simulation' });
  await dialog.waitFor();
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('sim-preset');
  // Shift+Tab from the first control wraps to the last one, inside the dialog.
  await page.keyboard.press('Shift+Tab');
  await expect(page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).resolves.toBe(
    true,
  );
  await page.keyboard.press('Escape');
  await expect(dialog.count()).resolves.toBe(0);
  await page.waitForFunction(() => document.activeElement?.textContent === 'New simulation…');
});

test('localizations of the demo are scored against its truth: numbers and plots', async () => {
  await page.getByRole('button', { name: /^simulated-demo/ }).click();
  await page.getByTestId('frame-count').filter({ hasText: '/ 2500' }).waitFor();
  // Localizations = the truth of frames 0–199 of channel 0, each shifted by a known offset, plus
  // one false positive per 10 frames; truth emitters of every 5th frame are left out (missed).
  const csv = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const t = (await api.groundTruthEvents(0, { start: 0, end: 200 })) as {
      length: number;
      frame: number[];
      x: number[];
      y: number[];
    };
    const rows = ['"frame","x [nm]","y [nm]"'];
    for (let i = 0; i < t.length; i++) {
      if (t.frame[i] % 5 === 4) continue;
      rows.push(`${t.frame[i] + 1},${t.x[i] + 12 + ((i % 7) - 3)},${t.y[i] - 8 + ((i % 5) - 2)}`);
    }
    for (let f = 0; f < 200; f += 10) rows.push(`${f + 1},50,50`);
    return rows.join('\n');
  });
  const n = await page.evaluate(
    (text) => (window as unknown as { evscope: Api }).evscope.loadLocalizationsCsv(text),
    csv,
  );
  expect((n as { count: number }).count).toBeGreaterThan(100);
  const panel = page.getByTestId('ground-truth-panel');
  await panel.getByTestId('truth-jaccard').waitFor();
  // Over the whole 2500-frame run most truth is "missed"; over the CSV's frames it is not.
  const wholeRun = await panel.getByTestId('truth-jaccard').textContent();
  await panel.getByLabel('Frames compared').selectOption('span');
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid=truth-jaccard]')?.textContent !== before,
    wholeRun,
  );
  await panel.getByText(/frames 1–(199|200)$/).waitFor();
  const score = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.groundTruthScore(),
  )) as Record<string, number>;
  expect(score.biasX).toBeCloseTo(12, 0);
  expect(score.biasY).toBeCloseTo(-8, 0);
  expect(score.fp).toBeGreaterThanOrEqual(1);
  expect(score.recall).toBeGreaterThan(0.7);
  expect(score.recall).toBeLessThan(0.9);
  const shown = await panel.getByTestId('truth-jaccard').textContent();
  expect(shown).toBe(`${(100 * score.jaccard).toFixed(1)} %`);
  for (const label of [
    'Localization error in x with the CRLB prediction',
    'Localization error in y with the CRLB prediction',
    'Lateral error against true photons with the CRLB',
  ]) {
    await page.locator(`[data-plot="${label}"] .main-svg`).first().waitFor();
    await expect(
      page.locator(`[data-plot="${label}"] .bars path, [data-plot="${label}"] .scatterlayer path`).count(),
    ).resolves.toBeGreaterThan(0);
  }
  if (shots) {
    await page.screenshot({ path: `${shots}/truth-panel.png` });
    await page.locator('.right').evaluate((el) => {
      el.scrollTop = 420;
    });
    await page.screenshot({ path: `${shots}/truth-plots.png` });
    await page.locator('.right').evaluate((el) => {
      el.scrollTop = 900;
    });
    await page.screenshot({ path: `${shots}/truth-plots2.png` });
  }
  expect(s.errors).toEqual([]);
});
