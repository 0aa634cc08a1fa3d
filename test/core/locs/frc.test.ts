import { expect, test } from 'vitest';
import { FRC_THRESHOLD, frc, tukey } from '../../../src/core/locs/frc';
import { simulateStructures } from './simulate';

/**
 * Expected 1/7 resolution for molecules at random (Poisson) positions: in expectation only pairs
 * of localizations of the same molecule correlate, each pair with the characteristic function
 * e(q) = exp(−4π²σ²q²) of their position difference (variance 2σ² per axis), so
 *   FRC(q) = S_AB·e / √((N_A + S_AA·e)(N_B + S_BB·e)),
 * S_AB = Σ n_A·n_B and S_AA = Σ n_A(n_A − 1) over molecules. Binning adds px²/12 to σ².
 */
function expectedResolution(
  molecule: Int32Array,
  frame: Uint32Array,
  block: number,
  sigma: number,
  px: number,
) {
  const m = Math.max(...molecule) + 1;
  const na = new Float64Array(m);
  const nb = new Float64Array(m);
  for (let i = 0; i < molecule.length; i++) {
    if (Math.floor(frame[i] / block) % 2 === 0) na[molecule[i]]++;
    else nb[molecule[i]]++;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let NA = 0;
  let NB = 0;
  for (let k = 0; k < m; k++) {
    sab += na[k] * nb[k];
    saa += na[k] * (na[k] - 1);
    sbb += nb[k] * (nb[k] - 1);
    NA += na[k];
    NB += nb[k];
  }
  const s2 = sigma * sigma + (px * px) / 12;
  const curve = (q: number) => {
    const e = Math.exp(-4 * Math.PI ** 2 * s2 * q * q);
    return (sab * e) / Math.sqrt((NA + saa * e) * (NB + sbb * e));
  };
  let lo = 1e-6;
  let hi = 1 / (2 * px);
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (curve(mid) > FRC_THRESHOLD) lo = mid;
    else hi = mid;
  }
  return 1 / lo;
}

function simulate(sigma: number, seed: number) {
  return simulateStructures({
    seed,
    fovNm: 3000,
    molecules: 3000,
    frames: 10_000,
    locsPerMolecule: 20,
    precisionNm: sigma,
    layout: 'uniform',
  });
}

test('FRC resolution matches the analytic value for random molecules and scales with precision', () => {
  const results: number[] = [];
  for (const sigma of [10, 20]) {
    const sim = simulate(sigma, 40 + sigma);
    const r = frc(sim.table, { pixelNm: 5, blockFrames: 100 });
    const expected = expectedResolution(sim.molecule, sim.table.columns.frame as Uint32Array, 100, sigma, 5);
    console.log(
      `FRC σ=${sigma}: ${r.resolutionNm.toFixed(1)} nm (expected ${expected.toFixed(1)}), image ${r.imageSize}²`,
    );
    expect(r.resolutionNm / expected).toBeGreaterThan(0.85);
    expect(r.resolutionNm / expected).toBeLessThan(1.15);
    // The curve starts high and crosses the threshold once, from above.
    expect(r.frc[3]).toBeGreaterThan(0.5);
    expect(r.frc[r.frc.length - 2]).toBeLessThan(FRC_THRESHOLD);
    expect(r.halves[0] + r.halves[1]).toBe(sim.table.length);
    results.push(r.resolutionNm);
  }
  expect(results[1] / results[0]).toBeGreaterThan(2 / 1.15);
  expect(results[1] / results[0]).toBeLessThan(2 * 1.15);
});

test('Tukey window: flat centre, zero ends, symmetric; 0 is rectangular', () => {
  const w = tukey(101, 0.5);
  expect(w[0]).toBe(0);
  expect(w[100]).toBeCloseTo(0, 12);
  expect(w[50]).toBe(1);
  expect(w[30]).toBe(1);
  expect(w[10]).toBeCloseTo(w[90], 12);
  expect(w[10]).toBeGreaterThan(0);
  expect(w[10]).toBeLessThan(1);
  expect([...tukey(5, 0)]).toEqual([1, 1, 1, 1, 1]);
});
