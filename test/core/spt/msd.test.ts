import { describe, expect, test } from 'vitest';
import { fitDiffusion, msdCurve } from '../../../src/core/spt/msd';
import { filterTracks, Mobility, summarizeTracks } from '../../../src/core/spt/summary';
import type { TrackTable } from '../../../src/core/spt/types';
import { brownianTrack } from './simulate';

function table(
  tracks: { frame: Uint32Array; x: Float64Array; y: Float64Array }[],
  intensity: number[] = [],
): TrackTable {
  const n = tracks.reduce((s, t) => s + t.frame.length, 0);
  const out = {
    track: new Uint32Array(n),
    frame: new Uint32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    intensity: new Float64Array(n),
  };
  let k = 0;
  tracks.forEach((t, id) => {
    for (let i = 0; i < t.frame.length; i++, k++) {
      out.track[k] = id;
      out.frame[k] = t.frame[i];
      out.x[k] = t.x[i];
      out.y[k] = t.y[i];
      out.intensity[k] = intensity[id] ?? 1;
    }
  });
  return { length: n, columns: out };
}

describe('MSD and diffusion coefficient', () => {
  test('msdCurve is exact on a uniform drift and uses frame differences across gaps', () => {
    const frame = Uint32Array.from([0, 1, 2, 4, 5]);
    const x = Float64Array.from(frame, (f) => 10 * f);
    const y = new Float64Array(5);
    const c = msdCurve(frame, x, y, 0, 5, 4);
    expect(Array.from(c.pairs)).toEqual([3, 2, 2, 2]);
    expect(Array.from(c.msd)).toEqual([100, 400, 900, 1600]);
  });

  test.each([0.05, 0.1, 0.2])('recovers D = %s µm²/s within 15 percent from 2000-frame tracks', (D) => {
    const dt = 0.005;
    for (const seed of [1, 2, 3]) {
      const t = brownianTrack(2000, D, dt, 20, seed);
      const curve = msdCurve(t.frame, t.x, t.y, 0, 2000, 500);
      const fit = fitDiffusion(curve, dt);
      expect(Math.abs(fit.D * 1e-6 - D) / D).toBeLessThan(0.15);
      // Localization error comes back from the intercept.
      expect(fit.sigma).toBeGreaterThan(14);
      expect(fit.sigma).toBeLessThan(26);
      // Michalet's rule: few points when σ²/(DΔt) is small (x = 0.4 … 1.6 here).
      expect(fit.points).toBeGreaterThanOrEqual(2);
      expect(fit.points).toBeLessThanOrEqual(5);
    }
  });

  test('a fixed number of MSD points is honoured', () => {
    const t = brownianTrack(400, 0.1, 0.005, 20, 9);
    const fit = fitDiffusion(msdCurve(t.frame, t.x, t.y, 0, 400, 100), 0.005, 10);
    expect(fit.points).toBe(10);
  });
});

describe('summarizeTracks', () => {
  test('classifies immobile, confined and mobile tracks', () => {
    const dt = 0.005;
    const tt = table([
      brownianTrack(400, 0, dt, 20, 1), // immobile
      brownianTrack(400, 0.1, dt, 20, 2, 100), // D 0.1 µm²/s inside a 100 nm disc
      brownianTrack(400, 0.1, dt, 20, 3), // free
      brownianTrack(10, 0.1, dt, 20, 4), // too short to judge
    ]);
    const s = summarizeTracks(tt, { frameInterval: dt });
    expect(Array.from(s.columns.mobility)).toEqual([
      Mobility.immobile,
      Mobility.confined,
      Mobility.mobile,
      Mobility.unclassified,
    ]);
    expect(s.columns.alpha[2]).toBeGreaterThan(0.8);
    expect(s.columns.alpha[1]).toBeLessThan(0.5);
    expect(Array.from(s.columns.positions)).toEqual([400, 400, 400, 10]);
  });

  test('counts missing frames and filters by length and mean intensity', () => {
    const a = { frame: Uint32Array.from([0, 1, 3, 4]), x: new Float64Array(4), y: new Float64Array(4) };
    const b = { frame: Uint32Array.from([5, 6]), x: new Float64Array(2), y: new Float64Array(2) };
    const c = { frame: Uint32Array.from([2, 3, 4]), x: new Float64Array(3), y: new Float64Array(3) };
    const tt = table([a, b, c], [100, 500, 50]);
    const s = summarizeTracks(tt, { frameInterval: 0.005 });
    expect(Array.from(s.columns.missingFrames)).toEqual([1, 0, 0]);
    expect(Array.from(s.columns.meanIntensity)).toEqual([100, 500, 50]);
    expect(Array.from(new Set(filterTracks(tt, { minLength: 3 }).columns.track))).toEqual([0, 2]);
    expect(Array.from(new Set(filterTracks(tt, { minMeanIntensity: 80 }).columns.track))).toEqual([0, 1]);
    expect(filterTracks(tt, { minLength: 3, minMeanIntensity: 80 }).length).toBe(4);
  });
});

describe('D that cannot be estimated', () => {
  test('immobile tracks with localization noise: D is positive or not estimable (NaN), never negative', () => {
    // D = 0, σ = 30 nm: the fitted slope is noise around 0, negative for about half the tracks.
    const tracks = Array.from({ length: 40 }, (_, k) => brownianTrack(40, 0, 0.005, 30, 100 + k));
    const s = summarizeTracks(table(tracks), { frameInterval: 0.005 });
    let notEstimable = 0;
    for (let k = 0; k < s.length; k++) {
      const D = s.columns.D[k];
      if (Number.isNaN(D)) notEstimable++;
      else expect(D).toBeGreaterThan(0);
      // Not estimable because the MSD is flat: immobile, not "unclassified".
      expect(s.columns.mobility[k]).toBe(Mobility.immobile);
    }
    expect(notEstimable).toBeGreaterThan(5);
    expect(notEstimable).toBeLessThan(35);
  });

  test('fitDiffusion keeps the raw slope for classification and reports D only when positive', () => {
    // MSD falling with lag: slope < 0.
    const curve = { msd: Float64Array.from([400, 300, 200, 100]), pairs: Uint32Array.from([9, 8, 7, 6]) };
    const fit = fitDiffusion(curve, 0.005, 4);
    expect(fit.slopeD).toBeCloseTo(-100 / (4 * 0.005), 9);
    expect(fit.D).toBeNaN();
  });
});
