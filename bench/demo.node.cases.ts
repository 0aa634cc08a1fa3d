// `demo-e2e`: the built-in demo end to end in headless Chromium on the production build (run
// `npx vite build` first), as a user runs it — see bench/demoSteps.ts. Driven from Node through
// the browser tests' harness, so it prints under [node] although every figure is Chromium's.
// Opened twice: the second time the simulated frames come from the OPFS cache.
import { existsSync } from 'node:fs';
import { openApp } from '../test/e2e/browser';
import { type DemoRun, runDemoSteps } from './demoSteps';
import type { BenchCase, Figures } from './types';

function figures(prefix: string, r: DemoRun): Figures {
  const f: Figures = { [`${prefix}open s`]: r.openSeconds };
  for (const [name, s] of Object.entries(r.steps)) {
    f[`${prefix}${name} s`] = s.seconds;
    f[`${prefix}${name} first partial s`] = s.firstPartial ?? 'none seen';
  }
  f[`${prefix}total s (localize → distances)`] = r.totalSeconds;
  return f;
}

export const demoE2e: BenchCase = {
  name: 'demo-e2e',
  where: ['node'],
  async run(log) {
    if (!existsSync('dist/index.html')) throw new Error('build the app first: npx vite build');
    const s = await openApp('/');
    try {
      await s.page.evaluate('globalThis.__name = (f) => f');
      const first = await s.page.evaluate(runDemoSteps);
      log(
        `demo: ${first.frames} frames, ${first.localizations} localizations, movie ${first.movieFrames} × ${first.movieSide}², ${first.structures} structures, ${first.tracks} tracks, p ${first.trackTestP}`,
      );
      // Again after a reload in the same browser profile: frames now come from OPFS. The autosaved
      // session goes first, or the page would reopen on the finished run.
      await s.page.evaluate(async () => {
        for (const db of await indexedDB.databases())
          if (db.name)
            await new Promise((done) => {
              const r = indexedDB.deleteDatabase(db.name!);
              r.onsuccess = r.onerror = r.onblocked = done;
            });
      });
      await s.page.reload();
      await s.page.evaluate('globalThis.__name = (f) => f');
      const again = await s.page.evaluate(runDemoSteps);
      return {
        ...figures('', first),
        ...figures('cached: ', again),
        errors: s.errors.length ? s.errors.join(' | ').slice(0, 300) : 'none',
      };
    } finally {
      await s.close();
    }
  },
};

export const demoNodeCases: BenchCase[] = [demoE2e];
