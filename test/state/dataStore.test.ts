import { beforeEach, expect, test } from 'vitest';
import type { StackInfo } from '../../src/engine/stackService';
import { activeStack, dataStore, effectiveMeta } from '../../src/state/dataStore';

const info = (id: number, extra: Partial<StackInfo> = {}): StackInfo => ({
  id,
  name: `s${id}.tif`,
  files: [`s${id}.tif`],
  recipe: { kind: 'files', files: [] },
  width: 8,
  height: 8,
  frameCount: 3,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100, camera: { emGain: 300 } },
  ...extra,
});

const s = () => dataStore.getState();
beforeEach(() => dataStore.setState(dataStore.getInitialState(), true));

test('a new stack becomes the active one; closing it falls back to the last one left', () => {
  s().addStack(info(1));
  s().addStack(info(2));
  expect(activeStack(s())?.info.id).toBe(2);
  s().setActive(1);
  s().setActive(99);
  expect(s().activeId).toBe(1);
  s().removeStack(1);
  expect(s().activeId).toBe(2);
  s().removeStack(2);
  expect(s().activeId).toBeNull();
  expect(activeStack(s())).toBeNull();
});

test('user corrections override the file, and clearing one restores the file value', () => {
  s().addStack(info(1));
  s().setOverride(1, 'pixelSizeNm', 107);
  s().setOverride(1, 'offsetAdu', 400);
  const st = activeStack(s())!;
  expect(effectiveMeta(st)).toEqual({
    pixelSizeNm: 107,
    frameIntervalMs: undefined,
    offsetAdu: 400,
    electronsPerAdu: undefined,
    emGain: 300,
  });
  s().setOverride(1, 'pixelSizeNm', undefined);
  expect(effectiveMeta(activeStack(s())!).pixelSizeNm).toBe(100);
});
