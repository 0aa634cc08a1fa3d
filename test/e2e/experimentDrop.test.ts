// The Experiment step's own drop zone and its results' layout, in Chromium without WebGL (plots
// as SVG). Files dragged over the Experiment panel are its inputs: the window's "open as one
// stack" overlay must not cover it, and must not stay behind after the drop (the panel stops the
// drop's propagation, so the window never heard of it). The metric picker and the plot's title
// stay inside the results panel.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openAppWithApi } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openAppWithApi('/?demo=0', 'openExperimentDemo', { webgl: false });
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

type Ev = Record<string, (...a: unknown[]) => unknown>;

const box = async (selector: string) => {
  const b = await app.page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
};

test('files dragged over the Experiment panel become inputs, with no stack overlay left behind; the results fit their panel', async () => {
  const { page } = app;
  await page.locator('[data-step="experiment"]').click();
  await page.evaluate(async () => {
    const ev = (window as unknown as { evscope: Ev }).evscope;
    ev.openExperimentDemo();
    await ev.runExperiment();
  });
  const inputs = page.locator('[data-testid="ex-inputs"] tbody tr');
  expect(await inputs.count()).toBe(8);

  const dt = await page.evaluateHandle(() => {
    const t = new DataTransfer();
    t.items.add(new File(['"x [nm]","y [nm]","frame"\n1,2,1\n'], 'extra_1_locs.csv', { type: 'text/csv' }));
    return t;
  });
  const panel = '[data-step-panel="experiment"] h3';
  await page.dispatchEvent(panel, 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent(panel, 'dragover', { dataTransfer: dt });
  expect(await page.locator('.drop-overlay').count()).toBe(0);
  await page.dispatchEvent(panel, 'drop', { dataTransfer: dt });
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="ex-inputs"] tbody tr').length === 9,
  );
  expect(await page.locator('.drop-overlay').count()).toBe(0);
  // Elsewhere the window still offers to open the files as a stack.
  await page.dispatchEvent('main.centre', 'dragenter', { dataTransfer: dt });
  await page.locator('.drop-overlay').waitFor();
  await page.dispatchEvent('main.centre', 'dragleave', { dataTransfer: dt });
  await page.locator('.drop-overlay').waitFor({ state: 'detached' });

  // Long metric names are cut inside the picker and wrapped in the plot's title.
  const right = await box('aside.right');
  const select = await box('select[aria-label="Metric"]');
  expect(select.x + select.width).toBeLessThanOrEqual(right.x + right.width);
  const plot = await box('.ex-plot');
  const title = await box('.ex-plot .gtitle');
  expect(title.x).toBeGreaterThanOrEqual(plot.x);
  expect(title.x + title.width).toBeLessThanOrEqual(plot.x + plot.width);
  expect(app.errors).toEqual([]);
}, 600_000);

test('picking the Experiment step brings its dot plots and the table of cells to the centre', async () => {
  const { page } = app;
  await page.locator('[data-step="data"]').click();
  await page.locator('[data-step="experiment"]').click();
  expect(await page.getByRole('tab', { name: 'Experiment' }).getAttribute('aria-selected')).toBe('true');
  const centre = page.getByTestId('ex-centre');
  // The dropped table has no cell yet and has not run: the 8 cells of the demo.
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="ex-cells"] tbody tr').length === 8,
  );
  const rows = await centre.locator('[data-testid="ex-cells"] tbody tr').allInnerTexts();
  expect(rows.filter((r) => r.startsWith('near')).length).toBe(4);
  // The tested metric first, large: wider than the results panel's copy.
  const plots = centre.locator('.ex-centre-plot');
  expect(await plots.count()).toBeGreaterThanOrEqual(1);
  await plots.first().locator('.gtitle').waitFor();
  expect(await plots.first().locator('.gtitle').textContent()).toMatch(/^EV − control fraction of time/);
  const big = await box('.ex-centre-plot');
  const small = await box('.ex-plot');
  expect(big.width).toBeGreaterThan(small.width);
  expect(app.errors).toEqual([]);
}, 300_000);
