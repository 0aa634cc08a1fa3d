// The Ca²⁺ step inside an experiment, from the command line: the simulated two-condition Ca²⁺
// experiment (responder probability 0.7 in A vs 0.2 in B, 4 coverslips each) through `evscope
// batch --step calcium` and `evscope aggregate`. The per-input responder fractions match the
// simulation's truth, the coverslip-level test finds A > B, and the output says what the unit is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CalciumExperimentTruth } from '../../src/core/sim/calciumExperiment';
import { csvRows, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-caexp-');
afterAll(() => tmp.remove());
const d = (...p: string[]) => join(tmp.dir, ...p);
const METRIC = 'calcium.responderFraction';

let aggregate: Awaited<ReturnType<typeof runCli>>;
beforeAll(async () => {
  const sim = await runCli(['simulate', '--preset', 'calcium-experiment', '--out', d('sim')]);
  expect(sim.code, sim.err).toBe(0);
  const batch = await runCli(['batch', d('sim', 'EXPERIMENT.json'), '--out', d('res'), '--step', 'calcium']);
  expect(batch.code, batch.err).toBe(0);
  expect(batch.out).toMatch(/8 inputs: 8 run, 0 up to date, 0 failed/);
  aggregate = await runCli(['aggregate', d('res'), '--out', d('tab'), '--metrics', METRIC]);
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

test('inputs the step cannot analyse are reported in words and skipped; the others still run', async () => {
  const e = JSON.parse(readFileSync(d('sim', 'EXPERIMENT.json'), 'utf8'));
  e.inputs = [
    e.inputs[0],
    { id: 'table', path: 'A/locs.csv', cell: 'A/x', condition: 'A' },
    { ...e.inputs[1], id: 'late', cell: 'A/y' },
  ];
  writeFileSync(d('sim', 'bad.json'), JSON.stringify(e));
  const r = await runCli(['batch', d('sim', 'bad.json'), '--out', d('bad'), '--step', 'calcium']);
  expect(r.code).toBe(3);
  expect(r.err).toMatch(/table: FAILED, skipped: step "calcium" needs a stack/);
  expect(r.out).toMatch(/3 inputs: 2 run, 0 up to date, 1 failed/);
  // The addition frame beyond a 120-frame movie: the stack's own check, named after the step.
  e.inputs = [{ ...e.inputs[0], id: 'late' }];
  e.steps.calcium.addFrame = 500;
  e.steps.calcium.baselineEnd = 100;
  writeFileSync(d('sim', 'late.json'), JSON.stringify(e));
  const late = await runCli(['batch', d('sim', 'late.json'), '--out', d('late')]);
  expect(late.code).toBe(3);
  expect(readFileSync(d('late', 'late', 'error.txt'), 'utf8')).toMatch(
    /^calcium: the addition frame must be a whole number in 1–119 \(got 500\)/,
  );
}, 300_000);
