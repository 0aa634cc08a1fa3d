import { describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { crlbNm } from '../../../src/core/score/crlb';
import { efficiency, scoreLocalizations } from '../../../src/core/score/metrics';

function table(rows: [number, number, number][]) {
  return locTableFromColumns({
    frame: Uint32Array.from(rows.map((r) => r[0])),
    x: Float64Array.from(rows.map((r) => r[1])),
    y: Float64Array.from(rows.map((r) => r[2])),
  });
}

describe('SMLM Challenge metrics', () => {
  test('exact matches: J = 1, RMSE = 0, efficiency 1', () => {
    const t = table([
      [0, 100, 100],
      [0, 900, 900],
      [2, 50, 60],
    ]);
    const r = scoreLocalizations(t, t);
    expect([r.tp, r.fp, r.fn]).toEqual([3, 0, 0]);
    expect(r.jaccard).toBe(1);
    expect(r.rmse).toBe(0);
    expect(r.efficiency).toBe(1);
  });

  test('a constant offset gives exact bias and RMSE', () => {
    const t = table([
      [0, 100, 100],
      [0, 1000, 500],
      [1, 300, 300],
    ]);
    const l = table([
      [0, 103, 96],
      [0, 1003, 496],
      [1, 303, 296],
    ]);
    const r = scoreLocalizations(t, l);
    expect(r.tp).toBe(3);
    expect(r.biasX).toBeCloseTo(3, 12);
    expect(r.biasY).toBeCloseTo(-4, 12);
    expect(r.rmse).toBeCloseTo(5, 12);
    expect(r.rmseX).toBeCloseTo(3, 12);
    expect(r.rmseY).toBeCloseTo(4, 12);
    expect(r.efficiency).toBeCloseTo(1 - 0.05, 12);
  });

  test('one-to-one: two localizations near one truth give 1 TP + 1 FP, and the nearer one matches', () => {
    const r = scoreLocalizations(
      table([[0, 500, 500]]),
      table([
        [0, 530, 500],
        [0, 510, 500],
      ]),
    );
    expect([r.tp, r.fp, r.fn]).toEqual([1, 1, 0]);
    expect(r.matches.locs[0]).toBe(1);
    expect(r.jaccard).toBeCloseTo(0.5, 12);
  });

  test('optimal rather than greedy: the assignment maximises matches within tolerance', () => {
    // Greedy nearest-first would pair t0–l1 (10 nm) and leave t1 without a partner within 250 nm.
    const r = scoreLocalizations(
      table([
        [0, 0, 0],
        [0, 250, 0],
      ]),
      table([
        [0, -200, 0],
        [0, 10, 0],
      ]),
    );
    expect(r.tp).toBe(2);
    expect(r.rmse).toBeCloseTo(Math.sqrt((200 * 200 + 240 * 240) / 2), 9);
  });

  test('beyond tolerance, empty frames, frames only in truth or only in locs', () => {
    const t = table([
      [0, 0, 0],
      [1, 100, 100],
      [3, 0, 0],
    ]);
    const l = table([
      [0, 251, 0],
      [1, 100, 100],
      [2, 50, 50],
    ]);
    const r = scoreLocalizations(t, l);
    expect([r.tp, r.fp, r.fn]).toEqual([1, 2, 2]);
    expect(r.jaccard).toBeCloseTo(1 / 5, 12);
    expect(r.recall).toBeCloseTo(1 / 3, 12);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(scoreLocalizations(t, l, { toleranceNm: 252 }).tp).toBe(2);
    const none = scoreLocalizations(t, table([]));
    expect([none.tp, none.fn, none.jaccard, none.efficiency]).toEqual([0, 3, 0, 0]);
    expect(Number.isNaN(none.rmse)).toBe(true);
  });

  test('efficiency follows 1 − sqrt((1 − J)² + (RMSE/100 nm)²)', () => {
    expect(efficiency(0.7, 40)).toBeCloseTo(1 - Math.sqrt(0.09 + 0.16), 12);
  });
});

describe('CRLB for imaging conditions', () => {
  test("SCIENCE.md's example: 1000 photons, 10 bg, σ 130 nm, 100 nm px → ≈ 5.6 nm; EMCCD ×√2", () => {
    const base = { photons: 1000, backgroundPhotons: 10, psfSigmaNm: 130, pixelSizeNm: 100 };
    const ccd = crlbNm({ ...base, camera: { kind: 'ccd' } });
    expect(ccd.x).toBeGreaterThan(5.3);
    expect(ccd.x).toBeLessThan(5.9);
    expect(crlbNm({ ...base, camera: { kind: 'emccd' } }).x / ccd.x).toBeCloseTo(Math.SQRT2, 9);
    const scmos = crlbNm({ ...base, camera: { kind: 'scmos', readNoiseE: 3 } });
    expect(scmos.x).toBeGreaterThan(ccd.x);
    expect(scmos.lateral).toBeCloseTo(Math.SQRT2 * scmos.perAxis, 9);
  });
});
