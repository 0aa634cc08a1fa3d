// The EV markers step in the browser: a simulated marker dataset is counted from the panel, the
// ternary plot and the subtype table appear, and clicking an EV shows its traces.
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

test('counting a simulated marker dataset shows the ternary plot, subtype table and traces', async () => {
  const { page } = s;
  const ok = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    // 150 frames: enough for the preset's dyes (τ = 60 frames) to mostly bleach.
    const params = { ...(api.simulationPreset('evMarkers') as object), frames: 150 };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  await page.locator('[data-step="markers"]').click();
  await page.getByLabel('Name of channel 4').waitFor();
  expect(await page.getByLabel('Role of channel 4').inputValue()).toBe('probe');
  await page.getByTestId('markers-run').click();
  await page.getByTestId('markers-status').filter({ hasText: 'done' }).waitFor({ timeout: 120_000 });
  // The centre switches to the figures.
  const ternary = page.locator('[data-plot="Marker composition (ternary)"]');
  await ternary.locator('.ternary').first().waitFor();
  expect(await ternary.locator('.scatterlayer .point').count()).toBeGreaterThan(20);
  const rows = page.getByTestId('subtype-table').locator('tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect.poll(() => rows.first().textContent()).toMatch(/%/);
  expect(await page.getByTestId('comparison-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  // Virtualised: a screenful of rows is in the DOM, not all 40 EVs.
  const rendered = await page.getByTestId('ev-table').locator('tbody tr:not(.mk-spacer)').count();
  expect(rendered).toBeGreaterThanOrEqual(10);
  expect(rendered).toBeLessThan(40);
  await page.screenshot({ path: '/tmp/wev-markers.png' });

  const res0 = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.markerResults(),
  )) as {
    evs: { columns: Record<string, number[]> };
  };
  // Clicking a ternary point selects its EV: the trace plot appears on the right.
  // (The last trace's points sit inside the triangle; CD63-only EVs pile up in a corner.)
  const point = ternary.locator('.scatterlayer .trace').last().locator('.point').first();
  const box = await point.boundingBox();
  expect(box).not.toBeNull();
  // plotly picks the point under the hover, so hover first, then click.
  await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
  await page.waitForTimeout(100);
  await page.mouse.down();
  await page.mouse.up();
  await page.locator('[data-plot="EV traces"] .main-svg').first().waitFor({ timeout: 120_000 });
  await page.screenshot({ path: '/tmp/wev-markers-trace.png' });
  // The EV table under the figures: sorting by a column header reorders the rows.
  await page.getByTestId('markers-view').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.getByRole('button', { name: /^CD63/ }).first().click();
  await page.getByRole('button', { name: /^CD63/ }).first().click();
  const firstCd63 = await page
    .getByTestId('ev-table')
    .locator('tbody tr:not(.mk-spacer)')
    .first()
    .locator('td')
    .nth(4)
    .textContent();
  const counts = res0.evs.columns['CD63 steps'];
  expect(Number((firstCd63 ?? '').split(' ')[0])).toBe(Math.max(...counts));
  await page.screenshot({ path: '/tmp/wev-markers-table.png' });

  // The scripting API reads the same result.
  const res = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.markerResults(),
  )) as {
    evs: { length: number; columns: Record<string, number[]> };
    subtypes: { name: string; fraction: number }[];
  };
  expect(res.evs.length).toBeGreaterThan(20);
  expect(res.subtypes.some((t) => t.name === 'CD63-only' && t.fraction > 0.2)).toBe(true);

  // Show in raw frames centres the viewer on the EV.
  await page.getByTestId('show-ev').click();
  await page.getByTestId('viewer-canvas').waitFor();
  // The EVs are outlined on the frames, the selected one highlighted.
  expect(await page.getByTestId('ev-overlay').locator('circle.mk-ov-ev').count()).toBeGreaterThan(20);
  expect(await page.getByTestId('ev-overlay').locator('circle.mk-ov-selected').count()).toBe(1);
  await page.screenshot({ path: '/tmp/wev-markers-viewer.png' });
  expect(s.errors).toEqual([]);
});
