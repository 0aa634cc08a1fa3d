// The EV-marker worker's API over a real MessageChannel (structured cloning, transfers, comlink
// proxies), through the engine's backend and the store as the page uses them: a simulated
// marker stack is opened from its recipe, counted with throttled progress, re-typed without
// re-reading, one EV's traces fetched, and a long run cancelled.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSimulatedTiff } from '../../src/cli/writeSimulatedTiff';
import { locTableFromColumns } from '../../src/core/locs/table';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { CancelledError, type MarkersBackend, markersBackend } from '../../src/engine/markersService';
import type { StackInfo } from '../../src/engine/stackService';
import { locsStore } from '../../src/state/locsStore';
import { defaultMarkersParams } from '../../src/state/markersParams';
import { createMarkersStore, isStale } from '../../src/state/markersStore';
import { createMarkersApi, type MarkersApi, type MarkersProgress } from '../../workers/markers.api';
import { openRecipe, type StackRecipe } from '../../workers/stackRecipe';
import { fixedWorker } from '../helpers/fixedWorker';

const sim = presetParams('evMarkers');
sim.frames = 120;
const recipe: StackRecipe = { kind: 'simulated', params: sim };

let backend: MarkersBackend;
let ports: MessagePort[];
let opened = 0;

beforeAll(() => {
  const { port1, port2 } = new MessageChannel();
  ports = [port1, port2];
  const api = createMarkersApi((r, signal) => {
    opened++;
    return openRecipe(r, signal);
  });
  Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
  const remote = Comlink.wrap<MarkersApi>(port2 as unknown as Comlink.Endpoint);
  backend = markersBackend(fixedWorker(remote));
});
afterAll(() => {
  for (const p of ports) p.close();
});

async function info(): Promise<StackInfo> {
  const src = await openRecipe(recipe);
  return {
    id: 7,
    name: src.name,
    files: [],
    width: src.width,
    height: src.height,
    frameCount: src.frameCount,
    channels: src.channels,
    dtype: 'uint16',
    meta: src.meta,
    recipe,
  };
}

describe('markers worker API + store', () => {
  test('defaults from the stack: names from the simulator, the fluidity probe as probe', async () => {
    const p = defaultMarkersParams(await info());
    expect(p.channels.map((c) => `${c.name}:${c.role}`)).toEqual([
      'CD9:marker',
      'CD63:marker',
      'CD81:marker',
      'fluidity probe:probe',
    ]);
    expect(p.frameCount).toBe(120);
  });

  test('a run streams throttled progress, returns the table, re-types and serves traces', async () => {
    const store = createMarkersStore(() => backend);
    const st = await info();
    store.getState().forStack(st);
    const seen: MarkersProgress[] = [];
    const unsub = store.subscribe((s) => {
      if (s.progress) seen.push(s.progress);
    });
    const before = opened;
    const result = await store.getState().run(st, 100);
    unsub();
    expect(opened).toBe(before + 1);
    expect(result).not.toBeNull();
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.result!.length).toBeGreaterThan(30);
    expect(s.result!.pixelSizeNm).toBe(100);
    expect(s.result!.classification.subtypeNames[2]).toBe('CD63-only');
    // Progress arrived, but throttled: far fewer messages than frames read.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(120);
    const codes = s.result!.classification.subtype;
    const triple = codes.filter((c) => c === 7).length;
    expect(triple).toBeGreaterThan(5);

    // Raising the CD9 threshold re-types in the worker: fewer triple-positive EVs, no new run.
    store.getState().setChannel(0, { threshold: 3 });
    await expect
      .poll(() => store.getState().result!.classification.subtype.filter((c) => c === 7).length)
      .toBeLessThan(triple);
    expect(opened).toBe(before + 1);
    expect(isStale(store.getState(), 100)).toBe(false);
    // A run parameter makes the result stale; renaming a subtype applies at once.
    store.getState().setParams({ radiusPx: 2.5 });
    expect(isStale(store.getState(), 100)).toBe(true);
    store.getState().rename('CD63-only', 'small EVs');
    await expect.poll(() => store.getState().result!.classification.subtypeNames[2]).toBe('small EVs');
    store.getState().setParams({ test: 'mann-whitney' });
    await expect.poll(() => store.getState().result!.statistics.test).toBe('mann-whitney');

    // One EV's traces: per channel, as long as the run, with a step fit covering it.
    await store.getState().select(3);
    const tr = store.getState().traces!;
    expect(tr.ev).toBe(3);
    expect(tr.channels.map((c) => c.name)).toEqual(['CD9', 'CD63', 'CD81', 'fluidity probe']);
    for (const c of tr.channels) {
      expect(c.trace.length).toBe(120);
      expect(Array.from(c.segLength).reduce((a, b) => a + b, 0)).toBe(120);
      expect(c.unit).toBeGreaterThan(0);
    }
  });

  test('a TIFF recipe (files as Blobs) counts the same EVs as the simulation it was written from', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evscope-mk-'));
    try {
      const file = path.join(dir, 'evs.tif');
      await writeSimulatedTiff(file, simulate(sim));
      const blob = new Blob([readFileSync(file)]);
      const fromFile = await backend.run(
        {
          recipe: { kind: 'files', files: [{ name: 'evs.tif', blob }] },
          params: { pixelSizeNm: 100 },
          test: 'welch',
        },
        () => {},
      );
      const fromSim = await backend.run({ recipe, params: { pixelSizeNm: 100 }, test: 'welch' }, () => {});
      expect(fromFile.length).toBe(fromSim.length);
      expect(Array.from(fromFile.columns['CD63 steps'])).toEqual(Array.from(fromSim.columns['CD63 steps']));
      expect(Array.from(fromFile.classification.subtype)).toEqual(Array.from(fromSim.classification.subtype));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PALM/dSTORM: the active localizations are counted per EV and can type the EVs', async () => {
    const ds = presetParams('dstorm');
    ds.frames = 600;
    const dsRecipe: StackRecipe = { kind: 'simulated', params: ds };
    const src = await openRecipe(dsRecipe);
    const st: StackInfo = {
      ...(await info()),
      id: 9,
      recipe: dsRecipe,
      frameCount: 600,
      channels: 1,
      meta: src.meta,
    };
    const ev = simulate(ds).truth.events.columns;
    locsStore
      .getState()
      .load(9, locTableFromColumns({ frame: ev.frame, x: ev.x, y: ev.y }), { source: 'truth' });
    const store = createMarkersStore(() => backend);
    store.getState().forStack(st);
    const name = store.getState().params!.channels[0].name;
    expect(name).toBe('CD63 (dSTORM)');
    // Blinking data: EVs are found in the maximum of many frames.
    store.getState().setParams({ projection: 'max', projectionFrames: 300, method: 'locs' });
    expect(await store.getState().run(st, 100)).toBeNull();
    expect(store.getState().error).toMatch(/needs “Count localizations” on/);
    store
      .getState()
      .setParams({ locs: { ...store.getState().params!.locs, use: true, burstsPerMolecule: 3 } });
    const r = await store.getState().run(st, 100);
    expect(r).not.toBeNull();
    const locs = r!.columns[`${name} locs`] as Float64Array;
    const bursts = r!.columns[`${name} bursts`] as Uint32Array;
    expect(r!.length).toBeGreaterThan(20);
    expect(locs.length).toBe(r!.length);
    for (let e = 0; e < r!.length; e++) expect(locs[e]).toBeCloseTo(bursts[e] / 3, 12);
    // Typed by the localization count: CD63-positive exactly where ≥ 1 molecule was counted.
    const codes = r!.classification.subtype;
    for (let e = 0; e < r!.length; e++) expect(codes[e]).toBe(locs[e] >= 1 ? 1 : 0);
    // Localizations of another stack are refused in words.
    locsStore.getState().load(8, locTableFromColumns({ frame: ev.frame, x: ev.x, y: ev.y }), {});
    expect(await store.getState().run(st, 100)).toBeNull();
    expect(store.getState().error).toMatch(/no localizations of this stack/);
  });

  test('invalid parameters are refused before the worker, with the kernel’s reasons', async () => {
    const store = createMarkersStore(() => backend);
    const st = await info();
    store.getState().forStack(st);
    store.getState().setParams({ annulusInnerPx: 2 });
    store.getState().setChannel(1, { name: 'CD9' });
    expect(await store.getState().run(st, 100)).toBeNull();
    const err = store.getState().error!;
    expect(err).toMatch(/annulus must start outside the ROI/);
    expect(err).toMatch(/Two channels are called "CD9"/);
    expect(store.getState().status).toBe('failed');
  });

  test('cancel stops a run and keeps the previous result', async () => {
    const store = createMarkersStore(() => backend);
    const st = await info();
    store.getState().forStack(st);
    await store.getState().run(st, 100);
    const previous = store.getState().result;
    store.getState().setParams({ thresholdK: 2.5 });
    const running = store.getState().run(st, 100);
    await new Promise((r) => setTimeout(r, 50));
    store.getState().cancel();
    expect(await running).toBeNull();
    expect(store.getState().status).toBe('cancelled');
    expect(store.getState().result).toBe(previous);
    // The backend reports a cancel as CancelledError.
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      backend.run({ recipe, params: {}, test: 'welch' }, () => {}, ctl.signal),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
