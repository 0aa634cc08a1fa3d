import { beforeEach, expect, test } from 'vitest';
import type { PostStep } from '../../src/core/locs/pipeline';
import { MAX_HISTORY, postStore } from '../../src/state/postStore';

const merge: PostStep = { kind: 'merge', radiusNm: 50, maxGapFrames: 1 };
const filter: PostStep = { kind: 'filter', expression: 'photons > 500' };

beforeEach(() => postStore.setState({ steps: [], past: [], future: [] }));

test('every edit is one undo step; undo and redo walk the history; a new edit clears redo', () => {
  const p = () => postStore.getState();
  p().addStep(merge);
  p().addStep(filter);
  p().updateStep(1, { kind: 'filter', expression: 'photons > 900' });
  p().toggleStep(0);
  expect(p().steps[0].enabled).toBe(false);
  p().undo();
  expect(p().steps[0].enabled).toBeUndefined();
  p().undo();
  expect(p().steps[1]).toEqual(filter);
  p().undo();
  expect(p().steps).toEqual([merge]);
  p().redo();
  expect(p().steps).toEqual([merge, filter]);
  p().removeStep(0);
  expect(p().steps).toEqual([filter]);
  expect(p().future).toEqual([]);
  p().redo(); // nothing to redo
  expect(p().steps).toEqual([filter]);
});

test('moving swaps neighbours and ignores moves past either end', () => {
  const p = () => postStore.getState();
  p().setSteps([merge, filter]);
  p().moveStep(0, -1);
  expect(p().steps).toEqual([merge, filter]);
  p().moveStep(0, 1);
  expect(p().steps).toEqual([filter, merge]);
  p().undo();
  expect(p().steps).toEqual([merge, filter]);
});

test('history is bounded', () => {
  for (let i = 0; i < MAX_HISTORY + 20; i++) postStore.getState().setSteps([{ ...merge, radiusNm: i + 1 }]);
  expect(postStore.getState().past.length).toBe(MAX_HISTORY);
});
