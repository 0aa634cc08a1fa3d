// A session file whose movie colour map is 'not-a-map' (it used to throw on every movie frame)
// opens in the browser: a notice names the field and the value, the movie uses the default map,
// and the rest of the session (localizations, other settings) is there.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Json, openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { type BrowserSession, openApp } from './browser';

let s: BrowserSession;
beforeAll(async () => {
  s = await openApp('/?demo=0');
  await s.page.waitForFunction(() => 'evscope' in window);
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 60_000);

function damagedSession(): number[] {
  const opened = openSessionFile(
    new Uint8Array(readFileSync(new URL('../fixtures/sessions/main-3186e6e.smlm', import.meta.url))),
    { fileName: 'main.smlm' },
  );
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const movie = opened.session.steps.movie as Record<string, Json>;
  movie.colormap = 'not-a-map';
  return Array.from(saveSessionFile(opened.session, opened.tables));
}

test('a session with an unknown movie colour map opens with a warning and the default map', async () => {
  const bytes = damagedSession();
  const ok = await s.page.evaluate(async (b) => {
    const api = (window as unknown as { evscope: Record<string, (...a: unknown[]) => unknown> }).evscope;
    return api.openSession(new Uint8Array(b), 'damaged.smlm');
  }, bytes);
  expect(ok).toBe(true);
  await s.page
    .getByTestId('notices')
    .filter({ hasText: 'movie.colormap: "not-a-map" is not one of' })
    .waitFor({ timeout: 120_000 });
  const state = await s.page.evaluate(() => {
    const api = (window as unknown as { evscope: Record<string, () => unknown> }).evscope;
    return { movie: api.movieState(), run: api.runStatus() };
  });
  expect(state.movie).toMatchObject({ colormap: 'hot', connectivity: 8 });
  expect(state.run).toMatchObject({ count: 720 });
  expect(s.errors).toEqual([]);
}, 180_000);
