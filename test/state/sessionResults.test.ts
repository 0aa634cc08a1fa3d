// A session opened without its raw stack still shows the Tracks & distances results and the
// EV-marker result: capture → .smlm bytes → open → restore → the stores hold equal results.
import { beforeEach, expect, test } from 'vitest';
import { analyzeColocalization } from '../../src/core/coloc/analysis';
import { classifyEvs, subtypeStatistics } from '../../src/core/ev/classify';
import { fingerprintBytes, openSessionFile, saveSessionFile } from '../../src/core/session/index';
import { summarizeTracks } from '../../src/core/spt/summary';
import type { TrackTable } from '../../src/core/spt/types';
import type { MarkersResult } from '../../src/engine/markersService';
import type { StackInfo, StackRecipe } from '../../src/engine/stackService';
import type { DistanceResult, TracksResult } from '../../src/engine/tracksService';
import { makeDataActions } from '../../src/state/dataActions';
import { dataStore } from '../../src/state/dataStore';
import { locsStore } from '../../src/state/locsStore';
import { defaultMarkersParams } from '../../src/state/markersParams';
import { markersStore } from '../../src/state/markersStore';
import { captureSession, restoreSession } from '../../src/state/sessionCapture';
import { defaultTracksParams, distanceKey, trackingKey } from '../../src/state/tracksParams';
import { distancesStale, tracksStore } from '../../src/state/tracksStore';

let nextId = 500;
function fakeActions() {
  const service = {
    openRecipe: async (recipe: StackRecipe, _id: number, label: string) => {
      const info: StackInfo = {
        id: nextId++,
        name: label,
        files: [],
        recipe,
        width: 64,
        height: 48,
        frameCount: 400,
        channels: 3,
        dtype: 'uint16',
        meta: { flavour: 'multipage', byteOrder: 'little' },
      };
      return { ok: true as const, info };
    },
    close: () => {},
    cancel: () => {},
  };
  return makeDataActions(service as never);
}

const fingerprint = async (b: Blob) => fingerprintBytes(new Uint8Array(await b.arrayBuffer()));

/** 12 tracks of 40 positions, wandering near a structure edge at x = 2000 nm. */
function tracksResult(): TracksResult {
  const n = 12 * 40;
  const track = new Uint32Array(n);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const intensity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / 40);
    track[i] = k * 3 + 1;
    frame[i] = (i % 40) + k;
    x[i] = 1500 + k * 80 + 30 * Math.sin(i * 0.7);
    y[i] = 1000 + 25 * Math.cos(i * 1.3) + (i % 40) * 3;
    intensity[i] = 500 + (i % 17);
  }
  const tracks: TrackTable = { length: n, columns: { track, frame, x, y, intensity } };
  return {
    tracks,
    summary: summarizeTracks(tracks, { frameInterval: 0.005 }),
    source: { kind: 'tracked', channel: 1 },
    detections: 530,
    tracksBefore: 15,
    segments: 14,
    gapsClosed: 3,
    elapsedMs: 12.5,
  };
}

function distanceResult(t: TracksResult): DistanceResult {
  const c = t.tracks.columns;
  const positions = { length: t.tracks.length, columns: { track: c.track, frame: c.frame, x: c.x, y: c.y } };
  // Frame 3 has no structure (+∞ distances), so the file must carry non-finite values too.
  const provider = { distance: (f: number, px: number) => (f === 3 ? Number.POSITIVE_INFINITY : px - 2000) };
  const coloc = analyzeColocalization(positions, provider, {
    movieFrames: 60,
    frameInterval: 0.03,
    controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: 6400, y1: 4800 },
    controlPerFrame: 20,
    controlSeed: 7,
  });
  return {
    coloc,
    grid: { x0Nm: 0, y0Nm: 0, width: 320, height: 240, pixelNm: 20 },
    movieFrames: 60,
    movieFrameIntervalS: 0.03,
    window: 50,
    step: 6,
    threshold: 0.42,
    thresholdKind: 'otsu',
    structureCoverage: 0.12,
    cellMask: {
      width: 16,
      height: 12,
      pixelNm: 400,
      mask: new Uint8Array(192).fill(1),
      threshold: 3,
      coverage: 1,
    },
    evPositions: t.tracks.length,
    elapsedMs: 88,
  };
}

function markersResult(n: number): MarkersResult {
  const id = new Uint32Array(n);
  const xs = new Float64Array(n);
  const cd9 = new Float64Array(n);
  const cd63 = new Float64Array(n);
  const probe = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = i + 1;
    xs[i] = 100 * i;
    cd9[i] = i % 3;
    cd63[i] = (i >> 1) % 3;
    probe[i] = i % 5;
  }
  const columns = { id, x: xs, y: xs.slice(), 'CD9 steps': cd9, 'CD63 steps': cd63, 'ALIX steps': probe };
  const channels = [
    { name: 'CD9', role: 'marker' as const, threshold: 1 },
    { name: 'CD63', role: 'marker' as const, threshold: 1 },
    { name: 'ALIX', role: 'probe' as const, threshold: 0 },
  ];
  const classification = classifyEvs(columns, channels, 'steps');
  return {
    length: n,
    columns,
    classification,
    statistics: subtypeStatistics(classification, 'welch', { seed: 3 } as never),
    channels: channels.map(
      (c, k) => ({ name: c.name, role: c.role, channel: k, unit: null, noise: null }) as never,
    ),
    nFrames: 400,
    frameStart: 0,
    pixelSizeNm: 107,
    dropped: { edge: 2, overlap: 1 } as never,
    warnings: ['one channel is dim'],
    registration: null,
    elapsedMs: 321,
  };
}

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
    expect(byName(n).units).toMatchObject({ 'x [nm]': 'nm', 'distance [nm]': 'nm', frame: 'frame' });
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
