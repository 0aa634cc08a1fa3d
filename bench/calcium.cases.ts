// Ca²⁺ responses: issue 16's 2,000-frame 512×512 time-lapse with 50 cells, analysed end to end
// (baseline mean image, segmentation, the one streaming pass into per-cell traces, responses).
// Frames come from a cheap source (one of 8 simulated frames copied, the cells' change of light
// added on their pixels), whose own cost is reported apart: it stands in for reading an
// uncompressed TIFF page, so the figure is the analysis, not 524 million Poisson draws. The 8
// frames are the simulator's frames 0–7 (before the addition); the change is taken from the
// copied frame's own expected light, so every frame has exactly its simulated expectation.
import { analyseCalcium } from '../src/core/calcium';
import { bleachFactor, presetParams, simulate, trueDff } from '../src/core/sim';
import { createTiffWriter } from '../src/core/stack/tiffWriter';
import { createCalciumApi } from '../workers/calcium.api';
import { openRecipe } from '../workers/stackRecipe';
import type { BenchCase } from './types';

export function source() {
  const p = presetParams('calcium');
  p.width = 512;
  p.height = 512;
  p.frames = 2000;
  if (p.scene.kind !== 'calcium') throw new Error('not calcium');
  p.scene.cellCount = 50;
  p.scene.addFrame = 500;
  p.scene.latencyMaxFrames = 300;
  p.scene.decayFrames = 200;
  const sim = simulate(p);
  const t = sim.truth.calcium!;
  const n = p.width * p.height;
  // Eight noisy frames drawn once; frame f is one of them copied (as a TIFF page would be read)
  // plus, on the cells' pixels only, the change of each cell's light since frame 0.
  const noisy: Uint16Array[] = [];
  for (let k = 0; k < 8; k++) {
    const page = new Uint16Array(n);
    sim.stack.renderFrameInto(k, 0, page);
    noisy.push(page);
  }
  const cellPx = Int32Array.from(Array.from(t.labels.keys()).filter((i) => t.labels[i] > 0));
  const cellOf = Int32Array.from(cellPx, (i) => t.labels[i] - 1);
  const delta = new Float64Array(t.length);
  return {
    params: p,
    truth: t,
    reader: {
      width: p.width,
      height: p.height,
      frameCount: p.frames,
      async readFrame(f: number): Promise<Uint16Array> {
        const b = bleachFactor(t, f);
        const b0 = bleachFactor(t, f & 7);
        for (let c = 0; c < t.length; c++) delta[c] = t.resting[c] * (b * (1 + trueDff(t, c, f)) - b0);
        const out = new Uint16Array(noisy[f & 7]);
        for (let j = 0; j < cellPx.length; j++) out[cellPx[j]] += delta[cellOf[j]] + 0.5;
        return out;
      },
    },
  };
}

const calcium2000: BenchCase = {
  name: 'calcium-2000',
  where: ['node', 'browser'],
  async run(log) {
    const { params, truth, reader } = source();
    const t0 = performance.now();
    for (let f = 0; f < reader.frameCount; f++) await reader.readFrame(f);
    const sourceS = (performance.now() - t0) / 1000;
    log(`frame source alone: ${sourceS.toFixed(2)} s for ${reader.frameCount} frames`);
    const t1 = performance.now();
    const r = await analyseCalcium(reader, {
      addFrame: 500,
      bleach: 'exp',
      frameIntervalS: params.frameIntervalMs / 1000,
    });
    const s = (performance.now() - t1) / 1000;
    let correct = 0;
    for (let c = 0; c < truth.length; c++) {
      const x = truth.x[c] / params.pixelSizeNm;
      const y = truth.y[c] / params.pixelSizeNm;
      const row = r.cells.find((q) => Math.hypot(q.xPx - x, q.yPx - y) < 3);
      if (row && row.responder === (truth.responder[c] === 1)) correct++;
    }
    return {
      's (analysis incl. frame source)': s,
      'frames/s': reader.frameCount / s,
      's frame source alone': sourceS,
      cells: r.count,
      'responder accuracy': correct / truth.length,
    };
  },
};

/**
 * The same frames as a 1 GB uint16 TIFF read from a disk-backed File, as a drop gives it (written
 * through the origin-private file system in Chromium; an in-memory Blob in Node), and analysed by
 * the Ca²⁺ worker's own API on a `files` recipe — the app's path, minus the thread hop.
 */
async function tiffFile(name: string, write: (sink: (c: Uint8Array) => Promise<void>) => Promise<void>) {
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<unknown> } } })
    .navigator?.storage;
  if (!storage?.getDirectory) {
    const parts: Uint8Array[] = [];
    await write(async (c) => {
      parts.push(c.slice());
    });
    return new Blob(parts as BlobPart[]);
  }
  const dir = (await storage.getDirectory()) as FileSystemDirectoryHandle;
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await write(async (c) => {
    await w.write(c.slice() as BlobPart);
  });
  await w.close();
  return handle.getFile();
}

const calcium2000Blob: BenchCase = {
  name: 'calcium-2000-blob',
  where: ['browser'],
  async run(log) {
    const { params, truth, reader } = source();
    const t0 = performance.now();
    const blob = await tiffFile('calcium-2000.tif', async (sink) => {
      const w = createTiffWriter({
        width: reader.width,
        height: reader.height,
        dtype: 'uint16',
        frameCount: reader.frameCount,
        pixelSizeNm: params.pixelSizeNm,
        frameIntervalMs: params.frameIntervalMs,
        sink,
      });
      for (let f = 0; f < reader.frameCount; f++) await w.writeFrame(await reader.readFrame(f));
      await w.close();
    });
    log(`wrote ${(blob.size / 2 ** 20).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const req = {
      recipe: { kind: 'files' as const, files: [{ name: 'calcium-2000.tif', blob }] },
      channel: 0,
      params: { addFrame: 500, bleach: 'exp' as const, frameIntervalS: params.frameIntervalMs / 1000 },
    };
    // Before: one Blob slice per frame (the reader without its block reads), for comparison.
    const t2 = performance.now();
    await createCalciumApi(undefined, async (recipe, signal) => {
      const src = await openRecipe(recipe, signal);
      return new Proxy(src, {
        get(t, p) {
          const v = Reflect.get(t, p);
          return p === 'readFrames' ? undefined : typeof v === 'function' ? v.bind(t) : v;
        },
      });
    }).run(req);
    const perFrameS = (performance.now() - t2) / 1000;
    const t1 = performance.now();
    const r = await createCalciumApi().run(req);
    const s = (performance.now() - t1) / 1000;
    let correct = 0;
    for (let c = 0; c < truth.length; c++) {
      const x = truth.x[c] / params.pixelSizeNm;
      const y = truth.y[c] / params.pixelSizeNm;
      const row = r.cells.find((q) => Math.hypot(q.xPx - x, q.yPx - y) < 3);
      if (row && row.responder === (truth.responder[c] === 1)) correct++;
    }
    return {
      's (open + analysis from the File)': s,
      's with one Blob slice per frame': perFrameS,
      'frames/s': reader.frameCount / s,
      cells: r.count,
      'responder accuracy': correct / truth.length,
    };
  },
};

export const calciumCases: BenchCase[] = [calcium2000, calcium2000Blob];
