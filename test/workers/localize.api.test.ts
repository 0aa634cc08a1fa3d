import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { afterAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/random';
import { presetParams, simulate } from '../../src/core/sim/index';
import { encodeTiff } from '../../src/core/stack/tiffWriter';
import { createLocalizeApi, type LocalizeApi } from '../../workers/localize.api';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';

const channel = new MessageChannel();
Comlink.expose(createLocalizeApi(), nodeEndpoint(channel.port1));
const api = Comlink.wrap<LocalizeApi>(nodeEndpoint(channel.port2));
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe('localize worker API over a MessageChannel', () => {
  test('refuses to work before init, then localizes transferred frames and transfers columns back', async () => {
    await expect(api.localizeFrames(new Uint16Array(4), 1, 0)).rejects.toThrow(/init\(\) must be called/);
    await api.init({ width: 48, height: 40, params: { camera: { offsetAdu: 100 } } });
    const rng = new Rng(4);
    const frames = new Uint16Array(3 * 48 * 40);
    for (let f = 0; f < 3; f++) {
      const img = poissonImage(expectedImage(48, 40, gridSpots(48, 40, 12, 1000, rng), 1.3, 10), rng);
      frames.set(
        Uint16Array.from(img, (v) => v + 100),
        f * 48 * 40,
      );
    }
    const table = await api.localizeFrames(Comlink.transfer(frames, [frames.buffer]), 3, 10);
    expect(frames.length).toBe(0); // transferred, not copied
    expect(table.length).toBe(3 * 12);
    expect([...new Set(table.columns.frame)]).toEqual([10, 11, 12]);
    expect(table.columns.x).toBeInstanceOf(Float64Array);
    expect(table.columns.flags.every((f) => f === 0)).toBe(true);
  });

  test('invalid parameters are reported with their units', async () => {
    await expect(
      api.init({ width: 48, height: 40, params: { sigmaNm: 13, pixelSizeNm: 100 } }),
    ).rejects.toThrow(/0\.13 pixels of 100 nm/);
  });
});

describe('localize worker API reading its own frames (browser runs)', () => {
  const sim = { ...presetParams('isolated'), frames: 12 };
  const camera = { offsetAdu: sim.camera.offsetAdu, electronsPerAdu: sim.camera.electronsPerAdu };

  async function viaPixels(frames: Uint16Array[], w: number, h: number, first: number, count: number) {
    const block = new Uint16Array(count * w * h);
    for (let f = 0; f < count; f++) block.set(frames[first + f], f * w * h);
    await api.init({ width: w, height: h, params: { camera } });
    return api.localizeFrames(Comlink.transfer(block, [block.buffer]), count, first);
  }

  test('a simulated recipe and a TIFF file recipe give the same table as transferred pixels', async () => {
    const stack = simulate(sim).stack;
    const frames: Uint16Array[] = [];
    for (let f = 0; f < sim.frames; f++) frames.push((await stack.readFrame(f)) as Uint16Array);
    const expected = await viaPixels(frames, sim.width, sim.height, 3, 6);
    expect(expected.length).toBeGreaterThan(6 * 10);

    const shape = await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    expect(shape).toEqual({ width: 64, height: 64, frameCount: 12, channels: 1 });
    await api.init({ width: 64, height: 64, params: { camera } });
    const fromSim = await api.localizeRange(3, 6);
    for (const k of Object.keys(expected.columns)) expect(fromSim.columns[k]).toEqual(expected.columns[k]);

    const tiff = await encodeTiff(frames, { width: 64, height: 64, dtype: 'uint16', pixelSizeNm: 100 });
    await api.openSource(
      { kind: 'files', files: [{ name: 'sim.tif', blob: new Blob([tiff as BlobPart]) }] },
      0,
      'tif',
    );
    await api.init({ width: 64, height: 64, params: { camera } });
    const fromTiff = await api.localizeRange(3, 6);
    for (const k of Object.keys(expected.columns)) expect(fromTiff.columns[k]).toEqual(expected.columns[k]);
  });

  test('a region of interest crops the frames the worker reads itself', async () => {
    const stack = simulate(sim).stack;
    const roi = { x: 8, y: 16, width: 40, height: 32 };
    const crops: Uint16Array[] = [];
    for (let f = 0; f < sim.frames; f++) {
      const full = (await stack.readFrame(f)) as Uint16Array;
      const c = new Uint16Array(roi.width * roi.height);
      for (let y = 0; y < roi.height; y++)
        c.set(full.subarray((roi.y + y) * 64 + roi.x, (roi.y + y) * 64 + roi.x + roi.width), y * roi.width);
      crops.push(c);
    }
    const expected = await viaPixels(crops, roi.width, roi.height, 0, 4);
    expect(expected.length).toBeGreaterThan(0);
    await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    await api.init({ width: roi.width, height: roi.height, params: { camera } });
    const got = await api.localizeRange(0, 4, roi);
    expect(got.columns.x).toEqual(expected.columns.x);
    await expect(api.localizeRange(0, 4)).rejects.toThrow(/does not match init/);
    await expect(api.localizeRange(10, 4, roi)).rejects.toThrow(/outside the stack's 12 frames/);
  });

  test('previewFrame returns candidates and every fit of one frame, in full-frame coordinates', async () => {
    await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    const p = await api.previewFrame(2, { camera });
    expect(p.frame).toBe(2);
    expect(p.candidatesX.length).toBeGreaterThanOrEqual(p.fits.length);
    expect(p.fits.length).toBeGreaterThanOrEqual(14);
    // Each fit lies within a pixel of some candidate (candidates are pixel centres, in px).
    for (let i = 0; i < p.fits.length; i++) {
      const fx = p.fits.columns.x[i] / 100;
      const fy = p.fits.columns.y[i] / 100;
      let best = Number.POSITIVE_INFINITY;
      for (let c = 0; c < p.candidatesX.length; c++)
        best = Math.min(best, Math.hypot(p.candidatesX[c] - fx, p.candidatesY[c] - fy));
      expect(best).toBeLessThan(1.5);
    }
    const cropped = await api.previewFrame(2, { camera }, { x: 32, y: 0, width: 32, height: 64 });
    expect(Math.min(...cropped.candidatesX)).toBeGreaterThanOrEqual(32);
    expect(Math.min(...cropped.fits.columns.x)).toBeGreaterThan(3000);
  });

  test('estimateSigma measures the simulated PSF σ (130 nm) from a wrong start value', async () => {
    await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    const est = await api.estimateSigma({ camera, sigmaNm: 180 }, 0, 12);
    expect(est.sigmaNm).toBeGreaterThan(126);
    expect(est.sigmaNm).toBeLessThan(134);
    expect(est.frames).toBeLessThanOrEqual(12);
    expect(est.spots).toBeGreaterThan(100);
    // A region works like the whole frame; too few frames of it is an error that says so.
    const roi = { x: 0, y: 0, width: 32, height: 64 };
    expect((await api.estimateSigma({ camera }, 0, 12, roi)).sigmaNm).toBeGreaterThan(124);
    await expect(api.estimateSigma({ camera }, 0, 1, { x: 0, y: 0, width: 16, height: 16 })).rejects.toThrow(
      /isolated spots/,
    );
  });

  test('the multi-emitter fitter runs in the worker like the single one (isolated emitters: same table)', async () => {
    await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    await api.init({ width: 64, height: 64, params: { camera } });
    const single = await api.localizeRange(0, 6);
    await api.init({ width: 64, height: 64, params: { camera, fitter: 'mle-multi' } });
    const multi = await api.localizeRange(0, 6);
    expect(multi.length).toBe(single.length);
    let same = 0;
    for (let i = 0; i < multi.length; i++) if (multi.columns.x[i] === single.columns.x[i]) same++;
    expect(same).toBeGreaterThanOrEqual(multi.length - 1);
  });

  test('openSource, init and chunks sent at once run in order, as when each waited for the last', async () => {
    // A file whose frames differ from the simulated stack open before (in reverse order).
    const stack = simulate(sim).stack;
    const frames = await Promise.all(
      [...Array(sim.frames).keys()].map((f) => stack.readFrame(sim.frames - 1 - f)),
    );
    const tiff = await encodeTiff(frames, { width: 64, height: 64, dtype: 'uint16', pixelSizeNm: 100 });
    const recipe = (name: string) => ({
      kind: 'files' as const,
      files: [{ name, blob: new Blob([tiff as BlobPart]) }],
    });
    await api.openSource(recipe('waited.tif'), 0, 'waited');
    await api.init({ width: 64, height: 64, params: { camera } });
    const waited = await api.localizeRange(0, 6);
    // Called back to back, as a browser worker receives a run's messages: all of them arrive
    // before the file's first read completes.
    const direct = createLocalizeApi();
    await direct.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    // The same file under a new name: the chunks read the file the open before them opens, with
    // the init before them.
    const [shape, , a, b] = await Promise.all([
      direct.openSource(recipe('at-once.tif'), 0, 'at-once'),
      direct.init({ width: 64, height: 64, params: { camera } }),
      direct.localizeRange(0, 3),
      direct.localizeRange(3, 3),
      // A later run's init does not change the chunks sent before it.
      direct.init({ width: 64, height: 64, params: { camera, sigmaNm: 200 } }),
    ]);
    expect(shape.frameCount).toBe(12);
    const both = [...a.columns.x, ...b.columns.x];
    expect(both.length).toBeGreaterThan(20);
    expect(both).toEqual([...waited.columns.x]);
  });

  test('an init sent behind an open that fails fails with the open’s reason', async () => {
    const bad = {
      kind: 'files' as const,
      files: [{ name: 'junk.tif', blob: new Blob([new Uint8Array(64)]) }],
    };
    const opened = api.openSource(bad, 0, 'junk');
    const init = api.init({ width: 64, height: 64, params: { camera } });
    const chunk = api.localizeRange(0, 2);
    const why = await opened.then(
      () => 'opened',
      (e: Error) => e.message,
    );
    expect(why).not.toBe('opened');
    await expect(init).rejects.toThrow(why);
    await expect(chunk).rejects.toThrow(why);
    // The worker opens the next stack as usual.
    await api.openSource({ kind: 'simulated', params: sim }, 0, 'sim');
    await api.init({ width: 64, height: 64, params: { camera } });
    expect((await api.localizeRange(0, 2)).length).toBeGreaterThan(5);
  });

  test('a missing channel is refused by name', async () => {
    await expect(api.openSource({ kind: 'simulated', params: sim }, 3, 'other')).rejects.toThrow(
      /channel 4 does not exist/,
    );
  });
});
