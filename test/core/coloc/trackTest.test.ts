// The track-level colocalization test against ground truth: null replicates as in issue #12
// (20 immobile EVs placed uniformly at random, 20 movie frames, 12 static discs, uniform
// controls) must reject at 0.05 in at most 3 of 20 seeds — while the position-level KS, which
// counts every frame of every EV as independent, rejects in most of them — and EVs placed inside
// the discs must be rejected.
import { describe, expect, test } from 'vitest';
import { analyzeColocalization, type ColocParams } from '../../../src/core/coloc/analysis';
import { type Disc, discProvider } from '../../../src/core/coloc/analysisDiscs';
import { chiSquareHomogeneity } from '../../../src/core/coloc/analysisStats';
import type { PositionsTable } from '../../../src/core/coloc/analysisTracks';
import {
  bootstrapMeanCi,
  clusterBootstrapMeanCi,
  combineCells,
  controlTracks,
  summarizeTrackDistances,
  trackPermutationTest,
} from '../../../src/core/coloc/trackTest';
import { Rng } from '../../../src/core/random';

const FIELD = 10_000;
const FRAMES = 20;
const EVS = 20;

function scene(seed: number, inside: boolean) {
  const r = new Rng(seed, 77);
  const discs: Disc[] = Array.from({ length: 12 }, () => ({
    cx: 800 + r.uniform() * (FIELD - 1600),
    cy: 800 + r.uniform() * (FIELD - 1600),
    r: 200 + 300 * r.uniform(),
  }));
  const n = EVS * FRAMES;
  const p = {
    track: new Uint32Array(n),
    frame: new Uint32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
  };
  for (let e = 0; e < EVS; e++) {
    let x: number;
    let y: number;
    if (inside) {
      const d = discs[e % discs.length];
      const rho = d.r * Math.sqrt(r.uniform());
      const phi = 2 * Math.PI * r.uniform();
      x = d.cx + rho * Math.cos(phi);
      y = d.cy + rho * Math.sin(phi);
    } else {
      x = FIELD * r.uniform();
      y = FIELD * r.uniform();
    }
    for (let f = 0; f < FRAMES; f++) {
      const i = e * FRAMES + f;
      p.track[i] = e + 1;
      p.frame[i] = f;
      p.x[i] = x;
      p.y[i] = y;
    }
  }
  const positions: PositionsTable = { length: n, columns: p };
  return { positions, provider: discProvider(() => discs) };
}

const params = (seed: number): ColocParams => ({
  movieFrames: FRAMES,
  frameInterval: 0.03,
  controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: FIELD, y1: FIELD },
  controlSeed: seed,
});

describe('track-level test on null and positive data', () => {
  test('null replicates: ≤ 3 of 20 seeds reject at 0.05; the position-level KS rejects in most', () => {
    let trackRejects = 0;
    let withinRejects = 0;
    let ksRejects = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { positions, provider } = scene(seed, false);
      const r = analyzeColocalization(positions, provider, params(seed));
      expect(r.trackTest.distance.tracks).toBe(EVS);
      expect(r.trackTest.distance.positions).toBe(EVS * FRAMES);
      if (r.trackTest.distance.p < 0.05) trackRejects++;
      if (r.trackTest.within.p < 0.05) withinRejects++;
      if (r.ks.p < 0.05) ksRejects++;
    }
    expect(trackRejects).toBeLessThanOrEqual(3);
    expect(withinRejects).toBeLessThanOrEqual(3);
    // The defect the track-level test fixes: 400 "independent" positions from 20 EVs.
    expect(ksRejects).toBeGreaterThanOrEqual(15);
  }, 120_000);

  test('EVs inside the discs: rejects, with a negative effect whose CI excludes 0', () => {
    for (const seed of [1, 2, 3]) {
      const { positions, provider } = scene(seed, true);
      const r = analyzeColocalization(positions, provider, params(seed));
      const t = r.trackTest.distance;
      expect(t.p).toBeLessThan(0.05);
      expect(t.ev).toBeLessThan(0);
      expect(t.difference).toBeLessThan(0);
      expect(t.ciHigh).toBeLessThan(0);
      expect(t.ciLow).toBeLessThanOrEqual(t.difference);
      expect(r.trackTest.within.p).toBeLessThan(0.05);
      expect(r.trackTest.within.difference).toBeGreaterThan(0);
    }
  }, 60_000);
});

describe('stratified permutation test', () => {
  const summaries = (values: number[]) => ({
    track: Uint32Array.from(values, (_, i) => i),
    meanDistance: Float64Array.from(values),
    fractionWithin: Float64Array.from(values),
    measured: Uint32Array.from(values, () => 10),
  });

  test('EV lowest in each of 3 pairs: exact p = 2/2³ = 0.25', () => {
    // Stratum k = EV k and control k (one control per EV track).
    const r = trackPermutationTest(summaries([0, 0, 0]), summaries([1, 2, 3]), 1, 'meanDistance', {
      permutations: 20_000,
    });
    expect(r.difference).toBeCloseTo(-2, 12);
    expect(Math.abs(r.p - 0.25)).toBeLessThan(0.015);
    expect(r.tracks).toBe(3);
    expect(r.positions).toBe(30);
  });

  test('EVs equal to their controls: p = 1, effect 0', () => {
    const r = trackPermutationTest(summaries([5, 7]), summaries([5, 5, 7, 7]), 2, 'meanDistance');
    expect(r.p).toBe(1);
    expect(r.difference).toBe(0);
  });

  test('tracks without a measured summary are left out and counted', () => {
    const r = trackPermutationTest(
      summaries([Number.NaN, 1, 2]),
      summaries([0, 0, Number.NaN, Number.NaN, 3, 4]),
      2,
      'meanDistance',
    );
    expect(r.tracks).toBe(1);
    expect(r.excluded).toBe(2);
    expect(r.difference).toBeCloseTo(2 - 3.5, 12);
  });

  test('several cells: control ids re-based per cell, n cells counted, the CI resamples cells', () => {
    // Cell 1: EVs 0 and 1 below their controls by 1; cell 2: EV 10 below by 5 (one control each).
    const a = { ev: summaries([0, 0]), control: summaries([1, 1]) };
    const b = { ev: summaries([10]), control: summaries([15]) };
    const all = combineCells([a, b], 1);
    expect(Array.from(all.control.track)).toEqual([0, 1, 2]);
    expect(Array.from(all.cells)).toEqual([0, 0, 1]);
    const r = trackPermutationTest(all.ev, all.control, 1, 'meanDistance', { cells: all.cells });
    expect(r.cells).toBe(2);
    expect(r.tracks).toBe(3);
    expect(r.difference).toBeCloseTo(-7 / 3, 12);
    // Resampling 2 cells: means of {cell 1, cell 1} = −1 up to {cell 2, cell 2} = −5.
    expect(r.ciLow).toBeCloseTo(-5, 12);
    expect(r.ciHigh).toBeCloseTo(-1, 12);
    const [lo, hi] = clusterBootstrapMeanCi([1, 1, 1, 1], [0, 1, 2, 3], 500, 0.95, 1);
    expect(lo).toBe(1);
    expect(hi).toBe(1);
  });

  test('bootstrap CI of a mean brackets it and narrows with n', () => {
    const r = new Rng(3);
    const small = Float64Array.from({ length: 10 }, () => r.normal());
    const large = Float64Array.from({ length: 1000 }, () => r.normal());
    const [a, b] = bootstrapMeanCi(small, 4000, 0.95, 1);
    const [c, d] = bootstrapMeanCi(large, 4000, 0.95, 1);
    const m = large.reduce((s, v) => s + v, 0) / large.length;
    expect(c).toBeLessThan(m);
    expect(d).toBeGreaterThan(m);
    // ≈ 2 · 1.96 / √1000 = 0.124
    expect(d - c).toBeGreaterThan(0.1);
    expect(d - c).toBeLessThan(0.15);
    expect(b - a).toBeGreaterThan(d - c);
  });
});

describe('matched control tracks', () => {
  test('each control is its EV track rigidly shifted into the region, on the same frames', () => {
    const n = 5;
    const positions: PositionsTable = {
      length: 2 * n,
      columns: {
        track: Uint32Array.from([3, 3, 3, 3, 3, 8, 8, 8, 8, 8]),
        frame: Uint32Array.from([0, 1, 2, 4, 5, 2, 3, 4, 5, 6]),
        x: Float64Array.from([100, 150, 200, 250, 300, 5000, 5000, 5010, 5020, 5000]),
        y: Float64Array.from([100, 120, 90, 80, 100, 5000, 5100, 5200, 5300, 5400]),
      },
    };
    const region = { kind: 'rect' as const, x0: 0, y0: 0, x1: 2000, y1: 2000 };
    const c = controlTracks(positions, region, { perTrack: 7, seed: 4 });
    expect(c.length).toBe(7 * 2 * n);
    expect(Array.from(c.evTrack)).toEqual([3, 8]);
    const cc = c.columns;
    for (let k = 0; k < 14; k++) {
      const ev = k < 7 ? 0 : n;
      const rows = Array.from({ length: n }, (_, i) => k * n + i);
      const dx = cc.x[rows[0]] - positions.columns.x[ev];
      const dy = cc.y[rows[0]] - positions.columns.y[ev];
      for (const [i, row] of rows.entries()) {
        expect(cc.track[row]).toBe(k);
        expect(cc.frame[row]).toBe(positions.columns.frame[ev + i]);
        expect(cc.x[row] - positions.columns.x[ev + i]).toBeCloseTo(dx, 9);
        expect(cc.y[row] - positions.columns.y[ev + i]).toBeCloseTo(dy, 9);
        expect(cc.x[row]).toBeGreaterThanOrEqual(0);
        expect(cc.x[row]).toBeLessThan(2000);
        expect(cc.y[row]).toBeGreaterThanOrEqual(0);
        expect(cc.y[row]).toBeLessThan(2000);
      }
    }
  });

  test('per-track summaries: mean over finite distances, fraction over measured ones', () => {
    const s = summarizeTrackDistances(
      [1, 1, 1, 1, 2, 2],
      [100, 300, Number.POSITIVE_INFINITY, Number.NaN, Number.NaN, Number.NaN],
      240,
    );
    expect(Array.from(s.track)).toEqual([1, 2]);
    expect(s.meanDistance[0]).toBe(200);
    expect(s.fractionWithin[0]).toBeCloseTo(1 / 3, 12);
    expect(s.measured[0]).toBe(3);
    expect(s.meanDistance[1]).toBeNaN();
  });
});

describe('chi-square with sparse bins', () => {
  test('adjacent bins with expected counts < 5 are merged', () => {
    const r = chiSquareHomogeneity([100, 100, 1, 0, 2], [100, 100, 2, 1, 0]);
    expect(r.originalBins).toBe(5);
    expect(r.bins).toBe(2);
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(0, 12);
  });
});
