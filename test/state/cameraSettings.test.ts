import { beforeEach, expect, test } from 'vitest';
import type { StackInfo } from '../../src/engine/stackService';
import { cameraReport, setCamera } from '../../src/state/cameraSettings';
import { activeStack, dataStore, effectiveCameraKind, effectiveMeta } from '../../src/state/dataStore';

const info: StackInfo = {
  id: 1,
  name: 'cells.tif',
  files: ['cells.tif'],
  recipe: { kind: 'files', files: [] },
  width: 8,
  height: 8,
  frameCount: 3,
  channels: 1,
  dtype: 'uint16',
  // The file states a pixel size and an EM gain, nothing else.
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 160, camera: { emGain: 300 } },
};

beforeEach(() => dataStore.setState(dataStore.getInitialState(), true));

test('camera() says which values come from the file and which are only assumed', () => {
  expect(cameraReport()).toBeNull();
  expect(() => setCamera({ offset: 100 })).toThrow(/no stack is open/);
  dataStore.getState().addStack(info);
  const r = cameraReport()!;
  expect(r.pixelNm).toEqual({ value: 160, source: 'file' });
  expect(r.emGain).toEqual({ value: 300, source: 'file' });
  expect(r.offset).toEqual({ value: 0, source: 'assumed' });
  expect(r.frameIntervalMs).toEqual({ value: 5, source: 'assumed' });
  expect(r.assumed.sort()).toEqual(['frameIntervalMs', 'gain', 'kind', 'offset']);
});

test('setCamera records overrides the analyses read; null restores the file; bad input changes nothing', () => {
  dataStore.getState().addStack(info);
  const r = setCamera({ offset: 100, gain: 12, kind: 'emccd', pixelNm: 107 });
  expect(r.offset).toEqual({ value: 100, source: 'set' });
  expect(r.assumed).toEqual(['frameIntervalMs']);
  const st = activeStack(dataStore.getState())!;
  expect(effectiveMeta(st)).toMatchObject({ offsetAdu: 100, electronsPerAdu: 12, pixelSizeNm: 107 });
  expect(effectiveCameraKind(st)).toBe('emccd');
  expect(setCamera({ pixelNm: null }).pixelNm).toEqual({ value: 160, source: 'file' });
  expect(() => setCamera({ offset: 50, gain: 0 })).toThrow(/gain must be > 0/);
  expect(() => setCamera({ emGain: 0.5 })).toThrow(/emGain must be ≥ 1/);
  expect(() => setCamera({ kind: 'cmos' as never })).toThrow(/kind must be ccd, emccd, scmos/);
  expect(() => setCamera({ offest: 3 } as never)).toThrow(/unknown camera setting "offest"/);
  // The rejected patches left the offset alone.
  expect(cameraReport()!.offset.value).toBe(100);
});
