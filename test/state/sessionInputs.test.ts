// A session keeps the results of every open input, not only the one on screen: two stacks, each
// with its own localizations, post-processing steps and tracks → capture (without switching the
// active input) → file → open into a fresh workbench → switching between the stacks shows each
// one's own results, and capturing again writes the same session.
import { beforeEach, expect, test } from 'vitest';
import { allocColumn, type LocTable } from '../../src/core/locs/table';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { presetParams } from '../../src/core/sim/presets';
import { dataStore } from '../../src/state/dataStore';
import { activeInput, hasStashed, resetInputResults } from '../../src/state/inputResults';
import { locsStore, locsTable } from '../../src/state/locsStore';
import { movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { defaultTracksParams, trackingKey } from '../../src/state/tracksParams';
import { tracksStore } from '../../src/state/tracksStore';
import { fakeActions, fingerprint, tracksResult } from './sessionFixtures';

/** `n` localizations whose values depend on `seed`, so two stacks' tables never coincide. */
function locs(n: number, seed: number): LocTable {
  const frame = allocColumn('u32', n);
  const x = allocColumn('f64', n);
  const photons = allocColumn('f32', n);
  for (let i = 0; i < n; i++) {
    frame[i] = i >> 2;
    x[i] = seed * 1000 + i * 3.5;
    photons[i] = 500 + seed * 100 + (i % 50);
  }
  return { length: n, columns: { frame, x, y: x.slice().reverse(), photons } };
}

function reset(): void {
  dataStore.setState({ stacks: [], tables: [], activeId: null, loading: null });
  resetInputResults();
  locsStore.getState().clear();
  tracksStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
  movieStore.setState({ result: null, built: null, status: 'idle', threshold: null });
}

beforeEach(reset);

const stackNamed = (name: string) => dataStore.getState().stacks.find((s) => s.info.name === name)!.info;

/** What the stores show for the input on screen. */
function shown() {
  const l = locsStore.getState();
  const t = tracksStore.getState();
  return {
    stack: dataStore.getState().stacks.find((s) => s.info.id === dataStore.getState().activeId)?.info.name,
    locsInput: l.stackId,
    x: Array.from(locsTable().columns.x),
    photons: Array.from(locsTable().columns.photons),
    post: postStore.getState().steps,
    tracksRadius: t.params?.radiusNm ?? null,
    tracks: t.tracks?.tracks.length ?? null,
  };
}

test('every open stack keeps its own results through save → open → switch', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'A');
  const a = stackNamed('A');
  locsStore.getState().load(a.id, locs(120, 1), { source: 'a.csv' });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 560' } as never]);
  const tp = { ...defaultTracksParams(a), radiusNm: 175 };
  tracksStore.setState({
    stackId: a.id,
    params: tp,
    tracks: tracksResult(),
    tracksStackId: a.id,
    tracksKey: trackingKey(tp),
    trackStatus: 'done',
  });

  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'B');
  const b = stackNamed('B');
  locsStore.getState().load(b.id, locs(45, 2), { source: 'b.csv' });
  postStore
    .getState()
    .setSteps([
      { kind: 'filter', expression: 'photons > 720' } as never,
      { kind: 'merge', radiusNm: 30, maxGapFrames: 2 } as never,
    ]);

  actions.select(a.id);
  const aShown = shown();
  actions.select(b.id);
  const bShown = shown();
  expect(aShown).toMatchObject({ stack: 'A', locsInput: a.id, tracksRadius: 175, tracks: 480 });
  expect(bShown).toMatchObject({ stack: 'B', locsInput: b.id, tracksRadius: null, tracks: null });
  expect(bShown.post).toHaveLength(2);

  // Capturing reads A from where it was put aside: nothing is switched (that would stop work).
  const version = locsStore.getState().version;
  const first = await captureSession({ appVersion: 't', fingerprint, now: new Date('2026-01-02T00:00:00Z') });
  expect(activeInput()).toBe(b.id);
  expect(locsStore.getState().version).toBe(version);
  expect(first.session.others?.map((o) => [o.stack, o.label])).toEqual([['s1', 'A']]);

  const opened = openSessionFile(saveSessionFile(first.session, first.tables), { fileName: 'two.smlm' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  reset();
  const report = await restoreSession(opened, { actions: fakeActions() });
  expect(report.warnings).toEqual([]);

  // B was on screen when saved and is on screen again; A comes back when switched to, twice over.
  const a2 = stackNamed('A');
  const b2 = stackNamed('B');
  expect(hasStashed(a2.id)).toBe(true);
  const expectShown = (want: ReturnType<typeof shown>, input: number) =>
    expect(shown()).toEqual({ ...want, locsInput: input });
  expectShown(bShown, b2.id);
  for (const [info, want] of [
    [a2, aShown],
    [b2, bShown],
    [a2, aShown],
  ] as const) {
    dataStore.getState().setActive(info.id);
    expectShown(want, info.id);
  }
  dataStore.getState().setActive(b2.id);

  const again = await captureSession({ appVersion: 't', fingerprint, now: new Date('2026-01-02T00:00:00Z') });
  expect(again.session).toEqual(first.session);
  expect(again.tables).toEqual(first.tables);
});

test('an imported table beside a stack keeps its localizations and steps too', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'A');
  const a = stackNamed('A');
  locsStore.getState().load(a.id, locs(30, 3), { source: 'run' });
  const table = dataStore
    .getState()
    .addTable({ name: 'tubulins.csv', count: 64, format: 'ThunderSTORM CSV' });
  locsStore.getState().load(table, locs(64, 4), { source: 'tubulins.csv' });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 900' } as never]);
  const tableShown = shown();
  actions.select(a.id);
  const aShown = shown();

  const first = await captureSession({ appVersion: 't', fingerprint });
  const opened = openSessionFile(saveSessionFile(first.session, first.tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  reset();
  expect((await restoreSession(opened, { actions: fakeActions() })).warnings).toEqual([]);

  expect(shown()).toEqual({ ...aShown, locsInput: stackNamed('A').id });
  const [t2] = dataStore.getState().tables;
  expect(t2).toMatchObject({ name: 'tubulins.csv', count: 64 });
  dataStore.getState().setActive(t2.id);
  expect(shown()).toEqual({ ...tableShown, locsInput: t2.id });
});

test('another input’s movie keeps its parameters and asks to be built again', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'A');
  const a = stackNamed('A');
  locsStore.getState().load(a.id, locs(40, 5), { source: 'a.csv' });
  movieStore.getState().setParams({ window: 123, step: 7 });
  movieStore.setState({ built: { stackId: a.id } as never, status: 'ready' });
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'B');

  const c = await captureSession({ appVersion: 't', fingerprint });
  expect(c.session.others?.[0].steps.movie).toMatchObject({ built: true, params: { window: 123, step: 7 } });
  const opened = openSessionFile(saveSessionFile(c.session, c.tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  reset();
  const buildMovie = async () => {
    throw new Error('only the movie on screen is rebuilt');
  };
  const report = await restoreSession(opened, { actions: fakeActions(), buildMovie });
  expect(report.warnings).toEqual(['the movie of "A" was not rebuilt: build it again when you show it']);
  dataStore.getState().setActive(stackNamed('A').id);
  const m = movieStore.getState();
  expect(m.params).toMatchObject({ window: 123, step: 7 });
  expect(m.built).toBeNull();
  expect(m.notes.join(' ')).toMatch(/build it again/);
  expect(locsStore.getState().count).toBe(40);
});

test('results of a stack whose files are not attached never land on another stack', async () => {
  const actions = fakeActions();
  await actions.openRecipe({ kind: 'simulated', params: presetParams('demo') }, 'B');
  locsStore.getState().load(stackNamed('B').id, locs(25, 6), { source: 'b.csv' });
  const file = { name: 'cells.tif', blob: new Blob([new Uint8Array([1, 2, 3])]) };
  await actions.openRecipe({ kind: 'files', files: [file] }, 'cells.tif');
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 900' } as never]);

  const c = await captureSession({ appVersion: 't', fingerprint });
  const opened = openSessionFile(saveSessionFile(c.session, c.tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  reset();
  const report = await restoreSession(opened, { actions: fakeActions() });
  expect(report.missing.map((m) => m.label)).toEqual(['cells.tif']);
  expect(report.warnings.join('\n')).toMatch(/stack that was on screen need its files/);
  const b = stackNamed('B');
  expect(dataStore.getState().activeId).toBe(b.id);
  expect(locsStore.getState()).toMatchObject({ stackId: b.id, count: 25 });
  expect(postStore.getState().steps).toEqual([]);
});
