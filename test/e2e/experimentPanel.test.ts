// The Experiment step's panel on an empty workbench: before any experiment exists its selectors
// returned a fresh [] / {} on every call and React re-rendered forever (error #185).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openApp('/?demo=0');
  await app.page.waitForFunction(() => 'evscope' in window);
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

test('the Experiment step opens on an empty workbench without an error', async () => {
  const { page } = app;
  await page.locator('[data-step="experiment"]').click();
  await page
    .getByRole('button', { name: /Two-condition experiment/ })
    .first()
    .waitFor();
  expect(app.errors.filter((e) => /#185|Maximum update depth/.test(e))).toEqual([]);
  expect(await page.getByText(/stopped working/).count()).toBe(0);
});
