// Counting coincident emitters by brightness: the Gamma-mixture model recovers the brightness
// of one emitter and the share of 2- and 3-emitter spots it was drawn from, declines when one
// emitter's brightness is too broad to count by (exponential photon budgets), and expands the
// table one row per counted emitter without disturbing frame order or total photons.
import { describe, expect, test } from 'vitest';
import {
  countByBrightness,
  countForRun,
  fitBrightnessModel,
  MIN_SHAPE,
  mostProbableCount,
} from '../../../src/core/localize/brightnessCount';
import type { LocTable } from '../../../src/core/locs/table';
import { Rng } from '../../../src/core/random';

/** Spot photons: k emitters with probability weights[k−1], each Gamma(shape, scale). */
function spots(n: number, weights: number[], shape: number, scale: number, seed: number) {
  const rng = new Rng(seed);
  const photons = new Float64Array(n);
  const truth = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    let k = 1;
    while (k < weights.length && u >= weights[k - 1]) u -= weights[k++ - 1];
    truth[i] = k;
    for (let e = 0; e < k; e++) photons[i] += rng.gamma(shape, scale);
  }
  return { photons, truth };
}

function table(photons: Float64Array): LocTable {
  const n = photons.length;
  return {
    length: n,
    columns: {
      frame: Uint32Array.from({ length: n }, (_, i) => Math.floor(i / 10)),
      x: Float64Array.from({ length: n }, (_, i) => 100 * i),
      y: new Float64Array(n),
      photons: Float32Array.from(photons),
    },
  };
}

describe('brightness model', () => {
  test('recovers one emitter’s brightness and the 1/2/3-emitter shares', () => {
    const { photons } = spots(6000, [0.7, 0.25, 0.05], 10, 100, 3);
    const m = fitBrightnessModel(photons);
    expect(m).not.toBeNull();
    if (!m) return;
    expect(m.unitPhotons).toBeGreaterThan(970);
    expect(m.unitPhotons).toBeLessThan(1030);
    expect(m.shape).toBeGreaterThan(8);
    expect(m.shape).toBeLessThan(12);
    expect(m.weights[0]).toBeCloseTo(0.7, 1);
    expect(m.weights[1]).toBeCloseTo(0.25, 1);
    expect(m.deltaBic).toBeLessThan(0);
  });

  test('the most probable count is right for most spots, and the split point lies between 1× and 2×', () => {
    const { photons, truth } = spots(4000, [0.7, 0.25, 0.05], 10, 100, 4);
    const m = fitBrightnessModel(photons);
    if (!m) throw new Error('no model');
    let right = 0;
    for (let i = 0; i < photons.length; i++) if (mostProbableCount(photons[i], m) === truth[i]) right++;
    expect(right / photons.length).toBeGreaterThan(0.85);
    expect(mostProbableCount(1000, m)).toBe(1);
    expect(mostProbableCount(2000, m)).toBe(2);
  });

  test('declines when one emitter’s brightness is exponential (shape 1): one and two look alike', () => {
    const { photons } = spots(4000, [0.7, 0.3], 1, 1000, 5);
    const t = table(photons);
    const r = countByBrightness(t);
    expect(r.applied).toBe(false);
    expect(r.reason).toMatch(/too broad/);
    expect(r.model?.shape ?? 0).toBeLessThan(MIN_SHAPE);
    expect(r.table).toBe(t);
  });

  test('adds almost nothing when every spot holds one emitter', () => {
    const { photons } = spots(4000, [1], 10, 100, 6);
    const r = countByBrightness(table(photons));
    expect(r.added).toBeLessThan(0.01 * photons.length);
  });

  test('needs enough spots', () => {
    const r = countByBrightness(table(spots(50, [0.7, 0.3], 10, 100, 7).photons));
    expect(r.applied).toBe(false);
    expect(r.reason).toMatch(/fewer than/);
  });
});

describe('expanded table', () => {
  test('one row per counted emitter, same frame and position, photons divided, order kept', () => {
    const { photons } = spots(3000, [0.6, 0.4], 12, 80, 8);
    const t = table(photons);
    const r = countByBrightness(t);
    expect(r.applied).toBe(true);
    expect(r.added).toBeGreaterThan(0.3 * photons.length);
    const out = r.table;
    expect(out.length).toBe(t.length + r.added);
    let total = 0;
    for (let i = 0; i < out.length; i++) total += out.columns.photons[i];
    let before = 0;
    for (let i = 0; i < t.length; i++) before += t.columns.photons[i];
    expect(total).toBeCloseTo(before, -1);
    for (let i = 1; i < out.length; i++)
      expect(out.columns.frame[i]).toBeGreaterThanOrEqual(out.columns.frame[i - 1]);
    const xs = new Set(Array.from(out.columns.x));
    expect(xs.size).toBe(t.length);
    // The copies are marked: each row says how many rows its spot became, so the fitted spots
    // can be recovered and nothing downstream mistakes a copy for an independent fit.
    const coincident = out.columns.coincident;
    const repeats = new Map<number, number>();
    for (let i = 0; i < out.length; i++)
      repeats.set(out.columns.x[i], (repeats.get(out.columns.x[i]) ?? 0) + 1);
    let spotsBack = 0;
    for (let i = 0; i < out.length; i++) {
      expect(coincident[i]).toBe(repeats.get(out.columns.x[i]));
      spotsBack += 1 / coincident[i];
    }
    expect(spotsBack).toBeCloseTo(t.length, 6);
  });

  test('runs only for mle-multi with counting on', () => {
    const t = table(spots(3000, [0.6, 0.4], 12, 80, 9).photons);
    expect(countForRun(t, { fitter: 'mle' })).toBeNull();
    expect(countForRun(t, { fitter: 'mle-multi', countByBrightness: false })).toBeNull();
    expect(countForRun(t, { fitter: 'mle-multi', countByBrightness: true })?.applied).toBe(true);
  });
});
