// The render worker's API over a real MessageChannel (as comlink runs it in the browser), and
// the post engine keeping it in step with locsStore.
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { DEFAULT_RECON } from '../../src/core/render/reconstruct';
import type { RenderBackend } from '../../src/engine/renderService';
import { locsStore } from '../../src/state/locsStore';
import { startPostEngine } from '../../src/state/postActions';
import { postStore } from '../../src/state/postStore';
import { createRenderApi, type RenderApi } from '../../workers/render.api';
import { simulateStructures } from '../core/locs/simulate';

const { port1, port2 } = new MessageChannel();
Comlink.expose(createRenderApi(), port1 as unknown as Comlink.Endpoint);
const api = Comlink.wrap<RenderApi>(port2 as unknown as Comlink.Endpoint);
afterAll(() => {
  port1.close();
  port2.close();
});

const chunk = (frames: number[], xs: number[], ys: number[]) =>
  locTableFromColumns({
    frame: Uint32Array.from(frames),
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    photons: Float32Array.from(xs.map((_, i) => 100 * (i + 1))),
  });

test('CSV parsing in the worker returns the table, and errors name file, line and column', async () => {
  const { table: t, warnings } = await api.parseCsv('"frame","x [nm]","y [nm]"\n1,5,6\n', 'a.csv');
  expect(t.length).toBe(1);
  expect(Array.from(t.columns.frame)).toEqual([0]);
  expect(warnings).toEqual([]);
  // Rows left out come back with the table, not only from "Open localizations…".
  const bad = await api.parseCsv('"frame","x [nm]","y [nm]"\n1,5,6\n2,NaN,6\n', 'c.csv');
  expect(bad.table.length).toBe(1);
  expect(bad.warnings.join(' ')).toMatch(/NaN.*line 3/);
  await expect(api.parseCsv('"frame","x [nm]","y [nm]"\n1,5,oops\n', 'b.csv')).rejects.toThrow(
    /b\.csv.*line 2, column 3/,
  );
});

test('chunks accumulate, the pipeline filters without touching the raw data, renders conserve counts', async () => {
  await api.reset([chunk([0, 1], [15, 25], [5, 5])]);
  await api.append([chunk([2], [35], [5])]);
  expect(await api.rawCount()).toBe(3);
  const all = await api.process([]);
  expect(all.rowsOut).toBe(3);
  expect(all.bounds).toEqual({ x0: 15, y0: 5, x1: 35, y1: 5 });
  const some = await api.process([{ kind: 'filter', expression: 'x > 20' }]);
  expect([some.rowsIn, some.rowsOut]).toEqual([3, 2]);
  const view = { x0: 0, y0: 0, width: 5, height: 2, pixelNm: 10 };
  const img = await api.render({ view, settings: { ...DEFAULT_RECON, mode: 'histogram' } });
  expect(img.sum).toBe(2);
  expect(img.count).toBe(2);
  expect(img.rgba.length).toBe(5 * 2 * 4);
  // Raw data survives: an empty pipeline gives all three back.
  expect((await api.process([])).rowsOut).toBe(3);
});

test('exports: PNG bytes, float TIFF sized to the field, CSV of the processed table', async () => {
  await api.reset([chunk([0, 1, 2], [15, 25, 35], [5, 5, 5])]);
  await api.process([]);
  const png = await api.exportImage({ format: 'png', pixelNm: 10, settings: DEFAULT_RECON });
  expect([...png.subarray(1, 4)]).toEqual([80, 78, 71]);
  const tif = await api.exportImage({
    format: 'tiff',
    pixelNm: 1,
    settings: { ...DEFAULT_RECON, mode: 'histogram' },
    fieldNm: { width: 100, height: 50 },
  });
  // 100 × 50 float32 pixels plus header.
  expect(tif.length).toBeGreaterThan(100 * 50 * 4);
  expect(tif.length).toBeLessThan(100 * 50 * 4 + 2000);
  await expect(
    api.exportImage({
      format: 'tiff',
      pixelNm: 1,
      settings: DEFAULT_RECON,
      fieldNm: { width: 1e6, height: 1e6 },
    }),
  ).rejects.toThrow(/too large; use a render pixel of at least \d+ nm/);
  const csv = await api.exportCsv();
  expect(csv.split('\n')[0]).toContain('"x [nm]"');
  expect(csv.trim().split('\n')).toHaveLength(4);
});

test('the post engine streams locsStore chunks to the worker and re-runs the steps', async () => {
  locsStore.getState().clear();
  postStore.setState({ steps: [], past: [], future: [] });
  const engine = startPostEngine(api as unknown as RenderBackend, { throttleMs: 10 });
  try {
    locsStore.getState().startRun(1, {}, 10);
    locsStore.getState().append(chunk([0, 1], [10, 20], [10, 20]));
    locsStore.getState().append(chunk([2, 3], [30, 40], [30, 40]));
    expect((await engine.settled()).rowsOut).toBe(4);
    postStore.getState().setSteps([{ kind: 'filter', expression: 'x > 15' }]);
    expect((await engine.settled()).rowsOut).toBe(3);
    expect(postStore.getState().summary?.rowsIn).toBe(4);
    // A new table (an import) replaces the worker's copy instead of adding to it.
    locsStore.getState().load(1, chunk([0], [100], [100]), {});
    const s = await engine.settled();
    expect([s.rowsIn, s.rowsOut]).toEqual([1, 1]);
  } finally {
    engine.stop();
  }
});

test('NeNA runs on the localizations before the merge step, which would inflate σ', async () => {
  const sim = simulateStructures({
    seed: 3,
    fovNm: 20_000,
    molecules: 4000,
    frames: 5000,
    locsPerMolecule: 5,
    precisionNm: 15,
    timing: 'bursts',
    gapProbability: 0.1,
    layout: 'structures',
  });
  await api.reset([sim.table]);
  const merge = { kind: 'merge', radiusNm: 60, maxGapFrames: 1 } as const;
  const s = await api.process([{ kind: 'filter', expression: 'x > 0' }, merge]);
  expect(s.rowsOut).toBeLessThan(sim.table.length / 2);
  const r = await api.nena({});
  expect(r.beforeMerge).toBe(true);
  expect(r.warning).toBeUndefined();
  expect(r.sigmaNm / 15).toBeGreaterThan(0.85);
  expect(r.sigmaNm / 15).toBeLessThan(1.15);
  await api.process([]);
  expect((await api.nena({})).beforeMerge).toBe(false);
}, 60_000);
