// Analytic two-emitter cases for the multi-emitter fitter: images are the exact expected photon
// counts of pixel-integrated Gaussians plus Poisson noise, so truth is known to the last digit.
import { describe, expect, test } from 'vitest';
import { GaussianFitter } from '../../../src/core/fit/gaussianFitter';
import { evaluate2, evaluate3, type JointWindow } from '../../../src/core/fit/multiEvaluate';
import {
  chiSquareQuantile,
  MultiEmitterFitter,
  type MultiFitterOptions,
} from '../../../src/core/fit/multiFitter';
import { crlbGaussian2D } from '../../../src/core/psf/crlb';
import { Rng } from '../../../src/core/random';
import { expectedImage, poissonImage, type Spot } from '../../helpers/spotImage';

const N = 7;
const SIGMA = 1.3;
const BG = 10;
const PX_NM = 100;

function fitters(o: Partial<MultiFitterOptions> = {}) {
  const single = new GaussianFitter({
    size: N,
    sigmaPx: SIGMA,
    fitSigma: false,
    method: 'mle',
    maxIterations: 30,
    excessNoise: 1,
  });
  return { single, multi: new MultiEmitterFitter(single, o) };
}

/** Two spots of `photons` each, `d` px apart at a random angle around a random point near the centre. */
function pair(rng: Rng, d: number, photons = 1000, photons2 = photons): [Spot, Spot] {
  const cx = 3 + rng.uniform();
  const cy = 3 + rng.uniform();
  const a = rng.uniform() * Math.PI;
  const hx = 0.5 * d * Math.cos(a);
  const hy = 0.5 * d * Math.sin(a);
  return [
    { x: cx + hx, y: cy + hy, photons },
    { x: cx - hx, y: cy - hy, photons: photons2 },
  ];
}

/** Fitted emitters 0 and 1 matched to the truth spots by the smaller total distance. */
function matchPair(m: MultiEmitterFitter, s: [Spot, Spot]): [number, number] {
  const d = (e: number, t: Spot) => Math.hypot(m.x[e] - t.x, m.y[e] - t.y);
  return d(0, s[0]) + d(1, s[1]) <= d(1, s[0]) + d(0, s[1]) ? [0, 1] : [1, 0];
}

describe('chi-square quantile', () => {
  test('matches the closed form for 2 degrees of freedom and the tables for 3 and 45', () => {
    for (const p of [0.5, 0.05, 1e-4, 1e-6]) expect(chiSquareQuantile(p, 2)).toBeCloseTo(-2 * Math.log(p), 6);
    expect(chiSquareQuantile(0.05, 3)).toBeCloseTo(7.8147, 3);
    expect(chiSquareQuantile(0.001, 3)).toBeCloseTo(16.266, 2);
    expect(chiSquareQuantile(0.05, 45)).toBeCloseTo(61.656, 2);
  });
});

describe('unrolled joint models', () => {
  // Reference: μ from the project's integrated Gaussian, derivatives by central differences.
  function reference(theta: number[], k: number, obs: Float64Array) {
    const mu = (t: number[]) =>
      expectedImage(
        N,
        N,
        Array.from({ length: k }, (_, e) => ({ x: t[3 * e], y: t[3 * e + 1], photons: t[3 * e + 2] })),
        SIGMA,
        t[3 * k],
      );
    const m0 = mu(theta);
    const np = 3 * k + 1;
    const d: Float64Array[] = [];
    for (let a = 0; a < np; a++) {
      const h = a % 3 === 2 || a === 3 * k ? 1e-3 : 1e-5;
      const up = [...theta];
      const dn = [...theta];
      up[a] += h;
      dn[a] -= h;
      const mu1 = mu(up);
      const mu2 = mu(dn);
      d.push(mu1.map((v, p) => (v - mu2[p]) / (2 * h)));
    }
    let logL = 0;
    for (let p = 0; p < N * N; p++) logL += (obs[p] > 0 ? obs[p] * Math.log(m0[p]) : 0) - m0[p];
    const grad = d.map((da) => da.reduce((sum, v, p) => sum + ((obs[p] - m0[p]) / m0[p]) * v, 0));
    const fisher = d.flatMap((da) => d.map((dc) => da.reduce((sum, v, p) => sum + (v * dc[p]) / m0[p], 0)));
    return { logL, grad, fisher };
  }

  test('evaluate2 and evaluate3 give the Poisson log-likelihood, its gradient and the Fisher matrix', () => {
    const rng = new Rng(3);
    const window = (): JointWindow => ({
      size: N,
      sigmaPx: SIGMA,
      obs: Float64Array.from(
        poissonImage(expectedImage(N, N, [{ x: 3, y: 3.2, photons: 900 }], SIGMA, BG), rng),
      ),
      readVariance: new Float64Array(N * N),
      gx: new Float64Array(8 * N),
      gy: new Float64Array(8 * N),
      dgx: new Float64Array(8 * N),
      dgy: new Float64Array(8 * N),
    });
    for (const [k, f, theta] of [
      [2, evaluate2, [2.4, 3.1, 700, 4.6, 3.9, 300, 9]],
      [3, evaluate3, [2.4, 3.1, 700, 4.6, 3.9, 300, 1.2, 5.5, 150, 8]],
    ] as const) {
      const w = window();
      const np = 3 * k + 1;
      const matrix = new Float64Array(np * np);
      const gradient = new Float64Array(np);
      const logL = f(w, Float64Array.from(theta), matrix, gradient);
      const ref = reference([...theta], k, w.obs);
      expect(logL).toBeCloseTo(ref.logL, 4);
      for (let a = 0; a < np; a++) expect(gradient[a]).toBeCloseTo(ref.grad[a], 3);
      for (let a = 0; a < np * np; a++) expect(matrix[a] / ref.fisher[a]).toBeCloseTo(1, 4);
    }
  });
});

describe('multi-emitter fitter, two emitters of 1000 photons, σ 130 nm, 10 bg/px', () => {
  test('separation sweep 50–400 nm: resolved fraction rises with distance, positions unbiased once resolved', () => {
    const { single, multi } = fitters();
    const rng = new Rng(101);
    const trials = 150;
    const resolved: Record<number, number> = {};
    for (const dNm of [50, 100, 150, 200, 260, 300, 400]) {
      let two = 0;
      let biasAlong = 0;
      let sqErr = 0;
      for (let t = 0; t < trials; t++) {
        const s = pair(rng, dNm / PX_NM);
        single.data.set(poissonImage(expectedImage(N, N, s, SIGMA, BG), rng));
        multi.fit();
        expect(multi.count).toBeLessThanOrEqual(2);
        if (multi.count !== 2) continue;
        two++;
        const [a, b] = matchPair(multi, s);
        // Along the pair's axis: a fit that cannot separate the spots pulls them together (bias < 0).
        const ux = (s[0].x - s[1].x) / (dNm / PX_NM);
        const uy = (s[0].y - s[1].y) / (dNm / PX_NM);
        const fitted = (multi.x[a] - multi.x[b]) * ux + (multi.y[a] - multi.y[b]) * uy;
        biasAlong += fitted - dNm / PX_NM;
        sqErr += (multi.x[a] - s[0].x) ** 2 + (multi.y[a] - s[0].y) ** 2;
      }
      resolved[dNm] = two / trials;
      if (dNm >= 200) {
        expect(two / trials).toBeGreaterThan(0.97);
        // Separation bias under 10 nm; radial RMSE of one emitter under 2.5 × its isolated CRLB (5.6 nm).
        expect(Math.abs((biasAlong / two) * PX_NM)).toBeLessThan(10);
        expect(Math.sqrt(sqErr / two) * PX_NM).toBeLessThan(dNm >= 300 ? 14 : 25);
      }
    }
    // Below 0.4 σ two spots are one within the noise; from 1.5 σ they are always two.
    expect(resolved[50]).toBeLessThan(0.05);
    expect(resolved[150]).toBeGreaterThan(0.2);
    expect(resolved[150]).toBeGreaterThan(resolved[100]);
    expect(resolved[100]).toBeGreaterThanOrEqual(resolved[50]);
  }, 120_000);

  test('second-emitter detection threshold 300 nm from a 1000-photon spot', () => {
    const { single, multi } = fitters();
    const rng = new Rng(7);
    const trials = 150;
    const found: number[] = [];
    const levels = [25, 50, 100, 200, 400];
    for (const photons2 of levels) {
      let hit = 0;
      for (let t = 0; t < trials; t++) {
        const s = pair(rng, 3, 1000, photons2);
        single.data.set(poissonImage(expectedImage(N, N, s, SIGMA, BG), rng));
        multi.fit();
        if (multi.count === 2) {
          const [, b] = matchPair(multi, s);
          if (Math.hypot(multi.x[b] - s[1].x, multi.y[b] - s[1].y) < 1.5) hit++;
        }
      }
      found.push(hit / trials);
    }
    // A 25-photon spot spreads ~4 photons over its brightest pixel against 10 of background:
    // invisible; 400 photons are found every time. The 50 % point lies between 50 and 200.
    expect(found[0]).toBeLessThan(0.1);
    expect(found[4]).toBeGreaterThan(0.97);
    expect(found[1]).toBeLessThan(0.5);
    expect(found[3]).toBeGreaterThan(0.5);
    for (let i = 1; i < found.length; i++) expect(found[i]).toBeGreaterThanOrEqual(found[i - 1] - 0.05);
  }, 120_000);

  test('per-emitter CRLB from the joint Fisher information matches the Monte Carlo SD (250 nm apart)', () => {
    const { single, multi } = fitters();
    const rng = new Rng(33);
    const trials = 800;
    const dx: number[][] = [[], []];
    let crlbVar = [0, 0];
    const d = 2.5;
    for (let t = 0; t < trials; t++) {
      // Fixed geometry (so the CRLB is one number), random sub-pixel offset of the pair.
      const ox = rng.uniform() - 0.5;
      const oy = rng.uniform() - 0.5;
      const s: [Spot, Spot] = [
        { x: 3.5 - d / 2 + ox, y: 3.5 + oy, photons: 1000 },
        { x: 3.5 + d / 2 + ox, y: 3.5 + oy, photons: 1000 },
      ];
      single.data.set(poissonImage(expectedImage(N, N, s, SIGMA, BG), rng));
      multi.fit();
      if (multi.count !== 2) continue;
      const [a, b] = matchPair(multi, s);
      dx[0].push(multi.x[a] - s[0].x);
      dx[1].push(multi.x[b] - s[1].x);
      crlbVar = [crlbVar[0] + multi.varianceX[a], crlbVar[1] + multi.varianceX[b]];
    }
    expect(dx[0].length).toBeGreaterThan(0.98 * trials);
    const isolated = crlbGaussian2D({ photons: 1000, background: BG, sigmaPx: SIGMA, roiSize: N }).x;
    for (const e of [0, 1]) {
      const n = dx[e].length;
      const mean = dx[e].reduce((u, v) => u + v, 0) / n;
      const sd = Math.sqrt(dx[e].reduce((u, v) => u + (v - mean) ** 2, 0) / (n - 1));
      const crlb = Math.sqrt(crlbVar[e] / n);
      expect(sd / crlb).toBeGreaterThan(0.87);
      expect(sd / crlb).toBeLessThan(1.15);
      // Sharing the window costs precision: the joint bound exceeds the isolated emitter's.
      expect(crlb).toBeGreaterThan(isolated);
      expect(Math.abs(mean) * PX_NM).toBeLessThan(3);
    }
  }, 120_000);

  test('isolated emitters keep the single-emitter result exactly, and constraints hold', () => {
    const { single, multi } = fitters();
    const reference = new GaussianFitter({ ...single.options });
    const rng = new Rng(55);
    const trials = 600;
    let same = 0;
    for (let t = 0; t < trials; t++) {
      const img = poissonImage(
        expectedImage(N, N, [{ x: 3 + rng.uniform(), y: 3 + rng.uniform(), photons: 1000 }], SIGMA, BG),
        rng,
      );
      reference.data.set(img);
      reference.fit();
      single.data.set(img);
      multi.fit();
      if (multi.count === 1 && multi.x[0] === reference.x && multi.y[0] === reference.y) same++;
      for (let e = 0; e < multi.count; e++) {
        expect(multi.photons[e]).toBeGreaterThanOrEqual(multi.count > 1 ? multi.options.minPhotons : 0);
        for (let f = 0; f < e; f++)
          expect(Math.hypot(multi.x[e] - multi.x[f], multi.y[e] - multi.y[f])).toBeGreaterThanOrEqual(
            multi.options.minSeparationPx,
          );
      }
    }
    expect(same / trials).toBeGreaterThan(0.995);
  }, 120_000);

  test('per-emitter logL shares sum to the window’s and are ≤ 0; iterations are the accepted fit’s', () => {
    const { single, multi } = fitters();
    const rng = new Rng(77);
    let checked = 0;
    for (let t = 0; t < 60; t++) {
      const s = pair(rng, 3);
      single.data.set(poissonImage(expectedImage(N, N, s, SIGMA, BG), rng));
      multi.fit();
      if (multi.count !== 2) continue;
      checked++;
      let sum = 0;
      for (let e = 0; e < 2; e++) {
        expect(multi.emitterLogL[e]).toBeLessThanOrEqual(0);
        sum += multi.emitterLogL[e];
      }
      expect(sum).toBeCloseTo(multi.logLikelihoodRatio, 6);
      expect(multi.modelIterations).toBeGreaterThan(0);
      // The window's total also counts the single fit tried first.
      expect(multi.modelIterations).toBeLessThan(multi.iterations);
    }
    expect(checked).toBeGreaterThan(50);
  });

  test('rejects options it cannot honour', () => {
    const single = new GaussianFitter({
      size: N,
      sigmaPx: SIGMA,
      fitSigma: true,
      method: 'mle',
      maxIterations: 30,
      excessNoise: 1,
    });
    expect(() => new MultiEmitterFitter(single)).toThrow(/σ fixed/);
    expect(() => fitters({ maxEmitters: 0 })).toThrow(/max emitters/);
    expect(() => fitters({ alpha: 1 })).toThrow(/significance/);
  });
});
