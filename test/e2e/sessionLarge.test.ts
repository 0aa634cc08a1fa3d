// A session with 5 million localizations survives the app's whole path (capture from the stores,
// serialise in the session worker, bytes out; open in the worker, restore into the stores). How
// long that takes is a benchmark (`npm run bench -- session`), not an assertion: CI machines are busy.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp('/?demo=0');
  await s.page.waitForFunction(() => 'evscope' in window);
});
afterAll(async () => {
  await s?.close();
});

test('5 million localizations save and reopen through the app with every row', async () => {
  const r = await s.page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const n = 5_000_000;
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const cols = {
      frame: new Uint32Array(n),
      x: new Float64Array(n),
      y: new Float64Array(n),
      photons: new Float64Array(n),
      precision: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      cols.frame[i] = Math.floor(i / 500);
      cols.x[i] = rnd() * 51200;
      cols.y[i] = rnd() * 51200;
      cols.photons[i] = 300 + 3000 * rnd();
      cols.precision[i] = 3 + 20 * rnd();
    }
    api.appendLocalizations(cols);
    api.finishLocalizations();
    const t0 = performance.now();
    const bytes = (await api.sessionBytes()) as Uint8Array;
    const t1 = performance.now();
    const ok = await api.openSession(bytes, 'perf.smlm');
    const t2 = performance.now();
    return {
      saveMs: t1 - t0,
      openMs: t2 - t1,
      mb: bytes.length / 1e6,
      ok,
      count: (api.runStatus() as { count: number }).count,
    };
  });
  console.log(
    `session with 5M localizations in the app: save ${r.saveMs.toFixed(0)} ms, open ${r.openMs.toFixed(0)} ms, ${r.mb.toFixed(0)} MB`,
  );
  expect(r.ok).toBe(true);
  expect(r.count).toBe(5_000_000);
});

test("the table scrolls to the last of 5 million rows (past the browsers' element-height cap)", async () => {
  // 5 M rows × 20 px = 100 M px, three times Chromium's cap: the last row must still be drawn.
  await s.page.locator('[data-step=localize]').click();
  const body = s.page.getByTestId('loc-table-body');
  await body.waitFor();
  await s.page.waitForFunction(
    () => document.querySelector('[data-testid=loc-row-count]')?.getAttribute('data-rows') === '5000000',
  );
  await body.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
  });
  // Frames show 1-based: the last row (index 4,999,999) is in frame 10,000 (500 rows a frame).
  await s.page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=loc-table-body]')!;
    const view = el.getBoundingClientRect();
    const rows = [...el.querySelectorAll('.loc-row')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= view.top - 1 && b.bottom <= view.bottom + 1;
    });
    return rows.at(-1)?.querySelector('.loc-cell')?.textContent === '10000';
  });
  expect(s.errors).toEqual([]);
});
