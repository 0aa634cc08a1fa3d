import { beforeEach, expect, test } from 'vitest';
import { readThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { dataStore } from '../../src/state/dataStore';
import { createLocsActions } from '../../src/state/locsActions';
import { locsStore } from '../../src/state/locsStore';
import { uiStore } from '../../src/state/uiStore';

// The worker is faked by the same parser it runs, called asynchronously.
const io = {
  parseCsv: async (src: Blob | string, name: string) =>
    readThunderstormCsv(typeof src === 'string' ? src : await src.text(), { fileName: name }).table,
  exportCsv: async () => 'csv',
};

beforeEach(() => {
  locsStore.getState().clear();
  uiStore.setState({ notices: [] });
  dataStore.setState({ activeId: 7 });
});

test('an imported CSV replaces the localizations and belongs to the active stack', async () => {
  const a = createLocsActions(io);
  const n = await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,10,20\n2,30,40\n']), 'a.csv');
  expect(n).toBe(2);
  const s = locsStore.getState();
  expect(s.count).toBe(2);
  expect(s.stackId).toBe(7);
  expect(s.status).toBe('done');
  expect(s.params).toEqual({ source: 'a.csv' });
  expect(await a.exportCsv()).toBe('csv');
});

test('a malformed CSV leaves the store alone and says which file, line and column', async () => {
  const a = createLocsActions(io);
  await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,10,20\n2,abc,40\n']), 'bad.csv');
  expect(locsStore.getState().count).toBe(0);
  const [notice] = uiStore.getState().notices;
  expect(notice.kind).toBe('error');
  expect(notice.title).toContain('bad.csv');
  expect(notice.message).toMatch(/line 3/);
  expect(notice.message).toMatch(/column 2/);
});

test('exporting with nothing loaded warns instead of writing an empty file', async () => {
  const a = createLocsActions(io);
  expect(await a.exportCsv()).toBeNull();
  expect(uiStore.getState().notices[0].kind).toBe('warning');
});
