import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import {
  type Affine,
  applyAffine,
  composeAffine,
  fitAffine,
  IDENTITY,
  invertAffine,
  similarity,
} from '../../../src/core/registration/affine';
import { estimateShift, mutualNearestPairs } from '../../../src/core/registration/pairing';
import { registerChannels } from '../../../src/core/registration/register';

const FIELD = 25_000;
// The reference case of the brief: rotation 0.5°, scale 1.002, shift (150, −80) nm.
const TRUE = similarity((0.5 * Math.PI) / 180, 1.002, 150, -80);

/** Error of `fit` against `truth` over a grid spanning the field: per-axis RMS and max, nm. */
function fieldError(fit: Affine, truth: Affine) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let gx = 0; gx <= 20; gx++)
    for (let gy = 0; gy <= 20; gy++) {
      xs.push((gx / 20) * FIELD);
      ys.push((gy / 20) * FIELD);
    }
  const a = applyAffine(fit, xs, ys);
  const b = applyAffine(truth, xs, ys);
  let sx = 0;
  let sy = 0;
  let max = 0;
  for (let i = 0; i < xs.length; i++) {
    sx += (a.x[i] - b.x[i]) ** 2;
    sy += (a.y[i] - b.y[i]) ** 2;
    max = Math.max(max, Math.hypot(a.x[i] - b.x[i], a.y[i] - b.y[i]));
  }
  return { rmsX: Math.sqrt(sx / xs.length), rmsY: Math.sqrt(sy / xs.length), max };
}

/**
 * Beads seen in both channels: mov = T⁻¹(ref) so that T maps mov → ref. The two localizations of
 * a bead differ by 10 nm per axis (each channel contributes 10/√2 nm). With 50 beads the fitted
 * map then errs by ≈ 10·√(3/50) ≈ 2.4 nm per axis averaged over the field, more at the corners.
 */
function beads(n: number, seed: number) {
  const r = new Rng(seed);
  const tx: number[] = [];
  const ty: number[] = [];
  while (tx.length < n) {
    const x = r.uniform() * FIELD;
    const y = r.uniform() * FIELD;
    // Beads are sparse on purpose (≥ 1 µm apart) so that each has one partner.
    if (tx.every((u, i) => Math.hypot(u - x, ty[i] - y) > 1000)) {
      tx.push(x);
      ty.push(y);
    }
  }
  const inv = invertAffine(TRUE);
  const m = applyAffine(inv, tx, ty);
  const noisy = (v: ArrayLike<number>) => Float64Array.from(v, (u) => u + Math.SQRT1_2 * 10 * r.normal());
  return { refX: noisy(tx), refY: noisy(ty), movX: noisy(m.x), movY: noisy(m.y), r };
}

describe('affine transforms', () => {
  test('invert and compose are consistent; an exact fit reproduces the transform', () => {
    const t: Affine = { a: 1.01, b: 0.02, c: 30, d: -0.015, e: 0.995, f: -12 };
    const id = composeAffine(invertAffine(t), t);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) expect(id[k]).toBeCloseTo(IDENTITY[k], 12);
    const sx = [0, 1000, 5000, 20000, 300];
    const sy = [0, 8000, 100, 15000, 22000];
    const d = applyAffine(t, sx, sy);
    const fit = fitAffine(sx, sy, d.x, d.y);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) expect(fit.transform[k]).toBeCloseTo(t[k], 9);
    expect(fit.rms).toBeLessThan(1e-9);
    expect(() => fitAffine([0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 2])).toThrow(/collinear/);
  });

  test('leave-one-out residuals equal refits without each point', () => {
    const r = new Rng(5);
    const sx = Float64Array.from({ length: 12 }, () => r.uniform() * FIELD);
    const sy = Float64Array.from({ length: 12 }, () => r.uniform() * FIELD);
    const d = applyAffine(TRUE, sx, sy);
    const dx = Float64Array.from(d.x, (v) => v + 10 * r.normal());
    const dy = Float64Array.from(d.y, (v) => v + 10 * r.normal());
    const full = fitAffine(sx, sy, dx, dy);
    let ssx = 0;
    let ssy = 0;
    for (let i = 0; i < 12; i++) {
      const keep = (a: Float64Array) => a.filter((_, j) => j !== i);
      const t = fitAffine(keep(sx), keep(sy), keep(dx), keep(dy)).transform;
      ssx += (dx[i] - (t.a * sx[i] + t.b * sy[i] + t.c)) ** 2;
      ssy += (dy[i] - (t.d * sx[i] + t.e * sy[i] + t.f)) ** 2;
    }
    expect(full.looRmsX).toBeCloseTo(Math.sqrt(ssx / 12), 9);
    expect(full.looRmsY).toBeCloseTo(Math.sqrt(ssy / 12), 9);
    expect(full.looRms).toBeGreaterThan(full.rms);
  });
});

describe('registerChannels', () => {
  test.each([1, 2, 3, 4, 5, 6])(
    'recovers rotation 0.5°, scale 1.002, shift 150/−80 nm from 50 beads (seed %i)',
    (seed) => {
      const b = beads(50, seed);
      // An outlier: one bead's partner is 90 nm off (an aggregate, a mislocalization); plus
      // unpaired spots in each channel.
      b.movX[7] += 90;
      const refX = Float64Array.from([...b.refX, 3000, 17000]);
      const refY = Float64Array.from([...b.refY, 24500, 600]);
      const movX = Float64Array.from([...b.movX, 12000]);
      const movY = Float64Array.from([...b.movY, 12000]);
      const reg = registerChannels(refX, refY, movX, movY);
      expect(reg.ref.length).toBe(49);
      expect(Array.from(reg.mov)).not.toContain(7);
      expect(reg.outliers).toBe(1);
      for (let i = 0; i < reg.ref.length; i++) expect(reg.ref[i]).toBe(reg.mov[i]);
      const err = fieldError(reg.transform, TRUE);
      // Within 5 nm (RMS over the whole field, both axes together); corners, where the fit
      // extrapolates, stay within 15 nm.
      expect(Math.hypot(err.rmsX, err.rmsY)).toBeLessThan(5);
      expect(err.max).toBeLessThan(15);
      // Residuals reflect the 10 nm per-axis noise between the channels.
      expect(reg.rmsX).toBeGreaterThan(7);
      expect(reg.rmsX).toBeLessThan(12);
      expect(reg.looRms).toBeGreaterThan(reg.rms);
      // The inverse maps reference coordinates back into the moving channel.
      const back = applyAffine(
        reg.inverse,
        ...(Object.values(applyAffine(reg.transform, [100], [200])) as [Float64Array, Float64Array]),
      );
      expect(back.x[0]).toBeCloseTo(100, 6);
      expect(back.y[0]).toBeCloseTo(200, 6);
    },
  );

  test('shift estimate and mutual nearest pairs', () => {
    const b = beads(40, 9);
    const s = estimateShift(b.refX, b.refY, b.movX, b.movY, 1000, 100);
    // Over a 25 µm field the rotation spreads the offsets by ±110 nm around the mean shift.
    const mid = applyAffine(TRUE, [FIELD / 2], [FIELD / 2]);
    expect(Math.abs(s.dx - (mid.x[0] - FIELD / 2))).toBeLessThan(120);
    expect(Math.abs(s.dy - (mid.y[0] - FIELD / 2))).toBeLessThan(120);
    const p = mutualNearestPairs([0, 100, 1000], [0, 0, 0], [10, 60, 5000], [0, 0, 0], 100);
    expect(Array.from(p.ref)).toEqual([0, 1]);
    expect(Array.from(p.mov)).toEqual([0, 1]);
  });
});
