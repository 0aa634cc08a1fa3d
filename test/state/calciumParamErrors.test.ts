import { describe, expect, it } from 'vitest';
import { calciumParamErrors, defaultCalciumParams } from '../../src/state/calciumStore';

describe('calciumParamErrors', () => {
  const info = {
    frameCount: 40,
    meta: { flavour: 'imagej' as const, byteOrder: 'little' as const, frameIntervalMs: 500 },
    recipe: { kind: 'files' as const, files: [] },
  };

  it('the defaults for a stack are runnable', () => {
    expect(calciumParamErrors(defaultCalciumParams(info), 40)).toEqual([]);
  });

  it('names each field the panel got wrong, against the stack length', () => {
    const p = { ...defaultCalciumParams(info), addFrame: 40, k: 0, refractoryFrames: -1, frameIntervalS: 0 };
    const problems = calciumParamErrors(p, 40);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/addition frame must be a whole number in 1–39/);
    expect(problems.join('\n')).toMatch(/k must be > 0/);
    expect(problems.join('\n')).toMatch(/frame interval must be > 0 s/);
    expect(problems.join('\n')).toMatch(/refractory period must be ≥ 0 frames/);
  });
});
