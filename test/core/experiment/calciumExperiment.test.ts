// The simulated two-condition Ca²⁺ experiment (core/sim/calciumExperiment.ts) with the coverslip —
// the experiment's cell — as the unit. Over replicate seeds the coverslip-level test of the
// responder fraction rejects a null experiment (A and B alike) at no more than α and finds the
// 0.7 vs 0.2 difference in most (both from the simulation's true responders: cheap, and what a
// perfect classifier would see); a null experiment then goes through the real image analysis
// (the difference through it is test/cli/calciumExperiment.test.ts).
import { describe, expect, test } from 'vitest';
import { analyseCalcium } from '../../../src/core/calcium';
import { experimentStats } from '../../../src/core/experiment/cellStats';
import { buildInputSummary, type InputSummary } from '../../../src/core/experiment/summary';
import { simulateCalciumExperiment } from '../../../src/core/sim/calciumExperiment';
import { simulate } from '../../../src/core/sim/simulate';

const METRIC = 'calcium.responderFraction';
const ALPHA = 0.05;

function truthSummaries(seed: number, isNull: boolean): InputSummary[] {
  const sim = simulateCalciumExperiment({ seed, null: isNull });
  return sim.experiment.inputs.map((x) => {
    const t = sim.truth.inputs.find((q) => q.id === x.id)!;
    return {
      ...buildInputSummary(x, {}, ['calcium'], ''),
      metrics: { [METRIC]: t.responders / t.cells },
    };
  });
}

function pValue(summaries: InputSummary[]): number {
  const [c] = experimentStats(summaries, { metrics: [METRIC] }).comparisons;
  expect([c.nCellsA, c.nCellsB]).toEqual([4, 4]);
  return c.pPermutation;
}

describe('coverslip-level test of the responder fraction over replicate seeds', () => {
  test('null experiments reject at no more than α; the 0.7 vs 0.2 experiment mostly', () => {
    const seeds = Array.from({ length: 150 }, (_, k) => 1000 + k);
    const nullRate = seeds.filter((s) => pValue(truthSummaries(s, true)) <= ALPHA).length / seeds.length;
    // 4 vs 4 exact permutation: P(p ≤ 0.05) = 2/70 ≈ 0.029 under the null; 150 seeds give ± 0.014.
    expect(nullRate).toBeLessThanOrEqual(ALPHA);
    const power = seeds.slice(0, 40).filter((s) => pValue(truthSummaries(s, false)) <= ALPHA).length / 40;
    // Only a complete separation of 4 vs 4 coverslips reaches p ≤ 0.05: 0.83 of these 40 seeds.
    expect(power).toBeGreaterThanOrEqual(0.75);
  }, 120_000);
});

async function analysed(seed: number, isNull: boolean) {
  const sim = simulateCalciumExperiment({ seed, null: isNull });
  const out: { summary: InputSummary; trueResponders: number; trueCells: number }[] = [];
  for (const x of sim.experiment.inputs) {
    const s = simulate(sim.simulations[x.id]).stack;
    const r = await analyseCalcium(
      {
        width: s.width,
        height: s.height,
        frameCount: s.frameCount,
        readFrame: (i) => s.readFrame(i, { channel: 0 }),
      },
      { ...sim.experiment.steps.calcium!, frameIntervalS: 0.5 },
    );
    const t = sim.truth.inputs.find((q) => q.id === x.id)!;
    out.push({
      summary: buildInputSummary(x, { calcium: r.cells }, ['calcium'], ''),
      trueResponders: t.responders,
      trueCells: t.cells,
    });
  }
  return out;
}

describe('through the image analysis', () => {
  test('a null experiment shows no difference', async () => {
    const inputs = await analysed(17, true);
    const total = inputs.reduce((s, x) => s + x.trueCells, 0);
    const wrong = inputs.reduce(
      (s, x) => s + Math.abs((x.summary.metrics['calcium.responders'] as number) - x.trueResponders),
      0,
    );
    expect(wrong / total).toBeLessThanOrEqual(0.05);
    const [c] = experimentStats(
      inputs.map((x) => x.summary),
      { tested: [METRIC] },
    ).comparisons;
    expect(c.pPermutation).toBeGreaterThan(ALPHA);
  }, 120_000);
});
