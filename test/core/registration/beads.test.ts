import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import { applyAffine, invertAffine, similarity } from '../../../src/core/registration/affine';
import { registerBeads } from '../../../src/core/registration/beads';

const FIELD = 12_800;
// mov → ref: rotation 0.4°, scale 1.003, shift (120, −75) nm.
const TRUE = similarity((0.4 * Math.PI) / 180, 1.003, 120, -75);
const INV = invertAffine(TRUE);

function fieldError(t: typeof TRUE): number {
  let worst = 0;
  for (let gx = 0; gx <= 10; gx++)
    for (let gy = 0; gy <= 10; gy++) {
      const x = (gx / 10) * FIELD;
      const y = (gy / 10) * FIELD;
      const a = applyAffine(t, [x], [y]);
      const b = applyAffine(TRUE, [x], [y]);
      worst = Math.max(worst, Math.hypot(a.x[0] - b.x[0], a.y[0] - b.y[0]));
    }
  return worst;
}

/** Points seen in both channels: ref at the true position, mov at T⁻¹(true), each with `noise` nm per axis. */
function observe(r: Rng, frames: number[], xs: number[], ys: number[], noise: number) {
  const m = applyAffine(INV, xs, ys);
  const ref = { frame: [] as number[], x: [] as number[], y: [] as number[] };
  const mov = { frame: [] as number[], x: [] as number[], y: [] as number[] };
  for (let i = 0; i < xs.length; i++) {
    ref.frame.push(frames[i]);
    ref.x.push(xs[i] + noise * r.normal());
    ref.y.push(ys[i] + noise * r.normal());
    mov.frame.push(frames[i]);
    mov.x.push(m.x[i] + noise * r.normal());
    mov.y.push(m.y[i] + noise * r.normal());
  }
  return { ref, mov };
}

describe('registerBeads', () => {
  test('beads seen in many frames are averaged: one pair per bead, precision improved', () => {
    const r = new Rng(3);
    const bx: number[] = [];
    const by: number[] = [];
    while (bx.length < 25) {
      const x = 500 + r.uniform() * (FIELD - 1000);
      const y = 500 + r.uniform() * (FIELD - 1000);
      if (bx.every((u, i) => Math.hypot(u - x, by[i] - y) > 1500)) {
        bx.push(x);
        by.push(y);
      }
    }
    const frames: number[] = [];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let f = 0; f < 40; f++)
      for (let i = 0; i < bx.length; i++) {
        frames.push(f);
        xs.push(bx[i]);
        ys.push(by[i]);
      }
    const { ref, mov } = observe(r, frames, xs, ys, 15);
    const reg = registerBeads(ref, mov);
    expect(reg.beads.refX.length).toBe(25);
    expect(Array.from(reg.beads.frames)).toEqual(Array(25).fill(40));
    expect(reg.pairedLocalizations).toBe(1000);
    // 15 nm per axis per localization, √2 for two channels, √40 frames → ≈ 3.4 nm per axis per bead.
    expect(reg.rms).toBeGreaterThan(2);
    expect(reg.rms).toBeLessThan(6);
    expect(fieldError(reg.transform)).toBeLessThan(5);
  });

  test('isolated emitters new in every frame: pairs only within a frame, though the pooled cloud is dense', () => {
    const r = new Rng(5);
    const frames: number[] = [];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let f = 0; f < 150; f++) {
      const fx: number[] = [];
      const fy: number[] = [];
      while (fx.length < 12) {
        const x = 400 + r.uniform() * (FIELD - 800);
        const y = 400 + r.uniform() * (FIELD - 800);
        if (fx.every((u, i) => Math.hypot(u - x, fy[i] - y) > 1200)) {
          fx.push(x);
          fy.push(y);
        }
      }
      for (let i = 0; i < fx.length; i++) {
        frames.push(f);
        xs.push(fx[i]);
        ys.push(fy[i]);
      }
    }
    const { ref, mov } = observe(r, frames, xs, ys, 10);
    const reg = registerBeads(ref, mov);
    // 1800 emitters; a few in consecutive frames fall within the link radius and are merged.
    expect(reg.beads.refX.length).toBeGreaterThan(1700);
    expect(reg.pairedLocalizations).toBeGreaterThan(1780);
    expect(reg.rms).toBeGreaterThan(10);
    expect(reg.rms).toBeLessThan(20);
    expect(reg.looRms).toBeLessThan(reg.rms * 1.01);
    expect(fieldError(reg.transform)).toBeLessThan(3);
    expect(reg.shift.dx).toBeCloseTo(TRUE.c, -2);
  });

  test('a bead in one channel only, and a misplaced one, do not bias the fit', () => {
    const r = new Rng(9);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 30; i++) {
      xs.push(600 + (i % 6) * 2000 + 300 * r.uniform());
      ys.push(600 + Math.floor(i / 6) * 2400 + 300 * r.uniform());
    }
    const { ref, mov } = observe(r, Array(30).fill(0), xs, ys, 2);
    mov.x[4] += 150; // one bead 150 nm off: an outlier
    ref.frame.push(0);
    ref.x.push(6000);
    ref.y.push(11_000);
    const reg = registerBeads(ref, mov);
    expect(reg.outliers).toBe(1);
    expect(reg.beads.refX.length).toBe(29);
    expect(fieldError(reg.transform)).toBeLessThan(6);
  });

  test('says why when channels share no frame', () => {
    const ref = { frame: [0, 0, 0], x: [0, 1000, 2000], y: [0, 500, 0] };
    const mov = { frame: [1, 1, 1], x: [0, 1000, 2000], y: [0, 500, 0] };
    expect(() => registerBeads(ref, mov)).toThrow(/same frame/);
  });
});
