import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import {
  dstormOnFrames,
  framePhotons,
  palmOnFrames,
  stepBleachOnFrames,
} from '../../../src/core/sim/photophysics';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';

describe('photophysics', () => {
  test('PALM: every molecule emits ≥ 1 frame, on-times are geometric with the set mean', () => {
    const rng = new Rng(3, 0);
    const lengths: number[] = [];
    let bad = 0;
    for (let m = 0; m < 20000; m++) {
      let n = 0;
      let last = 9;
      palmOnFrames(rng, 3, 10, 1_000_000, (k) => {
        if (k !== last + 1) bad++;
        last = k;
        n++;
      });
      lengths.push(n);
    }
    // Starts at the activation frame and runs without gaps.
    expect(bad).toBe(0);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const variance = lengths.reduce((a, b) => a + (b - mean) ** 2, 0) / lengths.length;
    expect(Math.min(...lengths)).toBe(1);
    // Geometric(p = 1/3): mean 3, variance (1 − p)/p² = 6.
    expect(mean).toBeCloseTo(3, 1);
    expect(variance / 6).toBeGreaterThan(0.93);
    expect(variance / 6).toBeLessThan(1.07);
  });

  test('dSTORM without bleaching: on-fraction → k_on/(k_on + k_off)', () => {
    const rng = new Rng(5, 0);
    const p = { kOn: 0.05, kOff: 0.2, kBleach: 0, initialOnFraction: 0.2 };
    let on = 0;
    const molecules = 400;
    const frames = 2000;
    for (let m = 0; m < molecules; m++) dstormOnFrames(rng, p, 0, frames, () => on++);
    expect(on / (molecules * frames)).toBeCloseTo(0.2, 2);
  });

  test('dSTORM with bleaching: blinks per molecule are geometric with mean (k_off + k_b)/k_b', () => {
    const rng = new Rng(6, 0);
    const p = { kOn: 0.5, kOff: 0.3, kBleach: 0.1, initialOnFraction: 1 };
    let blinks = 0;
    const molecules = 5000;
    for (let m = 0; m < molecules; m++) {
      let last = -10;
      dstormOnFrames(rng, p, 0, 100000, (k) => {
        if (k !== last + 1) blinks++;
        last = k;
      });
    }
    expect(blinks / molecules).toBeGreaterThan(3.8);
    expect(blinks / molecules).toBeLessThan(4.2);
  });

  test('step bleaching: on from frame 0 without gaps, total on-time has the exponential mean', () => {
    const rng = new Rng(8, 0);
    let total = 0;
    let gaps = 0;
    const n = 20000;
    for (let m = 0; m < n; m++) {
      let next = 0;
      stepBleachOnFrames(rng, 40, 0, 100000, (k, f) => {
        if (k !== next++) gaps++;
        total += f;
      });
    }
    expect(gaps).toBe(0);
    expect(total / n / 40).toBeGreaterThan(0.97);
    expect(total / n / 40).toBeLessThan(1.03);
  });

  test('photon variability: exponential keeps the mean with variance mean²; poisson variance = mean', () => {
    const rng = new Rng(9, 0);
    for (const [kind, varFactor] of [
      ['exponential', 500],
      ['poisson', 1],
    ] as const) {
      let s = 0;
      let ss = 0;
      const n = 40000;
      for (let i = 0; i < n; i++) {
        const v = framePhotons(rng, 500, 1, kind);
        s += v;
        ss += v * v;
      }
      const mean = s / n;
      expect(mean / 500).toBeCloseTo(1, 1);
      expect((ss / n - mean * mean) / (500 * varFactor)).toBeCloseTo(1, 1);
    }
    expect(framePhotons(rng, 500, 0.25, 'none')).toBe(125);
  });

  test('through the simulator, every labelled PALM molecule on an EV is seen at least once', () => {
    const p = presetParams('dstorm');
    p.frames = 400;
    p.channels[0].photophysics = { kind: 'palm', meanOnFrames: 2 };
    p.drift = { speedXNmPerS: 0, speedYNmPerS: 0, wobbleAmplitudeNm: 0, wobblePeriodS: 10 };
    const sim = simulate(p);
    const seen = new Set(sim.truth.events.columns.molecule);
    const labelled = sim.truth.evs.labelledCounts.CD63.reduce((a, b) => a + b, 0);
    expect(labelled).toBeGreaterThan(100);
    expect(seen.size).toBe(labelled);
    expect(sim.truth.events.length / labelled).toBeGreaterThan(1.6);
    expect(sim.truth.events.length / labelled).toBeLessThan(2.1);
  });
});
