import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/random';
import { assignWithAlternatives, solveLap } from '../../../src/core/spt/lap';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1))
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

describe('solveLap', () => {
  test('matches brute force on random matrices with forbidden pairs', () => {
    const r = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 6);
      const c = new Float64Array(n * n);
      for (let i = 0; i < n * n; i++)
        c[i] = r.uniform() < 0.25 ? Number.POSITIVE_INFINITY : Math.floor(r.uniform() * 50);
      let best = Number.POSITIVE_INFINITY;
      for (const p of permutations(n))
        best = Math.min(
          best,
          p.reduce((s, j, i) => s + c[i * n + j], 0),
        );
      if (best === Number.POSITIVE_INFINITY) {
        expect(() => solveLap(c, n)).toThrow(/forbidden/);
        continue;
      }
      const a = solveLap(c, n);
      expect(new Set(a).size).toBe(n);
      expect(Array.from(a).reduce((s, j, i) => s + c[i * n + j], 0)).toBe(best);
    }
  });
});

describe('assignWithAlternatives', () => {
  test('minimises link + end + start costs exactly (brute force over partial matchings)', () => {
    const r = new Rng(11);
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + (trial % 4);
      const m = 1 + ((trial >> 2) % 4);
      const source: number[] = [];
      const target: number[] = [];
      const cost: number[] = [];
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++)
          if (r.uniform() < 0.6) {
            source.push(i);
            target.push(j);
            cost.push(Math.floor(r.uniform() * 30));
          }
      const endCost = Float64Array.from({ length: n }, () => 5 + Math.floor(r.uniform() * 15));
      const startCost = Float64Array.from({ length: m }, () => 5 + Math.floor(r.uniform() * 15));
      const c = new Map<number, number>();
      for (let k = 0; k < source.length; k++) c.set(source[k] * m + target[k], cost[k]);
      // Brute force: each source picks a target or nothing, targets used at most once.
      let best = Number.POSITIVE_INFINITY;
      const pick = new Array<number>(n).fill(-1);
      const rec = (i: number, used: number) => {
        if (i === n) {
          let total = 0;
          for (let s = 0; s < n; s++) total += pick[s] < 0 ? endCost[s] : c.get(s * m + pick[s])!;
          for (let t = 0; t < m; t++) if (!(used & (1 << t))) total += startCost[t];
          best = Math.min(best, total);
          return;
        }
        pick[i] = -1;
        rec(i + 1, used);
        for (let t = 0; t < m; t++)
          if (!(used & (1 << t)) && c.has(i * m + t)) {
            pick[i] = t;
            rec(i + 1, used | (1 << t));
          }
        pick[i] = -1;
      };
      rec(0, 0);
      const a = assignWithAlternatives(
        n,
        m,
        {
          count: source.length,
          source: Int32Array.from(source),
          target: Int32Array.from(target),
          cost: Float64Array.from(cost),
        },
        endCost,
        startCost,
      );
      let total = 0;
      const used = new Set<number>();
      for (let s = 0; s < n; s++) {
        if (a[s] < 0) total += endCost[s];
        else {
          expect(c.has(s * m + a[s])).toBe(true);
          expect(used.has(a[s])).toBe(false);
          used.add(a[s]);
          total += c.get(s * m + a[s])!;
        }
      }
      for (let t = 0; t < m; t++) if (!used.has(t)) total += startCost[t];
      expect(total).toBe(best);
    }
  });
});
