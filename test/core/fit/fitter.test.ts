import { describe, expect, test } from 'vitest';
import { axisModel } from '../../../src/core/fit/axisModel';
import { FIT_FLAGS, type FitterOptions, GaussianFitter } from '../../../src/core/fit/gaussianFitter';
import { crlbGaussian2D } from '../../../src/core/psf/crlb';
import { integratedGaussian1DWithDerivatives } from '../../../src/core/psf/integratedGaussian';
import { Rng } from '../../../src/core/random';
import { expectedImage, poissonImage } from '../../helpers/spotImage';

const N = 7;
const PX_NM = 100;

function fitter(o: Partial<FitterOptions> = {}) {
  return new GaussianFitter({
    size: N,
    sigmaPx: 1.3,
    fitSigma: false,
    method: 'mle',
    maxIterations: 30,
    excessNoise: 1,
    ...o,
  });
}

interface Stats {
  rmseNm: number;
  biasNm: number;
  crlbNm: number;
  precisionNm: number;
  sigma: number;
  photons: number;
  failed: number;
}

/**
 * Fits `count` windows with one emitter anywhere in the central pixel (as a detector would hand
 * them over); `noise` turns the expected image into data and may set the fitter's read variance.
 */
function simulate(
  f: GaussianFitter,
  count: number,
  seed: number,
  opts: { sigmaPx?: number; noise?: (mu: Float64Array, rng: Rng) => Float32Array; crlbNoise?: 'emccd' } = {},
): Stats {
  const rng = new Rng(seed);
  const sigmaPx = opts.sigmaPx ?? 1.3;
  let se = 0;
  let bias = 0;
  let crlb = 0;
  let prec = 0;
  let sigma = 0;
  let photons = 0;
  let ok = 0;
  for (let t = 0; t < count; t++) {
    const x = 3 + rng.uniform();
    const y = 3 + rng.uniform();
    const mu = expectedImage(N, N, [{ x, y, photons: 1000 }], sigmaPx, 10);
    f.data.set(opts.noise ? opts.noise(mu, rng) : poissonImage(mu, rng));
    f.fit();
    if (f.flags) continue;
    ok++;
    se += (f.x - x) ** 2;
    bias += f.x - x;
    prec += Math.sqrt(f.varianceX);
    sigma += f.sigma;
    photons += f.photons;
    crlb += crlbGaussian2D({
      photons: 1000,
      background: 10,
      sigmaPx,
      roiSize: N,
      x,
      y,
      fitSigma: f.options.fitSigma,
      noise: opts.crlbNoise ?? 'poisson',
    }).x;
  }
  return {
    rmseNm: Math.sqrt(se / ok) * PX_NM,
    biasNm: (bias / ok) * PX_NM,
    crlbNm: (crlb / ok) * PX_NM,
    precisionNm: (prec / ok) * PX_NM,
    sigma: sigma / ok,
    photons: photons / ok,
    failed: count - ok,
  };
}

describe('axis model', () => {
  test('matches the reference pixel-integrated Gaussian and its derivatives', () => {
    const n = 9;
    const [v, dx, ds, rv, rdx, rds] = Array.from({ length: 6 }, () => new Float64Array(n));
    for (const [x0, s] of [
      [4.3, 1.3],
      [0.2, 0.8],
      [8.9, 2.5],
      [-1.5, 1],
    ]) {
      axisModel(x0, s, n, v, dx, ds);
      integratedGaussian1DWithDerivatives(x0, s, n, rv, rdx, rds);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(v[i] - rv[i])).toBeLessThan(3e-7);
        expect(Math.abs(dx[i] - rdx[i])).toBeLessThan(1e-9);
        expect(Math.abs(ds[i] - rds[i])).toBeLessThan(1e-9);
      }
    }
  });
});

describe('Poisson MLE, 1000 photons, 10 bg/px, σ = 1.3 px, 100 nm pixels', () => {
  test('σ fixed: RMSE within 10% of the CRLB, unbiased, honest precision', () => {
    const s = simulate(fitter(), 3000, 1);
    expect(s.failed).toBe(0);
    expect(s.crlbNm).toBeGreaterThan(5.3);
    expect(s.crlbNm).toBeLessThan(6.0);
    expect(s.rmseNm).toBeLessThan(1.1 * s.crlbNm);
    expect(Math.abs(s.biasNm)).toBeLessThan(1);
    expect(s.precisionNm / s.rmseNm).toBeGreaterThan(0.9);
    expect(s.precisionNm / s.rmseNm).toBeLessThan(1.1);
    expect(s.photons / 1000).toBeGreaterThan(0.97);
    expect(s.photons / 1000).toBeLessThan(1.03);
  });

  test('σ free recovers σ of 1.0, 1.3 and 1.7 px from a 1.3 px start', () => {
    for (const sigmaPx of [1.0, 1.3, 1.7]) {
      const s = simulate(fitter({ fitSigma: true }), 800, 2, { sigmaPx });
      expect(s.failed).toBeLessThan(8);
      expect(Math.abs(s.sigma / sigmaPx - 1)).toBeLessThan(0.02);
      expect(s.rmseNm).toBeLessThan(1.15 * s.crlbNm);
      expect(s.precisionNm / s.rmseNm).toBeGreaterThan(0.88);
      expect(s.precisionNm / s.rmseNm).toBeLessThan(1.12);
    }
  });

  test('a wrong fixed σ costs accuracy (the test above can fail)', () => {
    const s = simulate(fitter({ sigmaPx: 1.3 }), 800, 3, { sigmaPx: 1.8 });
    expect(s.photons).toBeLessThan(950);
  });
});

describe('camera-aware fits', () => {
  test('EMCCD: the reported precision includes the excess-noise factor', () => {
    // EM register: n photoelectrons come out as Gamma(n, gain); in photons that is Gamma(n, 1).
    const emccd = (mu: Float64Array, rng: Rng) =>
      Float32Array.from(mu, (m) => {
        const n = rng.poisson(m);
        return n > 0 ? rng.gamma(n, 1) : 0;
      });
    const s = simulate(fitter({ excessNoise: 2 }), 2000, 4, { noise: emccd, crlbNoise: 'emccd' });
    expect(s.precisionNm / s.rmseNm).toBeGreaterThan(0.9);
    expect(s.precisionNm / s.rmseNm).toBeLessThan(1.1);
    expect(s.rmseNm).toBeLessThan(1.1 * s.crlbNm);
    expect(Math.abs(s.biasNm)).toBeLessThan(1);
  });

  test('sCMOS: the variance-aware likelihood beats the naive one on a noisy-pixel map', () => {
    const rng = new Rng(5);
    // Mostly quiet pixels, a few very noisy ones (variances in photon², as after calibration).
    const variance = Float64Array.from({ length: N * N }, () =>
      rng.uniform() < 0.15 ? 400 + 800 * rng.uniform() : 2,
    );
    const scmos = (mu: Float64Array, r: Rng) =>
      Float32Array.from(mu, (m, k) => r.poisson(m) + Math.sqrt(variance[k]) * r.normal());
    const aware = fitter();
    aware.readVariance.set(variance);
    const naive = fitter();
    const a = simulate(aware, 1500, 6, { noise: scmos });
    const b = simulate(naive, 1500, 6, { noise: scmos });
    expect(a.rmseNm).toBeLessThan(0.85 * b.rmseNm);
    expect(Math.abs(a.biasNm)).toBeLessThan(1);
    expect(a.precisionNm / a.rmseNm).toBeGreaterThan(0.85);
    expect(a.precisionNm / a.rmseNm).toBeLessThan(1.15);
  });
});

describe('least squares', () => {
  test('lsq and wlsq are unbiased and within 20% of the CRLB', () => {
    for (const method of ['lsq', 'wlsq'] as const) {
      const s = simulate(fitter({ method }), 1500, 7);
      expect(s.failed).toBe(0);
      expect(Math.abs(s.biasNm)).toBeLessThan(1);
      expect(s.rmseNm).toBeLessThan(1.2 * s.crlbNm);
      expect(s.rmseNm).toBeGreaterThan(0.95 * s.crlbNm);
    }
  });
});

describe('failure flags', () => {
  test('unconverged, outside and invalid fits are flagged; good ones are not', () => {
    const rng = new Rng(8);
    const f = fitter();
    f.data.set(poissonImage(expectedImage(N, N, [{ x: 3.4, y: 3.6, photons: 1000 }], 1.3, 10), rng));
    f.fit();
    expect(f.flags).toBe(0);
    expect(f.logLikelihoodRatio).toBeLessThan(0);
    expect(f.logLikelihoodRatio).toBeGreaterThan(-60);

    const once = fitter({ maxIterations: 1 });
    once.data.set(poissonImage(expectedImage(N, N, [{ x: 2.2, y: 4.6, photons: 1000 }], 1.3, 10), rng));
    once.fit();
    expect(once.flags & FIT_FLAGS.NOT_CONVERGED).toBeTruthy();

    // A bright spot just beyond the window pulls the fit outside it.
    f.data.set(poissonImage(expectedImage(N, N, [{ x: -0.8, y: 3.5, photons: 5000 }], 1.3, 10), rng));
    f.fit();
    expect(f.flags & FIT_FLAGS.OUTSIDE).toBeTruthy();

    f.data.fill(Number.NaN);
    f.fit();
    expect(f.flags & FIT_FLAGS.INVALID).toBeTruthy();
  });
});
