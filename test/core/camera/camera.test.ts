import { describe, expect, test } from 'vitest';
import {
  adusToPhotons,
  type CameraParams,
  cropCamera,
  DEFAULT_CAMERA,
  excessNoiseFactor,
  readVarianceMap,
  uniformReadVariance,
  validateCamera,
} from '../../../src/core/camera/camera';

const cam = (c: Partial<CameraParams>): CameraParams => ({ ...DEFAULT_CAMERA, ...c });

describe('ADU → photons', () => {
  test('CCD, EMCCD and QE follow (ADU − offset) × e⁻/ADU / EM gain / QE', () => {
    const frame = Uint16Array.from([100, 150, 1100]);
    const out = new Float32Array(3);
    expect([...adusToPhotons(frame, cam({ offsetAdu: 100, electronsPerAdu: 2 }), out)]).toEqual([
      0, 100, 2000,
    ]);
    adusToPhotons(frame, cam({ kind: 'emccd', offsetAdu: 100, electronsPerAdu: 10, emGain: 100 }), out);
    expect([...out]).toEqual([0, 5, 100]);
    adusToPhotons(frame, cam({ offsetAdu: 100, electronsPerAdu: 2, quantumEfficiency: 0.8 }), out);
    expect(out[2]).toBeCloseTo(2500, 3);
  });

  test('sCMOS uses per-pixel offset and gain, and converts the variance map to photon²', () => {
    const c = cam({
      kind: 'scmos',
      scmosMaps: {
        offsetAdu: Float32Array.from([100, 110]),
        electronsPerAdu: Float32Array.from([0.5, 2]),
        varianceAdu2: Float32Array.from([4, 9]),
      },
    });
    const out = new Float32Array(2);
    expect([...adusToPhotons(Uint16Array.from([300, 300]), c, out)]).toEqual([100, 380]);
    expect([...readVarianceMap(c)!]).toEqual([1, 36]);
    expect(uniformReadVariance(c)).toBe(0);
    const cropped = cropCamera(
      { ...c, scmosMaps: { ...c.scmosMaps!, offsetAdu: Float32Array.from([1, 2, 3, 4, 5, 6]) } },
      3,
      1,
      1,
      2,
      1,
    );
    expect([...cropped.scmosMaps!.offsetAdu]).toEqual([5, 6]);
  });

  test('noise factors: EMCCD doubles the variance, read noise shrinks by the EM gain', () => {
    expect(excessNoiseFactor(cam({ kind: 'emccd', emGain: 100 }))).toBe(2);
    expect(excessNoiseFactor(cam({ kind: 'ccd' }))).toBe(1);
    expect(uniformReadVariance(cam({ readNoiseE: 6 }))).toBe(36);
    expect(uniformReadVariance(cam({ kind: 'emccd', readNoiseE: 50, emGain: 100 }))).toBeCloseTo(0.25, 10);
  });

  test('validation names the setting and its unit', () => {
    expect(() => validateCamera(cam({ electronsPerAdu: 0 }))).toThrow(/e⁻\/ADU/);
    expect(() => validateCamera(cam({ emGain: 0.5 }))).toThrow(/EM gain/);
    expect(() => validateCamera(cam({ quantumEfficiency: 1.5 }))).toThrow(/quantum efficiency/);
    const maps = {
      offsetAdu: new Float32Array(4),
      electronsPerAdu: new Float32Array(4),
      varianceAdu2: new Float32Array(3),
    };
    expect(() => validateCamera(cam({ kind: 'scmos', scmosMaps: maps }), 4)).toThrow(
      /varianceAdu2 map has 3 pixels/,
    );
    expect(() => validateCamera(cam({ kind: 'ccd', scmosMaps: maps }))).toThrow(/non-sCMOS/);
  });
});
