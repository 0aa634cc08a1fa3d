// A handful of the hostile corpus (test/helpers/hostileCorpus.ts) dropped into the app the way
// a user does it — the stack, localization and session file inputs — each must end in its
// message on screen (a warning naming what was wrong, or a refusal), with the tab still
// answering and its JS heap (CDP Performance.getMetrics; measureUserAgentSpecificMemory needs
// COOP/COEP) far below 1 GB. Workers' heaps are not in that figure; the CLI test bounds the same
// readers' total memory.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim/presets';
import { filesOf, HOSTILE_CASES, type HostileCase } from '../helpers/hostileCorpus';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;

let s: BrowserSession;

beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const INPUT: Record<HostileCase['kind'], { step: string; testId: string }> = {
  stack: { step: 'data', testId: 'open-input' },
  locs: { step: 'post', testId: 'locs-input' },
  session: { step: 'session', testId: 'open-session-input' },
};

async function jsHeapBytes(): Promise<number> {
  const cdp = await s.context.newCDPSession(s.page);
  try {
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  } finally {
    await cdp.detach();
  }
}

const cases = HOSTILE_CASES.filter((c) => c.browser);

test('the browser cases cover stacks, localizations and sessions', () => {
  expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['stack', 'locs', 'session']));
});

for (const c of cases) {
  test(`${c.id}: ${c.what} → its message, the tab responsive`, { timeout: 180_000 }, async () => {
    const { page } = s;
    const files = await filesOf(c);
    const { step, testId } = INPUT[c.kind];
    const stepButton = page.locator(`[data-step=${step}]`);
    if (await stepButton.count()) await stepButton.first().click();
    await page
      .getByTestId(testId)
      .first()
      .setInputFiles(
        files.map((f) => ({
          name: f.name,
          mimeType: 'application/octet-stream',
          buffer: Buffer.from(f.bytes),
        })),
      );
    const where = c.browser!.where === 'viewer' ? '[role=alert]' : '.notice';
    const notice = page.locator(where).filter({ hasText: c.browser!.message }).last();
    // Earlier cases left work open, so the workbench may first ask whether to replace it.
    const choice = page.getByTestId('choice');
    await Promise.race([notice.waitFor({ timeout: 120_000 }), choice.waitFor({ timeout: 120_000 })]);
    if (await choice.isVisible()) {
      const asTable = choice.getByRole('button', { name: /as a table/ });
      await ((await asTable.count())
        ? asTable.first()
        : choice.getByRole('button', { name: /Replace/ })
      ).click();
    }
    await notice.waitFor({ timeout: 120_000 });
    // Each case's message is its own, so the notice found is this file's (the list keeps only the latest few).
    expect(await notice.textContent()).toContain(files[0].name);
    // Still answering, and the page's heap is nowhere near what the file claimed.
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    expect(await jsHeapBytes()).toBeLessThan(1024 ** 3);
  });
}

test('no uncaught errors along the way', () => {
  // Refusals are notices, not exceptions; console errors from the app would show here.
  expect(s.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});

test('a CSV row in frame 1e9 on a stack: the movie keeps to the stack, the Movie panel says what was left out', {
  timeout: 300_000,
}, async () => {
  const { page } = s;
  const FRAMES = 200;
  const params = { ...presetParams('demo'), frames: FRAMES };
  const opened = await page.evaluate(async (p) => {
    const api = (window as unknown as { evscope: Api }).evscope;
    return api.openRecipe({ kind: 'simulated', params: p }, 'Simulating');
  }, params);
  expect(opened).toBe(true);
  const c = HOSTILE_CASES.find((h) => h.id === 'csv-frame-1e9-movie');
  if (!c) throw new Error('the hostile corpus lost its csv-frame-1e9-movie case');
  const [file] = await filesOf(c);
  await page.locator('[data-step=post]').first().click();
  await page
    .getByTestId('locs-input')
    .first()
    .setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.bytes) });
  await page.waitForFunction(
    () => ((window as unknown as { evscope: Api }).evscope.runStatus() as { count: number }).count === 201,
    undefined,
    { timeout: 120_000 },
  );
  await page.locator('[data-step=movie]').first().click();
  await page.getByLabel('Window W (frames)').fill('10');
  await page.getByLabel('Step S (frames)').fill('5');
  await page.getByLabel('Render pixel (nm)').fill('50');
  // ⌊(200 − 10)/5⌋ + 1 = 39, not the ~2·10⁸ of a movie running to frame 10⁹.
  await page.getByTestId('movie-count').filter({ hasText: '39' }).waitFor();
  await page.getByRole('button', { name: 'Build movie' }).click();
  await page.getByTestId('movie-status').filter({ hasText: '39 frames ready' }).waitFor({ timeout: 120_000 });
  const note = page.locator('.movie-panel .note').filter({ hasText: '1,000,000,000' });
  await note.waitFor();
  const text = await note.textContent();
  expect(text).toContain("1 localization lies in raw frame 1,000,000,000, after the stack's 200 frames");
  expect(text).toContain('more than the limit of 100,000');
  expect(text).toContain('frame < 200');
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  expect(await jsHeapBytes()).toBeLessThan(1024 ** 3);
});

test('importLocalizationsCsv returns the rows the reader left out, and a notice shows them', {
  timeout: 120_000,
}, async () => {
  const c = HOSTILE_CASES.find((h) => h.id === 'csv-non-finite');
  if (!c) throw new Error('the hostile corpus lost its csv-non-finite case');
  const [file] = await filesOf(c);
  const r = (await s.page.evaluate(
    ([text, name]) =>
      (window as unknown as { evscope: Api }).evscope.importLocalizationsCsv(text, name, true),
    [new TextDecoder().decode(file.bytes), file.name],
  )) as { count: number; warnings: string[] };
  expect(r.count).toBe(100);
  expect(r.warnings.join(' ')).toMatch(/rows? left out/);
  const notice = s.page
    .locator('.notice')
    .filter({ hasText: file.name })
    .filter({ hasText: /left out/ })
    .last();
  await notice.waitFor();
});
