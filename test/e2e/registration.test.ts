// Two-colour registration in the browser: a simulated two-channel stack of bright isolated
// emitters whose second camera sees the sample through a known rotation + shift is opened, the
// registration is fitted from its own frames in the Data step, and the residuals (< 10 nm), the
// residual plot and the bead overlay appear; the fitted map is the inverse of the simulator's.
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

test('fitting the registration from a stack’s frames shows residuals, the plot and the overlay', async () => {
  const { page } = s;
  const truth = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const p = api.simulationPreset('isolated') as {
      frames: number;
      scene: object;
      channels: Record<string, unknown>[];
    };
    p.frames = 80;
    p.scene = {
      kind: 'isolated',
      emittersPerFrame: 12,
      layout: 'random',
      minSeparationNm: 1200,
      marginNm: 700,
    };
    p.channels[0].photonsPerFrame = 4000;
    // Channel 0 → 1: 0.5° about the field centre (3200 nm) and a (120, −90) nm shift.
    const r = (0.5 * Math.PI) / 180;
    const [a, b, c, d] = [Math.cos(r), -Math.sin(r), Math.sin(r), Math.cos(r)];
    const t = { a, b, c, d, tx: 3200 - (a * 3200 + b * 3200) + 120, ty: 3200 - (c * 3200 + d * 3200) - 90 };
    p.channels.push({ ...p.channels[0], name: 'beads (red)', transform: t });
    await api.openRecipe({ kind: 'simulated', params: p }, 'Simulating');
    return t;
  });
  const panel = page.getByTestId('registration-panel');
  await panel.waitFor();
  await page.getByTestId('registration-fit-open').click();
  // The fit's fields refuse what the fit's schema (and evscope.fitRegistration) refuses, with the
  // limit and unit, and Fit waits; the frames are then checked against the stack.
  const run = page.getByTestId('registration-fit-run');
  const form = page.getByTestId('registration-fit-form');
  await page.getByTestId('registration-threshold').fill('0');
  await form.getByText('Must be greater than 0 × σ.').waitFor();
  expect(await run.isDisabled()).toBe(true);
  await page.getByTestId('registration-threshold').fill('2');
  await page.getByTestId('registration-last-frame').fill('81');
  await form.getByText(/1 ≤ first ≤ last ≤ 80 \(got 1–81\)/).waitFor();
  expect(await run.isDisabled()).toBe(true);
  await page.getByTestId('registration-last-frame').fill('');
  await expect.poll(() => run.isEnabled()).toBe(true);
  await run.click();
  const rms = page.getByTestId('registration-rms-1');
  await expect.poll(() => rms.textContent(), { timeout: 120_000 }).toMatch(/\d/);
  const reg = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.registration(),
  )) as Record<
    number,
    { toReference: number[]; stats: { rms: number; looRms: number; pairs: number }; source: { kind: string } }
  >;
  const r1 = reg[1];
  expect(r1.source.kind).toBe('frames');
  expect(r1.stats.rms).toBeLessThan(10);
  expect(r1.stats.looRms).toBeLessThan(10);
  expect(r1.stats.pairs).toBeGreaterThan(500);
  // toReference ∘ simulator map = identity: a point of channel 0 comes back within a few nm.
  for (const [x, y] of [
    [700, 700],
    [5700, 700],
    [3200, 3200],
    [700, 5700],
    [5700, 5700],
  ]) {
    const u = truth.a * x + truth.b * y + truth.tx;
    const v = truth.c * x + truth.d * y + truth.ty;
    const [a, b, c, d, e, f] = r1.toReference;
    expect(Math.hypot(a * u + b * v + c - x, d * u + e * v + f - y)).toBeLessThan(3);
  }
  expect(await page.getByTestId('registration-warning').count()).toBe(0);
  const plot = page.getByTestId('registration-plot');
  await plot.locator('.main-svg').first().waitFor();
  expect(await plot.locator('.scatterlayer .trace').count()).toBeGreaterThanOrEqual(2);
  await page.getByTestId('registration-overlay-toggle').check();
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/wreg-registration.png' });

  // Typed entry: a translation replaces the fit; an implausible affine is refused.
  await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.setRegistration(1, [1, 0, 35, 0, 1, -20]),
  );
  await expect.poll(() => page.getByTestId('registration-row-1').textContent()).toMatch(/typed/);
  const refused = await page.evaluate(() => {
    try {
      (window as unknown as { evscope: Api }).evscope.setRegistration(1, [0, 0, 0, 0, 0, 0]);
      return '';
    } catch (e) {
      return String(e);
    }
  });
  expect(refused).toMatch(/singular/);
  await page.getByTestId('registration-identity').click();
  await expect.poll(() => page.getByTestId('registration-row-1').textContent()).toMatch(/identity/);
  expect(s.errors).toEqual([]);
});
