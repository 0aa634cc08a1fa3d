import { describe, expect, test } from 'vitest';
import { solveAssignment } from '../../../src/core/math/assignment';
import { Rng } from '../../../src/core/random';

const INF = Number.POSITIVE_INFINITY;

/** Injective maps of `n` rows into `m` columns (n ≤ m). */
function injections(n: number, m: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of injections(n - 1, m)) for (let j = 0; j < m; j++) if (!p.includes(j)) out.push([...p, j]);
  return out;
}

/** Brute-force optimum of the n×m problem (Infinity when every assignment hits a forbidden pair). */
function bruteForce(cost: Float64Array, n: number, m: number): number {
  let best = INF;
  if (n <= m) {
    for (const p of injections(n, m))
      best = Math.min(
        best,
        p.reduce((s, j, i) => s + cost[i * m + j], 0),
      );
  } else {
    for (const p of injections(m, n))
      best = Math.min(
        best,
        p.reduce((s, i, j) => s + cost[i * m + j], 0),
      );
  }
  return best;
}

function total(cost: Float64Array, m: number, a: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= 0) s += cost[i * m + a[i]];
  return s;
}

function expectValid(a: Int32Array, n: number, m: number) {
  const cols = Array.from(a).filter((j) => j >= 0);
  expect(cols.length).toBe(Math.min(n, m));
  expect(new Set(cols).size).toBe(cols.length);
  for (const j of cols) expect(j).toBeLessThan(m);
}

describe('solveAssignment', () => {
  test('empty problems return an all-unassigned map of the right length', () => {
    expect(Array.from(solveAssignment(new Float64Array(0), 0, 0))).toEqual([]);
    expect(Array.from(solveAssignment(new Float64Array(0), 0, 4))).toEqual([]);
    expect(Array.from(solveAssignment(new Float64Array(0), 3, 0))).toEqual([-1, -1, -1]);
  });

  test('a known square case: the greedy choice is not optimal', () => {
    // Greedy takes (0,0)=1 then must pay 100; the optimum crosses over for 2 + 3.
    const c = Float64Array.from([1, 2, 3, 100]);
    expect(Array.from(solveAssignment(c, 2, 2))).toEqual([1, 0]);
  });

  test('rectangular: wide leaves columns free, tall leaves rows at −1', () => {
    const wide = Float64Array.from([5, 1, 9, 4, 8, 0]); // 2×3
    expect(Array.from(solveAssignment(wide, 2, 3))).toEqual([1, 2]);
    const tall = Float64Array.from([5, 4, 1, 8, 9, 0]); // 3×2
    expect(Array.from(solveAssignment(tall, 3, 2))).toEqual([-1, 0, 1]);
  });

  test('ties: any optimum is accepted, and the total is the optimum', () => {
    const c = new Float64Array(16).fill(3);
    const a = solveAssignment(c, 4, 4);
    expectValid(a, 4, 4);
    expect(total(c, 4, a)).toBe(12);
  });

  test('forbidden pairs are avoided, and an infeasible problem throws', () => {
    const c = Float64Array.from([INF, 1, 2, INF]);
    expect(Array.from(solveAssignment(c, 2, 2))).toEqual([1, 0]);
    const none = Float64Array.from([1, INF, 2, INF]); // both rows can only use column 0
    expect(() => solveAssignment(none, 2, 2)).toThrow(/forbidden/);
  });

  test('matches brute force on random rectangular and square matrices, with forbidden pairs', () => {
    const r = new Rng(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(r.uniform() * 6);
      const m = Math.floor(r.uniform() * 6);
      const forbid = trial % 2 === 0 ? 0.25 : 0;
      const c = new Float64Array(n * m);
      // Small integer costs make ties common.
      for (let i = 0; i < c.length; i++) c[i] = r.uniform() < forbid ? INF : Math.floor(r.uniform() * 8);
      const best = bruteForce(c, n, m);
      if (best === INF && n > 0 && m > 0) {
        expect(() => solveAssignment(c, n, m)).toThrow(/forbidden/);
        continue;
      }
      const a = solveAssignment(c, n, m);
      expect(a.length).toBe(n);
      expectValid(a, n, m);
      expect(total(c, m, a)).toBe(n === 0 || m === 0 ? 0 : best);
    }
  });
});
