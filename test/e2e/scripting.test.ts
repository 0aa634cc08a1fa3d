// window.evscope is how researchers script the workbench and how browser tests drive it.
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

test('a simulation opens through the scripting API as a labelled stack', async () => {
  const info = await s.page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(api.simulationPreset('isolated') as object), frames: 8 };
    const ok = await api.openRecipe({ kind: 'simulated', params }, 'Simulating');
    return { ok, info: api.activeStack() as { frameCount: number; meta: { simulated?: boolean } } };
  });
  expect(info.ok).toBe(true);
  expect(info.info.frameCount).toBe(8);
  expect(info.info.meta.simulated).toBe(true);
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 8' }).waitFor();
});

test('localizations load from ThunderSTORM CSV text and read back in nm, 0-based frames', async () => {
  const csv = '"id","frame","x [nm]","y [nm]"\n1,1,150.5,20\n2,3,10,2000\n';
  const back = await s.page.evaluate(async (text) => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const n = api.loadLocalizationsCsv(text);
    return { n, locs: api.localizations() as { columns: Record<string, number[]> } };
  }, csv);
  expect(back.n).toEqual({ count: 2, warnings: [] });
  expect(back.locs.columns.frame).toEqual([0, 2]);
  expect(back.locs.columns.x).toEqual([150.5, 10]);
  expect(s.errors).toEqual([]);
});
