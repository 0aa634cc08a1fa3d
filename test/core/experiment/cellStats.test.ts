import { describe, expect, test } from 'vitest';
import {
  cellValues,
  conditionStats,
  experimentStats,
  hedgesG,
  holm,
  permutationTest,
  studentTQuantile,
} from '../../../src/core/experiment/cellStats';
import type { InputSummary } from '../../../src/core/experiment/summary';
import { Rng } from '../../../src/core/random';
import { welchTTest } from '../../../src/core/stats/welch';

function summary(id: string, condition: string, cell: string, m: number | null): InputSummary {
  return {
    format: 'evscope-input-summary',
    version: 1,
    id,
    cell,
    condition,
    paramsHash: 'h',
    steps: ['coloc'],
    metrics: { m },
  };
}

/** cells per condition, inputs per cell; value = condition shift + cell effect + input noise. */
function experiment(rng: Rng, shift: number, cells: number, inputs = 3, cellSd = 1, inputSd = 0.3) {
  const out: InputSummary[] = [];
  for (const [cond, d] of [
    ['A', 0],
    ['B', shift],
  ] as const)
    for (let c = 0; c < cells; c++) {
      const effect = d + cellSd * rng.normal();
      for (let i = 0; i < inputs; i++)
        out.push(summary(`${cond}${c}_${i}`, cond, `${cond}/c${c}`, effect + inputSd * rng.normal()));
    }
  return out;
}

describe('per-cell values and condition summaries', () => {
  test('a cell is the unweighted mean of its inputs; unmeasured inputs are left out', () => {
    const s = [
      summary('1', 'A', 'A/c1', 1),
      summary('2', 'A', 'A/c1', 3),
      summary('3', 'A', 'A/c1', null),
      summary('4', 'A', 'A/c2', 10),
      summary('5', 'B', 'B/c1', 0),
    ];
    expect(cellValues(s, 'm')).toEqual([
      { cell: 'A/c1', condition: 'A', value: 2, inputs: 2 },
      { cell: 'A/c2', condition: 'A', value: 10, inputs: 1 },
      { cell: 'B/c1', condition: 'B', value: 0, inputs: 1 },
    ]);
    const [a, b] = conditionStats(cellValues(s, 'm'), 'm');
    // Two cells, 2 and 10: mean 6, sd √32, t(0.975, 1) = 12.706.
    expect(a.mean).toBe(6);
    expect(a.nCells).toBe(2);
    expect(a.nInputs).toBe(3);
    expect(a.ciHigh - a.mean).toBeCloseTo((12.7062 * Math.sqrt(32)) / Math.sqrt(2), 2);
    expect(Number.isNaN(b.ciLow)).toBe(true);
  });

  test('Student t quantiles match the tables', () => {
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.182446, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 4);
    expect(studentTQuantile(0.025, 30)).toBeCloseTo(-2.042272, 4);
  });
});

describe('tests over cells', () => {
  test('exact permutation: 4 vs 4 cells are 70 relabellings; full separation gives 2/70', () => {
    const r = permutationTest([10, 11, 12, 13], [1, 2, 3, 4]);
    expect(r).toEqual({ p: 2 / 70, permutations: 70, exact: true });
    // Identical groups: every relabelling is at least as extreme.
    expect(permutationTest([1, 2, 3, 4], [1, 2, 3, 4]).p).toBe(1);
  });

  test('beyond the exact limit a seeded Monte-Carlo p is used, reproducibly', () => {
    const a = Array.from({ length: 10 }, (_, i) => i + 100);
    const b = Array.from({ length: 10 }, (_, i) => i);
    const r = permutationTest(a, b, 5);
    expect(r.exact).toBe(false);
    expect(r.p).toBe(1 / 10_000);
    const rng = new Rng(3);
    const x = Array.from({ length: 10 }, () => rng.normal());
    const y = Array.from({ length: 10 }, () => rng.normal() + 0.5);
    expect(permutationTest(x, y, 7)).toEqual(permutationTest(x, y, 7));
  });

  test("Holm's adjustment (worked example) and Hedges' g", () => {
    const adj = holm([0.01, 0.04, 0.03, 0.005, Number.NaN]);
    expect(adj.slice(0, 4).map((v) => Number(v.toFixed(6)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(Number.isNaN(adj[4])).toBe(true);
    // means 2.5 vs 4.5, pooled sd √(5/3): d = −1.5492, J = 1 − 3/23 → g = −1.3472
    const g = hedgesG([1, 2, 3, 4], [3, 4, 5, 6]);
    expect(g.g).toBeCloseTo(-1.3472, 3);
    expect(g.low).toBeLessThan(g.g);
    expect(g.high).toBeGreaterThan(g.g);
  });

  test('null experiments (same condition twice) reject at about α over replicate seeds', () => {
    const reps = 400;
    let perm = 0;
    let welch = 0;
    let pseudo = 0;
    let covered = 0;
    for (let s = 0; s < reps; s++) {
      const rng = new Rng(1000 + s);
      const data = experiment(rng, 0, 6);
      const st = experimentStats(data, { metrics: ['m'] });
      const c = st.comparisons[0];
      expect(c.nCellsA).toBe(6);
      expect(c.nInputsA).toBe(18);
      if (c.pPermutation <= 0.05) perm++;
      if (c.pWelch <= 0.05) welch++;
      if (c.differenceLow <= 0 && c.differenceHigh >= 0) covered++;
      // The invalid analysis the issue warns about: every input (stack) as a unit.
      const a = data.filter((d) => d.condition === 'A').map((d) => d.metrics.m as number);
      const b = data.filter((d) => d.condition === 'B').map((d) => d.metrics.m as number);
      if (welchTTest(a, b).p <= 0.05) pseudo++;
    }
    // Binomial sd of a rate near 0.05 over 400 replicates ≈ 0.011.
    expect(perm / reps).toBeGreaterThan(0.02);
    expect(perm / reps).toBeLessThan(0.085);
    expect(welch / reps).toBeGreaterThan(0.02);
    expect(welch / reps).toBeLessThan(0.085);
    expect(covered / reps).toBeGreaterThan(0.915);
    // Treating the stacks of a cell as independent rejects far too often.
    expect(pseudo / reps).toBeGreaterThan(0.15);
  });

  test('a real difference between conditions is found with 4 cells each', () => {
    let found = 0;
    for (let s = 0; s < 50; s++) {
      const st = experimentStats(experiment(new Rng(s), 4, 4), { metrics: ['m'] });
      const c = st.comparisons[0];
      expect(c.permutations).toBe(70);
      expect(c.difference).toBeLessThan(0); // A − B, B shifted up
      if (c.pPermutation <= 0.05 && c.pWelch <= 0.05) found++;
    }
    expect(found).toBeGreaterThan(40);
  });

  test('Holm runs over the tested metrics × condition pairs only', () => {
    const data = experiment(new Rng(9), 4, 4).map((s) => ({
      ...s,
      metrics: { m: s.metrics.m, n: s.condition === 'A' ? 1 : 2, o: 5 },
    }));
    const one = experimentStats(data, { tested: ['m'] });
    expect(one.cells.map((c) => c.metric)).toEqual(['m', 'n', 'o']);
    expect(one.comparisons).toHaveLength(1);
    expect(one.comparisons[0].pHolm).toBe(one.comparisons[0].pPermutation);
    const two = experimentStats(data, { tested: ['m', 'n'] });
    expect(two.comparisons[0].pHolm).toBeCloseTo(Math.min(1, 2 * two.comparisons[0].pPermutation), 12);
  });
});
