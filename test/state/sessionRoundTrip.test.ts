// The guard against "a session forgets things": every field set (title, notes, creation time,
// every step's parameters, localizations, post-processing, movie and its structure analysis,
// tracks, distances, EV markers, the view) → file → open → restore → capture again is deep-equal,
// and nothing the file carries is recomputed.
import { beforeEach, expect, test, vi } from 'vitest';
import { allocColumn } from '../../src/core/locs/table';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import type { StructureResult } from '../../src/engine/movieService';
import { dataStore } from '../../src/state/dataStore';
import { localizeParamsStore } from '../../src/state/localizeParamsStore';
import { locsStore } from '../../src/state/locsStore';
import { defaultMarkersParams } from '../../src/state/markersParams';
import { markersStore } from '../../src/state/markersStore';
import { type BuiltMovie, movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import { reconStore } from '../../src/state/reconStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { defaultTracksParams, distanceKey, trackingKey } from '../../src/state/tracksParams';
import { tracksStore } from '../../src/state/tracksStore';
import { uiStore } from '../../src/state/uiStore';
import { viewerStore } from '../../src/state/viewerStore';
import { distanceResult, fakeActions, fingerprint, markersResult, tracksResult } from './sessionFixtures';

function structureResult(frames: number, count: number): StructureResult {
  const col = (f: (i: number) => number) => Array.from({ length: count }, (_, i) => f(i));
  const per = (f: (i: number) => number) => Array.from({ length: frames }, (_, i) => f(i));
  return {
    threshold: 0.0375,
    connectivity: 26,
    frames,
    count,
    structures: {
      id: col((i) => i + 1),
      firstFrame: col((i) => i % frames),
      lastFrame: col((i) => Math.min(frames - 1, (i % frames) + 3)),
      maxAreaNm2: col((i) => 1600 * (i + 1)),
      meanDiameterNm: col((i) => 45.5 + i),
      xNm: col((i) => 1000 + 17.25 * i),
      yNm: col((i) => 2000 - 3.5 * i),
    },
    perFrame: {
      count: per((i) => i % 7),
      meanAreaNm2: per((i) => (i % 7 ? 1234.5 + i : Number.NaN)),
      meanDiameterNm: per((i) => (i % 7 ? 40 + i / 8 : Number.NaN)),
    },
  };
}

function locs(n: number) {
  const frame = allocColumn('u32', n);
  const x = allocColumn('f64', n);
  const photons = allocColumn('f32', n);
  const precision = allocColumn('f32', n);
  for (let i = 0; i < n; i++) {
    frame[i] = i >> 3;
    x[i] = 50 + i * 7.25;
    photons[i] = 800 + (i % 300);
    precision[i] = 9 + (i % 11);
  }
  return { length: n, columns: { frame, x, y: x.slice().reverse(), photons, precision } };
}

beforeEach(() => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  locsStore.getState().clear();
  tracksStore.getState().clear();
  markersStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
  movieStore.setState({ result: null, built: null, status: 'idle', threshold: null });
});

test('every field survives save → open → restore, deep-equal, with nothing recomputed', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'demo');
  const info = dataStore.getState().stacks[0].info;
  dataStore.getState().setOverride(info.id, 'pixelSizeNm', 107);

  localizeParamsStore.getState().set({ thresholdFactor: 1.25, firstFrame: 2, lastFrame: 90, fitter: 'lsq' });
  const plan = {
    stackId: info.id,
    channel: 0,
    params: { pixelSizeNm: 107, sigmaNm: 125 },
    frames: { start: 1, end: 90 },
    roi: undefined,
  };
  locsStore.getState().load(info.id, locs(720), { kind: 'localize', signature: JSON.stringify(plan), plan });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 900' } as never]);

  const built: BuiltMovie = {
    grid: { x0Nm: 0, y0Nm: 0, width: 100, height: 80, pixelNm: 40 },
    roi: { x0: 0, y0: 0, x1: 40, y1: 32 },
    window: 100,
    step: 20,
    rawFrames: 400,
    rawFrameIntervalS: 0.005,
    cameraPixelNm: 107,
    stackId: info.id,
    channels: 2,
  };
  const structures = structureResult(16, 9);
  movieStore.getState().setParams({ window: 100, step: 20, renderPxNm: 40 });
  movieStore.setState({
    built,
    status: 'ready',
    result: structures,
    threshold: structures.threshold,
    method: 'manual',
    manualThreshold: 0.0375,
    smoothSigmaPx: 0.5,
    connectivity: 26,
    colormap: 'viridis',
    showOutlines: false,
    frame: 5,
  });

  const tr = tracksResult();
  const dist = distanceResult(tr);
  const tp = { ...defaultTracksParams(info), radiusNm: 150, cutoffNm: 250 };
  tracksStore.setState({
    stackId: info.id,
    params: tp,
    tracks: tr,
    tracksStackId: info.id,
    tracksKey: trackingKey(tp),
    trackStatus: 'done',
    distances: dist,
    distancesKey: distanceKey(tp),
    distancesTracks: tr,
    distanceStatus: 'done',
    selectedTrack: 7,
    colouring: 'time',
    histogramUnits: 'percent',
  });
  markersStore.getState().loadResult(info.id, defaultMarkersParams(info), markersResult(90), 'mk-key');

  uiStore.getState().setActiveStep('tracks');
  uiStore.getState().setCentreView('tracks');
  viewerStore.getState().setFrame(33);
  reconStore.getState().setPixelNm(12);
  reconStore.getState().setScaleBar(false);

  const base = {
    title: 'HeLa + EV uptake, coverslip 3',
    notes: 'line 1\nline 2 <b>not bold</b>\ttabbed',
    created: '2025-11-30T08:15:00.000Z',
  };
  const now = new Date('2026-01-02T03:04:05Z');
  const first = await captureSession({ appVersion: 't', fingerprint, base, now });
  const opened = openSessionFile(saveSessionFile(first.session, first.tables), { fileName: 'x.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  expect(opened.session).toMatchObject(base);

  // Scramble every store so the restore has to put each field back.
  localizeParamsStore.getState().reset();
  postStore.getState().setSteps([]);
  tracksStore.getState().clear();
  markersStore.getState().clear();
  movieStore.setState({ result: null, threshold: null, method: 'otsu', colormap: 'hot', frame: 0 });
  uiStore.getState().setActiveStep('data');
  uiStore.getState().setCentreView('raw');
  viewerStore.getState().setFrame(0);
  reconStore.getState().setPixelNm(40);

  // The movie frames are not in the file (they come from the localizations); the structure
  // analysis is, so labelling must not run again.
  const buildMovie = vi.fn(async () => {
    movieStore.setState({
      built,
      status: 'ready',
      result: null,
      threshold: null,
      info: { ready: 16 } as never,
    });
  });
  const analyseStructures = vi.fn(async () => {
    throw new Error('the structures were recomputed');
  });
  const report = await restoreSession(opened, { actions: fakeActions(), buildMovie, analyseStructures });
  expect(report.warnings).toEqual([]);
  expect(buildMovie).toHaveBeenCalledTimes(1);
  expect(analyseStructures).not.toHaveBeenCalled();
  expect(movieStore.getState().result).toEqual(structures);
  expect(movieStore.getState().resultFromSession).toBe(true);

  const again = await captureSession({
    appVersion: 't',
    fingerprint,
    base: { title: opened.session.title, notes: opened.session.notes, created: opened.session.created },
    now,
  });
  expect(again.session).toEqual(first.session);
  expect(again.tables.map((t) => t.name)).toEqual(first.tables.map((t) => t.name));
  expect(again.tables).toEqual(first.tables);
  for (const [k, t] of first.tables.entries())
    for (const [c, col] of Object.entries(t.columns))
      expect(again.tables[k].columns[c].constructor, `${t.name}.${c}`).toBe(col.constructor);
});

test('a session without a movie does not keep the previous session’s movie or structures', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'demo');
  const plain = await captureSession({ appVersion: 't', fingerprint });
  const opened = openSessionFile(saveSessionFile(plain.session, plain.tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  // The workbench still shows another session's analysed movie.
  movieStore.setState({ status: 'ready', result: structureResult(8, 3), threshold: 0.5 });
  await restoreSession(opened, { actions: fakeActions() });
  expect(movieStore.getState()).toMatchObject({ built: null, status: 'idle', result: null, threshold: null });
});
