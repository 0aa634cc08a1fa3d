// The Ca²⁺ worker API in-process (no thread): it opens the simulated stack from its recipe,
// streams partial ΔF/F₀ while reading, and returns what the core analysis returns. The store on
// top of it: find cells, edit, run, and a session's saved state back.
import { describe, expect, it } from 'vitest';
import { analyseCalcium } from '../../src/core/calcium';
import { presetParams, simulate } from '../../src/core/sim';
import type { CalciumBackend } from '../../src/engine/calciumService';
import type { StackInfo } from '../../src/engine/stackService';
import { captureCalcium, createCalciumStore, decodeLabels, encodeLabels } from '../../src/state/calciumStore';
import { type CalciumRunRequest, createCalciumApi } from '../../workers/calcium.api';

const params = presetParams('calcium');
params.width = 128;
params.height = 128;
params.frames = 160;
if (params.scene.kind === 'calcium') {
  params.scene.cellCount = 10;
  params.scene.addFrame = 60;
  params.scene.latencyMaxFrames = 40;
}
const recipe = { kind: 'simulated' as const, params };

function inProcessBackend(): CalciumBackend {
  const api = createCalciumApi(undefined, undefined, 0);
  return {
    meanImage: (ref, a, b, n) => api.meanImage(ref, a, b, n),
    segment: async (img, w, h, o) => api.segment(img, w, h, o),
    run: (req, onProgress) => api.run(req, onProgress),
  };
}

describe('calcium worker API', () => {
  it('streams ΔF/F₀ while reading and returns the core analysis result', async () => {
    const api = createCalciumApi(undefined, undefined, 0);
    const req: CalciumRunRequest = {
      recipe,
      channel: 0,
      params: { addFrame: 60, bleach: 'exp', frameIntervalS: 0.5 },
    };
    const seen: {
      framesDone: number;
      dff: Float32Array | null;
      count: number;
      responders: number | null;
      latencies: number[];
    }[] = [];
    const r = await api.run(req, (m) =>
      seen.push({
        framesDone: m.framesDone,
        dff: m.dff,
        count: m.count,
        responders: m.summary?.responders ?? null,
        latencies: (m.cells ?? []).filter((c) => c.responder).map((c) => c.latencyFrames),
      }),
    );
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)?.framesDone).toBe(160);
    const mid = seen.find((m) => m.dff && m.framesDone < 160);
    expect(mid).toBeDefined();
    if (mid?.dff) {
      const frames = 160;
      expect(Number.isNaN(mid.dff[frames - 1])).toBe(true);
      expect(Number.isFinite(mid.dff[0])).toBe(true);
    }
    expect(seen.filter((m) => m.framesDone < 60).every((m) => m.dff === null)).toBe(true);
    const direct = await analyseCalcium(simulate(params).stack, req.params);
    expect(r.count).toBe(direct.count);
    expect(r.cells.map((c) => c.responder)).toEqual(direct.cells.map((c) => c.responder));
    expect(r.summary).toEqual(direct.summary);
    // Responder counts stream in: never more than the final count, never falling, and the last
    // message (every frame read) has the final responders and latencies.
    const counts = seen.filter((m) => m.responders !== null).map((m) => m.responders!);
    expect(counts.length).toBeGreaterThan(1);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts.at(-1)).toBe(direct.summary.responders);
    expect(seen.at(-1)?.latencies).toEqual(
      direct.cells.filter((c) => c.responder).map((c) => c.latencyFrames),
    );
  }, 120_000);

  it('a cancelled run rejects', async () => {
    const api = createCalciumApi(undefined, undefined, 0);
    const p = api.run({ recipe, channel: 0, params: { addFrame: 60 } });
    setTimeout(() => api.cancel(), 5);
    await expect(p).rejects.toThrow();
  }, 60_000);
});

describe('calcium store', () => {
  const info = {
    id: 1,
    name: 'sim',
    files: [],
    width: 128,
    height: 128,
    frameCount: 160,
    channels: 1,
    dtype: 'uint16',
    meta: { flavour: 'simulated', byteOrder: 'little', frameIntervalMs: 500 },
    recipe,
  } as unknown as StackInfo;

  it('defaults from a simulated stack, finds cells, edits them, runs on the edited cells', async () => {
    const store = createCalciumStore(inProcessBackend);
    store.getState().forStack(info);
    const p = store.getState().params!;
    expect(p.addFrame).toBe(60);
    expect(p.baselineEnd).toBe(60);
    expect(p.bleach).toBe('exp');
    expect(p.frameIntervalS).toBe(0.5);
    await store.getState().prepare(info);
    expect(store.getState().count).toBe(10);
    store.getState().deleteCells([1]);
    expect(store.getState().count).toBe(9);
    expect(store.getState().cellSource).toBe('edited');
    const r = await store.getState().run(info);
    expect(r?.cells).toHaveLength(9);
    expect(store.getState().status).toBe('done');
    expect(store.getState().stale).toBe(false);
    store.getState().setParams({ k: 4 });
    expect(store.getState().stale).toBe(true);

    const saved = captureCalcium(store.getState());
    expect(saved).not.toBeNull();
    const round = JSON.parse(JSON.stringify(saved));
    const other = createCalciumStore(inProcessBackend);
    other.getState().loadSaved(round, 1);
    expect(other.getState().count).toBe(9);
    expect(Array.from(other.getState().labels!)).toEqual(Array.from(store.getState().labels!));
    expect(other.getState().result?.summary).toEqual(r?.summary);
    expect(other.getState().result?.dff).toBeNull();
  }, 120_000);

  it('bad parameters fail with the reason and nothing runs', async () => {
    const store = createCalciumStore(inProcessBackend);
    store.getState().forStack(info);
    store.getState().setParams({ baselineStart: 59 });
    expect(await store.getState().run(info)).toBeNull();
    expect(store.getState().error).toMatch(/at least 3/);
  });

  it('labels survive run-length coding', () => {
    const l = Int32Array.from([0, 0, 1, 1, 1, 0, 2, 2, 0]);
    expect(Array.from(decodeLabels(encodeLabels(l), l.length))).toEqual(Array.from(l));
    expect(() => decodeLabels('0,5', 9)).toThrow(/cover/);
    expect(() => decodeLabels('0,5;x,4', 9)).toThrow(/damaged/);
  });
});
