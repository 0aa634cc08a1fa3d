// sCMOS calibration maps in the localize worker, over a MessageChannel: maps read from TIFF in the
// worker, maps derived from a simulated stack's recipe, and their effect on the fits.
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { afterAll, describe, expect, test } from 'vitest';
import { cropCamera } from '../../src/core/camera/camera';
import { scmosMapsFromSimulation } from '../../src/core/camera/scmosMaps';
import type { LocTable } from '../../src/core/locs/table';
import { scoreLocalizations } from '../../src/core/score/metrics';
import { CAMERA_PRESETS, presetParams, simulate, truthEventsTable } from '../../src/core/sim/index';
import { encodeTiff } from '../../src/core/stack/tiffWriter';
import { createLocalizeApi, type LocalizeApi } from '../../workers/localize.api';
import type { StackRecipe } from '../../workers/stackRecipe';

const channel = new MessageChannel();
Comlink.expose(createLocalizeApi(), nodeEndpoint(channel.port1));
const api = Comlink.wrap<LocalizeApi>(nodeEndpoint(channel.port2));
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

const params = {
  ...presetParams('isolated'),
  frames: 40,
  camera: {
    ...CAMERA_PRESETS.scmos,
    readNoiseE: 3,
    scmosOffsetSdAdu: 20,
    scmosGainCv: 0.3,
    scmosReadNoiseLogSd: 0.8,
  },
};
const recipe: StackRecipe = { kind: 'simulated', params };
const sim = simulate(params);
const truth = truthEventsTable(sim.truth.events);
const fileMaps = scmosMapsFromSimulation(sim.truth.scmosMaps!);
// What a user without maps has: the camera's nominal offset and gain.
const scalar = { kind: 'scmos' as const, offsetAdu: 100, electronsPerAdu: 0.5 };
const full = { x: 0, y: 0, width: 64, height: 64 };

function same(a: LocTable, b: LocTable): void {
  expect(a.length).toBe(b.length);
  for (const k of Object.keys(a.columns)) expect(b.columns[k]).toEqual(a.columns[k]);
}

describe('sCMOS maps in the localize worker', () => {
  test('maps from the simulation equal the same maps passed in the parameters, and beat no maps', async () => {
    await api.openSource(recipe, 0, 'scmos');
    await api.init({ width: 64, height: 64, params: { camera: scalar }, mapsFromSource: full });
    const fromSim = await api.localizeRange(0, 40);
    await api.init({ width: 64, height: 64, params: { camera: { ...scalar, scmosMaps: fileMaps } } });
    same(fromSim, await api.localizeRange(0, 40));
    await api.init({ width: 64, height: 64, params: { camera: scalar } });
    const without = await api.localizeRange(0, 40);
    const a = scoreLocalizations(truth, fromSim);
    const b = scoreLocalizations(truth, without);
    expect(a.jaccard).toBeGreaterThan(0.95);
    // ≈ 6.8 nm against ≈ 19 nm per axis over the 150-frame CLI test; the margin is wide.
    expect(a.rmseX).toBeLessThan(0.6 * b.rmseX);
    expect(a.rmseX).toBeLessThan(8.5);
  });

  test('a region of interest cuts the simulation’s maps like cropCamera cuts file maps', async () => {
    const roi = { x: 8, y: 16, width: 40, height: 32 };
    await api.openSource(recipe, 0, 'scmos');
    await api.init({ width: roi.width, height: roi.height, params: { camera: scalar }, mapsFromSource: roi });
    const a = await api.localizeRange(0, 10, roi);
    const cam = cropCamera(
      { ...scalar, quantumEfficiency: 1, emGain: 1, readNoiseE: 0, scmosMaps: fileMaps },
      64,
      roi.x,
      roi.y,
      roi.width,
      roi.height,
    );
    await api.init({ width: roi.width, height: roi.height, params: { camera: cam } });
    same(a, await api.localizeRange(0, 10, roi));
    const pv = await api.previewFrame(3, { camera: scalar }, roi, true);
    const pf = await api.previewFrame(3, { camera: { ...scalar, scmosMaps: fileMaps } }, roi);
    same(pv.fits, pf.fits);
    const plain = await api.previewFrame(3, { camera: scalar }, roi);
    expect(plain.fits.columns.x).not.toEqual(pv.fits.columns.x);
  });

  test('a stack read from a file has no simulation to take maps from', async () => {
    const frame = new Uint16Array(64 * 64).fill(100);
    const tiff = await encodeTiff([frame], { width: 64, height: 64, dtype: 'uint16' });
    await api.openSource({
      kind: 'files',
      files: [{ name: 'data.tif', blob: new Blob([tiff as BlobPart]) }],
    });
    await expect(
      api.init({ width: 64, height: 64, params: { camera: scalar }, mapsFromSource: full }),
    ).rejects.toThrow(/data\.tif is not a simulated sCMOS stack/);
  });

  test('readScmosMap reads frame 0 of a TIFF as Float32 with its mean, and refuses a wrong size', async () => {
    const gain = Float64Array.from(fileMaps.electronsPerAdu);
    const tiff = await encodeTiff([gain], { width: 64, height: 64, dtype: 'float64' });
    const r = await api.readScmosMap(
      'gain',
      { name: 'gain.tif', blob: new Blob([tiff as BlobPart]) },
      64,
      64,
    );
    expect(r.map).toEqual(fileMaps.electronsPerAdu);
    expect(r.mean).toBeCloseTo(0.5, 1);
    expect(r.min).toBeGreaterThan(0);
    await expect(
      api.readScmosMap('gain', { name: 'gain.tif', blob: new Blob([tiff as BlobPart]) }, 32, 64),
    ).rejects.toThrow(/gain \(e⁻\/ADU\) map gain\.tif is 64×64 px but the stack is 32×64 px/);
    await expect(
      api.readScmosMap('offset', { name: 'notes.txt', blob: new Blob(['hello']) }, 64, 64),
    ).rejects.toThrow(/notes\.txt/);
  });
});
