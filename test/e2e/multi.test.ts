// Multi-emitter fitting and σ from data in the built app: "σ from data" measures the simulated
// PSF from a wrong start value and fills the PSF σ field; the fitter "MLE, multi-emitter" shows
// its settings and runs on the workers like the single fit (isolated emitters: same count).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

type Api = Record<string, (...a: unknown[]) => unknown>;
let s: BrowserSession;
const errors: string[] = [];

beforeAll(async () => {
  s = await openApp();
  s.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await s.page.waitForFunction(() => 'evscope' in window);
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 120_000);

const api = <T>(name: string, ...args: unknown[]) =>
  s.page.evaluate(
    ([n, a]) => (window as unknown as { evscope: Api }).evscope[n as string](...(a as unknown[])),
    [name, args] as const,
  ) as Promise<T>;

async function runToEnd(): Promise<number> {
  await s.page.getByTestId('run-localize').click();
  await s.page.waitForFunction(
    () =>
      ((window as unknown as { evscope: Api }).evscope.runStatus() as { status: string }).status === 'done',
    null,
    { timeout: 90_000 },
  );
  return (await api<{ count: number }>('runStatus')).count;
}

test('σ from data, then the multi-emitter fitter from the Localize panel', async () => {
  const ok = await s.page.evaluate(async () => {
    const e = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(e.simulationPreset('isolated') as object), frames: 30 };
    return e.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 30' }).waitFor();
  await s.page.locator('[data-step=localize]').click();
  await api('setLocalizeParams', { sigmaNm: 190 });

  await s.page.getByTestId('sigma-from-data').click();
  const result = s.page.getByTestId('sigma-from-data-result');
  await result.waitFor({ timeout: 60_000 });
  expect(await result.textContent()).toMatch(/^σ 1[23]\d\.\d nm from \d+ spots in \d+ frames?/);
  const sigma = (await api<{ sigmaNm: number }>('localizeParams')).sigmaNm;
  expect(sigma).toBeGreaterThan(125);
  expect(sigma).toBeLessThan(135);

  const single = await runToEnd();
  await s.page.getByLabel('Fitter').selectOption('mle-multi');
  await s.page.getByTestId('max-emitters').waitFor();
  expect((await api<{ fitter: string; maxEmitters: number }>('localizeParams')).fitter).toBe('mle-multi');
  const multi = await runToEnd();
  expect(single).toBeGreaterThan(30 * 14);
  expect(Math.abs(multi - single)).toBeLessThanOrEqual(2);
  expect(errors).toEqual([]);
}, 240_000);

test("preset 'dense': one click to a crowded stack, multi-emitter fitting counts coincident emitters, the ground-truth panel scores it", async () => {
  const ok = await s.page.evaluate(async () => {
    const e = (window as unknown as { evscope: Api }).evscope;
    const params = { ...(e.simulationPreset('dense') as object), frames: 120 };
    return e.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  await s.page.getByTestId('frame-count').filter({ hasText: '/ 120' }).waitFor();
  await s.page.locator('[data-step=localize]').click();
  await api('setLocalizeParams', { fitter: 'mle', sigmaNm: 130 });
  await runToEnd();
  const single = await api<{ jaccard: number; rmse: number }>('groundTruthScore', 250);
  await s.page.getByLabel('Fitter').selectOption('mle-multi');
  await s.page.getByLabel('Coincident emitters').waitFor();
  await runToEnd();
  // The counting notice says what it found.
  await s.page
    .getByText(/brightness counting: one emitter ≈ \d+ photons/)
    .first()
    .waitFor({ timeout: 30_000 });
  await s.page.waitForFunction(() =>
    /\d/.test(document.querySelector('[data-testid=truth-jaccard]')?.textContent ?? ''),
  );
  const multi = await api<{ jaccard: number; rmse: number }>('groundTruthScore', 250);
  console.log(
    `dense preset, 120 frames: single J ${single.jaccard.toFixed(3)} RMSE ${single.rmse.toFixed(1)} nm; multi J ${multi.jaccard.toFixed(3)} RMSE ${multi.rmse.toFixed(1)} nm`,
  );
  expect(single.jaccard).toBeLessThan(0.75);
  expect(multi.jaccard).toBeGreaterThan(0.85);
  expect(multi.rmse).toBeLessThanOrEqual(single.rmse);
  expect(errors).toEqual([]);
}, 300_000);
