// The simulated two-condition experiment in the browser: the batch runs every input through the
// workers and the cell-level test gives the known answer (EVs of "near" lie closer to structures
// than those of "random"); a reload in the middle of the batch resumes it, keeping the summaries
// of the inputs that had finished.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openApp('/?demo=0');
  await app.page.waitForFunction(
    () => 'openExperimentDemo' in ((window as unknown as { evscope?: object }).evscope ?? {}),
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

interface Results {
  queue: string;
  runs: Record<string, { status: string; error: string | null }>;
  summaries: { id: string; metrics: Record<string, number | null> }[];
  stats: {
    comparisons: {
      metric: string;
      a: string;
      b: string;
      difference: number;
      pPermutation: number;
      nCellsA: number;
      nCellsB: number;
    }[];
  };
}

const results = () =>
  app.page.evaluate(() =>
    (window as unknown as { evscope: { experimentResults(): unknown } }).evscope.experimentResults(),
  ) as Promise<Results>;

test('a reload in the middle of the batch resumes it; the demo gives the known answer with cells as the unit', async () => {
  const { page } = app;
  await page.evaluate(() => {
    const ev = (window as unknown as { evscope: Record<string, (...a: unknown[]) => unknown> }).evscope;
    ev.openExperimentDemo();
    void ev.runExperiment();
  });
  // Two inputs done, then the tab reloads (the batch is cut off mid-run).
  await page.waitForFunction(
    () => {
      const r = (
        window as unknown as { evscope: { experimentResults(): { summaries: unknown[] } } }
      ).evscope.experimentResults();
      return r.summaries.length >= 2;
    },
    undefined,
    { timeout: 600_000, polling: 500 },
  );
  const before = await results();
  await page.reload();
  await page.waitForFunction(() => 'evscope' in window);
  // The queue resumed by itself and finished.
  await page.waitForFunction(
    () => {
      const r = (
        window as unknown as { evscope: { experimentResults(): { queue: string; summaries: unknown[] } } }
      ).evscope.experimentResults();
      return r.queue === 'idle' && r.summaries.length === 8;
    },
    undefined,
    { timeout: 900_000, polling: 1000 },
  );
  const after = await results();
  expect(Object.values(after.runs).every((r) => r.status === 'done')).toBe(true);
  for (const s of before.summaries) expect(after.summaries.find((x) => x.id === s.id)).toEqual(s);
  // One pre-specified primary metric (the default): the EV − control time within the cut-off.
  expect(after.stats.comparisons.map((x) => x.metric)).toEqual(['coloc.deltaFractionWithin']);
  const c = after.stats.comparisons[0];
  expect([c.a, c.b, c.nCellsA, c.nCellsB]).toEqual(['near', 'random', 4, 4]);
  // Known answer: EVs that bind beside structures spend more time within the cut-off (beyond
  // their matched controls) than EVs placed at random — in every cell (exact p = 2/70).
  expect(c.difference).toBeGreaterThan(0);
  expect(c.pPermutation).toBeLessThan(0.05);
  // The distance itself agrees: near EVs are closer than random ones.
  const d = (await page.evaluate(() =>
    (window as unknown as { evscope: { experimentResults(t: string[]): unknown } }).evscope.experimentResults(
      ['coloc.deltaDistanceNm'],
    ),
  )) as Results;
  expect(d.stats.comparisons[0].difference).toBeLessThan(0);
  expect(app.errors).toEqual([]);
}, 1_800_000);
