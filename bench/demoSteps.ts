// The built-in demo end to end as a user runs it, inside the app's page: Localize (PALM
// channel, every frame) → Movie (the study's W = 1002, S = 6, 10 nm) → Structures (pooled Otsu
// + 26-connected labels) → Tracks (EV channel) → Distances, each from its own panel through
// window.evscope (what the panels' buttons call). Per step: seconds, and seconds until partial
// results showed (streamed rows, ready movie frames, or a progress bar past 0 in the panel).
// Shared by the `demo-e2e` bench case and the end-to-end browser test.
//
// It runs via page.evaluate, so it must be self-contained: no imports, no outer variables.
// (Under tsx, helpers get wrapped in `__name`: callers define it in the page first.)

export interface DemoStepFigures {
  seconds: number;
  /** Seconds until partial results showed; null if none was seen before the step ended. */
  firstPartial: number | null;
}

export interface DemoRun {
  frames: number;
  openSeconds: number;
  steps: Record<'localize' | 'movie' | 'structures' | 'tracks' | 'distances', DemoStepFigures>;
  totalSeconds: number;
  localizations: number;
  movieFrames: number;
  movieSide: number;
  structures: number;
  tracks: number;
  trackTestP: number | null;
  trackTestTracks: number | null;
}

export async function runDemoSteps(): Promise<DemoRun> {
  type Api = Record<string, (...a: unknown[]) => unknown>;
  const api = (window as unknown as { evscope: Api }).evscope;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const openStep = (id: string) => document.querySelector<HTMLElement>(`[data-step="${id}"]`)?.click();
  const progressShown = () =>
    [...document.querySelectorAll('progress, [role=progressbar]')].some(
      (e) => Number(e.getAttribute('value') ?? e.getAttribute('aria-valuenow') ?? 0) > 0,
    );
  const timed = async (run: () => Promise<void>, partial: () => boolean): Promise<DemoStepFigures> => {
    const t0 = performance.now();
    let first: number | null = null;
    let done = false;
    const watch = (async () => {
      while (!done) {
        if (first === null && partial()) first = (performance.now() - t0) / 1000;
        await sleep(25);
      }
    })();
    try {
      await run();
    } finally {
      done = true;
      await watch;
    }
    return { seconds: (performance.now() - t0) / 1000, firstPartial: first };
  };
  for (;;) {
    const st = api.activeStack() as { frameCount?: number } | null;
    const shown = document.querySelector('[data-testid=viewer-canvas]')?.getAttribute('aria-label');
    if (st?.frameCount && shown?.startsWith('Frame')) break;
    await sleep(25);
  }
  const openSeconds = performance.now() / 1000;
  const info = api.activeStack() as { frameCount: number };
  const out = { frames: info.frameCount, openSeconds } as DemoRun;
  const steps = {} as DemoRun['steps'];
  const t0 = performance.now();
  const status = () => api.runStatus() as { status: string; count: number };
  steps.localize = await timed(
    async () => {
      openStep('localize');
      api.setLocalizeParams({ channel: 0, firstFrame: 1, lastFrame: info.frameCount });
      const r = (await api.runLocalization()) as { status: string; count: number; error?: string };
      if (r.status !== 'done') throw new Error(`localization ${r.status}: ${r.error ?? ''}`);
      out.localizations = r.count;
    },
    () => status().count > 0,
  );
  const movie = () => api.movieState() as { ready: number };
  steps.movie = await timed(
    async () => {
      openStep('movie');
      const r = (await api.buildMovie({})) as { frames: number; width: number };
      out.movieFrames = r.frames;
      out.movieSide = r.width;
    },
    () => movie().ready > 0,
  );
  steps.structures = await timed(async () => {
    const r = (await api.binarizeMovie({})) as { structures: number };
    out.structures = r.structures;
  }, progressShown);
  steps.tracks = await timed(async () => {
    openStep('tracks');
    const r = (await api.runTracking({})) as { summary: { length: number } };
    out.tracks = r.summary.length;
  }, progressShown);
  steps.distances = await timed(async () => {
    const r = (await api.runDistances({})) as {
      trackTest: { distance: { p: number; tracks: number } } | null;
    };
    out.trackTestP = r.trackTest?.distance.p ?? null;
    out.trackTestTracks = r.trackTest?.distance.tracks ?? null;
  }, progressShown);
  out.steps = steps;
  out.totalSeconds = (performance.now() - t0) / 1000;
  return out;
}
