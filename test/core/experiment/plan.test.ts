import { describe, expect, test } from 'vitest';
import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION, type Experiment } from '../../../src/core/experiment/model';
import {
  canonicalJson,
  inputParamsHash,
  parseShard,
  shardInputs,
  stepsFor,
} from '../../../src/core/experiment/plan';
import { simulatedExperimentSteps } from '../../../src/core/sim/experiment';

function exp(n: number): Experiment {
  return {
    format: EXPERIMENT_FORMAT,
    version: EXPERIMENT_VERSION,
    title: '',
    inputs: Array.from({ length: n }, (_, k) => ({
      id: `in${String(n - k).padStart(2, '0')}`,
      path: `c/x${k}.csv`,
      cell: `cell${k % 3}`,
      condition: k % 2 ? 'A' : 'B',
      files: { tracks: `c/t${k}.csv` },
      excluded: k === 4,
    })),
    steps: simulatedExperimentSteps(),
  };
}

describe('shards', () => {
  test('shards partition the active inputs, deterministically, by position in id order', () => {
    const e = exp(11);
    const all = shardInputs(e, 0, 1).map((x) => x.id);
    expect(all).toHaveLength(10);
    expect(all).toEqual([...all].sort());
    const parts = [0, 1, 2, 3].map((i) => shardInputs(e, i, 4).map((x) => x.id));
    expect(parts.flat().sort()).toEqual(all);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 2, 2]);
    expect(parts[1]).toEqual([all[1], all[5], all[9]]);
    // The order of inputs in the file does not matter.
    const shuffled = { ...e, inputs: [...e.inputs].reverse() };
    expect(shardInputs(shuffled, 1, 4).map((x) => x.id)).toEqual(parts[1]);
  });

  test('--shard text', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1', '-1/4', '1/0', 'a/b']) expect(() => parseShard(bad)).toThrow(/I\/N/);
  });
});

describe('steps and the parameters hash', () => {
  test('steps that cannot run on an input say why', () => {
    const e = exp(2);
    expect(stepsFor(e, e.inputs[0]).run).toEqual(['movie', 'tracks', 'coloc']);
    expect(stepsFor(e, e.inputs[0]).problems).toEqual([
      'step "localize" was asked for but the experiment has no "localize" parameters',
      'step "markers" was asked for but the experiment has no "markers" parameters',
      'step "calcium" was asked for but the experiment has no "calcium" parameters',
    ]);
    const ca: Experiment = { ...e, steps: { ...e.steps, calcium: { addFrame: 10 } } };
    expect(stepsFor(ca, e.inputs[0], ['calcium']).problems).toEqual([
      'step "calcium" needs a stack (a Ca²⁺-indicator time-lapse), not a localization table',
    ]);
    const movie = { ...e.inputs[0], path: 'c/x0.tif', files: undefined };
    expect(stepsFor(ca, movie, ['calcium'])).toEqual({ run: ['calcium'], problems: [] });
    const noTracks = { ...e.inputs[0], files: undefined };
    expect(stepsFor(e, noTracks, ['movie', 'tracks', 'coloc']).problems.join()).toMatch(
      /needs files\.tracks/,
    );
    expect(stepsFor(e, e.inputs[0], ['coloc']).problems.join()).toMatch(
      /coloc" needs the "movie" and "tracks"/,
    );
  });

  test('the hash follows parameters and file contents, not labels or key order', () => {
    const e = exp(1);
    const x = e.inputs[0];
    const steps = ['movie', 'tracks', 'coloc'] as const;
    const h = inputParamsHash(e, x, [...steps], { path: 'evfp1:1' });
    expect(inputParamsHash(e, { ...x, cell: 'other', condition: 'Z' }, [...steps], { path: 'evfp1:1' })).toBe(
      h,
    );
    expect(inputParamsHash(e, x, [...steps], { path: 'evfp1:2' })).not.toBe(h);
    const changed = structuredClone(e);
    changed.steps.coloc!.cutoff = 200;
    expect(inputParamsHash(changed, x, [...steps], { path: 'evfp1:1' })).not.toBe(h);
    // A step that does not run does not matter.
    expect(inputParamsHash(changed, x, ['movie'], { path: 'evfp1:1' })).toBe(
      inputParamsHash(e, x, ['movie'], { path: 'evfp1:1' }),
    );
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  });
});
