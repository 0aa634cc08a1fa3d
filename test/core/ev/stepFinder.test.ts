import { describe, expect, test } from 'vitest';
import { countMolecules } from '../../../src/core/ev/countMolecules';
import { estimateConstantNoise, estimateNoiseModel, type NoiseModel } from '../../../src/core/ev/noiseModel';
import { findSteps, StepFinder } from '../../../src/core/ev/stepFinder';
import { fitAllTraces } from '../../../src/core/ev/stepFits';
import { medianSelect } from '../../../src/core/ev/traces';
import { Rng } from '../../../src/core/random';
import { simulateBleachTrace, stepTrace } from './evSimulation';

const U = 300; // unit step height used throughout

function expectPositions(found: Int32Array, truth: number[], tol = 2) {
  expect(found.length).toBe(truth.length);
  truth.forEach((p, i) => {
    expect(Math.abs(found[i] - p)).toBeLessThanOrEqual(tol);
  });
}

describe('step finder', () => {
  test('finds no step in flat noisy traces (false-positive rate ≤ 1 %)', () => {
    const rng = new Rng(11);
    const finder = new StepFinder(500);
    let withSteps = 0;
    for (let k = 0; k < 300; k++) {
      const tr = stepTrace(rng, 500, [U], [], { sigma0: 60 });
      if (finder.fit(tr, 0, 500, { noise: estimateConstantNoise(tr) }).steps > 0) withSteps++;
    }
    expect(withSteps).toBeLessThanOrEqual(3);
  });

  test('one step: exact count and position within ±2 frames at SNR 4', () => {
    const rng = new Rng(12);
    for (let k = 0; k < 40; k++) {
      const pos = 50 + Math.floor(rng.uniform() * 400);
      const tr = stepTrace(rng, 500, [U, 0], [pos], { sigma0: U / 4 });
      const fit = findSteps(tr, { noise: estimateConstantNoise(tr) });
      expectPositions(fit.positions, [pos]);
      expect(fit.levels[0]).toBeGreaterThan(0.9 * U);
    }
  });

  test('several steps, steps 4 frames apart, and a simultaneous double step', () => {
    const rng = new Rng(13);
    const noise = { sigma0: U / 6 };
    const cases: { levels: number[]; positions: number[] }[] = [
      { levels: [4 * U, 3 * U, 2 * U, U, 0], positions: [40, 120, 200, 330] },
      { levels: [3 * U, 2 * U, U, 0], positions: [100, 104, 108] },
      { levels: [3 * U, U, 0], positions: [60, 250] }, // a double step at 60
    ];
    for (const c of cases) {
      for (let rep = 0; rep < 10; rep++) {
        const tr = stepTrace(rng, 400, c.levels, c.positions, noise);
        const fit = findSteps(tr, { noise: estimateConstantNoise(tr) });
        expectPositions(fit.positions, c.positions);
      }
    }
  });

  test('intensity-dependent noise: the photon term keeps bright plateaus from being split', () => {
    // Shot noise of 10 molecules at 300 photons each: σ ≈ 55 on top, 15 at background.
    const rng = new Rng(14);
    const levels = [10, 8, 7, 4, 2, 0].map((m) => m * U);
    const positions = [60, 130, 200, 280, 350];
    const model: NoiseModel = { sigma0: 15, gain: 1 };
    let exactWithModel = 0;
    let tooManyConstant = 0;
    for (let rep = 0; rep < 20; rep++) {
      const tr = stepTrace(rng, 500, levels, positions, model);
      const fit = findSteps(tr, { noise: model });
      if (fit.positions.length === positions.length) {
        exactWithModel++;
        expectPositions(fit.positions, positions);
      }
      // A constant σ taken from the dim tail calls the bright plateaus' shot noise steps.
      const flat = findSteps(tr, { noise: { sigma0: 15, gain: 0 } });
      if (flat.steps > positions.length) tooManyConstant++;
    }
    expect(exactWithModel).toBe(20);
    expect(tooManyConstant).toBeGreaterThan(15);
  });

  test('different noise levels: exact counts at SNR ≥ 3, graceful at SNR 1.5', () => {
    const positions = [80, 200, 320];
    const levels = [3 * U, 2 * U, U, 0];
    for (const [snr, minExact] of [
      [6, 20],
      [3, 19],
      [1.5, 8],
    ] as const) {
      const rng = new Rng(15 + snr);
      let exact = 0;
      for (let rep = 0; rep < 20; rep++) {
        const tr = stepTrace(rng, 400, levels, positions, { sigma0: U / snr });
        const fit = findSteps(tr, { noise: estimateConstantNoise(tr) });
        if (fit.steps === 3 && positions.every((p, i) => Math.abs(fit.positions[i] - p) <= 2)) exact++;
      }
      expect(exact).toBeGreaterThanOrEqual(minExact);
    }
  });

  test('PELT returns the exact optimum: same penalised cost as exhaustive search on short traces', () => {
    const rng = new Rng(16);
    const n = 13;
    const penalty = 6;
    const noise: NoiseModel = { sigma0: 1, gain: 0.3 };
    const finder = new StepFinder(n);
    // [minSegment, minFirstSegment]: the default, a one-frame first level, and a long first level.
    const limits: [number, number][] = [
      [2, 2],
      [2, 1],
      [3, 1],
      [1, 3],
    ];
    for (const [minSeg, minFirst] of limits) {
      for (let rep = 0; rep < 20; rep++) {
        // A dye lost during frame 0 leaves a one-frame first level in half of the traces.
        const first = rep % 2 ? [1, 3, 6, 10] : [3, 6, 10];
        const levels = rep % 2 ? [8, 6, 3, 5, 0] : [6, 3, 5, 0];
        const tr = stepTrace(rng, n, levels, first, { sigma0: 1, gain: 0.3 });
        const fit = finder.fit(tr, 0, n, { noise, penalty, minSegment: minSeg, minFirstSegment: minFirst });
        const found = Array.from(fit.positions.subarray(0, fit.steps));
        let bestCost = Number.POSITIVE_INFINITY;
        for (let mask = 0; mask < 1 << (n - 1); mask++) {
          const cps: number[] = [];
          for (let i = 1; i < n; i++) if ((mask >> (i - 1)) & 1) cps.push(i);
          const bounds = [0, ...cps, n];
          if (bounds.some((b, i) => i > 0 && b - bounds[i - 1] < (i === 1 ? minFirst : minSeg))) continue;
          bestCost = Math.min(bestCost, segmentationCost(tr, bounds, noise) + penalty * cps.length);
        }
        const bounds = [0, ...found, n];
        expect(bounds.every((b, i) => i === 0 || b - bounds[i - 1] >= (i === 1 ? minFirst : minSeg))).toBe(
          true,
        );
        expect(segmentationCost(tr, bounds, noise) + penalty * found.length).toBeCloseTo(bestCost, 9);
      }
    }
  });

  test('a one-frame first level is found only when allowed, and binary segmentation honours it', () => {
    const rng = new Rng(18);
    let found = 0;
    let foundBinary = 0;
    for (let rep = 0; rep < 20; rep++) {
      // Frame 0 holds a fourth dye that bleached 0.9 frames into the illumination.
      const tr = stepTrace(rng, 200, [3.9 * U, 3 * U, 2 * U, U, 0], [1, 40, 90, 150], { sigma0: U / 8 });
      const noise = estimateConstantNoise(tr);
      const strict = findSteps(tr, { noise });
      expect(strict.positions[0]).not.toBe(1);
      const loose = findSteps(tr, { noise, minFirstSegment: 1 });
      if (loose.steps === 4 && loose.positions[0] === 1) found++;
      const bin = findSteps(tr, { noise, minFirstSegment: 1, method: 'binary' });
      if (bin.steps === 4 && bin.positions[0] === 1) foundBinary++;
    }
    expect(found).toBeGreaterThanOrEqual(19);
    expect(foundBinary).toBeGreaterThanOrEqual(19);
  });

  test('binary segmentation agrees with PELT on well-separated steps', () => {
    const rng = new Rng(17);
    for (let rep = 0; rep < 10; rep++) {
      const tr = stepTrace(rng, 300, [3 * U, 2 * U, U, 0], [50, 150, 220], { sigma0: U / 5 });
      const noise = estimateConstantNoise(tr);
      const a = findSteps(tr, { noise, method: 'pelt' });
      const b = findSteps(tr, { noise, method: 'binary' });
      expect(b.steps).toBe(a.steps);
      expectPositions(b.positions, Array.from(a.positions), 1);
    }
  });
});

function segmentationCost(tr: Float64Array, bounds: number[], noise: NoiseModel): number {
  let c = 0;
  for (let s = 0; s + 1 < bounds.length; s++) {
    const a = bounds[s];
    const b = bounds[s + 1];
    let m = 0;
    for (let i = a; i < b; i++) m += tr[i];
    m /= b - a;
    const v = noise.sigma0 ** 2 + noise.gain * Math.max(m, 0);
    for (let i = a; i < b; i++) c += (tr[i] - m) ** 2 / v;
    c += (b - a) * Math.log(v);
  }
  return c;
}

describe('noise estimation', () => {
  test('MAD of first differences ignores the steps', () => {
    const rng = new Rng(21);
    const tr = stepTrace(rng, 2000, [5 * U, 3 * U, 0], [500, 1200], { sigma0: 40 });
    expect(estimateConstantNoise(tr).sigma0 / 40).toBeCloseTo(1, 1);
  });

  test('pooled photon model recovers σ0 and the gain from bleaching traces', () => {
    const rng = new Rng(22);
    const nT = 150;
    const len = 400;
    const all = new Float64Array(nT * len);
    for (let k = 0; k < nT; k++) {
      const { trace } = simulateBleachTrace(rng, {
        molecules: 1 + (k % 12),
        frames: len,
        unit: U,
        tauFrames: 150,
        sigma0: 25,
      });
      all.set(trace, k * len);
    }
    const m = estimateNoiseModel(all, nT, len);
    expect(Math.abs(m.sigma0 - 25) / 25).toBeLessThan(0.15);
    expect(m.gain).toBeGreaterThan(0.75); // Poisson: variance = level, i.e. gain 1
    expect(m.gain).toBeLessThan(1.3);
  });

  test('quickselect median equals the sorted median', () => {
    const rng = new Rng(23);
    for (const n of [1, 2, 3, 10, 51, 120]) {
      const a = Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 20));
      const s = a.slice().sort();
      const ref = n & 1 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
      expect(medianSelect(a, n)).toBe(ref);
    }
  });
});

describe('molecule counts from step fits', () => {
  test('double steps count 2, half-frame intermediate levels do not add a molecule, blinks cancel', () => {
    const rng = new Rng(31);
    const noise = { sigma0: 30, gain: 0 };
    const traces = [
      stepTrace(rng, 300, [3 * U, U, 0], [80, 200], noise), // 3: a double step then a single
      stepTrace(rng, 300, [U, 0.5 * U, 0], [100, 101], noise), // 1: bleached mid-frame 100
      stepTrace(rng, 300, [2 * U, U, 2 * U, U, 0], [60, 90, 150, 220], noise), // 2: one blink off/on
      stepTrace(rng, 300, [U, U], [], noise), // 1: never bleached
    ];
    const all = new Float64Array(4 * 300);
    traces.forEach((t, k) => {
      all.set(t, k * 300);
    });
    const fits = fitAllTraces(all, 4, 300, {}, () => noise);
    const counts = countMolecules(fits, { unit: U, sem: 3, spread: 20, n: 50 }, () => noise, {
      disagreementZ: 2,
    });
    expect(Array.from(counts.steps)).toEqual([3, 1, 2, 1]);
    for (let k = 0; k < 4; k++) expect(counts.disagree[k]).toBe(0);
    expect(counts.ratio[0]).toBeCloseTo(3, 1);
    expect(counts.detectedSteps[2]).toBe(4);
  });

  test('residual light counts, ambiguous heights carry uncertainty, continuous fading is flagged', () => {
    const rng = new Rng(32);
    const noise = { sigma0: 20, gain: 0 };
    const unit = { unit: U, sem: 3, spread: 20, n: 50 };
    const count = (tr: Float64Array, u = unit) =>
      countMolecules(
        fitAllTraces(tr, 1, tr.length, {}, () => noise),
        u,
        () => noise,
        { disagreementZ: 2 },
      );
    // One unit step, 4 units still on at the end of the movie: 5 molecules, unambiguous.
    const c1 = count(stepTrace(rng, 300, [5 * U, 4 * U], [150], noise));
    expect(c1.steps[0]).toBe(5);
    expect(c1.stepsSd[0]).toBeLessThan(0.3);
    expect(c1.disagree[0]).toBe(0);
    // A 2.5-unit step with 20 % brightness spread: 2 or 3 molecules, the posterior says so.
    const broad = { ...unit, spread: 0.2 * U };
    const c2 = count(stepTrace(rng, 300, [2.5 * U, 0], [150], noise), broad);
    expect(c2.stepsSd[0]).toBeGreaterThan(0.3);
    expect(count(stepTrace(rng, 300, [2 * U, 0], [150], noise), broad).stepsSd[0]).toBeLessThan(0.3);
    // Fading without steps (an aggregate, or defocus): the ratio says 4, the steps much less.
    const fade = new Float64Array(300);
    for (let i = 0; i < 300; i++)
      fade[i] = 4 * U * Math.max(0, 1 - Math.max(0, i - 50) / 150) + 20 * rng.normal();
    const c3 = count(fade);
    expect(c3.ratio[0]).toBeCloseTo(4, 0);
    expect(c3.disagree[0]).toBe(1);
  });

  test('unknown unit gives NaN counts', () => {
    const tr = stepTrace(new Rng(33), 100, [U, 0], [50], { sigma0: 20 });
    const fits = fitAllTraces(tr, 1, 100, {}, () => ({ sigma0: 20, gain: 0 }));
    const c = countMolecules(
      fits,
      { unit: Number.NaN, sem: Number.NaN, spread: Number.NaN, n: 0 },
      () => ({ sigma0: 20, gain: 0 }),
      {
        disagreementZ: 2,
      },
    );
    expect(Number.isNaN(c.steps[0])).toBe(true);
    expect(c.initial[0]).toBeGreaterThan(250);
  });
});
