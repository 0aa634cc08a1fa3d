// Tracks & distances in the browser: a small simulated uptake stack (the demo's scene) is opened,
// its PALM channel's truth emissions are loaded as localizations (CSV with 20 nm precision),
// the EVs are tracked from the panel, the distance analysis runs, and the histogram (EV and
// control traces) and duration plots appear, with no console errors.
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

test('tracking and distance analysis on a simulated uptake stack show the plots', async () => {
  const { page } = s;
  const ok = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const p = api.simulationPreset('demo') as {
      width: number;
      height: number;
      frames: number;
      scene: { evCount: number; evArrivalFraction: number };
    };
    const params = {
      ...p,
      width: 64,
      height: 64,
      frames: 700,
      scene: { ...p.scene, evCount: 10, evArrivalFraction: 0.1 },
    };
    return api.openRecipe({ kind: 'simulated', params }, 'Simulating');
  });
  expect(ok).toBe(true);
  const loaded = await page.evaluate(async () => {
    const api = (window as unknown as { evscope: Api }).evscope;
    const t = (await api.groundTruthEvents(0)) as {
      length: number;
      frame: number[];
      x: number[];
      y: number[];
    };
    const lines = ['"frame","x [nm]","y [nm]","uncertainty [nm]"'];
    // Deterministic ±20 nm jitter: the precision the movie renders with.
    for (let i = 0; i < t.length; i++)
      lines.push(
        `${t.frame[i] + 1},${t.x[i] + 20 * Math.sin(i * 12.9898)},${t.y[i] + 20 * Math.cos(i * 78.233)},20`,
      );
    return api.loadLocalizationsCsv(lines.join('\n'), 'truth-palm.csv');
  });
  expect((loaded as { count: number }).count).toBeGreaterThan(1000);

  await page.locator('[data-step="tracks"]').click();
  await page.getByTestId('tracks-run').click();
  await page
    .getByTestId('tracks-status')
    .filter({ hasText: /tracks/ })
    .waitFor({ timeout: 120_000 });
  const tr = (await page.evaluate(() => (window as unknown as { evscope: Api }).evscope.trackResults())) as {
    summary: { length: number };
  };
  expect(tr.summary.length).toBeGreaterThanOrEqual(3);

  // A short movie for a 700-frame stack: W = 200, S = 6.
  const win = page.getByTestId('tracks-window');
  await win.fill('200');
  await page.getByTestId('distances-run').click();
  await page.getByTestId('distances-status').filter({ hasText: 'done' }).waitFor({ timeout: 120_000 });
  const hist = page.locator('[data-plot="EV vs control distance histogram"]');
  await hist.locator('.main-svg').first().waitFor();
  expect(await hist.locator('.barlayer .trace').count()).toBe(2);
  const durations = page.locator('[data-plot="Colocalization durations"]');
  await durations.locator('.main-svg').first().waitFor();
  expect(await page.getByTestId('track-table').locator('tbody tr').count()).toBe(tr.summary.length);
  await page.screenshot({ path: '/tmp/wtracks-figures.png' });

  const d = (await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.distanceResults(),
  )) as {
    movieFrames: number;
    ks: { p: number };
    trackTest: { distance: { p: number; tracks: number; positions: number; ciLow: number; ciHigh: number } };
    controlPositions: number;
    evFractionWithin: number;
    controlFractionWithin: number;
  };
  expect(d.movieFrames).toBe(Math.floor((700 - 200) / 6) + 1);
  expect(d.controlPositions).toBe(100 * d.movieFrames);
  expect(d.ks.p).toBeGreaterThanOrEqual(0);
  // The headline is the track-level test: p in (0, 1], n tracks ≤ the tracks found, a CI.
  const tt = d.trackTest.distance;
  expect(tt.p).toBeGreaterThan(0);
  expect(tt.p).toBeLessThanOrEqual(1);
  expect(tt.tracks).toBeGreaterThan(0);
  expect(tt.tracks).toBeLessThanOrEqual(tr.summary.length);
  expect(tt.ciLow).toBeLessThanOrEqual(tt.ciHigh);
  await expect
    .poll(() => page.getByTestId('track-test').textContent())
    .toMatch(new RegExp(`${tt.tracks} tracks, .* pos\\., 1 cell`));
  expect(await page.getByTestId('distance-help').textContent()).toMatch(/The EV track is the unit/);

  // Selecting a track from the table draws its distance over time; the overlay is on the raw view.
  const withDistances = page.getByTestId('track-table').locator('tbody tr').filter({ hasText: '%' });
  const row = withDistances.nth(1);
  const id = Number(await row.locator('td').first().textContent());
  await row.click();
  await page
    .locator('[data-plot="Track distance over time"] .gtitle')
    .filter({ hasText: `Track ${id}:` })
    .waitFor();
  expect(
    await page.locator('[data-plot="Track distance over time"] .scatterlayer .trace path.js-line').count(),
  ).toBeGreaterThan(0);
  await page.screenshot({ path: '/tmp/wtracks-selected.png' });

  // The same tracks are drawn over the movie, at the movie's scale: toggling them changes the player.
  await page.evaluate(() =>
    (window as unknown as { evscope: Api }).evscope.buildMovie({ window: 200, step: 6, renderPxNm: 20 }),
  );
  await page.getByRole('tab', { name: 'Movie' }).click();
  const movieHash = () =>
    page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.movie-view canvas, [data-testid=movie-canvas]')!;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < px.length; i += 4)
        h = (Math.imul(h, 31) + px[i] + 7 * px[i + 1] + 13 * px[i + 2]) | 0;
      return h;
    });
  await page.waitForTimeout(500);
  const withTracks = await movieHash();
  await page.getByTestId('tracks-overlay-toggle').uncheck();
  await page.waitForTimeout(300);
  const without = await movieHash();
  expect(without).not.toBe(withTracks);
  await page.getByTestId('tracks-overlay-toggle').check();
  await page.screenshot({ path: '/tmp/wtracks-movie.png' });
  expect(s.errors).toEqual([]);
});
