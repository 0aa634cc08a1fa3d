// The simulated two-condition Ca²⁺ experiment in the browser (issue 16 inside an experiment): the
// Experiment panel's demo button opens it (responder fraction 0.7 in A vs 0.2 in B, 4 coverslips
// each) and runs the batch on the workers — each movie made from its simulation by the lane's Ca²⁺
// worker — and the panel shows the responder-fraction comparison with the coverslip (the
// experiment's cell) as the unit, n cells and inputs beside the p, and the known answer.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExperimentStats } from '../../src/core/experiment/cellStats';
import type { InputSummary } from '../../src/core/experiment/summary';
import type { CalciumExperimentTruth } from '../../src/core/sim/calciumExperiment';
import { type BrowserSession, openAppWithApi } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openAppWithApi('/?demo=0', 'openCalciumExperimentDemo');
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

/** What window.evscope.experimentResults() returns (ui/experiment/scripting.ts), as JSON. */
interface Results {
  queue: string;
  runs: Record<string, { status: string; error: string | null }>;
  summaries: InputSummary[];
  stats: ExperimentStats;
  truth: CalciumExperimentTruth;
}

test('the Ca²⁺ experiment demo runs in the browser and shows the responder-fraction comparison', async () => {
  const { page } = app;
  await page.locator('[data-step="experiment"]').click();
  await page.getByTestId('ex-calcium-demo').click();
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
  const r = (await page.evaluate(() =>
    (window as unknown as { evscope: { experimentResults(): unknown } }).evscope.experimentResults(),
  )) as Results;
  expect(Object.values(r.runs).map((x) => x.error)).toEqual(Array(8).fill(null));
  // Each movie: its true cells found, its true responders within one.
  for (const t of r.truth.inputs) {
    const m = r.summaries.find((s) => s.id === t.id)!.metrics;
    expect(m['calcium.cells'], t.id).toBe(t.cells);
    expect(Math.abs((m['calcium.responders'] as number) - t.responders), t.id).toBeLessThanOrEqual(1);
  }
  // The default tested metric of a Ca²⁺ experiment; known answer A > B in every coverslip.
  expect(r.stats.comparisons.map((c) => c.metric)).toEqual(['calcium.responderFraction']);
  const c = r.stats.comparisons[0];
  expect([c.a, c.b, c.nCellsA, c.nCellsB, c.nInputsA, c.nInputsB]).toEqual(['A', 'B', 4, 4, 4, 4]);
  expect(c.difference).toBeGreaterThan(0.3);
  expect(c.pPermutation).toBeCloseTo(2 / 70, 6);
  expect(c.pWelch).toBeLessThan(0.05);

  // What the panel shows: the comparison with n beside the p, and what the unit is.
  const tests = page.getByTestId('ex-tests');
  await tests.getByText('calcium.responderFraction: A − B').waitFor();
  await expect.poll(() => tests.textContent(), { timeout: 10_000 }).toMatch(/4 \(4\) vs 4 \(4\)/);
  expect(await tests.textContent()).toMatch(/0\.029 \(exact, 70 relabellings\)/);
  expect(await page.getByTestId('ex-unit').textContent()).toMatch(
    /segmented recipient cells \(A: \d+ in 4 inputs; B: \d+ in 4 inputs\).*not the unit/,
  );
  expect(await page.getByTestId('ex-truth').textContent()).toMatch(/higher in A \(0\.7\) than in B \(0\.2\)/);
  const dots = page.locator('[data-plot="cells per condition"]');
  await dots.locator('.main-svg').first().waitFor({ timeout: 20_000 });
  await dots.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/caexp-browser.png' });
  expect(app.errors).toEqual([]);
}, 1_200_000);
