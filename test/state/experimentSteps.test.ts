// The panels' parameters become the experiment's step parameters: the result must be a valid
// experiment file section (so it saves in a session and runs in `evscope batch` alike), carry the
// user's settings, and leave pixel size to each input.
import { expect, test } from 'vitest';
import { validateExperiment } from '../../src/core/experiment/model';
import { dataStore } from '../../src/state/dataStore';
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
