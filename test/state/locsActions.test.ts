import { beforeEach, expect, test } from 'vitest';
import type { StackInfo } from '../../src/engine/stackService';
import { dataStore } from '../../src/state/dataStore';
import { createLocsActions } from '../../src/state/locsActions';
import { locsStore } from '../../src/state/locsStore';
import { uiStore } from '../../src/state/uiStore';
import { createRenderApi } from '../../workers/render.api';

// The worker's own API, called in-process.
const worker = createRenderApi();
const io = {
  parseCsv: worker.parseCsv,
  parseLocalizationFile: worker.parseLocalizationFile,
  exportCsv: async () => 'csv',
};

const stack7: StackInfo = {
  id: 7,
  name: 'cell.tif',
  files: ['cell.tif'],
  recipe: { kind: 'files', files: [] },
  width: 8,
  height: 8,
  frameCount: 3,
  channels: 1,
  dtype: 'uint16',
  meta: { flavour: 'multipage', byteOrder: 'little', pixelSizeNm: 100 },
};

beforeEach(() => {
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  locsStore.getState().clear();
  uiStore.setState({ notices: [] });
  dataStore.getState().addStack(stack7);
});

test('an imported CSV replaces the localizations and belongs to the active stack', async () => {
  const a = createLocsActions(io);
  const n = await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,10,20\n2,30,40\n']), 'a.csv');
  expect(n).toEqual({ count: 2, warnings: [] });
  expect(uiStore.getState().notices).toEqual([]);
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

test('importFiles reads any supported format and the notice names the format and the count', async () => {
  const a = createLocsActions(io);
  const rapid =
    '# <localizations insequence="true" repetitions="variable"><field identifier="Position-0-0" syntax="floating point with . for decimals and optional scientific e-notation" semantic="position in sample space in X" unit="nanometer" min="0 m" max="3.6e-05 m" /><field identifier="Position-1-0" syntax="floating point with . for decimals and optional scientific e-notation" semantic="position in sample space in Y" unit="nanometer" min="0 m" max="3.6e-05 m" /><field identifier="ImageNumber-0-0" syntax="integer" semantic="frame number" unit="frame" min="0 fr" /><field identifier="Amplitude-0-0" syntax="floating point with . for decimals and optional scientific e-notation" semantic="emission strength" unit="A/D count" /></localizations>\n100.5 200.5 0 1000\n300 400 1 2000\n';
  const n = await a.importFiles([{ name: 'run.txt', blob: new Blob([rapid]) }]);
  expect(n).toBe(2);
  expect(locsStore.getState().count).toBe(2);
  expect(locsStore.getState().params).toMatchObject({ source: 'run.txt', format: 'rapidSTORM' });
  const [notice] = uiStore.getState().notices;
  expect(notice.kind).toBe('info');
  expect(notice.title).toBe('2 localizations from run.txt');
  expect(notice.message).toContain('rapidSTORM');
});

test('a Picasso HDF5 without its YAML is refused with what to select, and the store is untouched', async () => {
  const a = createLocsActions(io);
  await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,10,20\n']), 'keep.csv');
  uiStore.setState({ notices: [] });
  const hdf5Magic = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  expect(await a.importFiles([{ name: 'movie_locs.hdf5', blob: new Blob([hdf5Magic]) }])).toBeNull();
  expect(locsStore.getState().params).toEqual({ source: 'keep.csv' });
  const [notice] = uiStore.getState().notices;
  expect(notice.kind).toBe('error');
  expect(notice.message).toMatch(
    /movie_locs\.hdf5: Picasso HDF5 needs its \.yaml \(pixel size\) — select both files/,
  );
  expect(await a.importFiles([{ name: 'movie_locs.yaml', blob: new Blob(['Pixelsize: 130\n']) }])).toBeNull();
  expect(uiStore.getState().notices[1].message).toMatch(/movie_locs\.yaml: .*select the \.hdf5/);
});

const CSV = '"frame","x [nm]","y [nm]"\n1,10,20\n2,30,40\n3,50,60\n';

test('with no stack open, an imported table becomes an input of its own, and a stack opened later does not inherit it', async () => {
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  const a = createLocsActions(io);
  expect((await a.importCsv(new Blob([CSV]), 'tubulins.csv'))?.count).toBe(3);
  const table = dataStore.getState().tables[0];
  expect(table).toMatchObject({ name: 'tubulins.csv', count: 3 });
  expect(dataStore.getState().activeId).toBe(table.id);
  expect(locsStore.getState().stackId).toBe(table.id);
  dataStore.getState().addStack(stack7);
  expect(locsStore.getState().count).toBe(0);
  dataStore.getState().setActive(table.id);
  expect(locsStore.getState().count).toBe(3);
});

test('"as a table" adds the file as its own input and leaves the stack and its localizations alone', async () => {
  const a = createLocsActions(io);
  await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,10,20\n']), 'stack.csv');
  expect(await a.importFiles([{ name: 'other.csv', blob: new Blob([CSV]) }], true)).toBe(3);
  const table = dataStore.getState().tables[0];
  expect(dataStore.getState().stacks).toHaveLength(1);
  expect(locsStore.getState()).toMatchObject({ stackId: table.id, count: 3 });
  dataStore.getState().setActive(7);
  expect(locsStore.getState()).toMatchObject({ stackId: 7, count: 1 });
});

test('rows the CSV reader leaves out reach the notice and the caller (the scripting return value)', async () => {
  const a = createLocsActions(io);
  const text = [
    '"frame","x [nm]","y [nm]"',
    '1,10,20',
    '2,NaN,40',
    '3,Infinity,40',
    '4,1e400,40',
    '5,0x10,40',
    '6,50,60',
  ].join('\n');
  const r = await a.importCsv(new Blob([text]), 'hostile.csv');
  expect(r?.count).toBe(2);
  expect(locsStore.getState().count).toBe(2);
  // The reader's own words, so the import path cannot drift from "Open localizations…".
  const { warnings } = await worker.parseCsv(text, 'hostile.csv');
  expect(warnings.length).toBeGreaterThan(0);
  expect(r?.warnings).toEqual(warnings);
  // Each of the four bad lines is named (line 1 is the header).
  expect(warnings.join(' ')).toMatch(/line 3\b/);
  expect(warnings.join(' ')).toMatch(/lines 4, 5, 6\b/);
  const [notice] = uiStore.getState().notices;
  expect(notice.kind).toBe('warning');
  expect(notice.title).toBe('2 localizations from hostile.csv');
  for (const w of warnings) expect(notice.message).toContain(w);
});

test('a CSV whose every row is left out says why instead of "no rows"', async () => {
  const a = createLocsActions(io);
  const r = await a.importCsv(new Blob(['"frame","x [nm]","y [nm]"\n1,NaN,20\n']), 'allbad.csv');
  expect(r).toBeNull();
  const [notice] = uiStore.getState().notices;
  expect(notice.kind).toBe('warning');
  expect(notice.message).not.toContain('header but no rows');
  expect(notice.message).toMatch(/NaN|not a number|non-finite|left out/i);
});
