// Ground-truth scoring state: which frames and channel are compared, the columns sent to the
// worker, and the loop that rescores as localizations arrive (against a fake stack service).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { presetParams } from '../../src/core/sim/presets';
import type { StackInfo, StackService, TruthComparison } from '../../src/engine/stackService';
import { makeDataActions } from '../../src/state/dataActions';
import { dataStore } from '../../src/state/dataStore';
import { locsStore } from '../../src/state/locsStore';
import { demoFromUrl, openDemo } from '../../src/state/simulationActions';
import {
  comparedChannel,
  comparedFrames,
  frameSpan,
  scoringColumns,
  startTruthScoring,
  truthStore,
} from '../../src/state/truthStore';

let nextId = 100;
function simInfo(frames = 50): StackInfo {
  const params = { ...presetParams('isolated'), frames };
  return {
    id: nextId++,
    name: 'simulated-isolated-seed1',
    files: [],
    recipe: { kind: 'simulated', params },
    width: params.width,
    height: params.height,
    frameCount: frames,
    channels: 1,
    dtype: 'uint16',
    meta: { flavour: 'simulated', byteOrder: 'little', simulated: true },
  };
}

const table = (frames: number[]) =>
  locTableFromColumns({
    frame: Uint32Array.from(frames),
    x: Float64Array.from(frames, () => 100),
    y: Float64Array.from(frames, () => 200),
    photons: Float32Array.from(frames, () => 1000),
  });

beforeEach(() => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  locsStore.getState().clear();
  truthStore.setState({ toleranceNm: 250, channel: null, frameScope: 'run', result: null, status: 'idle' });
});

describe('what is compared', () => {
  test('frames: the run’s range, the whole stack, or only what a streaming run has done', () => {
    expect(comparedFrames({ params: null, status: 'done', progress: null }, 100)).toEqual({
      start: 0,
      end: 100,
    });
    expect(
      comparedFrames({ params: { frames: { start: 20, end: 60 } }, status: 'done', progress: null }, 100),
    ).toEqual({ start: 20, end: 60 });
    const progress = { framesDone: 15, framesTotal: 40, localizations: 0, framesPerSecond: 1, etaSeconds: 1 };
    expect(
      comparedFrames({ params: { frames: { start: 20, end: 60 } }, status: 'running', progress }, 100),
    ).toEqual({ start: 20, end: 35 });
    expect(frameSpan(table([7, 3, 9, 3]))).toEqual({ start: 3, end: 10 });
    // The Localize step records its plan under `plan`.
    const localize = { kind: 'localize', plan: { channel: 1, frames: { start: 5, end: 9 } } };
    expect(comparedFrames({ params: localize, status: 'done', progress: null }, 100)).toEqual({
      start: 5,
      end: 9,
    });
    expect(comparedChannel({ channel: null }, { params: localize }, 2)).toBe(1);
  });

  test('channel: the user’s choice, else the run’s, clamped to the stack', () => {
    expect(comparedChannel({ channel: null }, { params: null }, 2)).toBe(0);
    expect(comparedChannel({ channel: null }, { params: { channel: 1 } }, 2)).toBe(1);
    expect(comparedChannel({ channel: 0 }, { params: { channel: 1 } }, 2)).toBe(0);
    expect(comparedChannel({ channel: 5 }, { params: null }, 2)).toBe(1);
  });

  test('only frame, x, y, channel are copied for the worker', () => {
    const t = table([1, 2]);
    const c = scoringColumns(t);
    expect(Object.keys(c.columns).sort()).toEqual(['frame', 'x', 'y']);
    expect(c.columns.x).not.toBe(t.columns.x);
    expect(Array.from(c.columns.x)).toEqual([100, 100]);
  });

  test('the URL chooses the demo', () => {
    expect(demoFromUrl('')).toBe('demo');
    expect(demoFromUrl('?demo=0')).toBeNull();
    expect(demoFromUrl('?demo=off')).toBeNull();
    expect(demoFromUrl('?demo=isolated')).toBe('isolated');
    expect(demoFromUrl('?demo=nonsense')).toBe('demo');
  });
});

describe('scoring loop', () => {
  let calls: { stackId: number; frames: unknown; toleranceNm: unknown; rows: number }[];
  let stop: () => void;
  const service = {
    scoreAgainstTruth: async (
      stackId: number,
      locs: { length: number },
      o: { frames?: unknown; toleranceNm?: unknown },
    ) => {
      calls.push({ stackId, frames: o.frames, toleranceNm: o.toleranceNm, rows: locs.length });
      return { jaccard: locs.length / 100 } as unknown as TruthComparison;
    },
  } as unknown as StackService;
  const settle = () => new Promise((r) => setTimeout(r, 30));

  beforeEach(() => {
    calls = [];
  });
  afterEach(() => stop?.());

  test('rescores on new localizations and settings, throttled; clears without localizations', async () => {
    const info = simInfo(50);
    dataStore.getState().addStack(info);
    stop = startTruthScoring(service, 10);
    await settle();
    expect(calls).toEqual([]);
    expect(truthStore.getState().result).toBeNull();

    locsStore.getState().startRun(info.id, { frames: { start: 0, end: 50 } }, 50);
    locsStore.getState().append(table([0, 1, 2]));
    locsStore
      .getState()
      .setProgress({ framesDone: 10, framesTotal: 50, localizations: 3, framesPerSecond: 1, etaSeconds: 1 });
    locsStore.getState().append(table([5, 6]));
    await settle();
    // One call for the burst, with what had arrived and only the frames done.
    expect(calls).toEqual([{ stackId: info.id, frames: { start: 0, end: 10 }, toleranceNm: 250, rows: 5 }]);
    expect(truthStore.getState().result?.jaccard).toBe(0.05);
    expect(truthStore.getState().resultStackId).toBe(info.id);

    truthStore.getState().setTolerance(100);
    await settle();
    expect(calls.at(-1)).toMatchObject({ toleranceNm: 100 });

    locsStore.getState().clear();
    await settle();
    expect(truthStore.getState().result).toBeNull();
    expect(truthStore.getState().status).toBe('idle');
  });

  test('stacks without truth, or localizations of another stack, are not scored', async () => {
    const plain = { ...simInfo(), recipe: { kind: 'files' as const, files: [] } };
    dataStore.getState().addStack(plain);
    locsStore.getState().load(plain.id, table([1]), {});
    stop = startTruthScoring(service, 10);
    await settle();
    const sim = simInfo();
    dataStore.getState().addStack(sim);
    await settle();
    expect(calls).toEqual([]);
  });
});

describe('demo on start', () => {
  test('a stack opened while the demo was simulated stays active', async () => {
    let finishDemo: (() => void) | null = null;
    const infos: StackInfo[] = [];
    const service = {
      openRecipe: () =>
        new Promise((resolve) => {
          finishDemo = () => resolve({ ok: true, info: simInfo() });
        }),
      open: async () => {
        const info = { ...simInfo(), name: 'mine.tif', recipe: { kind: 'files', files: [] } } as StackInfo;
        infos.push(info);
        return { ok: true, info };
      },
    } as unknown as StackService;
    const actions = makeDataActions(service);
    const demo = openDemo('isolated', actions);
    await actions.openFiles([new File([], 'mine.tif')]);
    finishDemo!();
    await expect(demo).resolves.toBe(true);
    const s = dataStore.getState();
    expect(s.stacks.map((x) => x.info.name)).toEqual(['mine.tif', 'simulated-isolated-seed1']);
    expect(s.activeId).toBe(infos[0].id);
  });
});
