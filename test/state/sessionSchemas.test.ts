// Sessions through the parameter sets' schemas: a file written by main before the registration
// refactor opens unchanged, and a file with damaged values (an unknown colour map, connectivity 99,
// a window of 'abc') opens with one warning per bad field, that field at its default, the rest as saved.
import { readFileSync } from 'node:fs';
import { beforeEach, expect, test, vi } from 'vitest';
import { type Json, openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import { dataStore } from '../../src/state/dataStore';
import { DEFAULT_SETTINGS, localizeParamsStore } from '../../src/state/localizeParamsStore';
import { locsStore } from '../../src/state/locsStore';
import { markersStore } from '../../src/state/markersStore';
import { movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import { reconStore } from '../../src/state/reconStore';
import { registrationStore } from '../../src/state/registrationStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { tracksStore } from '../../src/state/tracksStore';
import { viewerStore } from '../../src/state/viewerStore';
import { fakeActions, fingerprint } from './sessionFixtures';

const MAIN = new URL('../fixtures/sessions/main-3186e6e.smlm', import.meta.url);

function openMain() {
  const opened = openSessionFile(new Uint8Array(readFileSync(MAIN)), { fileName: 'main.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  return opened;
}

beforeEach(() => {
  dataStore.setState({ stacks: [], tables: [], activeId: null, loading: null });
  locsStore.getState().clear();
  tracksStore.getState().clear();
  markersStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
  localizeParamsStore.getState().reset();
  movieStore.setState({ result: null, built: null, status: 'idle', threshold: null, colormap: 'gray' });
});

const buildMovie = vi.fn(async () => {});

test('a session written by main (3186e6e) opens without a warning and saves again as it was', async () => {
  const opened = openMain();
  const report = await restoreSession(opened, { actions: fakeActions(), buildMovie });
  expect(report.warnings).toEqual([]);
  expect(localizeParamsStore.getState().settings).toMatchObject({ thresholdFactor: 1.25, fitter: 'lsq' });
  expect(postStore.getState().steps).toEqual([{ kind: 'filter', expression: 'photons > 900' }]);
  expect(movieStore.getState()).toMatchObject({
    params: { window: 100, step: 20, renderPxNm: 40 },
    method: 'manual',
    connectivity: 8,
    colormap: 'viridis',
  });
  expect(tracksStore.getState().params).toMatchObject({ radiusNm: 150, cutoffNm: 250 });
  expect(tracksStore.getState().selectedTrack).toBe(7);
  expect(markersStore.getState().result?.length).toBe(90);
  expect(reconStore.getState()).toMatchObject({ pixelNm: 12, scaleBar: false });
  expect(viewerStore.getState().frame).toBe(33);

  const again = await captureSession({
    appVersion: 'main-3186e6e',
    fingerprint,
    now: new Date(opened.session.modified),
  });
  // The player frame belongs to a built movie; this one was saved unbuilt, so it is not set.
  const movie = again.session.steps.movie as Record<string, Json>;
  expect(movie.frame).toBe(0);
  // Settings added since 3186e6e (e.g. countByBrightness) come back at their defaults.
  const saved = opened.session.steps;
  const settings = { ...DEFAULT_SETTINGS, ...(saved.localizeSettings as object) };
  expect({ ...again.session.steps, movie: { ...movie, frame: 5 } }).toEqual({
    ...saved,
    localizeSettings: settings,
  });
  expect(again.session.view).toEqual(opened.session.view);
  expect(again.tables.map((t) => t.id).sort()).toEqual(opened.tables.map((t) => t.id).sort());
});

test('damaged values open with a warning each and their defaults; the rest of the session opens', async () => {
  const { session, tables } = openMain();
  const steps = session.steps as Record<string, Record<string, Json>>;
  steps.movie.colormap = 'not-a-map';
  steps.movie.connectivity = 99;
  (steps.movie.params as Record<string, Json>).window = 'abc';
  steps.localizeSettings.fitter = 'magic';
  (steps.tracks.params as Record<string, Json>).pooling = 'all';
  const recon = session.view.settings.recon as Record<string, Record<string, Json>>;
  recon.settings.colormap = 'jet';
  const opened = openSessionFile(saveSessionFile(session, tables), { fileName: 'damaged.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));

  const report = await restoreSession(opened, { actions: fakeActions(), buildMovie });
  expect(report.warnings).toEqual([
    'localizeSettings.fitter: "magic" is not one of "mle", "lsq", "wlsq", "mle-multi": using the default "mle"',
    'tracks.params.pooling: "all" is not one of "nearest", "pooled": using the default "nearest"',
    'movie.params.window: expected a number, got "abc": using the default 1002',
    'movie.connectivity: 99 is not one of 8, 26: using the default 26',
    'movie.colormap: "not-a-map" is not one of "gray", "inferno", "viridis", "hot", "green", "magenta": using the default "hot"',
    'recon.settings.colormap: "jet" is not one of "hot", "inferno", "viridis", "gray", "hue": using the default "hot"',
  ]);
  // Each bad field at its default, its neighbours as saved.
  expect(movieStore.getState()).toMatchObject({
    colormap: 'hot',
    connectivity: 26,
    method: 'manual',
    params: { window: 1002, step: 20, renderPxNm: 40 },
  });
  expect(localizeParamsStore.getState().settings).toMatchObject({ fitter: 'mle', thresholdFactor: 1.25 });
  expect(tracksStore.getState().params).toMatchObject({ pooling: 'nearest', radiusNm: 150 });
  expect(reconStore.getState().settings.colormap).toBe('hot');
  expect(reconStore.getState().pixelNm).toBe(12);
  // The results the file carries still show.
  expect(locsStore.getState().count).toBe(720);
  expect(markersStore.getState().result?.length).toBe(90);
  expect(tracksStore.getState().tracks?.tracks.length).toBe(480);
});

test('two-colour registrations travel per stack; a singular affine is left out with a warning', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'demo');
  const info = dataStore.getState().stacks[0].info;
  registrationStore.getState().setAffine(info.id, 1, [1.01, 0.002, 35.5, -0.001, 0.99, -12.25]);
  registrationStore.getState().setAffine(info.id, 2, [1, 0, 4, 0, 1, -2]);
  const saved = structuredClone(registrationStore.getState().byStack[info.id]);
  const first = await captureSession({ appVersion: 't', fingerprint });
  expect(Object.keys((first.session.steps.registration as { stacks: object }).stacks)).toEqual(['s1']);

  registrationStore.getState().restore({ byStack: {} });
  const opened = openSessionFile(saveSessionFile(first.session, first.tables), { fileName: 'reg.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const report = await restoreSession(opened, { actions: fakeActions(), buildMovie });
  expect(report.warnings).toEqual([]);
  const back = dataStore.getState().stacks[0].info.id;
  expect(back).not.toBe(info.id);
  expect(registrationStore.getState().byStack[back]).toEqual(saved);

  const stacks = (first.session.steps.registration as { stacks: Record<string, Record<string, Json>[]> })
    .stacks;
  stacks.s1[1].toReference = [0, 0, 0, 0, 0, 0];
  const damaged = openSessionFile(saveSessionFile(first.session, first.tables), { fileName: 'reg2.smlm' });
  if (!damaged.ok) throw new Error(damaged.errors.join('\n'));
  const r2 = await restoreSession(damaged, { actions: fakeActions(), buildMovie });
  expect(r2.warnings).toEqual([
    'registration.stacks.s1[1].toReference: the transform is singular (a·e − b·d = 0): it would collapse the image: this channel is not registered',
  ]);
  const id2 = dataStore.getState().stacks[0].info.id;
  expect(registrationStore.getState().byStack[id2]).toEqual({ 1: saved[1] });
});
