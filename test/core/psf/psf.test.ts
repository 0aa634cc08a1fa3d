import { describe, expect, test } from 'vitest';
import { crlbGaussian2D, mortensenMlePrecision } from '../../../src/core/psf/crlb';
import { erf } from '../../../src/core/psf/erf';
import {
  integratedGaussian1D,
  integratedGaussian1DWithDerivatives,
} from '../../../src/core/psf/integratedGaussian';

describe('erf', () => {
  test('matches tabulated values to 1e-7', () => {
    // Abramowitz & Stegun table 7.1
    const table: [number, number][] = [
      [0, 0],
      [0.1, 0.112462916],
      [0.5, 0.5204998778],
      [1, 0.8427007929],
      [1.5, 0.9661051465],
      [2, 0.995322265],
      [3, 0.9999779095],
    ];
    for (const [x, v] of table) {
      expect(erf(x)).toBeCloseTo(v, 7);
      expect(erf(-x)).toBeCloseTo(-v, 7);
    }
  });
});

describe('integrated Gaussian', () => {
  test('sums to the enclosed probability and peaks in the pixel containing x0', () => {
    const out = new Float64Array(21);
    integratedGaussian1D(10.3, 1.3, 21, out);
    const sum = out.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(out.indexOf(Math.max(...out))).toBe(10);
  });

  test('derivatives agree with finite differences', () => {
    const n = 15;
    const v = new Float64Array(n);
    const dx = new Float64Array(n);
    const ds = new Float64Array(n);
    integratedGaussian1DWithDerivatives(7.2, 1.4, n, v, dx, ds);
    const h = 1e-5;
    const p = new Float64Array(n);
    const m = new Float64Array(n);
    integratedGaussian1D(7.2 + h, 1.4, n, p);
    integratedGaussian1D(7.2 - h, 1.4, n, m);
    for (let i = 0; i < n; i++) expect(dx[i]).toBeCloseTo((p[i] - m[i]) / (2 * h), 5);
    integratedGaussian1D(7.2, 1.4 + h, n, p);
    integratedGaussian1D(7.2, 1.4 - h, n, m);
    for (let i = 0; i < n; i++) expect(ds[i]).toBeCloseTo((p[i] - m[i]) / (2 * h), 5);
  });
});

describe('CRLB', () => {
  test('the SCIENCE.md example: 1000 photons, 10 bg/px, σ = 130 nm, 100 nm pixels → about 5.6 nm', () => {
    const c = crlbGaussian2D({ photons: 1000, background: 10, sigmaPx: 1.3, roiSize: 15, x: 7.5, y: 7.5 });
    expect(c.x * 100).toBeGreaterThan(5.3);
    expect(c.x * 100).toBeLessThan(5.9);
  });

  test('agrees with the Mortensen MLE formula within 2% across photons and background', () => {
    for (const photons of [200, 1000, 5000]) {
      for (const bg of [1, 10, 50]) {
        const c = crlbGaussian2D({ photons, background: bg, sigmaPx: 1.3, roiSize: 21, x: 10.5, y: 10.5 });
        const m = mortensenMlePrecision(photons, bg, 1.3, 1);
        expect(Math.abs(c.x / m - 1)).toBeLessThan(0.02);
      }
    }
  });

  test('EMCCD excess noise costs a factor √2; read noise costs precision; a free σ costs photon precision', () => {
    const base = crlbGaussian2D({ photons: 1000, background: 10, sigmaPx: 1.3 });
    const em = crlbGaussian2D({ photons: 1000, background: 10, sigmaPx: 1.3, noise: 'emccd' });
    expect(em.x / base.x).toBeCloseTo(Math.SQRT2, 6);
    const sc = crlbGaussian2D({
      photons: 1000,
      background: 10,
      sigmaPx: 1.3,
      noise: 'scmos',
      readVariance: 4,
    });
    expect(sc.x).toBeGreaterThan(base.x * 1.05);
    const free = crlbGaussian2D({ photons: 1000, background: 10, sigmaPx: 1.3, fitSigma: true });
    // By symmetry x is orthogonal to σ at the centre of the region; N is not.
    expect(free.x / base.x).toBeCloseTo(1, 3);
    expect(free.photons).toBeGreaterThan(base.photons * 1.1);
    expect(free.sigma).toBeGreaterThan(0);
    // Without background the bound approaches σ_a/√N (pixelation only).
    const clean = crlbGaussian2D({
      photons: 1e4,
      background: 1e-9,
      sigmaPx: 1.3,
      roiSize: 25,
      x: 12.5,
      y: 12.5,
    });
    const sa = Math.sqrt(1.3 * 1.3 + 1 / 12);
    expect(clean.x / (sa / 100)).toBeCloseTo(1, 1);
  });
});
