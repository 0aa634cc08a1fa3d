// The panels' parameters become the experiment's step parameters: the result must be a valid
// experiment file section (so it saves in a session and runs in `evscope batch` alike), carry the
// user's settings, and leave pixel size to each input.
import { expect, test } from 'vitest';
import { type ExperimentSteps, validateExperiment } from '../../src/core/experiment/model';
import { calciumStore } from '../../src/state/calciumStore';
import { dataStore } from '../../src/state/dataStore';
import { stepProblems } from '../../src/state/experimentPipeline';
import { stepsFromPanels } from '../../src/state/experimentSteps';
import { localizeParamsStore } from '../../src/state/localizeParamsStore';
import { postStore } from '../../src/state/postStore';

test('panel settings make valid experiment steps, with the user’s values and no fixed pixel size', () => {
  dataStore.setState({ stacks: [], activeId: null, loading: null });
  localizeParamsStore.getState().set({ thresholdFactor: 1.7, sigmaNm: 140 });
  postStore
    .getState()
    .setSteps([
      { kind: 'filter', expression: 'photons > 300' } as never,
      { kind: 'region', region: { kind: 'rect', x0: 0, y0: 0, x1: 10, y1: 10 } } as never,
    ]);
  const steps = stepsFromPanels(['localize', 'post', 'movie', 'tracks', 'coloc']);
  const v = validateExperiment({
    format: 'evscope-experiment',
    version: 1,
    inputs: [{ id: 'a', path: 'a.tif', cell: 'c', condition: 'k' }],
    steps,
  });
  expect(v.ok ? [] : v.errors).toEqual([]);
  expect(steps.localize).toMatchObject({ thresholdFactor: 1.7, sigmaNm: 140, channel: 0 });
  expect(steps.localize).not.toHaveProperty('pixelSizeNm');
  // A region drawn on one input's reconstruction is not applied to the others.
  expect(steps.post).toEqual([{ kind: 'filter', expression: 'photons > 300' }]);
  expect(steps.movie).toMatchObject({ window: 1002, step: 6, connectivity: 26 });
  expect(steps.tracks?.link).toEqual({ maxLinkDistance: 200, maxGap: 2 });
  expect(steps.coloc).toMatchObject({ cutoff: 240 });
  expect(stepsFromPanels(['movie'])).toEqual({ movie: steps.movie });
});

test('step problems depend on the inputs: tables need no Localize step, stacks do; markers need stacks', () => {
  const steps = stepsFromPanels(['movie', 'tracks', 'coloc']);
  const table = { id: 't', path: 'near/c1_1_locs.csv', cell: 'c1', condition: 'near' };
  const stack = { id: 's', path: 'near/c2_1.tif', cell: 'c2', condition: 'near' };
  // The simulated demo: localization tables through movie → tracks → distances.
  expect(stepProblems(steps, [table])).toEqual([]);
  expect(stepProblems(steps, [table, stack]).join(' ')).toMatch(/Movie step needs localizations/);
  // An excluded stack does not count.
  expect(stepProblems(steps, [table, { ...stack, excluded: true }])).toEqual([]);
  expect(stepProblems(stepsFromPanels(['coloc']), [table]).join(' ')).toMatch(/Distances need/);
  expect(stepProblems({}, [table])).toEqual(['No step is set: choose at least one step to run.']);
  // EV markers run on stacks in the browser batch; on tables alone there is nothing to count.
  // (Only whether the step is set matters here; the panel needs a stack to fill its parameters.)
  const withMarkers: ExperimentSteps = {
    ...stepsFromPanels(['localize', 'movie', 'tracks', 'coloc']),
    markers: {} as NonNullable<ExperimentSteps['markers']>,
  };
  expect(stepProblems(withMarkers, [stack])).toEqual([]);
  expect(stepProblems(withMarkers, [table]).join(' ')).toMatch(/EV markers count molecules in stacks/);
});

test('the Ca²⁺ panel’s parameters become a valid calcium step; frame interval and cells stay per input', () => {
  calciumStore.getState().clear();
  // No stack on screen: the panel has no addition frame, so there is no step to take.
  expect(stepsFromPanels(['calcium'])).toEqual({});
  calciumStore.getState().forStack({
    id: 7,
    width: 64,
    height: 64,
    frameCount: 200,
    meta: { frameIntervalMs: 250 },
    recipe: { kind: 'files', files: [] },
  } as never);
  calciumStore.getState().setParams({ addFrame: 40, k: 2.5, bleach: 'exp', minAreaPx: 35, channel: 1 });
  const steps = stepsFromPanels(['calcium']);
  expect(steps.calcium).toMatchObject({
    addFrame: 40,
    baselineStart: 0,
    baselineEnd: 40,
    k: 2.5,
    bleach: 'exp',
    channel: 1,
    segment: { minAreaPx: 35, method: 'triangle' },
  });
  expect(steps.calcium).not.toHaveProperty('frameIntervalS');
  const v = validateExperiment({
    format: 'evscope-experiment',
    version: 1,
    inputs: [{ id: 'a', path: 'a.tif', cell: 'c', condition: 'k' }],
    steps,
  });
  expect(v.ok ? [] : v.errors).toEqual([]);
  const table = { id: 't', path: 'A/c1_locs.csv', cell: 'c1', condition: 'A' };
  expect(stepProblems(steps, [table]).join(' ')).toMatch(/Ca²⁺ responses are measured in stacks/);
  expect(stepProblems(steps, [{ ...table, path: 'A/c1.tif' }])).toEqual([]);
  calciumStore.getState().clear();
});
