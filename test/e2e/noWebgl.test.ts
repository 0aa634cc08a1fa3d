// The workbench in a browser without WebGL (VMs, remote desktops, GPU-blocklisted laptops):
// clicking an EV in the EV-markers table draws its traces (a scattergl figure) as SVG, so do the
// Ca²⁺ step's selected cell traces, and plotly's "WebGL is not supported by your browser" never
// appears.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp('/?demo=0', { webgl: false });
  await s.page.waitForFunction(() => 'evscope' in window);
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 60_000);

test('the browser really has no WebGL', async () => {
  const contexts = await s.page.evaluate(() =>
    ['webgl', 'webgl2', 'experimental-webgl'].map((k) => document.createElement('canvas').getContext(k)),
  );
  expect(contexts).toEqual([null, null, null]);
});

test('EV traces and the other marker plots render as SVG without WebGL', async () => {
  const { page } = s;
  const ok = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('evMarkers') as object), frames: 150 };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  await page.locator('[data-step="markers"]').click();
  await page.getByTestId('markers-run').click();
  await page.getByTestId('markers-status').filter({ hasText: 'done' }).waitFor({ timeout: 90_000 });
  const ternary = page.locator('[data-plot="Marker composition (ternary)"]');
  await ternary.locator('.ternary').first().waitFor();

  // Click an EV in the table: its traces (scattergl in the figure builder) appear.
  await page.getByTestId('markers-view').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.getByTestId('ev-table').locator('tbody tr:not(.mk-spacer)').nth(2).click();
  const traces = page.locator('[data-plot="EV traces"]');
  await traces.locator('.main-svg').first().waitFor({ timeout: 120_000 });
  // SVG scatter draws one path per trace in the SVG layer (scattergl would draw on a canvas).
  const lines = traces.locator('.scatterlayer .trace path.js-line');
  await expect.poll(() => lines.count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(8);
  const d = await lines.first().getAttribute('d');
  expect((d ?? '').length).toBeGreaterThan(20);
  expect(await traces.locator('canvas.gl-canvas').count()).toBe(0);
  await traces.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/guide-nowebgl-traces.png' });

  const text = await page.evaluate(() => document.body.textContent);
  expect(text).not.toMatch(/WebGL is not supported/i);
  expect(await page.locator('.no-webgl').count()).toBe(0);
  expect(s.errors).toEqual([]);
});

test("the Ca²⁺ step's selected cell traces render as SVG without WebGL", async () => {
  const { page } = s;
  const ok = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('calcium') as object), frames: 160 };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  await page.locator('[data-step="calcium"]').click();
  await page.getByTestId('ca-panel').waitFor();
  const r = (await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.runCalcium())) as {
    cells: { cell: number; responder: boolean }[];
  };
  const two = r.cells.filter((c) => c.responder).slice(0, 2);
  expect(two).toHaveLength(2);
  const rows = page.getByRole('table', { name: 'Per-cell responses' }).locator('tbody tr');
  await rows.nth(two[0].cell - 1).click();
  await rows.nth(two[1].cell - 1).click({ modifiers: ['Shift'] });
  const traces = page.locator('[data-plot="Selected cell traces"]');
  await traces.locator('.main-svg').first().waitFor({ timeout: 20_000 });
  // Two cells, each a trace and its threshold: four SVG line paths, no WebGL canvas.
  const lines = traces.locator('.scatterlayer .trace path.js-line');
  await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(4);
  expect(((await lines.first().getAttribute('d')) ?? '').length).toBeGreaterThan(100);
  expect(await traces.locator('canvas.gl-canvas').count()).toBe(0);
  await expect.poll(() => traces.textContent()).toMatch(new RegExp(`cell ${two[1].cell} \\(responder\\)`));
  await traces.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/caexp-nowebgl-calcium.png' });
  const text = await page.evaluate(() => document.body.textContent);
  expect(text).not.toMatch(/WebGL is not supported/i);
  expect(await page.locator('.no-webgl').count()).toBe(0);
  expect(s.errors).toEqual([]);
}, 300_000);
