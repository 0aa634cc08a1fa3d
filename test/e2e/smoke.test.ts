import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp();
});
afterAll(async () => {
  await s?.close();
});

test('the workbench opens without errors', async () => {
  await s.page.getByText('evscope').first().waitFor();
  expect(s.errors).toEqual([]);
});
