// A batch's memory does not grow with its inputs: after an input is done only its summary stays.
// The page's memory (JS heap and ArrayBuffers after a forced GC, read over the DevTools protocol) and the experiment
// state's size are measured with 5 and with 20 inputs finished; the growth from 5 to 20 must be
// a small fraction of what keeping the 15 extra inputs' localization tables would cost.
import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

let app: BrowserSession;
let cdp: CDPSession;

beforeAll(async () => {
  app = await openApp('/?demo=0');
  await app.page.waitForFunction(
    () => 'newExperiment' in ((window as unknown as { evscope?: object }).evscope ?? {}),
  );
  cdp = await app.context.newCDPSession(app.page);
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

type Ev = Record<string, (...a: unknown[]) => unknown>;

/**
 * Main-thread memory after two full collections: the JS heap plus ArrayBuffer backing stores
 * (where localization columns live; the JS heap alone does not count them).
 */
async function heapBytes(): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  if (u.backingStorageSize === undefined) throw new Error('this Chromium does not report ArrayBuffer memory');
  return u.usedSize + u.backingStorageSize;
}

const N = 20;

test('20 inputs retain no more than 5 do, beyond their summaries', async () => {
  const { page } = app;
  await page.evaluate((n) => {
    const ev = (window as unknown as { evscope: Ev }).evscope;
    const base = ev.simulationPreset('isolated') as Record<string, unknown>;
    const inputs = [];
    const simulated: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const id = `in${String(i).padStart(2, '0')}`;
      // The first 5 run first; the other 15 are included afterwards.
      inputs.push({
        id,
        path: `c${i % 2}/cell${i}.sim`,
        cell: `c${i % 2}/cell${i}`,
        condition: `c${i % 2}`,
        ...(i >= 5 ? { excluded: true } : {}),
      });
      simulated[id] = { ...base, seed: 100 + i, frames: 500 };
    }
    ev.newExperiment({
      experiment: {
        format: 'evscope-experiment',
        version: 1,
        title: 'memory',
        inputs,
        steps: {
          localize: { sigmaNm: 130 },
          movie: {
            window: 100,
            step: 50,
            renderPxNm: 20,
            sigma: { kind: 'precision', factor: 1, minNm: 5 },
            smoothSigmaPx: 1,
            threshold: { kind: 'otsu', sampleFrames: 5 },
            connectivity: 26,
          },
        },
      },
      simulated,
    });
  }, N);
  const run = () => page.evaluate(() => (window as unknown as { evscope: Ev }).evscope.runExperiment());
  const state = () =>
    page.evaluate(() => {
      const r = (window as unknown as { evscope: Ev }).evscope.experimentResults() as {
        summaries: { metrics: Record<string, number | null> }[];
        runs: Record<string, { status: string }>;
      };
      return { r, bytes: JSON.stringify(r).length };
    });
  expect(await run()).toEqual({ done: 5, failed: 0, notRun: 0 });
  const at5 = { heap: await heapBytes(), ...(await state()) };
  expect(at5.r.summaries.length).toBe(5);

  await page.evaluate((n) => {
    const ev = (window as unknown as { evscope: Ev }).evscope;
    // Include the other 15 through the same action the panel's Include button uses.
    const inc = (ev as unknown as { includeExperimentInput(id: string): void }).includeExperimentInput;
    for (let i = 5; i < n; i++) inc(`in${String(i).padStart(2, '0')}`);
  }, N);
  expect(await run()).toEqual({ done: 15, failed: 0, notRun: 0 });
  const at20 = { heap: await heapBytes(), ...(await state()) };
  expect(at20.r.summaries.length).toBe(N);

  // What keeping the 15 extra inputs' tables would cost: their localizations × ≥ 40 bytes
  // (x, y as float64, frame, and the fit's float32 columns).
  const locs = at20.r.summaries.slice(5).reduce((a, s) => a + (s.metrics['locs.count'] ?? 0), 0);
  const tables = 40 * locs;
  expect(tables).toBeGreaterThan(3e6);
  const growth = at20.heap - at5.heap;
  expect(growth).toBeLessThan(0.25 * tables);
  // The state grows by the summaries only: a few kB per input.
  expect((at20.bytes - at5.bytes) / 15).toBeLessThan(4096);
  expect(app.errors).toEqual([]);
}, 1_200_000);
