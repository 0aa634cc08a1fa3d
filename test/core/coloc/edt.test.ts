import { describe, expect, test } from 'vitest';
import { squaredDistanceTransform } from '../../../src/core/coloc/edt';
import { Rng } from '../../../src/core/random';

function bruteForce(mask: Uint8Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h).fill(Number.POSITIVE_INFINITY);
  for (let p = 0; p < w * h; p++)
    for (let q = 0; q < w * h; q++) {
      if (!mask[q]) continue;
      const d = ((p % w) - (q % w)) ** 2 + (Math.floor(p / w) - Math.floor(q / w)) ** 2;
      if (d < out[p]) out[p] = d;
    }
  return out;
}

describe('Felzenszwalb–Huttenlocher distance transform', () => {
  test('equals brute force exactly on random masks, with a correct feature transform', () => {
    const r = new Rng(4);
    const shapes: [number, number][] = [
      [1, 1],
      [1, 17],
      [23, 1],
      [19, 13],
      [32, 29],
    ];
    for (const [w, h] of shapes)
      for (const density of [0, 0.003, 0.05, 0.3, 0.9, 1]) {
        const mask = Uint8Array.from({ length: w * h }, () => (r.uniform() < density ? 1 : 0));
        const nearest = new Int32Array(w * h);
        const d = squaredDistanceTransform(mask, w, h, nearest);
        expect(d).toEqual(bruteForce(mask, w, h));
        for (let p = 0; p < w * h; p++) {
          if (d[p] === Number.POSITIVE_INFINITY) {
            expect(nearest[p]).toBe(-1);
            continue;
          }
          const q = nearest[p];
          expect(mask[q]).toBe(1);
          expect(((p % w) - (q % w)) ** 2 + (Math.floor(p / w) - Math.floor(q / w)) ** 2).toBe(d[p]);
        }
      }
  });

  test('single feature: squared distances are the integer lattice norms', () => {
    const [w, h] = [9, 7];
    const mask = new Uint8Array(w * h);
    mask[3 * w + 4] = 1;
    const d = squaredDistanceTransform(mask, w, h);
    expect(d[0]).toBe(16 + 9);
    expect(d[3 * w + 8]).toBe(16);
    expect(d[6 * w + 5]).toBe(9 + 1);
    expect(() => squaredDistanceTransform(mask, w, h + 1)).toThrow(RangeError);
  });
});
