// The experiment verbs end to end on the simulated two-condition experiment (EVs near
// structures vs random placement, 4 cells each): the cell-level test finds the known answer,
// 4 shards aggregate to the same bytes as one unsharded run, re-running resumes, and a broken
// input is reported and skipped without stopping the batch.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-experiment-');
afterAll(() => tmp.remove());
const d = (...p: string[]) => join(tmp.dir, ...p);

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

/** Every file under `dir` (relative path → bytes as text). */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) walk(f);
      else out.set(relative(dir, f), readFileSync(f));
    }
  };
  walk(dir);
  return out;
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const h = head.split(',').map((s) => s.replace(/"/g, ''));
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v])));
}

const exp = () => d('sim', 'EXPERIMENT.json');
const METRIC = 'coloc.deltaFractionWithin';

beforeAll(async () => {
  const sim = await run(['simulate', '--preset', 'experiment', '--out', d('sim')]);
  expect(sim.code, sim.err).toBe(0);
  const all = await run(['batch', exp(), '--out', d('all'), '--threads', '1']);
  expect(all.code, all.err).toBe(0);
  expect(all.out).toMatch(/8 inputs: 8 run, 0 up to date, 0 failed/);
  // Four array tasks, written into two folders to show aggregate merging several.
  for (const i of [0, 1, 2, 3]) {
    const r = await run([
      'batch',
      exp(),
      '--out',
      d(i < 2 ? 's01' : 's23'),
      '--shard',
      `${i}/4`,
      '--threads',
      '1',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 inputs \(shard \d\/4\): 2 run/);
  }
}, 900_000);

describe('evscope batch + aggregate on the simulated experiment', () => {
  test('the cell-level test gives the known answer: near > random in time within the cut-off', async () => {
    const r = await run(['aggregate', d('all'), '--out', d('agg-all'), '--metrics', METRIC]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/8 inputs, 8 cells, 2 conditions/);
    expect(r.out).toMatch(/n cells 4 vs 4 \(inputs 4 vs 4\)/);
    const [t] = csvRows(d('agg-all', 'tests.csv'));
    expect(t.metric).toBe(METRIC);
    expect([t.a, t.b]).toEqual(['near', 'random']);
    expect(Number(t.difference_a_minus_b)).toBeGreaterThan(0.1);
    // Every near cell above every random cell: the smallest exact p of 4 vs 4, 2/70.
    expect(Number(t.p_permutation)).toBeCloseTo(2 / 70, 6);
    expect(t.exact).toBe('yes');
    expect(Number(t.p_welch)).toBeLessThan(0.05);
    expect(Number(t.difference_ci95_low)).toBeGreaterThan(0);
    const cells = csvRows(d('agg-all', 'cells.csv')).filter((c) => c.metric === METRIC);
    expect(cells).toHaveLength(8);
    const conds = csvRows(d('agg-all', 'conditions.csv')).filter((c) => c.metric === METRIC);
    expect(conds.map((c) => [c.condition, c.n_cells, c.n_inputs])).toEqual([
      ['near', '4', '4'],
      ['random', '4', '4'],
    ]);
  });

  test('4 shards + aggregate equal one unsharded run + aggregate, byte for byte', async () => {
    const r = await run(['aggregate', d('s23'), d('s01'), '--out', d('agg-shards'), '--metrics', METRIC]);
    expect(r.code, r.err).toBe(0);
    await run(['aggregate', d('all'), '--out', d('agg-all2'), '--metrics', METRIC]);
    const a = tree(d('agg-all2'));
    const b = tree(d('agg-shards'));
    expect([...b.keys()].sort()).toEqual(['cells.csv', 'conditions.csv', 'inputs.csv', 'tests.csv']);
    for (const [k, v] of a) expect(b.get(k)?.equals(v), k).toBe(true);
    // The per-input results too: each input is computed the same whichever shard ran it.
    const all = tree(d('all'));
    const shards = new Map([...tree(d('s01')), ...tree(d('s23'))]);
    expect([...shards.keys()].sort()).toEqual([...all.keys()].sort());
    for (const [k, v] of all) expect(shards.get(k)?.equals(v), k).toBe(true);
    // Nothing machine- or time-specific in the tables.
    const text = [...a.values()].join('');
    expect(text).not.toContain(tmp.dir);
    expect(text).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  test('re-running resumes: inputs with results made from the same parameters are skipped', async () => {
    const summary = d('all', 'near-cell1-1', 'summary.json');
    const before = statSync(summary).mtimeMs;
    const again = await run(['batch', exp(), '--out', d('all')]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/8 inputs: 0 run, 8 up to date, 0 failed/);
    expect(statSync(summary).mtimeMs).toBe(before);
  });

  test('a broken input is reported and skipped; the others still count', async () => {
    const e = JSON.parse(readFileSync(exp(), 'utf8'));
    e.inputs.push({ ...e.inputs[0], id: 'broken', path: 'near/missing_locs.csv' });
    e.inputs.push({ ...e.inputs[1], id: 'bad-tracks', files: { tracks: 'near/cell1_1_locs.csv' } });
    writeFileSync(d('sim', 'with-broken.json'), JSON.stringify(e));
    const r = await run(['batch', d('sim', 'with-broken.json'), '--out', d('all')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/broken: FAILED, skipped: cannot read near\/missing_locs\.csv/);
    // A localization table given as tracks: every row is a one-position "track", none is kept.
    expect(r.err).toMatch(/bad-tracks: FAILED, skipped: coloc: There are no track positions/);
    expect(r.out).toMatch(/10 inputs: 0 run, 8 up to date, 2 failed/);
    expect(readFileSync(d('all', 'broken', 'error.txt'), 'utf8')).toMatch(/missing_locs/);
    const agg = await run(['aggregate', d('all'), '--out', d('agg-broken'), '--metrics', METRIC]);
    expect(agg.code).toBe(0);
    expect(agg.err).toMatch(/input bad-tracks failed in the batch/);
    expect(agg.out).toMatch(/8 inputs, 8 cells/);
  });

  test('bad arguments are refused with a sentence', async () => {
    expect((await run(['batch', exp(), '--out', d('x'), '--shard', '4/4'])).err).toMatch(
      /--shard must be I\/N/,
    );
    expect((await run(['batch', exp(), '--out', d('x'), '--step', 'movie,warp'])).err).toMatch(
      /unknown step "warp"/,
    );
    expect((await run(['aggregate', d('all'), '--out', d('y'), '--metrics', 'nope'])).err).toMatch(
      /no input has the metric "nope"/,
    );
    writeFileSync(
      d('bad.json'),
      '{"format":"evscope-experiment","version":1,"inputs":[{"id":"a"}],"steps":{}}',
    );
    expect((await run(['batch', d('bad.json'), '--out', d('x')])).err).toMatch(/inputs\[0\]\.path: missing/);
  });
});
