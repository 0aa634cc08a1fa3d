import { beforeEach, describe, expect, test } from 'vitest';
import type { MapRole } from '../../src/core/camera/scmosMaps';
import { CAMERA_PRESETS, presetParams } from '../../src/core/sim/index';
import type { StackInfo } from '../../src/engine/stackService';
import {
  attachMaps,
  cameraMapsStore,
  chooseMaps,
  loadCameraMap,
  type MapReader,
  stackMaps,
} from '../../src/state/cameraMapsStore';
import { dataStore, effectiveCameraKind, type LoadedStack } from '../../src/state/dataStore';
import { DEFAULT_SETTINGS, localizeInput, planRun } from '../../src/state/localizeParamsStore';

const info: StackInfo = {
  id: 90,
  name: 'scmos.tif',
  files: ['scmos.tif'],
  recipe: { kind: 'files', files: [] },
  width: 16,
  height: 16,
  frameCount: 10,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100 },
};

/** Reads "files" whose text is the value every pixel gets; "bad" files are refused. */
const reader: MapReader = {
  async readScmosMap(role: MapRole, file, width, height) {
    const text = await file.blob.text();
    if (text === 'bad')
      throw new Error(`sCMOS ${role} map ${file.name} is 3×3 px but the stack is ${width}×${height} px`);
    const v = Number(text);
    return { map: new Float32Array(width * height).fill(v), mean: v, min: v, max: v };
  },
};
const file = (name: string, text: string) => new File([text], name);
const loaded = (): LoadedStack => dataStore.getState().stacks.find((s) => s.info.id === info.id)!;

beforeEach(() => {
  for (const s of dataStore.getState().stacks) dataStore.getState().removeStack(s.info.id);
  dataStore.getState().addStack(info);
});

describe('sCMOS calibration maps per stack', () => {
  test('the camera type can be set by the user and decides whether maps apply', () => {
    expect(effectiveCameraKind(loaded())).toBe('ccd');
    expect(chooseMaps(loaded())).toEqual({ ok: true, ref: undefined });
    dataStore.getState().setOverride(info.id, 'cameraKind', 'scmos');
    expect(effectiveCameraKind(loaded())).toBe('scmos');
    expect(localizeInput(DEFAULT_SETTINGS, loaded()).camera?.kind).toBe('scmos');
    // sCMOS without maps: allowed (uniform offset and gain), no maps referenced.
    const r = planRun(DEFAULT_SETTINGS, loaded());
    expect(r.ok && r.plan.scmosMaps).toBe(undefined);
  });

  test('maps load in a worker, pending then shown; a refused file keeps the reason; all three make the run use them', async () => {
    dataStore.getState().setOverride(info.id, 'cameraKind', 'scmos');
    const p = loadCameraMap(info.id, 'offset', file('off.tif', '100'), reader);
    expect(stackMaps(info.id).pending.offset).toBe('off.tif');
    expect(await p).toBe(true);
    expect(stackMaps(info.id).pending.offset).toBeUndefined();
    expect(stackMaps(info.id).slots.offset).toMatchObject({ file: 'off.tif', mean: 100 });

    expect(await loadCameraMap(info.id, 'gain', file('g.tif', 'bad'), reader)).toBe(false);
    expect(stackMaps(info.id).errors.gain).toMatch(/g\.tif is 3×3 px but the stack is 16×16 px/);
    const partial = planRun(DEFAULT_SETTINGS, loaded());
    expect(partial.ok).toBe(false);
    expect(!partial.ok && partial.errors[0]).toMatch(
      /load the gain and variance maps, or remove the offset map/,
    );

    await loadCameraMap(info.id, 'gain', file('g.tif', '0.5'), reader);
    await loadCameraMap(info.id, 'variance', file('v.tif', '4'), reader);
    expect(stackMaps(info.id).errors.gain).toBeUndefined();
    const r = planRun(DEFAULT_SETTINGS, loaded());
    if (!r.ok) throw new Error(r.errors.join(' '));
    expect(r.plan.scmosMaps).toMatchObject({ source: 'files', files: ['off.tif', 'g.tif', 'v.tif'] });
    // The plan stays small: the arrays are attached only for the request.
    expect(r.plan.signature.length).toBeLessThan(2000);
    const a = attachMaps(r.plan.params, r.plan.scmosMaps, info.id);
    expect(a.scmosMapsFromSimulation).toBe(false);
    expect(a.params.camera?.kind).toBe('scmos');
    expect([...a.params.camera!.scmosMaps!.electronsPerAdu]).toEqual(new Array(256).fill(0.5));
    expect(a.params.camera!.scmosMaps!.varianceAdu2[3]).toBe(4);

    // Replacing a map makes the earlier plan stale and its maps unavailable.
    await loadCameraMap(info.id, 'gain', file('g2.tif', '0.6'), reader);
    const again = planRun(DEFAULT_SETTINGS, loaded());
    expect(again.ok && again.plan.signature).not.toBe(r.plan.signature);
    expect(() => attachMaps(r.plan.params, r.plan.scmosMaps, info.id)).toThrow(/changed or were removed/);

    cameraMapsStore.getState().remove(info.id, 'variance');
    expect(planRun(DEFAULT_SETTINGS, loaded()).ok).toBe(false);
    // A camera that is not sCMOS ignores the maps.
    dataStore.getState().setOverride(info.id, 'cameraKind', 'ccd');
    expect(planRun(DEFAULT_SETTINGS, loaded()).ok).toBe(true);
  });

  test('a simulated sCMOS stack uses the simulation’s maps until three files replace them', async () => {
    const params = { ...presetParams('isolated'), camera: { ...CAMERA_PRESETS.scmos } };
    const sim: StackInfo = {
      ...info,
      id: 91,
      recipe: { kind: 'simulated', params },
      meta: { flavour: 'simulated', byteOrder: 'little', camera: { kind: 'scmos' } },
    };
    dataStore.getState().addStack(sim);
    const st = dataStore.getState().stacks.find((s) => s.info.id === 91)!;
    const r = planRun(DEFAULT_SETTINGS, st);
    expect(r.ok && r.plan.scmosMaps).toEqual({ source: 'simulation' });
    const a = attachMaps(localizeInput(DEFAULT_SETTINGS, st), { source: 'simulation' }, 91);
    expect(a.scmosMapsFromSimulation).toBe(true);
    for (const [role, v] of [
      ['offset', '100'],
      ['gain', '0.5'],
      ['variance', '4'],
    ] as const)
      await loadCameraMap(91, role, file(`${role}.tif`, v), reader);
    const f = planRun(DEFAULT_SETTINGS, st);
    expect(f.ok && f.plan.scmosMaps?.source).toBe('files');
  });

  test('closing a stack forgets its maps', async () => {
    await loadCameraMap(info.id, 'offset', file('off.tif', '100'), reader);
    expect(cameraMapsStore.getState().byStack[info.id]).toBeDefined();
    dataStore.getState().removeStack(info.id);
    expect(cameraMapsStore.getState().byStack[info.id]).toBeUndefined();
  });
});
