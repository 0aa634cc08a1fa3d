// Results belong to the input they were computed from: switching the active stack or table
// switches every result store, a localization run keeps writing into its own stack while another
// is shown, and closing an input drops its results.
import { beforeEach, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import type { LocalizeEngine } from '../../src/engine/localizeService';
import type { StackInfo } from '../../src/engine/stackService';
import { dataStore } from '../../src/state/dataStore';
import { hasStashed } from '../../src/state/inputResults';
import { makeLocalizeActions } from '../../src/state/localizeActions';
import { DEFAULT_SETTINGS, localizeParamsStore } from '../../src/state/localizeParamsStore';
import { locsStore, locsTable } from '../../src/state/locsStore';
import { DEFAULT_MOVIE_PARAMS } from '../../src/state/movieParams';
import { movieSource, movieStore } from '../../src/state/movieStore';
import { postStore } from '../../src/state/postStore';
import { tracksStore } from '../../src/state/tracksStore';

const stack = (id: number, frameCount = 6): StackInfo => ({
  id,
  name: `s${id}.tif`,
  files: [`s${id}.tif`],
  recipe: { kind: 'files', files: [] },
  width: 32,
  height: 32,
  frameCount,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100 },
});

const rows = (n: number, frame = 0) =>
  locTableFromColumns({
    frame: Uint32Array.from({ length: n }, () => frame),
    x: Float64Array.from({ length: n }, (_, i) => i * 100),
    y: Float64Array.from({ length: n }, (_, i) => i * 50),
  });

const d = () => dataStore.getState();
const select = (id: number) => d().setActive(id);

beforeEach(() => {
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  locsStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
  movieStore.getState().setParams({ ...DEFAULT_MOVIE_PARAMS, source: undefined });
  localizeParamsStore.getState().load(DEFAULT_SETTINGS);
});

test('each input shows its own localizations and post-processing steps after every switch', () => {
  d().addStack(stack(1));
  locsStore.getState().load(1, rows(811), { source: 'run' });
  postStore.getState().addStep({ kind: 'filter', expr: 'photons > 100' } as never);
  d().addStack(stack(2));
  // A fresh stack offers nothing computed on the other.
  expect(locsStore.getState().count).toBe(0);
  expect(postStore.getState().steps).toEqual([]);
  locsStore.getState().load(2, rows(45), { source: 'b.csv' });
  const table = d().addTable({ name: 'tubulins.csv', count: 7, format: 'ThunderSTORM CSV' });
  expect(locsStore.getState().count).toBe(0);
  locsStore.getState().load(table, rows(7), { source: 'tubulins.csv' });

  for (const [id, n, steps] of [
    [1, 811, 1],
    [2, 45, 0],
    [table, 7, 0],
    [1, 811, 1],
    [table, 7, 0],
    [2, 45, 0],
  ] as const) {
    select(id);
    const l = locsStore.getState();
    expect([l.stackId, l.count, locsTable().length]).toEqual([id, n, n]);
    expect(postStore.getState().steps).toHaveLength(steps);
  }
});

test('undo history stays with its input', () => {
  d().addStack(stack(1));
  postStore.getState().addStep({ kind: 'filter', expr: 'photons > 100' } as never);
  postStore.getState().addStep({ kind: 'filter', expr: 'sigma < 200' } as never);
  d().addStack(stack(2));
  postStore.getState().undo();
  expect(postStore.getState().steps).toEqual([]);
  select(1);
  postStore.getState().undo();
  expect(postStore.getState().steps).toHaveLength(1);
});

test('a run keeps filling its own stack while another is shown, and resolves with its complete table', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const engine: LocalizeEngine = {
    workers: 1,
    async run(req) {
      const { start, end } = req.frames!;
      for (let f = start; f < end; f++) {
        if (f === start + 2) await gate;
        req.onChunk?.(rows(10, f), { chunkIndex: f - start, firstFrame: f, frameCount: 1 });
      }
      return {
        framesDone: end - start,
        localizations: 10 * (end - start),
        seconds: 1,
        framesPerSecond: 1,
        cancelled: false,
      };
    },
    preview: () => Promise.reject(new Error('not used')),
  };
  const actions = makeLocalizeActions(engine, { data: dataStore, notify: () => {} });
  d().addStack(stack(1));
  d().addStack(stack(2));
  locsStore.getState().load(2, rows(3), { source: 'two.csv' });
  select(1);
  const run = actions.start();
  // Chunks are committed in batches a few times a second: the second one follows shortly.
  await expect.poll(() => locsStore.getState().count, { timeout: 5000 }).toBe(20);
  select(2);
  release();
  const out = await run;
  // The other stack's table was never touched.
  expect(locsStore.getState()).toMatchObject({ stackId: 2, count: 3, status: 'done' });
  expect(out).toEqual({ count: 60, status: 'done' });
  select(1);
  expect(locsStore.getState()).toMatchObject({ stackId: 1, count: 60, status: 'done' });
  expect(new Set(locsTable().columns.frame)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
});

test('starting a run on another stack while one runs is refused with the running stack named', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const engine: LocalizeEngine = {
    workers: 1,
    async run() {
      await gate;
      return { framesDone: 0, localizations: 0, seconds: 0, framesPerSecond: 0, cancelled: false };
    },
    preview: () => Promise.reject(new Error('not used')),
  };
  const notices: string[] = [];
  const actions = makeLocalizeActions(engine, {
    data: dataStore,
    notify: (_k, _t, m) => void notices.push(m),
  });
  d().addStack(stack(1));
  d().addStack(stack(2));
  select(1);
  const run = actions.start();
  select(2);
  const other = await actions.start();
  expect(other.status).toBe('failed');
  expect(other.error).toMatch(/s1\.tif is still running/);
  release();
  await run;
});

test('a closed input takes its results with it', () => {
  d().addStack(stack(1));
  locsStore.getState().load(1, rows(5), null);
  d().addStack(stack(2));
  expect(hasStashed(1)).toBe(true);
  d().removeStack(1);
  expect(hasStashed(1)).toBe(false);
  expect(locsStore.getState().stackId).toBeNull();
});

test('the movie source defaults to the post-processed table only when steps exist, per input', () => {
  d().addStack(stack(1));
  expect(movieSource()).toBe('raw');
  postStore.getState().addStep({ kind: 'filter', expr: 'photons > 100' } as never);
  expect(movieSource()).toBe('post');
  movieStore.getState().setParams({ source: 'raw', roi: { x0: 0, y0: 0, x1: 16, y1: 16 } });
  expect(movieSource()).toBe('raw');
  d().addStack(stack(2));
  // Settings carry over to a new input, but the region belongs to the other camera.
  expect(movieStore.getState().params.roi).toBeNull();
  expect(movieSource()).toBe('raw');
  select(1);
  expect(movieStore.getState().params.roi).toEqual({ x0: 0, y0: 0, x1: 16, y1: 16 });
});

test('tracks parameters and results come back with their stack and never show on another', () => {
  d().addStack(stack(1));
  tracksStore.getState().forStack(stack(1));
  tracksStore.getState().setParams({ radiusNm: 321 });
  tracksStore.setState({ trackStatus: 'done', tracksStackId: 1 });
  d().addStack(stack(2));
  expect(tracksStore.getState()).toMatchObject({ params: null, trackStatus: 'idle', tracksStackId: null });
  select(1);
  expect(tracksStore.getState().params?.radiusNm).toBe(321);
  expect(tracksStore.getState().trackStatus).toBe('done');
});
