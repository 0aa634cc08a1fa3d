import { describe, expect, test } from 'vitest';
import {
  assignLocalizationsToEvs,
  countFromLocalizations,
} from '../../../src/core/ev/countFromLocalizations';
import { findEvSpots, waveletSnrMap } from '../../../src/core/ev/findEvSpots';
import {
  assignSubtypes,
  markerComposition,
  subtypeFractions,
  subtypeNames,
} from '../../../src/core/ev/subtypes';
import { estimateUnitIntensity } from '../../../src/core/ev/unitIntensity';
import { integratedGaussian1D } from '../../../src/core/psf/integratedGaussian';
import { Rng } from '../../../src/core/random';

function spotImage(
  w: number,
  h: number,
  spots: [number, number, number][],
  bg: number,
  rng: Rng,
): Float64Array {
  const img = new Float64Array(w * h);
  const gx = new Float64Array(w);
  const gy = new Float64Array(h);
  for (const [x, y, photons] of spots) {
    integratedGaussian1D(x, 1.3, w, gx);
    integratedGaussian1D(y, 1.3, h, gy);
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) img[j * w + i] += photons * gx[i] * gy[j];
  }
  for (let p = 0; p < img.length; p++) img[p] = rng.poisson(img[p] + bg);
  return img;
}

const PARAMS = { thresholdK: 3, dedupRadiusPx: 2, minSeparationPx: 8, borderPx: 9 };

describe('findEvSpots', () => {
  test('finds isolated spots with sub-pixel centroids and drops border and crowded ones', () => {
    const truth: [number, number, number][] = [
      [20.3, 20.7, 3000],
      [40.5, 22.1, 2000],
      [30.8, 45.2, 4000],
      [4.5, 30.5, 3000], // near the border
      [38.2, 50.2, 3000], // these two are 5 px apart: crowded
      [43.2, 50.2, 3000],
    ];
    const img = spotImage(64, 64, truth, 10, new Rng(1));
    const spots = findEvSpots(waveletSnrMap(img, 64, 64), 64, 64, PARAMS);
    expect(spots.length).toBe(3);
    expect(spots.dropped.nearBorder).toBe(1);
    expect(spots.dropped.crowded).toBe(2);
    const expected = truth.slice(0, 3).sort((a, b) => Math.floor(a[1]) - Math.floor(b[1]) || a[0] - b[0]);
    expected.forEach(([x, y], k) => {
      expect(Math.abs(spots.x[k] - x)).toBeLessThan(0.25);
      expect(Math.abs(spots.y[k] - y)).toBeLessThan(0.25);
      expect(spots.snr[k]).toBeGreaterThan(3);
    });
  });

  test('pure background gives (almost) nothing', () => {
    const img = spotImage(64, 64, [], 10, new Rng(2));
    expect(findEvSpots(waveletSnrMap(img, 64, 64), 64, 64, PARAMS).length).toBeLessThanOrEqual(1);
  });
});

describe('unit intensity', () => {
  test('robust to double steps and stray small steps', () => {
    const rng = new Rng(3);
    const h: number[] = [];
    for (let i = 0; i < 200; i++) h.push(300 + 30 * rng.normal());
    for (let i = 0; i < 40; i++) h.push(600 + 40 * rng.normal()); // two molecules at once
    for (let i = 0; i < 20; i++) h.push(80 + 20 * rng.normal()); // noise steps
    const u = estimateUnitIntensity(h);
    expect(Math.abs(u.unit - 300)).toBeLessThan(3 * u.sem + 3);
    expect(u.spread).toBeGreaterThan(20);
    expect(u.spread).toBeLessThan(40);
    expect(u.sem).toBeCloseTo((1.2533 * u.spread) / Math.sqrt(u.n), 2);
    expect(Number.isNaN(estimateUnitIntensity([300, 310]).unit)).toBe(true);
  });
});

describe('subtypes', () => {
  test('default names, renaming and unknown renames', () => {
    const m = ['CD9', 'CD63', 'CD81'];
    const names = subtypeNames(m);
    expect(names).toHaveLength(8);
    expect(names[0]).toBe('marker-negative');
    expect(names[0b010]).toBe('CD63-only');
    expect(names[0b111]).toBe('CD9+CD63+CD81+');
    expect(names[0b101]).toBe('CD9+CD81+');
    expect(subtypeNames(m, { 'CD63-only': 'stiff' })[0b010]).toBe('stiff');
    expect(() => subtypeNames(m, { 'CD64-only': 'x' })).toThrow(/no subtype is called "CD64-only"/);
  });

  test('assignment by per-marker thresholds, NaN is unclassified, composition, fractions with CIs', () => {
    const cd9 = Float64Array.from([0, 3, 1, 2, Number.NaN]);
    const cd63 = Float64Array.from([4, 3, 0, 0, 1]);
    const codes = assignSubtypes([cd9, cd63], [1, 2]);
    expect(Array.from(codes)).toEqual([0b10, 0b11, 0b01, 0b01, -1]);
    const comp = markerComposition([cd9, cd63]);
    expect(comp[0][1]).toBeCloseTo(0.5, 14);
    expect(comp[1][0]).toBe(1);
    expect(Number.isNaN(comp[0][4])).toBe(true);
    const f = subtypeFractions(codes, subtypeNames(['CD9', 'CD63']), { seed: 1, iterations: 500 });
    expect(f.n).toBe(4);
    expect(f.fraction[0b01]).toBeCloseTo(0.5, 14);
    expect(f.lower[0b01]).toBeLessThanOrEqual(0.5);
    expect(f.upper[0b01]).toBeGreaterThanOrEqual(0.5);
  });
});

describe('counting from localizations', () => {
  test('merges blinks into bursts and corrects for bursts per molecule', () => {
    const rng = new Rng(4);
    const evX = [1000, 3000];
    const evY = [1000, 1000];
    const molecules = [6, 2];
    const frame: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    const totalBursts = [0, 0];
    for (let e = 0; e < 2; e++) {
      for (let m = 0; m < molecules[e]; m++) {
        const mx = evX[e] + 40 * rng.normal();
        const my = evY[e] + 40 * rng.normal();
        // 3 bursts per molecule, each 1–4 frames long with one 1-frame gap, far apart in time.
        for (let b = 0; b < 3; b++) {
          totalBursts[e]++;
          const t0 = 1000 * b + 100 * m + 10 * e;
          const len = 1 + Math.floor(rng.uniform() * 4);
          for (let f = 0; f < len; f++) {
            frame.push(t0 + f + (f >= 2 ? 1 : 0));
            x.push(mx + 10 * rng.normal());
            y.push(my + 10 * rng.normal());
          }
        }
      }
    }
    frame.push(5);
    x.push(8000);
    y.push(8000); // belongs to no EV
    const ev = assignLocalizationsToEvs(x, y, evX, evY, 300);
    expect(ev[ev.length - 1]).toBe(-1);
    const r = countFromLocalizations(frame, x, y, ev, 2, {
      mergeRadiusNm: 50,
      maxDarkFrames: 1,
      burstsPerMolecule: 3,
    });
    expect(Array.from(r.bursts)).toEqual(totalBursts);
    expect(Array.from(r.count)).toEqual([6, 2]);
    expect(r.countSd[0]).toBeCloseTo(Math.sqrt(6 * 6) / 3, 12); // var per molecule b(b−1) = 6
    const strict = countFromLocalizations(frame, x, y, ev, 2, {
      mergeRadiusNm: 50,
      maxDarkFrames: 0,
      burstsPerMolecule: 3,
    });
    expect(strict.bursts[0]).toBeGreaterThan(r.bursts[0]); // the 1-frame gaps now split bursts
    const merged = countFromLocalizations(frame, x, y, ev, 2, {
      mergeRadiusNm: 0,
      maxDarkFrames: 0,
      burstsPerMolecule: 1,
      alreadyMerged: true,
    });
    expect(merged.bursts[1]).toBe(ev.filter((e) => e === 1).length);
    expect(() =>
      countFromLocalizations(frame, x, y, ev, 2, {
        mergeRadiusNm: 50,
        maxDarkFrames: 1,
        burstsPerMolecule: 0.5,
      }),
    ).toThrow(/≥ 1/);
  });
});
