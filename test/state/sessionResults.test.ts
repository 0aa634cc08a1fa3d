// A session opened without its raw stack still shows the Tracks & distances results and the
// EV-marker result: capture → .smlm bytes → open → restore → the stores hold equal results.
import { beforeEach, expect, test } from 'vitest';
import { openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { dataStore } from '../../src/state/dataStore';
import { locsStore } from '../../src/state/locsStore';
import { defaultMarkersParams } from '../../src/state/markersParams';
import { markersStore } from '../../src/state/markersStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { defaultTracksParams, distanceKey, trackingKey } from '../../src/state/tracksParams';
import { distancesStale, tracksStore } from '../../src/state/tracksStore';
import { distanceResult, fakeActions, fingerprint, markersResult, tracksResult } from './sessionFixtures';

beforeEach(() => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  locsStore.getState().clear();
  tracksStore.getState().clear();
  markersStore.getState().clear();
});

test('tracks, distances and the EV-marker result come back from a session file without the raw stack', async () => {
  const actions = fakeActions();
  const bytes = new Uint8Array([9, 8, 7, 6, 5]);
  await actions.openRecipe(
    { kind: 'files', files: [{ name: 'evs.tif', blob: new Blob([bytes]) }] },
    'evs.tif',
  );
  const info = dataStore.getState().stacks[0].info;

  const tr = tracksResult();
  const dist = distanceResult(tr);
  const params = { ...defaultTracksParams(info), radiusNm: 180, cutoffNm: 200 };
  tracksStore.setState({
    stackId: info.id,
    params,
    tracks: tr,
    tracksStackId: info.id,
    tracksKey: trackingKey(params),
    trackStatus: 'done',
    distances: dist,
    distancesKey: distanceKey(params),
    distancesTracks: tr,
    distanceStatus: 'done',
    selectedTrack: 4,
    colouring: 'distance',
    histogramUnits: 'counts',
  });
  const mk = markersResult(150);
  const mkParams = defaultMarkersParams(info);
  markersStore.getState().loadResult(info.id, mkParams, mk, 'key-1');

  const { session, tables } = await captureSession({ appVersion: 'test', fingerprint });
  expect(session.steps.tracks).toBeDefined();
  // Every table has a distinct name and named columns (no c0…cN), with units where they have one.
  const names = tables.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  for (const t of tables) for (const c of Object.keys(t.columns)) expect(c, t.name).not.toMatch(/^c\d+$/);
  const byName = (n: string) => tables.find((t) => t.name === n)!;
  expect(Object.keys(byName('distances_ev').columns)).toEqual([
    'track',
    'frame',
    'x [nm]',
    'y [nm]',
    'distance [nm]',
  ]);
  expect(Object.keys(byName('distances_control').columns)).toEqual([
    'frame',
    'x [nm]',
    'y [nm]',
    'distance [nm]',
  ]);
  for (const n of ['distances_ev', 'distances_control']) {
    expect(byName(n).units).toMatchObject({ 'x [nm]': 'nm', 'distance [nm]': 'nm', frame: '' });
    expect(byName(n).kind).toBe('distances');
  }
  expect(byName('distances_ev').length).toBe(dist.coloc.distances.length);
  expect(byName('distances_control').columns['distance [nm]']).toBe(dist.coloc.control.distance);
  expect(Object.keys(byName('tracks').columns)).toEqual(['track', 'frame', 'x [nm]', 'y [nm]', 'intensity']);
  expect(byName('track_summary').units['D [um^2/s]']).toBe('um^2/s');
  expect(byName('distance_histogram').units['binStart [nm]']).toBe('nm');
  expect(Object.keys(byName('EV marker counts').columns)).toContain('x [nm]');
  expect(byName('EV marker counts').units['x [nm]']).toBe('nm');
  const file = saveSessionFile(session, tables);
  const opened = openSessionFile(file);
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const markersBefore = markersStore.getState().result;
  tracksStore.getState().clear();

  const report = await restoreSession(opened, { actions: fakeActions() });
  expect(report.missing.map((m) => m.label)).toEqual(['evs.tif']);
  expect(report.warnings).toEqual([]);

  const t = tracksStore.getState();
  expect(t.stackId).toBeNull();
  expect(t.trackStatus).toBe('done');
  expect(t.distanceStatus).toBe('done');
  expect(t.tracks).toEqual(tr);
  expect(t.tracks?.tracks.columns.x).toBeInstanceOf(Float64Array);
  expect(t.distances).toEqual(dist);
  expect(t.distances?.coloc.ks).toEqual(dist.coloc.ks);
  expect(t.distances?.coloc.durationFit).toEqual(dist.coloc.durationFit);
  expect(t.distances?.coloc.evHistogram.overflow).toBeGreaterThan(0);
  expect(t.distancesTracks).toBe(t.tracks);
  expect(t.selectedTrack).toBe(4);
  expect(t.colouring).toBe('distance');
  expect(t.histogramUnits).toBe('counts');

  const m = markersStore.getState();
  expect(m.status).toBe('done');
  expect(m.result).toEqual(markersBefore);
  expect(m.result?.classification.subtype).toBeInstanceOf(Int32Array);
  expect(m.result?.statistics).toEqual(mk.statistics);
  expect(m.params).toEqual(mkParams);
});

test('restored parameters go back to the tracks step when the stack is re-created', async () => {
  const actions = fakeActions();
  await actions.openRecipe(
    { kind: 'files', files: [{ name: 'a.tif', blob: new Blob([new Uint8Array(4)]) }] },
    'a.tif',
  );
  const info = dataStore.getState().stacks[0].info;
  const params = { ...defaultTracksParams(info), window: 30, maxGap: 4 };
  tracksStore.setState({ stackId: info.id, params });
  const { session, tables } = await captureSession({ appVersion: 'test', fingerprint });
  const opened = openSessionFile(saveSessionFile(session, tables));
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const files = new Map([['in1', new File([new Uint8Array(4)], 'a.tif')]]);
  await restoreSession(opened, { actions: fakeActions(), files });
  const t = tracksStore.getState();
  expect(t.stackId).toBe(dataStore.getState().stacks[0].info.id);
  expect(t.params).toEqual(params);
  expect(t.tracks).toBeNull();
  expect(distancesStale(t)).toBe(false);
});

test('a hostile tracks section is refused with a reason', async () => {
  const actions = fakeActions();
  await actions.openRecipe(
    { kind: 'files', files: [{ name: 'a.tif', blob: new Blob([new Uint8Array(4)]) }] },
    'a.tif',
  );
  const { session, tables } = await captureSession({ appVersion: 'test', fingerprint });
  session.steps.tracks = { params: { radiusNm: '<script>'.repeat(20) }, colouring: 'rainbow' };
  expect(() => saveSessionFile(session, tables)).toThrow(/tracks/);
});
