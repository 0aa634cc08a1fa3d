// The Ca²⁺ step inside an experiment, from the command line: the simulated two-condition Ca²⁺
// experiment (responder probability 0.7 in A vs 0.2 in B, 4 coverslips each) through `evscope
// batch --step calcium` and `evscope aggregate`. The per-input responder fractions match the
// simulation's truth, the coverslip-level test finds A > B, and the output says what the unit is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import type { CalciumExperimentTruth } from '../../src/core/sim/calciumExperiment';
import { tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-caexp-');
afterAll(() => tmp.remove());
const d = (...p: string[]) => join(tmp.dir, ...p);
const METRIC = 'calcium.responderFraction';

async function run(args: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    return {
      code,
      out: log.mock.calls.map((c) => c.join(' ')).join('\n'),
      err: error.mock.calls.map((c) => c.join(' ')).join('\n'),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const h = head.split(',').map((s) => s.replace(/"/g, ''));
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v.replace(/"/g, '')])));
}

let aggregate: Awaited<ReturnType<typeof run>>;
beforeAll(async () => {
  const sim = await run(['simulate', '--preset', 'calcium-experiment', '--out', d('sim')]);
  expect(sim.code, sim.err).toBe(0);
  const batch = await run(['batch', d('sim', 'EXPERIMENT.json'), '--out', d('res'), '--step', 'calcium']);
  expect(batch.code, batch.err).toBe(0);
  expect(batch.out).toMatch(/8 inputs: 8 run, 0 up to date, 0 failed/);
  aggregate = await run(['aggregate', d('res'), '--out', d('tab'), '--metrics', METRIC]);
  expect(aggregate.code, aggregate.err).toBe(0);
}, 600_000);

test('each input: responders and cells as the simulation made them', () => {
  const truth = JSON.parse(readFileSync(d('sim', 'truth.json'), 'utf8')) as CalciumExperimentTruth;
  const rows = csvRows(d('tab', 'inputs.csv'));
  expect(rows.map((r) => r.id)).toEqual(truth.inputs.map((t) => t.id).sort());
  for (const t of truth.inputs) {
    const r = rows.find((x) => x.id === t.id)!;
    expect(Number(r['calcium.cells']), t.id).toBe(t.cells);
    // At most one recipient cell misclassified per movie.
    expect(Math.abs(Number(r['calcium.responders']) - t.responders), t.id).toBeLessThanOrEqual(1);
    if (t.responders > 0) expect(Number(r['calcium.medianLatencyS'])).toBeGreaterThan(0);
  }
  // The per-cell table and traces beside each summary, as evscope calcium writes them.
  const cells = csvRows(d('res', 'A-coverslip1-1', 'calcium_cells.csv'));
  expect(cells).toHaveLength(truth.inputs[0].cells);
  expect(readFileSync(d('res', 'A-coverslip1-1', 'calcium_traces.csv'), 'utf8')).toMatch(/^frame,time_s,/);
});

test('the coverslip-level test finds the known answer: responder fraction A > B', () => {
  const [t] = csvRows(d('tab', 'tests.csv'));
  expect(t.metric).toBe(METRIC);
  expect([t.a, t.b]).toEqual(['A', 'B']);
  expect([t.n_cells_a, t.n_cells_b, t.n_inputs_a, t.n_inputs_b]).toEqual(['4', '4', '4', '4']);
  // Truth: 0.7 − 0.2 with coverslips scattered around their condition's probability.
  expect(Number(t.difference_a_minus_b)).toBeGreaterThan(0.3);
  expect(Number(t.difference_a_minus_b)).toBeLessThan(0.7);
  expect(Number(t.difference_ci95_low)).toBeGreaterThan(0);
  // Every A coverslip above every B one: the smallest exact p of 4 vs 4, 2/70.
  expect(Number(t.p_permutation)).toBeCloseTo(2 / 70, 6);
  expect(Number(t.p_welch)).toBeLessThan(0.05);
  expect(Number(t.hedges_g)).toBeGreaterThan(1);
  expect(t.replicate_unit).toBe('experiment cell');
  // n beside every p, the unit in words, and the segmented cells named as not being the unit.
  expect(aggregate.out).toMatch(
    /calcium\.responderFraction: A − B = .*n cells 4 vs 4 \(inputs 4 vs 4\).*permutation p 0\.0286/,
  );
  expect(aggregate.out).toMatch(/unit of every test: the experiment cell/);
  expect(aggregate.out).toMatch(
    /segmented recipient cells \(A: \d+ in 4 inputs; B: \d+ in 4 inputs\).*not the unit/,
  );
});
