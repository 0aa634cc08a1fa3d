import { beforeEach, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import type { LocalizeEngine, LocalizeRequest } from '../../src/engine/localizeService';
import type { StackInfo } from '../../src/engine/stackService';
import { dataStore } from '../../src/state/dataStore';
import { isLocalizeRecord, makeLocalizeActions } from '../../src/state/localizeActions';
import { DEFAULT_SETTINGS, localizeParamsStore } from '../../src/state/localizeParamsStore';
import { locsStore, locsTable } from '../../src/state/locsStore';

const info: StackInfo = {
  id: 41,
  name: 'run.tif',
  files: ['run.tif'],
  recipe: { kind: 'files', files: [] },
  width: 32,
  height: 32,
  frameCount: 10,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100 },
};

const chunk = (first: number, n: number) =>
  locTableFromColumns({
    frame: Uint32Array.from({ length: n }, () => first),
    x: Float64Array.from({ length: n }, (_, i) => i * 100),
  });

/** An engine that delivers one chunk per frame, pausing between them, and obeys the signal. */
function fakeEngine(opts: { failAt?: number } = {}) {
  const requests: LocalizeRequest[] = [];
  const engine: LocalizeEngine = {
    workers: 2,
    async run(req) {
      requests.push(req);
      let done = 0;
      for (let f = req.frames!.start; f < req.frames!.end; f++) {
        if (req.signal?.aborted) break;
        if (f === opts.failAt) throw new Error(`frame ${f}: the file ended early`);
        await new Promise<void>((r) => setTimeout(r, 0));
        req.onChunk?.(chunk(f, 3), { chunkIndex: done, firstFrame: f, frameCount: 1 });
        done++;
        req.onProgress?.({
          framesDone: done,
          framesTotal: req.frames!.end - req.frames!.start,
          localizations: done * 3,
          framesPerSecond: 100,
          etaSeconds: 0.1,
        });
      }
      const total = req.frames!.end - req.frames!.start;
      return {
        framesDone: done,
        localizations: done * 3,
        seconds: 0.1,
        framesPerSecond: 100,
        cancelled: done < total,
      };
    },
    preview: () => Promise.reject(new Error('not used')),
  };
  return { engine, requests };
}

const notices: string[] = [];
const stores = {
  data: dataStore,
  notify: (_k: string, title: string, message: string) => void notices.push(`${title}: ${message}`),
};

beforeEach(() => {
  notices.length = 0;
  locsStore.getState().clear();
  localizeParamsStore.getState().load(DEFAULT_SETTINGS);
  dataStore.setState({ stacks: [{ info, overrides: { offsetAdu: 100 } }], activeId: info.id });
});

test('a run streams every chunk into locsStore in order and ends done with its plan recorded', async () => {
  const { engine, requests } = fakeEngine();
  const actions = makeLocalizeActions(engine, stores);
  localizeParamsStore.getState().set({ firstFrame: 3, lastFrame: 8 });
  const out = await actions.start();
  expect(out).toEqual({ count: 18, status: 'done' });
  expect(requests[0].frames).toEqual({ start: 2, end: 8 });
  expect(requests[0].params.camera?.offsetAdu).toBe(100);
  expect([...new Set(locsTable().columns.frame)]).toEqual([2, 3, 4, 5, 6, 7]);
  const s = locsStore.getState();
  expect(s.progress?.framesDone).toBe(6);
  expect(isLocalizeRecord(s.params) && s.params.plan.stackId).toBe(41);
});

test('cancel keeps what was done; start while running returns the same run', async () => {
  const { engine, requests } = fakeEngine();
  const actions = makeLocalizeActions(engine, stores);
  const a = actions.start();
  expect(actions.start()).toBe(a);
  await new Promise((r) => setTimeout(r, 5));
  actions.cancel();
  const out = await a;
  expect(out.status).toBe('cancelled');
  expect(out.count).toBeGreaterThan(0);
  expect(out.count).toBeLessThan(30);
  expect(locsStore.getState().status).toBe('cancelled');
  expect(locsTable().length).toBe(out.count);
  expect(requests).toHaveLength(1);
  expect(actions.running).toBe(false);
});

test('a failure keeps the chunks found before it and says what went wrong', async () => {
  const actions = makeLocalizeActions(fakeEngine({ failAt: 4 }).engine, stores);
  const out = await actions.start();
  expect(out.status).toBe('failed');
  expect(out.count).toBe(12);
  expect(locsStore.getState().error).toMatch(/the file ended early/);
  expect(notices[0]).toMatch(/Localization of run.tif failed: frame 4/);
});

test('invalid settings or no stack refuse to start, with the reason', async () => {
  const actions = makeLocalizeActions(fakeEngine().engine, stores);
  localizeParamsStore.getState().set({ lastFrame: 11 });
  const out = await actions.start();
  expect(out.status).toBe('failed');
  expect(out.error).toMatch(/Last frame must be a whole number from 1 to 10/);
  expect(locsStore.getState().status).toBe('idle');
  dataStore.setState({ stacks: [], activeId: null });
  expect((await actions.start()).error).toMatch(/No stack is open/);
});

test('a table loaded elsewhere mid-run stops the run without writing into it', async () => {
  const actions = makeLocalizeActions(fakeEngine().engine, stores);
  const run = actions.start();
  await new Promise((r) => setTimeout(r, 3));
  locsStore.getState().load(41, chunk(0, 5), { source: 'import.csv' });
  await run;
  expect(locsStore.getState().count).toBe(5);
  expect(locsStore.getState().status).toBe('done');
});

test('a run stopped by a damaged frame keeps the frames before it and warns, naming the frame', async () => {
  const { engine } = fakeEngine();
  const partial: LocalizeEngine = {
    ...engine,
    async run(req) {
      const r = await engine.run({ ...req, frames: { start: req.frames!.start, end: 6 } });
      return {
        ...r,
        cancelled: false,
        failedFrame: { frame: 6, message: 'unsupported compression: code 33333' },
      };
    },
  };
  const kinds: string[] = [];
  const actions = makeLocalizeActions(partial, {
    data: dataStore,
    notify: (k, title, message) => {
      kinds.push(k);
      notices.push(`${title}: ${message}`);
    },
  });
  const out = await actions.start();
  expect(out.status).toBe('failed');
  expect(out.count).toBe(18);
  expect(locsTable().length).toBe(18);
  expect(locsStore.getState().error).toMatch(
    /frame 7 could not be read or localized: unsupported compression/,
  );
  expect(kinds).toEqual(['warning']);
  expect(notices[0]).toMatch(/stopped at frame 7/);
});

test('after cancelling a run stuck on a silent worker, a new run starts fresh instead of returning the stuck one', async () => {
  const requests: LocalizeRequest[] = [];
  let release: (() => void) | null = null;
  const stuck: LocalizeEngine = {
    workers: 1,
    run(req) {
      requests.push(req);
      if (requests.length === 1)
        // The first run waits on a worker that never answers (until the pool's deadline).
        return new Promise((resolve) => {
          release = () =>
            resolve({ framesDone: 0, localizations: 0, seconds: 30, framesPerSecond: 0, cancelled: true });
        });
      return fakeEngine().engine.run(req);
    },
    preview: () => Promise.reject(new Error('not used')),
  };
  const actions = makeLocalizeActions(stuck, stores);
  const first = actions.start();
  expect(actions.start()).toBe(first);
  actions.cancel();
  const second = actions.start();
  expect(second).not.toBe(first);
  const out = await second;
  expect(out).toEqual({ count: 30, status: 'done' });
  expect(requests).toHaveLength(2);
  // The stuck run ends later (the pool presumes its worker dead) without touching the new table.
  release!();
  await first;
  expect(locsStore.getState().count).toBe(30);
  expect(locsStore.getState().status).toBe('done');
  expect(actions.running).toBe(false);
});

test('a burst of chunks reaches the store in a few batches, all of them, in frame order', async () => {
  const engine: LocalizeEngine = {
    workers: 2,
    async run(req) {
      const { start, end } = req.frames!;
      // Chunks as fast as workers deliver them on a quiet machine: many per store commit.
      for (let f = start; f < end; f++) {
        await Promise.resolve();
        req.onChunk?.(chunk(f, 3), { chunkIndex: f - start, firstFrame: f, frameCount: 1 });
      }
      return {
        framesDone: end - start,
        localizations: 3 * (end - start),
        seconds: 0.01,
        framesPerSecond: 1e3,
        cancelled: false,
      };
    },
    preview: () => Promise.reject(new Error('not used')),
  };
  const writes: number[] = [];
  const unsub = locsStore.subscribe((s, prev) => {
    if (s.count !== prev.count) writes.push(s.count);
  });
  const out = await makeLocalizeActions(engine, stores).start();
  unsub();
  expect(out).toEqual({ count: 30, status: 'done' });
  expect([...locsTable().columns.frame]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((f) => [f, f, f]));
  // The first chunk shows at once; the other nine, arriving before the next commit is due, go
  // in one write when the run ends instead of each waking every listener.
  expect(writes).toEqual([3, 30]);
});

/** 60 spots per frame; a third hold two emitters (twice the photons of Gamma(10, 100) each). */
function brightnessEngine(): LocalizeEngine {
  const rng = new Rng(12);
  const run: LocalizeEngine['run'] = async (req) => {
    const frames = req.frames!.end - req.frames!.start;
    for (let f = req.frames!.start; f < req.frames!.end; f++) {
      const photons = Float32Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0 ? rng.gamma(10, 100) + rng.gamma(10, 100) : rng.gamma(10, 100),
      );
      const t = locTableFromColumns({
        frame: Uint32Array.from({ length: 60 }, () => f),
        x: Float64Array.from({ length: 60 }, (_, i) => i * 1000),
        y: new Float64Array(60),
        photons,
      });
      req.onChunk?.(t, { chunkIndex: f, firstFrame: f, frameCount: 1 });
    }
    return {
      framesDone: frames,
      localizations: 60 * frames,
      seconds: 0.1,
      framesPerSecond: 100,
      cancelled: false,
    };
  };
  return { workers: 1, run, preview: () => Promise.reject(new Error('not used')) };
}

test('mle-multi: a finished run counts coincident emitters by brightness and says so; off or mle: not', async () => {
  const actions = makeLocalizeActions(brightnessEngine(), stores);
  localizeParamsStore.getState().set({ fitter: 'mle-multi' });
  const counted = await actions.start();
  expect(counted.status).toBe('done');
  // 200 of the 600 spots hold two emitters; the most probable count gets nearly all of them.
  expect(counted.count).toBeGreaterThan(600 + 170);
  expect(counted.count).toBeLessThan(600 + 230);
  expect(locsTable().length).toBe(counted.count);
  expect(notices.some((n) => /brightness counting: one emitter ≈ \d+ photons/.test(n))).toBe(true);

  notices.length = 0;
  localizeParamsStore.getState().set({ countByBrightness: false });
  expect((await actions.start()).count).toBe(600);
  localizeParamsStore.getState().set({ fitter: 'mle', countByBrightness: true });
  expect((await actions.start()).count).toBe(600);
  expect(notices).toEqual([]);
});
