import { describe, expect, test } from 'vitest';
import { fitDurations } from '../../../src/core/coloc/analysisDurations';
import { Rng } from '../../../src/core/random';

/** Geometric durations ≥ kmin with P(k) ∝ exp(−k·Δ/τ). */
function geometric(r: Rng, n: number, tau: number, dt: number, kmin: number) {
  const q = Math.exp(-dt / tau);
  return Uint32Array.from({ length: n }, () => kmin + Math.floor(Math.log(1 - r.uniform()) / Math.log(q)));
}

describe('fitDurations', () => {
  test.each([
    [0.3, 1],
    [0.12, 3],
  ])('recovers τ = %s s (kmin %i) within 10 percent', (tau, kmin) => {
    const dt = 0.03;
    for (const seed of [1, 2, 3]) {
      const d = geometric(new Rng(seed), 1500, tau, dt, kmin);
      const fit = fitDurations(d, undefined, { frameInterval: dt, minDuration: kmin });
      expect(Math.abs(fit.tau - tau) / tau).toBeLessThan(0.1);
      expect(fit.tauLow).toBeLessThan(fit.tau);
      expect(fit.tauHigh).toBeGreaterThan(fit.tau);
      expect(fit.runs).toBe(1500);
    }
  });

  test('the 95 percent likelihood-ratio interval covers the true τ in ~95 percent of experiments', () => {
    const r = new Rng(21);
    let cover = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const fit = fitDurations(geometric(r, 200, 0.3, 0.03, 1), undefined, { frameInterval: 0.03 });
      if (fit.tauLow < 0.3 && fit.tauHigh > 0.3) cover++;
    }
    // Binomial(400, 0.95) lies within ±3.3 SD (±3.6 %) of its mean.
    expect(cover / trials).toBeGreaterThan(0.914);
    expect(cover / trials).toBeLessThan(0.986);
  });

  test('right-censored runs enter as lower bounds; dropping them biases τ short', () => {
    const dt = 0.03;
    const tau = 0.3;
    const r = new Rng(8);
    const d = geometric(r, 3000, tau, dt, 1);
    // Observation windows (track lengths) of geometric length: runs longer than the window are cut.
    const w = geometric(r, 3000, 0.4, dt, 1);
    const obs = Uint32Array.from(d, (k, i) => Math.min(k, w[i]));
    const cens = Uint8Array.from(d, (k, i) => (w[i] < k ? 1 : 0));
    const fit = fitDurations(obs, cens, { frameInterval: dt });
    expect(Math.abs(fit.tau - tau) / tau).toBeLessThan(0.1);
    expect(fit.censored).toBeGreaterThan(500);
    const dropped = fitDurations(obs, cens, { frameInterval: dt, includeCensored: false });
    expect(dropped.tau).toBeLessThan(0.8 * tau);
  });

  test('edge cases: all censored, minimum duration filter, empty input', () => {
    const allCens = fitDurations([3, 4], [1, 1], { frameInterval: 1 });
    expect(allCens.tau).toBe(Number.POSITIVE_INFINITY);
    expect(allCens.tauLow).toBeGreaterThan(0);
    const filtered = fitDurations([1, 1, 2, 5], undefined, { frameInterval: 1, minDuration: 2 });
    expect(filtered.runs).toBe(2);
    // Excess over kmin: 0 and 3 ⇒ q = 3/5.
    expect(filtered.q).toBeCloseTo(0.6, 15);
    expect(filtered.tau).toBeCloseTo(-1 / Math.log(0.6), 12);
    expect(Number.isNaN(fitDurations([], undefined, { frameInterval: 1 }).tau)).toBe(true);
  });
});
