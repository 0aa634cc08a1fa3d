import { beforeEach, describe, expect, test } from 'vitest';
import { presetParams } from '../../src/core/sim/index';
import type { StackInfo } from '../../src/engine/stackService';
import type { LoadedStack } from '../../src/state/dataStore';
import {
  DEFAULT_SETTINGS,
  localizeInput,
  localizeParamsStore,
  planRun,
} from '../../src/state/localizeParamsStore';

const fileStack = (overrides: LoadedStack['overrides'] = {}): LoadedStack => ({
  info: {
    id: 7,
    name: 'cells.tif',
    files: ['cells.tif'],
    recipe: { kind: 'files', files: [] },
    width: 64,
    height: 48,
    frameCount: 100,
    channels: 1,
    dtype: 'uint16',
    meta: {
      flavour: 'imagej',
      byteOrder: 'little',
      pixelSizeNm: 160,
      camera: { kind: 'emccd', offsetAdu: 100, electronsPerAdu: 4, emGain: 200 },
    },
  } satisfies StackInfo,
  overrides,
});

describe('settings → engine parameters', () => {
  test('camera and pixel size come from the metadata, and the user’s corrections win', () => {
    const p = localizeInput(DEFAULT_SETTINGS, fileStack());
    expect(p.pixelSizeNm).toBe(160);
    expect(p.sigmaNm).toBe(130);
    expect(p.camera).toMatchObject({ kind: 'emccd', offsetAdu: 100, electronsPerAdu: 4, emGain: 200 });
    const q = localizeInput(DEFAULT_SETTINGS, fileStack({ offsetAdu: 90, pixelSizeNm: 107, emGain: 50 }));
    expect(q.pixelSizeNm).toBe(107);
    expect(q.camera).toMatchObject({ offsetAdu: 90, emGain: 50 });
  });

  test('the multi-emitter fitter and its settings reach the engine; a free σ with it is refused in words', () => {
    const s = { ...DEFAULT_SETTINGS, fitter: 'mle-multi' as const, maxEmitters: 4, multiAlpha: 1e-3 };
    expect(localizeInput(s, fileStack())).toMatchObject({
      fitter: 'mle-multi',
      maxEmitters: 4,
      multiAlpha: 1e-3,
    });
    expect(planRun(s, fileStack()).ok).toBe(true);
    const bad = planRun({ ...s, fitSigma: true }, fileStack());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join(' ')).toMatch(/keeps σ fixed/);
  });

  test('a simulation supplies its PSF σ and camera', () => {
    const params = presetParams('isolated');
    const st: LoadedStack = {
      info: {
        ...fileStack().info,
        recipe: { kind: 'simulated', params },
        meta: {
          flavour: 'simulated',
          byteOrder: 'little',
          pixelSizeNm: 100,
          camera: { kind: 'ccd', offsetAdu: 100, electronsPerAdu: 0.5, emGain: 1 },
        },
      },
      overrides: {},
    };
    const p = localizeInput({ ...DEFAULT_SETTINGS }, st);
    expect(p.sigmaNm).toBe(params.channels[0].psfSigmaNm);
    expect(p.camera).toMatchObject({ kind: 'ccd', offsetAdu: 100, electronsPerAdu: 0.5, emGain: 1 });
    expect(localizeInput({ ...DEFAULT_SETTINGS, sigmaNm: 150 }, st).sigmaNm).toBe(150);
  });

  test('a plan converts 1-based inclusive frames to a 0-based range and signs its inputs', () => {
    const r = planRun(
      { ...DEFAULT_SETTINGS, firstFrame: 11, lastFrame: 20, roi: { x: 4, y: 4, width: 30, height: 30 } },
      fileStack(),
    );
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.plan.frames).toEqual({ start: 10, end: 20 });
    expect(r.plan.roi).toEqual({ x: 4, y: 4, width: 30, height: 30 });
    const again = planRun(
      { ...DEFAULT_SETTINGS, firstFrame: 11, lastFrame: 20, roi: { x: 4, y: 4, width: 30, height: 30 } },
      fileStack(),
    );
    const other = planRun(
      { ...DEFAULT_SETTINGS, firstFrame: 11, lastFrame: 20, thresholdFactor: 1.5 },
      fileStack(),
    );
    expect(again.ok && again.plan.signature).toBe(r.plan.signature);
    expect(other.ok && other.plan.signature).not.toBe(r.plan.signature);
  });

  test('invalid settings are refused with reasons naming units and limits', () => {
    const r = planRun(
      {
        ...DEFAULT_SETTINGS,
        firstFrame: 50,
        lastFrame: 120,
        roi: { x: 40, y: 0, width: 30, height: 10 },
        sigmaNm: 20,
      },
      fileStack(),
    );
    expect(r.ok).toBe(false);
    const text = !r.ok ? r.errors.join('\n') : '';
    expect(text).toMatch(/Last frame must be a whole number from 1 to 100/);
    expect(text).toMatch(/reaches past the 64×48 px frame/);
    expect(text).toMatch(/0\.13 pixels of 160 nm/);
    const small = planRun({ ...DEFAULT_SETTINGS, roi: { x: 0, y: 0, width: 4, height: 4 } }, fileStack());
    expect(!small.ok && small.errors[0]).toMatch(/smaller than the \d+×\d+ px fitting window/);
    const backwards = planRun({ ...DEFAULT_SETTINGS, firstFrame: 9, lastFrame: 3 }, fileStack());
    expect(!backwards.ok && backwards.errors[0]).toMatch(/before the first/);
  });
});

describe('undo and redo of parameter changes', () => {
  beforeEach(() => localizeParamsStore.getState().load(DEFAULT_SETTINGS));

  test('each change is one step; a new change drops the redo branch; no-op changes are not steps', () => {
    const s = () => localizeParamsStore.getState();
    s().set({ thresholdFactor: 2 });
    s().set({ fitter: 'lsq' });
    s().set({ fitter: 'lsq' });
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(s().settings).toMatchObject({ thresholdFactor: 2, fitter: 'mle' });
    s().undo();
    expect(s().settings.thresholdFactor).toBe(1);
    s().undo();
    expect(s().settings.thresholdFactor).toBe(1);
    s().redo();
    expect(s().settings.thresholdFactor).toBe(2);
    s().set({ minDistancePx: 5 });
    expect(s().future).toHaveLength(0);
    s().reset();
    expect(s().settings).toEqual(DEFAULT_SETTINGS);
    s().undo();
    expect(s().settings.minDistancePx).toBe(5);
  });
});
