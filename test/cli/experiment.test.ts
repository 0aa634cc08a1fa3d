// The experiment verbs end to end on the simulated two-condition experiment (EVs near
// structures vs random placement, 4 cells each): the cell-level test finds the known answer,
// 4 shards aggregate to the same bytes as one unsharded run, re-running resumes, and a broken
// input is reported and skipped without stopping the batch.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSimulatedTiff } from '../../src/cli/writeSimulatedTiff';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { runCli as run } from '../helpers/cli';
import { tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-experiment-');
afterAll(() => tmp.remove());
const d = (...p: string[]) => join(tmp.dir, ...p);

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
    // Relabelling an input keeps its results and updates its summary's labels.
    const e = JSON.parse(readFileSync(exp(), 'utf8'));
    e.inputs[0].cell = 'near/cell1b';
    writeFileSync(d('sim', 'relabelled.json'), JSON.stringify(e));
    const skip = await run(['batch', d('sim', 'relabelled.json'), '--out', d('all')]);
    expect(skip.out).toMatch(/8 inputs: 0 run, 8 up to date/);
    expect(JSON.parse(readFileSync(summary, 'utf8')).cell).toBe('near/cell1b');
    await run(['batch', exp(), '--out', d('all')]);
    expect(JSON.parse(readFileSync(summary, 'utf8')).cell).toBe('near/cell1');
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
    // A re-run with other parameters that fails leaves no stale summary behind.
    cpSync(d('all', 'near-cell1-1'), d('stale', 'near-cell1-1'), { recursive: true });
    const one = { ...e, inputs: [e.inputs[0]], steps: structuredClone(e.steps) };
    one.steps.movie.window = 5000;
    writeFileSync(d('sim', 'too-long.json'), JSON.stringify(one));
    const stale = await run(['batch', d('sim', 'too-long.json'), '--out', d('stale')]);
    expect(stale.code).toBe(3);
    expect(stale.err).toMatch(
      /near-cell1-1: FAILED, skipped: movie: the movie window \(5000\) is longer than the 1200 raw frames/,
    );
    expect(existsSync(d('stale', 'near-cell1-1', 'summary.json'))).toBe(false);
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

describe('evscope batch --step markers', () => {
  test('EV marker subtypes of simulated stacks enter the summary; known fractions come back', async () => {
    mkdirSync(d('mk'));
    for (const seed of [1, 2]) {
      const r = await run([
        'simulate',
        '--preset',
        'evMarkers',
        '--frames',
        '200',
        '--seed',
        String(seed),
        '--out',
        d('mk', `s${seed}`),
      ]);
      expect(r.code, r.err).toBe(0);
    }
    const channels = ['CD9', 'CD63', 'CD81'].map((name, channel) => ({
      channel,
      name,
      role: 'marker',
      threshold: 1,
    }));
    writeFileSync(
      d('mk', 'exp.json'),
      JSON.stringify({
        format: 'evscope-experiment',
        version: 1,
        inputs: [1, 2].map((k) => ({ id: `s${k}`, path: `s${k}.tif`, cell: `c${k}`, condition: 'A' })),
        steps: {
          markers: { channels: [...channels, { channel: 3, name: 'probe', role: 'probe', threshold: 1 }] },
        },
      }),
    );
    const r = await run(['batch', d('mk', 'exp.json'), '--out', d('mk', 'res')]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(d('mk', 'res', 's1', 'evs.csv'), 'utf8').split('\n').length).toBeGreaterThan(30);
    const agg = await run(['aggregate', d('mk', 'res'), '--out', d('mk', 'agg')]);
    expect(agg.code, agg.err).toBe(0);
    const cond = Object.fromEntries(
      csvRows(d('mk', 'agg', 'conditions.csv')).map((c) => [c.metric, Number(c.mean)]),
    );
    // The evMarkers preset: 40 % CD63-only EVs (probe mean 3), 60 % CD9+CD63+CD81+ (probe mean 9).
    expect(cond['markers.evs']).toBe(40);
    expect(cond['markers.fraction.CD63-only']).toBeGreaterThan(0.25);
    expect(cond['markers.fraction.CD63-only']).toBeLessThan(0.6);
    expect(cond['markers.fraction.CD9+CD63+CD81+']).toBeGreaterThan(0.4);
    expect(cond['markers.probeMean.CD9+CD63+CD81+']).toBeGreaterThan(2 * cond['markers.probeMean.CD63-only']);
  }, 300_000);
});

describe('evscope batch on a raw stack: localize → movie → tracks → coloc', () => {
  test('localizes the structure channel and tracks the EV channel of a simulated uptake stack', async () => {
    const p = presetParams('demo');
    p.width = 48;
    p.height = 48;
    p.frames = 600;
    p.drift = { speedXNmPerS: 0, speedYNmPerS: 0, wobbleAmplitudeNm: 0, wobblePeriodS: 20 };
    const sim = simulate(p);
    mkdirSync(d('stack'));
    await writeSimulatedTiff(d('stack', 'cell.tif'), sim);
    const structureEvents = sim.truth.events.columns.channel.filter((c) => c === 0).length;
    const evs = new Set(sim.truth.trajectories.ev).size;
    writeFileSync(
      d('stack', 'exp.json'),
      JSON.stringify({
        format: 'evscope-experiment',
        version: 1,
        inputs: [{ id: 'cell', path: 'cell.tif', cell: 'c1', condition: 'A' }],
        steps: {
          localize: { channel: 0, sigmaNm: 130 },
          movie: {
            window: 200,
            step: 20,
            renderPxNm: 20,
            sigma: { kind: 'precision', factor: 1, minNm: 5 },
            smoothSigmaPx: 1,
            threshold: { kind: 'otsu', sampleFrames: 10 },
            connectivity: 26,
          },
          tracks: {
            channel: 1,
            localize: { sigmaNm: 150, fitSigma: true, thresholdFactor: 2 },
            link: { maxLinkDistance: 200, maxGap: 2, autoRadius: true },
            filter: { minLength: 10, minMeanIntensity: 0 },
          },
          coloc: { permutations: 199, controlPerFrame: 20 },
        },
      }),
    );
    const r = await run(['batch', d('stack', 'exp.json'), '--out', d('stack', 'res'), '--threads', '1']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/cell: done \(localize, movie, tracks, coloc\)/);
    const s = JSON.parse(readFileSync(d('stack', 'res', 'cell', 'summary.json'), 'utf8'));
    // Emissions of one PALM molecule in consecutive frames are separate localizations.
    expect(s.metrics['locs.count']).toBeGreaterThan(0.6 * structureEvents);
    expect(s.metrics['locs.count']).toBeLessThan(1.2 * structureEvents);
    expect(s.metrics['tracks.count']).toBeGreaterThanOrEqual(evs / 2);
    expect(s.metrics['tracks.count']).toBeLessThanOrEqual(3 * evs);
    expect(s.metrics['structures.count']).toBeGreaterThan(0);
    expect(s.metrics['coloc.positions']).toBeGreaterThan(0);
    for (const f of ['locs.csv', 'mask.tif', 'labels.tif', 'tracks.csv', 'distances.csv', 'per_track.csv'])
      expect(statSync(d('stack', 'res', 'cell', f)).size, f).toBeGreaterThan(0);
  }, 300_000);
});
