import { describe, expect, test } from 'vitest';
import {
  applyAffine,
  composeAffine,
  IDENTITY,
  invertAffine,
  isIdentity,
  similarity,
} from '../../../src/core/math/affine';
import {
  fromAffine,
  invertAffine as invertSim,
  similarityAffine,
  toAffine,
} from '../../../src/core/sim/geometry';

const point = (t: Parameters<typeof applyAffine>[0], x: number, y: number) => {
  const p = applyAffine(t, [x], [y]);
  return [p.x[0], p.y[0]];
};

describe('math/affine', () => {
  test('a similarity about the origin rotates, scales, then shifts', () => {
    const t = similarity(Math.PI / 2, 2, 10, -5);
    const [x, y] = point(t, 1, 0);
    expect(x).toBeCloseTo(10, 12);
    expect(y).toBeCloseTo(-3, 12);
  });

  test('a similarity about a centre leaves the centre moved only by the shift', () => {
    const t = similarity(0.3, 1.05, 7, 3, 1000, 2000);
    const [x, y] = point(t, 1000, 2000);
    expect(x).toBeCloseTo(1007, 9);
    expect(y).toBeCloseTo(2003, 9);
  });

  test('inverse ∘ map is the identity; composition applies right then left', () => {
    const t = { a: 1.2, b: 0.1, c: 30, d: -0.2, e: 0.9, f: -40 };
    const id = composeAffine(invertAffine(t), t);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) expect(id[k]).toBeCloseTo(IDENTITY[k], 12);
    const s = similarity(0.2, 0.8, 1, 2);
    const [x1, y1] = point(composeAffine(s, t), 3, 4);
    const [xm, ym] = point(t, 3, 4);
    const [x2, y2] = point(s, xm, ym);
    expect(x1).toBeCloseTo(x2, 12);
    expect(y1).toBeCloseTo(y2, 12);
    expect(isIdentity(IDENTITY)).toBe(true);
    expect(isIdentity(t)).toBe(false);
    expect(() => invertAffine({ a: 1, b: 2, c: 0, d: 2, e: 4, f: 0 })).toThrow(/singular/);
  });

  test("the simulator's stored layout round-trips and gives the same maps", () => {
    const t = similarityAffine(1.01, 2, 40, -30, 3200, 3200);
    expect(fromAffine(toAffine(t))).toEqual(t);
    // Same formula as the simulator used before the merge (rotation about the centre).
    const r = (2 * Math.PI) / 180;
    const a = 1.01 * Math.cos(r);
    const b = -1.01 * Math.sin(r);
    const c = 1.01 * Math.sin(r);
    expect(t).toEqual({
      a,
      b,
      c,
      d: a,
      tx: 3200 - (a * 3200 + b * 3200) + 40,
      ty: 3200 - (c * 3200 + a * 3200) - 30,
    });
    const inv = invertSim(t);
    const x = t.a * 500 + t.b * 900 + t.tx;
    const y = t.c * 500 + t.d * 900 + t.ty;
    expect(inv.a * x + inv.b * y + inv.tx).toBeCloseTo(500, 9);
    expect(inv.c * x + inv.d * y + inv.ty).toBeCloseTo(900, 9);
  });
});
