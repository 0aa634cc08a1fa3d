// The Localize step in the built app: preview markers over the raw frame, a run with progress
// streaming into histograms and a virtualised table (sort, filter), and cancel keeping what was
// done — driven through clicks and window.evscope, with no console errors.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
interface Status {
  status: string;
  count: number;
  progress: { framesDone: number; framesTotal: number; framesPerSecond: number } | null;
}

let s: BrowserSession;
const SHOTS = process.env.EVSCOPE_SHOTS ?? '/tmp';

async function openSimulation(frames: number) {
  const ok = await s.page.evaluate(async (n) => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('isolated') as object), frames: n };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  }, frames);
  expect(ok).toBe(true);
  await s.page
    .getByTestId('frame-count')
    .filter({ hasText: `/ ${frames}` })
    .waitFor();
}

const status = () =>
  s.page.evaluate(() => (window as unknown as { evscope: Api }).evscope.runStatus() as Status);

/** Values of one column in the rows drawn at the top of the table. */
async function columnValues(name: string): Promise<number[]> {
  return s.page.evaluate((col) => {
    const heads = [...document.querySelectorAll<HTMLElement>('.loc-head .loc-cell')].map(
      (h) => h.dataset.col,
    );
    const k = heads.indexOf(col);
    const rows = [...document.querySelectorAll<HTMLElement>('.loc-body .loc-row')]
      .map((r) => ({ y: new DOMMatrix(getComputedStyle(r).transform).m42, r }))
      .sort((a, b) => a.y - b.y)
      .slice(0, 10);
    return rows.map(({ r }) => Number(r.children[k].textContent));
  }, name);
}

const rowCount = async () => Number(await s.page.getByTestId('loc-row-count').getAttribute('data-rows'));

beforeAll(async () => {
  s = await openApp();
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

test('the preview draws candidates and fits over the frame shown', async () => {
  await openSimulation(200);
  await s.page.locator('[data-step=localize]').click();
  const summary = s.page.getByTestId('preview-summary');
  await summary.waitFor({ timeout: 120_000 });
  expect(await summary.textContent()).toMatch(/Frame 1: 1[4-8] candidates, 1[4-8] fits/);
  // Markers are on the overlay canvas: count its painted pixels.
  const painted = await s.page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=overlay-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(16 * 20);
  // Another frame, another preview.
  await s.page.keyboard.press('ArrowRight');
  await s.page.getByTestId('preview-summary').filter({ hasText: 'Frame 2:' }).waitFor();
  await s.page.screenshot({ path: `${SHOTS}/evscope-localize-preview.png` });
});

test('Run fills the histograms and the table; sorting and filtering work on it', async () => {
  await s.page.getByTestId('run-localize').click();
  await s.page.waitForFunction(
    () => (window as unknown as { evscope: Api }).evscope.runStatus() as unknown as { status: string },
  );
  await s.page.waitForFunction(
    () =>
      ((window as unknown as { evscope: Api }).evscope.runStatus() as { status: string }).status === 'done',
    null,
    { timeout: 180_000 },
  );
  const st = await status();
  expect(st.count).toBeGreaterThan(200 * 14);
  expect(st.progress?.framesDone).toBe(200);
  await s.page
    .locator('[data-step=localize] .state')
    .filter({ hasText: /done · 3,\d{3} locs/ })
    .waitFor();
  await expect.poll(rowCount).toBe(st.count);
  await s.page.locator('[data-testid=loc-histograms] .main-svg').first().waitFor();
  expect(await s.page.locator('[data-testid=loc-histograms] .js-plotly-plot').count()).toBe(4);
  // Frames show 1-based.
  expect((await columnValues('frame'))[0]).toBe(1);

  await s.page.locator('.loc-head [data-col=photons]').click();
  await expect
    .poll(async () => (await s.page.getByTestId('loc-row-count').textContent()) ?? '')
    .toMatch(/sorted by photons ↑/);
  const up = await columnValues('photons');
  expect(up.length).toBe(10);
  for (let i = 1; i < up.length; i++) expect(up[i]).toBeGreaterThanOrEqual(up[i - 1]);
  await s.page.locator('.loc-head [data-col=photons]').click();
  await expect.poll(async () => (await columnValues('photons'))[0]).toBeGreaterThan(up[9]);
  const down = await columnValues('photons');
  for (let i = 1; i < down.length; i++) expect(down[i]).toBeLessThanOrEqual(down[i - 1]);

  // A broken expression shows where it is wrong; a valid one narrows the rows.
  const filter = s.page.getByTestId('loc-filter');
  await filter.fill('photons >');
  await s.page
    .getByTestId('filter-error')
    .filter({ hasText: /position 10/ })
    .waitFor();
  await filter.fill('photons > 1000');
  await expect.poll(rowCount).toBeLessThan(st.count);
  const kept = await rowCount();
  expect(kept).toBeGreaterThan(st.count * 0.2);
  for (const v of await columnValues('photons')) expect(v).toBeGreaterThan(1000);
  await s.page.screenshot({ path: `${SHOTS}/evscope-localize-done.png` });
  await filter.fill('');
  await expect.poll(rowCount).toBe(st.count);
  // Leave the table sorted: the next run starts with an empty table under that sort.
  await expect
    .poll(async () => (await s.page.getByTestId('loc-row-count').textContent()) ?? '')
    .toMatch(/sorted by photons ↓/);
});

test('the progress bar moves during a long run, and Cancel keeps what was done', async () => {
  await openSimulation(6000);
  await s.page.locator('[data-step=localize]').click();
  await s.page.getByTestId('run-localize').click();
  const bar = s.page.getByTestId('run-progress').first();
  await bar.waitFor();
  const seen = new Set<number>();
  const t0 = Date.now();
  while (seen.size < 3 && Date.now() - t0 < 120_000) {
    const p = await status();
    if (p.progress && p.status === 'running') seen.add(p.progress.framesDone);
    await s.page.waitForTimeout(150);
  }
  expect(seen.size).toBeGreaterThanOrEqual(3);
  expect(await bar.textContent()).toMatch(/\d+ \/ 6,000 frames · \d+ frames\/s · .* left/);
  await s.page.getByTestId('status-progress').waitFor();
  await s.page.screenshot({ path: `${SHOTS}/evscope-localize-running.png` });
  await s.page.getByTestId('cancel-localize').click();
  await s.page.waitForFunction(
    () =>
      ((window as unknown as { evscope: Api }).evscope.runStatus() as { status: string }).status ===
      'cancelled',
  );
  const st = await status();
  expect(st.count).toBeGreaterThan(0);
  expect(st.progress!.framesDone).toBeLessThan(6000);
  // What was kept is exactly the frames done, from the first frame on, in order.
  const frames = await s.page.evaluate(() => {
    const l = (window as unknown as { evscope: Api }).evscope.localizations() as {
      columns: { frame: number[] };
    };
    return { first: l.columns.frame[0], last: l.columns.frame.at(-1), n: l.columns.frame.length };
  });
  expect(frames.n).toBe(st.count);
  expect(frames.first).toBe(0);
  expect(frames.last).toBe(st.progress!.framesDone - 1);
  await expect.poll(rowCount).toBe(st.count);
  await s.page
    .locator('[data-step=localize] .state')
    .filter({ hasText: /cancelled · [\d,]+ locs/ })
    .waitFor();
  // Starting a run while the table was sorted must not raise an error notice.
  expect(await s.page.locator('.notice.error').allTextContents()).toEqual([]);
});

test('runLocalization from a script resolves with the run; parameter changes make it stale', async () => {
  const out = await s.page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    api.setLocalizeParams({ firstFrame: 11, lastFrame: 60, roi: { x: 0, y: 0, width: 32, height: 64 } });
    return api.runLocalization() as Promise<{ count: number; status: string }>;
  });
  expect(out.status).toBe('done');
  // Half the frame, 50 frames, 16 emitters per frame: about 8 × 50.
  expect(out.count).toBeGreaterThan(6 * 50);
  expect(out.count).toBeLessThan(10 * 50);
  const xs = await s.page.evaluate(() => {
    const l = (window as unknown as { evscope: Api }).evscope.localizations() as {
      columns: { x: number[]; frame: number[] };
    };
    return {
      maxX: Math.max(...l.columns.x),
      minF: Math.min(...l.columns.frame),
      maxF: Math.max(...l.columns.frame),
    };
  });
  expect(xs.maxX).toBeLessThan(3200);
  expect([xs.minF, xs.maxF]).toEqual([10, 59]);
  await s.page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.setLocalizeParams({ thresholdFactor: 1.5 }),
  );
  await s.page.locator('[data-step=localize] .state').filter({ hasText: 'stale' }).waitFor();
  expect(s.errors).toEqual([]);
  expect(await s.page.locator('.notice.error').allTextContents()).toEqual([]);
});
