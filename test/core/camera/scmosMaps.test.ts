import { describe, expect, test } from 'vitest';
import { cropCamera, DEFAULT_CAMERA, readVarianceMap } from '../../../src/core/camera/camera';
import {
  readMap,
  readScmosMaps,
  scmosMapsFromSimulation,
  summarizeScmosMaps,
  toFloat32,
} from '../../../src/core/camera/scmosMaps';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';
import type { FrameSource, PixelArray } from '../../../src/core/stack/types';

function source(name: string, width: number, height: number, frame0: PixelArray, frames = 1): FrameSource {
  return {
    name,
    width,
    height,
    frameCount: frames,
    channels: 1,
    dtype: 'float32',
    meta: { flavour: 'fake', byteOrder: 'little' },
    readFrame: async (i) => (i === 0 ? frame0 : new Float32Array(width * height).fill(-1)),
  };
}

describe('sCMOS calibration maps', () => {
  test('any pixel type becomes Float32 from frame 0, in the camera module’s units', async () => {
    const maps = await readScmosMaps(
      {
        offset: source('off.tif', 3, 2, Uint16Array.from([100, 101, 102, 103, 104, 105]), 5),
        gain: source('gain.tif', 3, 2, Float64Array.from([0.5, 0.25, 0.5, 0.5, 2, 0.5])),
        variance: source('var.tif', 3, 2, Int32Array.from([4, 0, 9, 1, 1, 1])),
      },
      3,
      2,
    );
    expect(maps.offsetAdu).toBeInstanceOf(Float32Array);
    expect([...maps.offsetAdu]).toEqual([100, 101, 102, 103, 104, 105]);
    expect([...maps.electronsPerAdu]).toEqual([0.5, 0.25, 0.5, 0.5, 2, 0.5]);
    expect([...maps.varianceAdu2]).toEqual([4, 0, 9, 1, 1, 1]);
    // Variance in ADU² becomes photon² through the gain: 4 ADU² × (0.5 e⁻/ADU)² = 1 e⁻².
    const v = readVarianceMap({ ...DEFAULT_CAMERA, kind: 'scmos', scmosMaps: maps })!;
    expect(v[0]).toBeCloseTo(1, 6);
    expect(v[4]).toBeCloseTo(4, 6);
    const s = summarizeScmosMaps(maps);
    expect(s.offsetAdu).toBeCloseTo(102.5, 5);
    expect(s.varianceAdu2).toBeCloseTo(16 / 6, 5);
  });

  test('a gain map in ADU/e⁻ is inverted when declared so', async () => {
    const g = await readMap('gain', source('g.tif', 2, 1, Float32Array.from([2, 4])), 2, 1, {
      gainUnit: 'aduPerElectron',
    });
    expect([...g]).toEqual([0.5, 0.25]);
  });

  test('size mismatches and impossible values are refused, naming the file and pixel', async () => {
    await expect(readMap('offset', source('dark.tif', 4, 4, new Float32Array(16)), 8, 4)).rejects.toThrow(
      /offset \(ADU\) map dark\.tif is 4×4 px but the stack is 8×4 px/,
    );
    await expect(
      readMap('gain', source('g.tif', 2, 2, Float32Array.from([1, 1, 0, 1])), 2, 2),
    ).rejects.toThrow(/g\.tif: pixel \(x 0, y 1\) is 0, every pixel must be a positive number/);
    await expect(
      readMap('variance', source('v.tif', 2, 2, Float32Array.from([1, -1, 0, 1])), 2, 2),
    ).rejects.toThrow(/v\.tif: pixel \(x 1, y 0\) is -1/);
    await expect(
      readMap('offset', source('o.tif', 2, 1, Float32Array.from([1, Number.NaN])), 2, 1),
    ).rejects.toThrow(/o\.tif: pixel \(x 1, y 0\) is NaN/);
  });

  test('the simulator’s maps (read noise in e⁻ rms) become variance in ADU²', () => {
    const p = presetParams('isolated');
    p.width = 24;
    p.height = 16;
    p.frames = 2;
    p.camera = {
      ...p.camera,
      kind: 'scmos',
      electronsPerAdu: 0.5,
      readNoiseE: 2,
      scmosGainCv: 0.2,
      scmosReadNoiseLogSd: 0.5,
    };
    const truth = simulate(p).truth.scmosMaps!;
    const m = scmosMapsFromSimulation(truth);
    for (const i of [0, 7, 200, 383]) {
      expect(m.offsetAdu[i]).toBe(truth.offsetAdu[i]);
      expect(m.electronsPerAdu[i]).toBe(truth.electronsPerAdu[i]);
      const sdAdu = truth.readNoiseE[i] / truth.electronsPerAdu[i];
      expect(m.varianceAdu2[i]).toBeCloseTo(sdAdu * sdAdu, 4);
    }
    // Back to photon² through the camera module: the simulator's read noise squared.
    const v = readVarianceMap({ ...DEFAULT_CAMERA, kind: 'scmos', scmosMaps: m })!;
    expect(v[7]).toBeCloseTo(truth.readNoiseE[7] ** 2, 3);
  });

  test('a region of interest crops every map to its pixels (row-major)', () => {
    const full = {
      offsetAdu: toFloat32(Float32Array.from({ length: 12 }, (_, i) => i)),
      electronsPerAdu: toFloat32(Float32Array.from({ length: 12 }, (_, i) => 1 + i)),
      varianceAdu2: toFloat32(Float32Array.from({ length: 12 }, (_, i) => 100 + i)),
    };
    // 4 × 3 frame, region x 1–2, y 1–2.
    const c = cropCamera({ ...DEFAULT_CAMERA, kind: 'scmos', scmosMaps: full }, 4, 1, 1, 2, 2).scmosMaps!;
    expect([...c.offsetAdu]).toEqual([5, 6, 9, 10]);
    expect([...c.electronsPerAdu]).toEqual([6, 7, 10, 11]);
    expect([...c.varianceAdu2]).toEqual([105, 106, 109, 110]);
  });
});
