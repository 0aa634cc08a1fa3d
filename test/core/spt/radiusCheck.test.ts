// The search-radius check against simulated EVs (issue #12: at D = 0.5 µm²/s and 5 ms frames a
// 200 nm radius breaks tracks and biases D low). Ground truth: the simulator's D and the
// Rayleigh law of the steps.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import { trackDetections } from '../../../src/core/spt/link';
import {
  checkSearchRadius,
  linkWithRadiusCheck,
  truncatedRayleighSigma,
} from '../../../src/core/spt/radiusCheck';
import { simulateBrownian } from './simulate';

const sim = (dMin: number, dMax: number) =>
  simulateBrownian({
    particles: 20,
    frames: 200,
    fieldNm: 40_000,
    dMin,
    dMax,
    dt: 0.005,
    noiseNm: 20,
    missProb: 0,
    spuriousPerFrame: 0,
    seed: 11,
  });

function tracksPerParticle(res: ReturnType<typeof trackDetections>, truth: Int32Array) {
  const ids = new Map<number, Set<number>>();
  const t = res.tracks.columns;
  for (let i = 0; i < res.tracks.length; i++) {
    const k = truth[res.detectionRow[i]];
    if (!ids.has(k)) ids.set(k, new Set());
    ids.get(k)!.add(t.track[i]);
  }
  return Math.max(...Array.from(ids.values(), (s) => s.size));
}

describe('search radius check', () => {
  test('truncated Rayleigh MLE recovers σ from steps cut at the radius', () => {
    const r = new Rng(2);
    const sigma = 90;
    const R = 200;
    const steps: number[] = [];
    while (steps.length < 4000) {
      const s = Math.hypot(sigma * r.normal(), sigma * r.normal());
      if (s < R) steps.push(s);
    }
    expect(truncatedRayleighSigma(steps, R)).toBeCloseTo(sigma, -1);
    // The naive estimate from the kept steps is biased low.
    const naive = Math.sqrt(steps.reduce((a, s) => a + s * s, 0) / (2 * steps.length));
    expect(naive).toBeLessThan(0.9 * sigma);
  });

  test('fast EVs (D = 0.5 µm²/s) at 200 nm: warns, and the suggested radius keeps the tracks whole', () => {
    const s = sim(0.5, 0.5);
    const res = trackDetections(s.det, { maxLinkDistance: 200, maxGap: 0 });
    expect(tracksPerParticle(res, s.truth)).toBeGreaterThan(1);
    const c = checkSearchRadius(res.tracks, 200);
    expect(c.warning).toMatch(/search radius \(200 nm\) is short/);
    // σ per axis = √(2DΔt + 2·20²) ≈ 74 nm → 3.7σ ≈ 280 nm.
    expect(c.suggestedRadiusNm).toBeGreaterThanOrEqual(260);
    expect(c.suggestedRadiusNm).toBeLessThanOrEqual(330);
    const again = trackDetections(s.det, { maxLinkDistance: c.suggestedRadiusNm, maxGap: 0 });
    expect(tracksPerParticle(again, s.truth)).toBe(1);
    expect(checkSearchRadius(again.tracks, c.suggestedRadiusNm).warning).toBeNull();
  });

  test('auto radius: fast EVs are relinked at the suggested radius, D within 5 % of the truth', () => {
    const s = sim(0.5, 0.5);
    const { linked, radiusCheck } = linkWithRadiusCheck(s.det, {
      maxLinkDistance: 200,
      maxGap: 0,
      autoRadius: true,
    });
    expect(radiusCheck.raisedFromNm).toBe(200);
    expect(radiusCheck.radiusNm).toBeGreaterThan(200);
    expect(radiusCheck.warning).toBeNull();
    expect(tracksPerParticle(linked, s.truth)).toBe(1);
    // Pooled MSD at lag 1 → D (σ_loc = 20 nm known): steps² = 4DΔt + 4σ².
    const t = linked.tracks.columns;
    let sq = 0;
    let n = 0;
    for (let i = 1; i < linked.tracks.length; i++)
      if (t.track[i] === t.track[i - 1]) {
        sq += (t.x[i] - t.x[i - 1]) ** 2 + (t.y[i] - t.y[i - 1]) ** 2;
        n++;
      }
    const D = (sq / n - 4 * 20 * 20) / (4 * 0.005) / 1e6;
    expect(Math.abs(D - 0.5)).toBeLessThan(0.025);
  });

  test('slow EVs (D ≤ 0.1 µm²/s) at 200 nm: no warning', () => {
    const s = sim(0.02, 0.1);
    const res = trackDetections(s.det, { maxLinkDistance: 200, maxGap: 0 });
    const c = checkSearchRadius(res.tracks, 200);
    expect(
      linkWithRadiusCheck(s.det, { maxLinkDistance: 200, maxGap: 0, autoRadius: true }).radiusCheck
        .raisedFromNm,
    ).toBeUndefined();
    expect(c.tracks).toBe(20);
    expect(c.warning).toBeNull();
    expect(c.lostFraction).toBeLessThan(0.005);
  });
});
