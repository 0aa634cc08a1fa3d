// The built-in demo end to end as a user runs it (issue 19: < 30 s on 2 cores): the app opens
// on the demo in a frame of the bench page, then Localize (PALM channel, every frame) → Movie
// (the study's W = 1002, S = 6, 10 nm) → Structures (pooled Otsu + 26-connected labels) →
// Tracks (EV channel) → Distances, each through window.evscope as the panels call it. Per step:
// seconds, and seconds until its first partial result (progress or streamed rows) showed.
import type { BenchCase, Figures } from './types';

type Api = Record<string, (...a: unknown[]) => unknown>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 600_000) {
  const t0 = performance.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Runs `run` while polling `partial` for the first sign of streamed progress. */
async function step(figures: Figures, name: string, run: () => Promise<unknown>, partial: () => boolean) {
  const t0 = performance.now();
  let first = Number.NaN;
  let done = false;
  const watch = (async () => {
    while (!done) {
      if (Number.isNaN(first) && partial()) first = performance.now() - t0;
      await sleep(20);
    }
  })();
  try {
    await run();
  } finally {
    done = true;
    await watch;
  }
  const s = (performance.now() - t0) / 1000;
  figures[`${name} s`] = s;
  figures[`${name} first partial s`] = Number.isNaN(first) ? 'none seen' : first / 1000;
  return s;
}

export const demoE2e: BenchCase = {
  name: 'demo-e2e',
  where: ['browser'],
  async run(log) {
    // A window of its own (the app refuses to be framed: CSP frame-ancestors 'none').
    const figures: Figures = {};
    const tOpen = performance.now();
    const opened = window.open('/', 'evscope-demo', 'width=1280,height=800');
    if (!opened) throw new Error('the browser refused to open the app window');
    try {
      const win = () => opened as unknown as { evscope?: Api; document: Document };
      const api = (await until('window.evscope', () => win()?.evscope)) as Api;
      const doc = () => win().document;
      await until('the demo stack', () => (api.activeStack() as { frameCount?: number } | null)?.frameCount);
      await until('frame 1 on screen', () =>
        doc().querySelector('[data-testid=viewer-canvas]')?.getAttribute('aria-label')?.startsWith('Frame'),
      );
      figures['open s'] = (performance.now() - tOpen) / 1000;
      const info = api.activeStack() as { frameCount: number; width: number; height: number };
      log(`demo: ${info.frameCount} frames ${info.width}×${info.height}`);
      // Each step from its own panel, as a user would: its progress shows there.
      const open = (id: string) => doc().querySelector<HTMLElement>(`[data-step="${id}"]`)?.click();
      // A progress line showing done > 0: partial work visible, not just a spinner.
      const progressShown = () =>
        [...doc().querySelectorAll('progress, [role=progressbar]')].some(
          (e) => Number(e.getAttribute('value') ?? e.getAttribute('aria-valuenow') ?? 0) > 0,
        );
      const total0 = performance.now();
      const status = () => api.runStatus() as { status: string; count: number; progress: number };
      await step(
        figures,
        'localize',
        async () => {
          open('localize');
          api.setLocalizeParams({ channel: 0, firstFrame: 1, lastFrame: info.frameCount });
          const r = (await api.runLocalization()) as { status: string; count: number };
          if (r.status !== 'done') throw new Error(`localization ${r.status}`);
          figures.localizations = r.count;
          figures['table rows after localize'] = status().count;
        },
        () => status().count > 0,
      );
      const movie = () => api.movieState() as { ready: number; status: string; structures: number | null };
      await step(
        figures,
        'movie',
        async () => {
          open('movie');
          const r = (await api.buildMovie({})) as { frames: number; width: number };
          figures['movie frames'] = `${r.frames} × ${r.width}²`;
        },
        () => movie().ready > 0,
      );
      await step(
        figures,
        'structures',
        async () => {
          const r = (await api.binarizeMovie({})) as { structures: number };
          figures.structures = r.structures;
        },
        progressShown,
      );
      await step(
        figures,
        'tracks',
        async () => {
          open('tracks');
          const r = (await api.runTracking({})) as { summary: { length: number } };
          figures.tracks = r.summary.length;
        },
        progressShown,
      );
      await step(
        figures,
        'distances',
        async () => {
          const r = (await api.runDistances({})) as { trackTest: { distance: { p: number } } | null };
          figures['track-test p'] = r.trackTest?.distance.p ?? 'none';
        },
        progressShown,
      );
      figures['total s (localize → distances)'] = (performance.now() - total0) / 1000;
      return figures;
    } catch (e) {
      // The steps that ran keep their figures; the failure says where it stopped.
      figures.failed = String(e);
      return figures;
    } finally {
      opened.close();
    }
  },
};

export const demoCases: BenchCase[] = [demoE2e];
