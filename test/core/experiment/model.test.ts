import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ExperimentMovieParams, ExperimentTracksParams } from '../../../src/core/experiment/model';
import {
  activeInputs,
  compilePattern,
  EXPERIMENT_FORMAT,
  EXPERIMENT_VERSION,
  experimentFromPaths,
  experimentSectionSchema,
  inferInputs,
  inputIds,
  inputKind,
  parseExperiment,
  validateExperiment,
} from '../../../src/core/experiment/model';
import { Issues } from '../../../src/core/session/schema';
import type { MovieSettings, ThresholdChoice, TrackingRequest } from '../../../workers/tracks.api';
import { repoRoot } from '../../helpers/sharedData';

const base = {
  format: EXPERIMENT_FORMAT,
  version: EXPERIMENT_VERSION,
  inputs: [
    { id: 'b1', path: 'A/cell1_1.tif', cell: 'A/cell1', condition: 'A' },
    { id: 'a1', path: 'B/cell1_1.csv', cell: 'B/cell1', condition: 'B', excluded: false },
  ],
  steps: {
    movie: {
      window: 100,
      step: 10,
      renderPxNm: 20,
      sigma: { kind: 'fixed', nm: 20 },
      smoothSigmaPx: 1,
      threshold: { kind: 'otsu', sampleFrames: 5 },
      connectivity: 26,
    },
    coloc: { cutoff: 240, permutations: 999 },
    localize: { sigmaNm: 130 },
  },
};

describe('experiment file', () => {
  test('a valid document round-trips; inputs are used sorted by id', () => {
    const e = parseExperiment(JSON.stringify(base));
    expect(e.title).toBe('');
    expect(activeInputs(e).map((x) => x.id)).toEqual(['a1', 'b1']);
    expect(inputKind(e.inputs[0])).toBe('stack');
    expect(inputKind(e.inputs[1])).toBe('localizations');
  });

  test('every problem is reported with its path', () => {
    const bad = structuredClone(base) as Record<string, unknown> & typeof base;
    (bad.inputs[1] as { id: string }).id = 'b1';
    (bad.inputs[0] as Record<string, unknown>).colour = 'red';
    (bad.steps.movie as Record<string, unknown>).connectivity = 6;
    (bad.steps.coloc as Record<string, unknown>).movieFrames = 3;
    (bad.steps.localize as Record<string, unknown>).sigmaNm = -1;
    const r = validateExperiment(bad);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    expect(text).toMatch(/inputs\[0\]: unknown field "colour"/);
    expect(text).toMatch(/steps\.movie: movie\.connectivity must be 26 or 8/);
    expect(text).toMatch(/steps\.coloc: coloc\.movieFrames is set per input/);
    expect(text).toMatch(/steps\.localize: .*sigma/i);
    const dup = structuredClone(base);
    dup.inputs[1].id = 'b1';
    const r2 = validateExperiment(dup);
    expect(r2.ok ? '' : r2.errors.join()).toMatch(/inputs\[1\]\.id: "b1" is already the id of inputs\[0\]/);
  });

  test('not JSON, wrong format and bad ids are refused with a sentence', () => {
    expect(() => parseExperiment('{', 'x.json')).toThrow(/x\.json is not JSON/);
    expect(() => parseExperiment(JSON.stringify({ ...base, format: 'other' }))).toThrow(/format/);
    const badId = structuredClone(base);
    badId.inputs[0].id = '../etc';
    expect(() => parseExperiment(JSON.stringify(badId))).toThrow(/names a folder/);
  });
});

describe('cell and condition from file names', () => {
  const paths = [
    'data/ctrl/c1_000.tif',
    'data/ctrl/c1_001.tif',
    'data/ctrl/c2_000.tif',
    'data/inhib/c1_000.tif',
    'data/notes.txt',
  ];

  test('a template pattern', () => {
    const r = inferInputs(paths, '{condition}/{cell}_*.tif');
    expect(r.unmatched).toEqual(['data/notes.txt']);
    expect(r.inputs.map((x) => `${x.condition}|${x.cell}`)).toEqual([
      'ctrl|ctrl/c1',
      'ctrl|ctrl/c1',
      'ctrl|ctrl/c2',
      'inhib|inhib/c1',
    ]);
  });

  test('a regular expression with named groups; Windows separators', () => {
    const r = inferInputs(['x\\A-cellX-2.tif'], '/(?<condition>[AB])-(?<cell>cell\\w+)-\\d+\\.tif$/');
    expect(r.inputs).toEqual([{ path: 'x/A-cellX-2.tif', condition: 'A', cell: 'A/cellX' }]);
  });

  test('patterns without both fields are refused', () => {
    expect(() => compilePattern('{cell}.tif')).toThrow(/\{condition\}/);
    expect(() => compilePattern('/(?<cell>.+)/')).toThrow(/named groups/);
    expect(() => compilePattern('/(/')).toThrow(/regular expression/);
  });

  test('ids are file-name safe and unique', () => {
    expect(inputIds(['a/c 1.tif', 'b/c 1.tif', 'x/.hidden.tif'])).toEqual(['c_1', 'c_1-2', 'hidden']);
    const { experiment, unmatched } = experimentFromPaths(paths, '{condition}/{cell}_*.tif');
    expect(unmatched).toHaveLength(1);
    expect(validateExperiment(experiment).ok).toBe(true);
    expect(new Set(experiment.inputs.map((x) => x.id)).size).toBe(4);
  });
});

describe('the step parameters are the existing ones', () => {
  test('movie and tracks sections are assignable to and from the Tracks step types', () => {
    // Compile-time: a mismatch with workers/tracks.api.ts fails the typecheck of this file.
    const m = {} as ExperimentMovieParams;
    const asSettings: MovieSettings = m;
    const asThreshold: ThresholdChoice = m.threshold;
    const back: ExperimentMovieParams['threshold'] = {} as ThresholdChoice;
    const t = {} as ExperimentTracksParams;
    const link: TrackingRequest['link'] = t.link;
    const filter: TrackingRequest['filter'] = t.filter;
    const localize: TrackingRequest['localize'] = t.localize;
    expect([asSettings, asThreshold, back, link, filter, localize]).toHaveLength(6);
  });

  test('an experiment checks as a session section', () => {
    const ok = new Issues();
    expect(experimentSectionSchema(base, 'steps.experiment', ok)).toEqual(base);
    expect(ok.ok).toBe(true);
    const bad = new Issues();
    expect(experimentSectionSchema({ ...base, inputs: 3 }, 'steps.experiment', bad)).toBeUndefined();
    expect(bad.messages().join()).toMatch(/steps\.experiment: inputs: expected a list, got 3/);
  });
});

test("the README's experiment example is a valid experiment", () => {
  const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Experiments'));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  expect(json).toBeDefined();
  const e = parseExperiment(json!, 'README');
  expect(e.inputs.map((x) => inputKind(x))).toEqual(['stack', 'localizations']);
});

describe('the calcium step in an experiment file', () => {
  const withCalcium = (calcium: unknown) => ({ ...base, steps: { calcium } });

  test("the Ca²⁺ step's own parameters are accepted, with the indicator channel", () => {
    const calcium = {
      addFrame: 30,
      baselineStart: 5,
      baselineEnd: 30,
      k: 2.5,
      minFrames: 4,
      bleach: 'exp',
      refractoryFrames: 5,
      segment: { smoothSigmaPx: 1, method: 'otsu', minAreaPx: 30, splitTouching: false },
      background: { marginPx: 4, percentile: 10 },
      meanFrames: 50,
      channel: 1,
    };
    const e = parseExperiment(JSON.stringify(withCalcium(calcium)));
    expect(e.steps.calcium).toEqual(calcium);
    expect(parseExperiment(JSON.stringify(withCalcium({ addFrame: 3 }))).steps.calcium).toEqual({
      addFrame: 3,
    });
  });

  test('every problem is named: a misspelt key does not fall back to a default', () => {
    const r = validateExperiment(
      withCalcium({
        addframe: 30,
        baselineEnd: 40,
        segment: { method: 'li', hPx: -1 },
        background: { percentile: 0 },
        channel: -1,
      }),
    );
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    expect(text).toMatch(/steps\.calcium.*calcium: unknown field "addframe" \(addFrame\?\)/);
    expect(text).toMatch(/calcium\.addFrame is required/);
    expect(text).toMatch(/calcium\.segment\.method: "li" is not one of "triangle", "otsu"/);
    expect(text).toMatch(/calcium\.segment\.hPx: -1 is below the minimum 0 \(allowed 0–10000 px\)/);
    expect(text).toMatch(/calcium\.background\.percentile: 0 is below .*\(allowed > 0 and ≤ 100 %\)/);
  });

  test('frame checks that need no stack are made when the file is read', () => {
    const bad = (c: object) => {
      const r = validateExperiment(withCalcium(c));
      return r.ok ? '' : r.errors.join('\n');
    };
    expect(bad({ addFrame: 30, baselineStart: 10, baselineEnd: 40 })).toMatch(
      /baseline must be whole frames within 0–30/,
    );
    expect(bad({ addFrame: 30, baselineStart: 28 })).toMatch(/baseline needs at least 3 frames/);
    expect(bad({ addFrame: 0 })).toMatch(
      /calcium\.addFrame: 0 is below the minimum 1 \(allowed 1–2147483648 frames \(0-based\)\)/,
    );
    expect(bad({ addFrame: 30, bleach: 'linear' })).toMatch(
      /calcium\.bleach: "linear" is not one of "none", "exp"/,
    );
    expect(bad({ addFrame: 30, channel: 0.5 })).toMatch(/calcium\.channel must be a 0-based channel/);
    expect(bad({ addFrame: 30, k: '3' })).toMatch(/calcium\.k: expected a number, got "3"/);
    expect(bad({ addFrame: 30, frameIntervalS: 0 })).toMatch(
      /calcium\.frameIntervalS: 0 is below .*\(allowed > 0 and ≤ 1000000 s\)/,
    );
  });
});
