// A reload in the middle of the batch with the Experiment step on screen. Picking the step makes
// the session autosave (the step is part of the view), so the reload restores that session too —
// with its copy of the experiment from before the reload. That copy used to replace the queue
// resume() had just restarted (and its `wanted: false` stopped it): the page sat idle, the
// finished summaries gone. The queue's own record must win, and the batch must finish.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExperimentStats } from '../../src/core/experiment/cellStats';
import type { InputSummary } from '../../src/core/experiment/summary';
import { type BrowserSession, openAppWithApi } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openAppWithApi('/?demo=0', 'openExperimentDemo');
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

/** What window.evscope.experimentResults() returns (ui/experiment/scripting.ts), as JSON. */
interface Results {
  queue: string;
  runs: Record<string, { status: string }>;
  summaries: InputSummary[];
  stats: ExperimentStats;
}

type Evscope = {
  evscope: Record<string, (...a: unknown[]) => unknown> & { experimentResults(): Results };
};

const results = () =>
  app.page.evaluate(() => (window as unknown as Evscope).evscope.experimentResults()) as Promise<Results>;

test('with the Experiment step on screen, a reload mid-batch resumes the batch and it finishes with the known answer', async () => {
  const { page } = app;
  await page.locator('[data-step="experiment"]').click();
  await page.locator('[data-step-panel="experiment"]').waitFor();
  await page.evaluate(() => {
    const ev = (window as unknown as Evscope).evscope;
    ev.openExperimentDemo();
    void ev.runExperiment();
  });
  await page.waitForFunction(
    () => (window as unknown as Evscope).evscope.experimentResults().summaries.length >= 1,
    undefined,
    { timeout: 600_000, polling: 250 },
  );
  // The session autosaves mid-batch (as its debounce would at any moment): the reload restores it.
  await page.evaluate(() => (window as unknown as Evscope).evscope.flushAutosave());
  const before = await results();
  expect(before.summaries.length).toBeLessThan(8);
  await page.reload();
  await page.waitForFunction(() => 'evscope' in window);
  await page.getByText(/Restored your last session/).waitFor();
  // The restored session put the step back on screen, and did not stop the resumed queue.
  await page.locator('[data-step-panel="experiment"]').waitFor();
  const restored = await results();
  expect(restored.queue === 'running' || restored.summaries.length === 8).toBe(true);
  for (const s of before.summaries) expect(restored.summaries.find((x) => x.id === s.id)).toEqual(s);
  await page.waitForFunction(
    () => {
      const r = (window as unknown as Evscope).evscope.experimentResults();
      return r.queue === 'idle' && r.summaries.length === 8;
    },
    undefined,
    { timeout: 900_000, polling: 1000 },
  );
  const after = await results();
  expect(Object.values(after.runs).every((r) => r.status === 'done')).toBe(true);
  for (const s of before.summaries) expect(after.summaries.find((x) => x.id === s.id)).toEqual(s);
  const c = after.stats.comparisons[0];
  expect([c.metric, c.a, c.b]).toEqual(['coloc.deltaFractionWithin', 'near', 'random']);
  expect(c.difference).toBeGreaterThan(0);
  expect(c.pPermutation).toBeLessThan(0.05);
  // The panel on screen says so too.
  await page.locator('[data-step="experiment"]').getByText('8/8 done').waitFor();
  await page
    .getByTestId('ex-tests')
    .getByText(/coloc\.deltaFractionWithin: near − random/)
    .waitFor();
  expect(app.errors).toEqual([]);
}, 1_800_000);
