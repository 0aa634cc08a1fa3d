import { beforeEach, expect, test } from 'vitest';
import type { OpenOutcome, StackInfo, StackService } from '../../src/engine/stackService';
import { makeDataActions } from '../../src/state/dataActions';
import { activeStack, dataStore } from '../../src/state/dataStore';
import { uiStore } from '../../src/state/uiStore';
import { viewerStore } from '../../src/state/viewerStore';

let nextId = 1;
const info = (name: string, channels = 1): StackInfo => ({
  id: nextId++,
  name,
  files: [name],
  recipe: { kind: 'files', files: [] },
  width: 8,
  height: 8,
  frameCount: 5,
  channels,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little' },
});

/** Opens anything except files named bad*, and counts what it was asked. */
function fakeService() {
  const calls: string[] = [];
  const outcome = (names: string[], channels = 1): OpenOutcome =>
    names.some((n) => n.startsWith('bad'))
      ? { ok: false, fileName: names[0], reason: 'not a TIFF file' }
      : { ok: true, info: info(names.join('+'), channels) };
  const service = {
    open: async (files: { name: string }[]) => {
      calls.push('open');
      return outcome(files.map((f) => f.name));
    },
    addChannel: async (_: number, files: { name: string }[]) => {
      calls.push('addChannel');
      return outcome(
        files.map((f) => f.name),
        2,
      );
    },
    splitDualView: async () =>
      ({ ok: false, fileName: 'x', reason: 'opening was cancelled', cancelled: true }) as OpenOutcome,
    cancel: () => {},
    close: () => calls.push('close'),
  };
  return { service: service as unknown as StackService, calls };
}

const file = (name: string) => new File([new Uint8Array(4)], name);

beforeEach(() => {
  dataStore.setState(dataStore.getInitialState(), true);
  uiStore.setState(uiStore.getInitialState(), true);
  viewerStore.setState(viewerStore.getInitialState(), true);
});

test('a failed open names the file in a notice and keeps what was loaded', async () => {
  const { service } = fakeService();
  const a = makeDataActions(service);
  expect(await a.openFiles([file('good.tif')])).toBe(true);
  expect(viewerStore.getState().frameCount).toBe(5);
  expect(await a.openFiles([file('bad.tif')])).toBe(false);
  expect(uiStore.getState().notices).toMatchObject([
    { kind: 'error', title: 'Could not open bad.tif', message: 'not a TIFF file' },
  ]);
  expect(activeStack(dataStore.getState())?.info.name).toBe('good.tif');
  expect(dataStore.getState().loading).toBeNull();
});

test('a second channel keeps the user’s metadata corrections and becomes the shown stack', async () => {
  const { service } = fakeService();
  const a = makeDataActions(service);
  await a.openFiles([file('g.tif')]);
  const base = activeStack(dataStore.getState())!;
  dataStore.getState().setOverride(base.info.id, 'pixelSizeNm', 107);
  expect(await a.addChannel([file('m.tif')])).toBe(true);
  const derived = activeStack(dataStore.getState())!;
  expect(derived.info.channels).toBe(2);
  expect(derived.overrides).toEqual({ pixelSizeNm: 107 });
  expect(viewerStore.getState().layout).toBe('overlay');
});

test('a cancelled open is not reported as an error', async () => {
  const { service } = fakeService();
  const a = makeDataActions(service);
  await a.openFiles([file('g.tif')]);
  expect(await a.splitDualView('left-right')).toBe(false);
  expect(uiStore.getState().notices).toEqual([]);
});

test('closing the shown stack shows the one left; closing the last empties the viewer', async () => {
  const { service, calls } = fakeService();
  const a = makeDataActions(service);
  await a.openFiles([file('one.tif')]);
  await a.openFiles([file('two.tif')]);
  a.close(dataStore.getState().activeId!);
  expect(activeStack(dataStore.getState())?.info.name).toBe('one.tif');
  a.close(dataStore.getState().activeId!);
  expect(dataStore.getState().stacks).toEqual([]);
  expect(viewerStore.getState().frameCount).toBe(0);
  expect(calls.filter((c) => c === 'close')).toHaveLength(2);
});
