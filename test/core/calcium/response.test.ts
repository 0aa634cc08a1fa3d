import { describe, expect, it } from 'vitest';
import {
  analyseTrace,
  countTransients,
  fitExponential,
  nominalAlpha,
  resolveResponseParams,
  runsAbove,
  wilson95,
} from '../../../src/core/calcium';
import { Rng } from '../../../src/core/random';

function noisyTrace(
  n: number,
  f0: number,
  sd: number,
  seed: number,
  add?: (t: number) => number,
): Float64Array {
  const rng = new Rng(seed, 0);
  return Float64Array.from({ length: n }, (_, t) => f0 * (1 + (add?.(t) ?? 0)) + sd * rng.normal());
}

describe('analyseTrace', () => {
  it('a step of ΔF/F₀ 0.5 starting 12 frames after addition: latency 12, peak 0.5, AUC ≈ 0.5 × duration', () => {
    const t = noisyTrace(200, 100, 0.2, 1, (f) => (f >= 62 ? 0.5 : 0));
    const p = resolveResponseParams({ addFrame: 50, frameIntervalS: 2 }, 200);
    const r = analyseTrace(t, p);
    expect(r.responder).toBe(true);
    expect(r.latencyFrames).toBe(12);
    expect(r.latencyS).toBe(24);
    expect(r.peakDff).toBeGreaterThan(0.5);
    expect(r.peakDff).toBeLessThan(0.51);
    expect(r.f0).toBeCloseTo(100, 0);
    expect(r.baselineSd).toBeCloseTo(0.002, 3);
    // ∫ over 138 frames × 2 s of 0.5, minus half a frame at the step edge.
    expect(r.aucDffS).toBeCloseTo(0.5 * 2 * 137.5, -1);
    expect(r.transients).toBe(1);
  });

  it('a blip shorter than the minimum duration is not a response', () => {
    const t = noisyTrace(200, 100, 0.2, 2, (f) => (f >= 80 && f < 82 ? 0.5 : 0));
    const r = analyseTrace(t, resolveResponseParams({ addFrame: 50, minFrames: 3 }, 200));
    expect(r.responder).toBe(false);
    expect(Number.isNaN(r.latencyFrames)).toBe(true);
    expect(r.transients).toBe(0);
    const r1 = analyseTrace(t, resolveResponseParams({ addFrame: 50, minFrames: 2 }, 200));
    expect(r1.responder).toBe(true);
    expect(r1.latencyFrames).toBe(30);
  });

  it('a rise before the addition frame does not count', () => {
    const t = noisyTrace(200, 100, 0.2, 3, (f) => (f >= 20 && f < 40 ? 0.5 : 0));
    const r = analyseTrace(
      t,
      resolveResponseParams({ addFrame: 50, baselineStart: 0, baselineEnd: 20 }, 200),
    );
    expect(r.responder).toBe(false);
  });

  it('exponential bleach correction recovers ΔF/F₀ of a bleaching trace; without it the peak is low', () => {
    const tau = 400;
    const t = Float64Array.from({ length: 300 }, (_, f) => 100 * Math.exp(-f / tau) * (f >= 200 ? 1.5 : 1));
    const exp = analyseTrace(t, resolveResponseParams({ addFrame: 100, bleach: 'exp' }, 300));
    expect(exp.peakDff).toBeCloseTo(0.5, 9);
    expect(exp.bleachRatePerFrame).toBeCloseTo(1 / tau, 9);
    const none = analyseTrace(t, resolveResponseParams({ addFrame: 100, bleach: 'none' }, 300));
    expect(none.peakDff).toBeLessThan(0.35);
  });

  it('fitExponential is exact on an exponential and refuses a non-positive baseline', () => {
    const t = Float64Array.from({ length: 50 }, (_, f) => 3 * Math.exp(-0.01 * f));
    const fit = fitExponential(t, 0, 50);
    expect(fit?.rate).toBeCloseTo(-0.01, 12);
    expect(Math.exp(fit?.lnA ?? 0)).toBeCloseTo(3, 10);
    t[5] = 0;
    expect(fitExponential(t, 0, 50)).toBeNull();
    const r = analyseTrace(t, resolveResponseParams({ addFrame: 20, bleach: 'exp' }, 50));
    expect(r.note).toMatch(/bleach fit/);
    expect(r.responder).toBe(false);
  });

  it('a cell dimmer than the background gets a note, not a fake result', () => {
    const t = new Float64Array(100).fill(-3);
    const r = analyseTrace(t, resolveResponseParams({ addFrame: 50 }, 100));
    expect(r.note).toMatch(/F0/);
    expect(r.responder).toBe(false);
  });
});

describe('transients and runs', () => {
  it('counts runs of ≥ m frames, joining runs closer than the refractory period', () => {
    const x = new Float64Array(60);
    for (const [a, b] of [
      [10, 14],
      [16, 20],
      [35, 36],
      [45, 50],
    ])
      for (let t = a; t < b; t++) x[t] = 1;
    const runs = runsAbove(x, 0, 0.5);
    expect(runs).toEqual([
      { start: 10, end: 14 },
      { start: 16, end: 20 },
      { start: 35, end: 36 },
      { start: 45, end: 50 },
    ]);
    expect(countTransients(runs, 3, 0)).toBe(3);
    expect(countTransients(runs, 3, 5)).toBe(2);
    expect(countTransients(runs, 1, 0)).toBe(4);
  });
});

describe('statistics', () => {
  it('nominal α is the union bound over frames after addition', () => {
    // 1 − Φ(3) = 0.0013498980316301
    expect(nominalAlpha(3, 1, 1)).toBeCloseTo(0.0013498980316301, 12);
    expect(nominalAlpha(3, 3, 102)).toBeCloseTo(100 * 0.0013498980316301 ** 3, 15);
    expect(nominalAlpha(0.1, 1, 1000)).toBe(1);
  });

  it('Wilson 95 % interval matches the textbook value', () => {
    // 8 of 20: Wilson interval 0.2188–0.6134 (Newcombe 1998, Table I style computation).
    const [lo, hi] = wilson95(8, 20);
    expect(lo).toBeCloseTo(0.2188, 3);
    expect(hi).toBeCloseTo(0.6134, 3);
    expect(wilson95(0, 10)[0]).toBe(0);
  });

  it('rejects parameters that make no sense, naming them', () => {
    expect(() => resolveResponseParams({ addFrame: 0 }, 100)).toThrow(/addition frame/);
    expect(() => resolveResponseParams({ addFrame: 50, baselineStart: 10, baselineEnd: 60 }, 100)).toThrow(
      /baseline/,
    );
    expect(() => resolveResponseParams({ addFrame: 50, baselineStart: 48 }, 100)).toThrow(/at least 3/);
    expect(() => resolveResponseParams({ addFrame: 50, k: -1 }, 100)).toThrow(/k must be/);
  });
});
