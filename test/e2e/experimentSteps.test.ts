// The browser batch runs the EV-marker step on simulated stacks (known subtype fractions come
// back in each input's summary) and a broken file among the inputs is reported and skipped
// while the others finish.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BrowserSession, openApp } from './browser';

let app: BrowserSession;

beforeAll(async () => {
  app = await openApp('/?demo=0');
  await app.page.waitForFunction(
    () => 'newExperiment' in ((window as unknown as { evscope?: object }).evscope ?? {}),
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

type Ev = Record<string, (...a: unknown[]) => unknown>;

test('EV markers per input; a broken input fails alone', async () => {
  const out = await app.page.evaluate(async () => {
    const ev = (window as unknown as { evscope: Ev }).evscope;
    const base = ev.simulationPreset('evMarkers') as Record<string, unknown>;
    const channels = ['CD9', 'CD63', 'CD81'].map((name, channel) => ({
      channel,
      name,
      role: 'marker',
      threshold: 1,
    }));
    ev.newExperiment({
      experiment: {
        format: 'evscope-experiment',
        version: 1,
        title: 'markers',
        inputs: [
          { id: 's1', path: 's1.sim', cell: 'c1', condition: 'A' },
          { id: 's2', path: 's2.sim', cell: 'c2', condition: 'A' },
          { id: 'broken', path: 'broken.tif', cell: 'c3', condition: 'A' },
        ],
        steps: {
          markers: { channels: [...channels, { channel: 3, name: 'probe', role: 'probe', threshold: 1 }] },
        },
      },
      simulated: { s1: { ...base, seed: 1, frames: 200 }, s2: { ...base, seed: 2, frames: 200 } },
    });
    ev.addExperimentFiles([new File(['this is not a TIFF file'], 'broken.tif')]);
    const outcome = await ev.runExperiment();
    return { outcome, results: ev.experimentResults() };
  });
  const r = out.results as {
    runs: Record<string, { status: string; error: string | null }>;
    summaries: { id: string; metrics: Record<string, number | null> }[];
  };
  expect(out.outcome).toEqual({ done: 2, failed: 1, notRun: 0 });
  expect(r.runs.broken.status).toBe('failed');
  expect(r.runs.broken.error).toMatch(/broken\.tif/);
  expect(r.summaries.map((s) => s.id)).toEqual(['s1', 's2']);
  for (const s of r.summaries) {
    // The evMarkers preset: 40 EVs, 40 % CD63-only (probe mean 3), 60 % CD9+CD63+CD81+ (probe mean 9).
    expect(s.metrics['markers.evs']).toBe(40);
    expect(s.metrics['markers.fraction.CD63-only']).toBeGreaterThan(0.2);
    expect(s.metrics['markers.fraction.CD63-only']).toBeLessThan(0.65);
    expect(s.metrics['markers.probeMean.CD9+CD63+CD81+']!).toBeGreaterThan(
      1.5 * s.metrics['markers.probeMean.CD63-only']!,
    );
  }
  // The failure was a notice, not an uncaught error.
  expect(app.errors).toEqual([]);
}, 900_000);

test('post-processing shapes the movie: a filter that keeps nothing fails each input with the reason', async () => {
  const out = await app.page.evaluate(async () => {
    const ev = (window as unknown as { evscope: Ev }).evscope;
    const base = ev.simulationPreset('isolated') as Record<string, unknown>;
    const movie = {
      window: 50,
      step: 50,
      renderPxNm: 20,
      sigma: { kind: 'precision', factor: 1, minNm: 5 },
      smoothSigmaPx: 1,
      threshold: { kind: 'otsu', sampleFrames: 2 },
      connectivity: 26,
    };
    const run = async (post: unknown[]) => {
      ev.newExperiment({
        experiment: {
          format: 'evscope-experiment',
          version: 1,
          inputs: [{ id: 'i1', path: 'i1.sim', cell: 'c1', condition: 'A' }],
          steps: { localize: { sigmaNm: 130 }, post, movie },
        },
        simulated: { i1: { ...base, seed: 3, frames: 100 } },
      });
      const outcome = await ev.runExperiment();
      return { outcome, results: ev.experimentResults() };
    };
    return {
      none: await run([]),
      all: await run([{ kind: 'filter', expression: 'photons > 0' }]),
      nothing: await run([{ kind: 'filter', expression: 'photons < 0' }]),
    };
  });
  type R = {
    outcome: unknown;
    results: {
      runs: Record<string, { error: string | null }>;
      summaries: { metrics: Record<string, number | null> }[];
    };
  };
  const [none, all, nothing] = [out.none, out.all, out.nothing] as R[];
  expect(none.outcome).toEqual({ done: 1, failed: 0, notRun: 0 });
  // A filter every localization passes changes nothing downstream.
  expect(all.results.summaries[0].metrics).toEqual(none.results.summaries[0].metrics);
  expect(none.results.summaries[0].metrics['structures.count']).not.toBeNull();
  expect(nothing.outcome).toEqual({ done: 0, failed: 1, notRun: 0 });
  expect(nothing.results.runs.i1.error).toMatch(/movie: post-processing left no localizations/);
}, 900_000);
