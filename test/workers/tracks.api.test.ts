// The tracks worker's API over a real MessageChannel (structured cloning, transfers, comlink
// proxies), through the engine's backend and the store as the page uses them: a simulated
// uptake stack is tracked with progress, tracks are imported, the distance analysis runs on
// truth PALM emissions, a run is cancelled (keeping the previous result), and invalid
// parameters are refused with reasons before anything runs.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { tracksToCsv } from '../../src/core/spt/io';
import { LocalizeService } from '../../src/engine/localizeService';
import { localizeNodeWorkerFactory } from '../../src/engine/nodeWorker';
import type { StackInfo } from '../../src/engine/stackService';
import {
  CancelledError,
  detectWith,
  type TracksBackend,
  type TracksProgress,
  tracksBackend,
} from '../../src/engine/tracksService';
import type { LoadedStack } from '../../src/state/dataStore';
import { defaultTracksParams, distanceErrors, trackingErrors } from '../../src/state/tracksParams';
import { createTracksStore, distancesStale, tracksStale } from '../../src/state/tracksStore';
import type { LocalizeApi } from '../../workers/localize.api';
import { openRecipe, type StackRecipe } from '../../workers/stackRecipe';
import { createTracksApi, type TracksApi } from '../../workers/tracks.api';
import { fixedWorker } from '../helpers/fixedWorker';

const p = presetParams('demo');
p.width = 48;
p.height = 48;
p.frames = 400;
if (p.scene.kind === 'uptake') {
  p.scene.evCount = 6;
  p.scene.evArrivalFraction = 0;
}
const recipe: StackRecipe = { kind: 'simulated', params: p };
const sim = simulate(p);

const info: StackInfo = {
  id: 7,
  name: 'uptake',
  files: [],
  width: p.width,
  height: p.height,
  frameCount: p.frames,
  channels: 2,
  dtype: 'uint16',
  meta: {
    flavour: 'simulated',
    byteOrder: 'little',
    pixelSizeNm: 100,
    frameIntervalMs: 5,
    camera: { kind: 'emccd', offsetAdu: 100, electronsPerAdu: 12, emGain: 100 },
  },
  recipe,
};
const st: LoadedStack = { info, overrides: {} };

function palm() {
  const e = sim.truth.events;
  const rows: number[] = [];
  for (let i = 0; i < e.length; i++) if (e.columns.channel[i] === 0) rows.push(i);
  return {
    length: rows.length,
    frame: Uint32Array.from(rows, (i) => e.columns.frame[i]),
    x: Float64Array.from(rows, (i) => e.columns.x[i]),
    y: Float64Array.from(rows, (i) => e.columns.y[i]),
    precision: new Float32Array(rows.length).fill(20),
  };
}

let backend: TracksBackend;
let ports: MessagePort[];
beforeAll(() => {
  const { port1, port2 } = new MessageChannel();
  ports = [port1, port2];
  Comlink.expose(createTracksApi(openRecipe), port1 as unknown as Comlink.Endpoint);
  const remote = Comlink.wrap<TracksApi>(port2 as unknown as Comlink.Endpoint);
  backend = tracksBackend(fixedWorker(remote));
});
afterAll(() => {
  for (const port of ports) port.close();
});

describe('tracks worker API through the store', () => {
  test('track → distances, with progress; stale after a parameter change; cancel keeps the result', async () => {
    const store = createTracksStore({ backend: () => backend, palm: () => palm(), evAffine: () => null });
    store.getState().forStack(info);
    expect(store.getState().params!.channel).toBe(1);
    expect(store.getState().params!.window).toBe(400); // W clipped to the stack
    const seen: TracksProgress[] = [];
    const unsub = store.subscribe((s) => s.progress && seen.push(s.progress));
    const r = await store.getState().runTracking(st);
    expect(r).not.toBeNull();
    expect(store.getState().trackStatus).toBe('done');
    // 6 EVs; tracks may break where an EV goes dim or leaves the field, but most of the
    // truth positions are tracked and no track is longer than the stack.
    expect(r!.summary.length).toBeGreaterThanOrEqual(6);
    expect(r!.summary.length).toBeLessThanOrEqual(20);
    expect(r!.tracks.length).toBeGreaterThan(0.8 * sim.truth.trajectories.length);
    expect(Math.max(...r!.summary.columns.positions)).toBeLessThanOrEqual(400);
    expect(seen.some((x) => x.phase === 'detect')).toBe(true);
    // The demo's slow EVs fit the default radius: checked, no warning.
    expect(r!.radiusCheck!.radiusNm).toBe(store.getState().params!.radiusNm);
    expect(r!.radiusCheck!.warning).toBeNull();
    expect(store.getState().selectedTrack).not.toBeNull();

    store.getState().setParams({ window: 120, step: 6, controlPerFrame: 20 });
    const d = await store.getState().runDistances(st);
    unsub();
    expect(d).not.toBeNull();
    expect(d!.movieFrames).toBe(Math.floor((400 - 120) / 6) + 1);
    expect(d!.coloc.control.length).toBe(20 * d!.movieFrames);
    expect(d!.coloc.distances.length).toBeGreaterThan(0);
    // The headline test counts tracks, not positions.
    const tt = d!.coloc.trackTest.distance;
    expect(tt.tracks).toBeGreaterThan(0);
    expect(tt.tracks).toBeLessThanOrEqual(r!.summary.length);
    expect(tt.positions).toBeLessThanOrEqual(d!.coloc.distances.length);
    expect(d!.coloc.controlTracksPerTrack).toBe(20);
    expect(d!.coloc.controlTrackSummaries.track.length).toBe(20 * d!.coloc.perTrack.length);
    expect(seen.some((x) => x.phase === 'distances')).toBe(true);
    expect(distancesStale(store.getState())).toBe(false);
    store.getState().setParams({ cutoffNm: 100 });
    expect(distancesStale(store.getState())).toBe(true);
    store.getState().setParams({ radiusNm: 300 });
    expect(tracksStale(store.getState())).toBe(true);

    // Cancel a tracking run: the status says so and the previous tracks stay.
    const run = store.getState().runTracking(st);
    await new Promise((res) => setTimeout(res, 30));
    store.getState().cancel();
    expect(await run).toBeNull();
    expect(store.getState().trackStatus).toBe('cancelled');
    expect(store.getState().tracks).toBe(r);
  }, 120_000);

  test('detection on a localization pool (2 workers) gives the same tracks as the tracks worker’s own', async () => {
    const own = createTracksStore({ backend: () => backend, palm: () => null, evAffine: () => null });
    const service = new LocalizeService({ factory: localizeNodeWorkerFactory<LocalizeApi>(), size: 2 });
    const pooled = createTracksStore({
      backend: () => ({ ...backend, detect: detectWith(service) }),
      palm: () => null,
      evAffine: () => null,
    });
    try {
      own.getState().forStack(info);
      pooled.getState().forStack(info);
      const seen: TracksProgress[] = [];
      const unsub = pooled.subscribe((s) => s.progress && seen.push(s.progress));
      const a = await own.getState().runTracking(st);
      const b = await pooled.getState().runTracking(st);
      unsub();
      expect(a).not.toBeNull();
      expect(b!.detections).toBe(a!.detections);
      expect(b!.detections).toBeGreaterThan(1000);
      expect(b!.summary.length).toBe(a!.summary.length);
      for (const k of ['track', 'frame', 'x', 'y', 'intensity'] as const)
        expect([...b!.tracks.columns[k]], k).toEqual([...a!.tracks.columns[k]]);
      expect(seen.some((x) => x.phase === 'detect' && x.done === 400 && x.total === 400)).toBe(true);
    } finally {
      service.terminate();
    }
  }, 180_000);

  test('import of a CSV and of a 7-column text; bad files are named in the error', async () => {
    const store = createTracksStore({ backend: () => backend, palm: () => null, evAffine: () => null });
    store.getState().forStack(info);
    store.getState().setParams({ minLength: 2 });
    const csv = tracksToCsv({
      length: 4,
      columns: {
        track: Uint32Array.of(3, 3, 5, 5),
        frame: Uint32Array.of(0, 1, 0, 2),
        x: Float64Array.of(100, 110, 500, 520),
        y: Float64Array.of(100, 100, 500, 500),
        intensity: Float64Array.of(1, 1, 2, 2),
      },
    });
    const r = await store.getState().importTracks(st, csv, 'mine.csv', 'csv');
    expect(r!.summary.length).toBe(2);
    expect(r!.source).toEqual({ kind: 'imported', fileName: 'mine.csv' });
    const txt = '1 1.0 1.0 100 0 0 0\n2 1.1 1.0 100 0 0 0\n\n1 5 5 80 0 0 0\n2 5.2 5 80 0 0 0\n';
    const t = await store.getState().importTracks(st, txt, 'spt.txt', 'text');
    expect(t!.summary.length).toBe(2);
    expect(t!.tracks.columns.x[0]).toBeCloseTo(100); // px × 100 nm
    expect(await store.getState().importTracks(st, 'a,b\n1,2\n', 'bad.csv', 'csv')).toBeNull();
    expect(store.getState().error).toMatch(/^bad\.csv: .*track column/);
    // Distances without PALM localizations are refused with the reason.
    expect(await store.getState().runDistances(st)).toBeNull();
    expect(store.getState().error).toMatch(/no PALM localizations/);
  }, 60_000);

  test('parameter checks', () => {
    const q = defaultTracksParams(info);
    expect(trackingErrors(q, st)).toEqual([]);
    expect(trackingErrors({ ...q, channel: 4, maxGap: 1.5, radiusNm: 0 }, st)).toEqual([
      'EV channel 5 does not exist: the stack has 2.',
      'Search radius must be > 0 nm.',
      'Max gap must be a whole number of frames, 0–50.',
    ]);
    expect(distanceErrors({ ...q, window: 500 }, st)[0]).toMatch(/longer than the stack \(400 frames\)/);
    expect(distanceErrors({ ...q, renderPxNm: 1 }, st)[0]).toMatch(/4800 px wide/);
    expect(distanceErrors({ ...q, histCount: 0, controlPerFrame: 0 }, st)).toHaveLength(2);
  });

  test('a cancelled distance run rejects with CancelledError at the backend', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(backend.distances({} as never, () => {}, ctl.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});
