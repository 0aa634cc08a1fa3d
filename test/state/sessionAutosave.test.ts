// Autosave timing (2 s after the last change, never more than 10 s behind a stream of changes,
// nothing when nothing changed) and review mode forking on a parameter change.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';

const saves: { id: string; at: number; rows: number; tables: Record<string, number> }[] = [];
vi.mock('../../src/engine/sessionService', () => ({
  sessionWorker: () => ({
    autosave: async (id: string, _s: unknown, tables: { id: string; length: number }[]) => {
      const all = Object.fromEntries(tables.map((t) => [t.id, t.length]));
      saves.push({ id, at: Date.now(), rows: tables[0]?.length ?? 0, tables: all });
      return { stored: 1234, written: 1234, keys: [] };
    },
    listAutosaves: async () => [],
  }),
  fingerprintBlob: async () => null,
}));

const { allocColumn } = await import('../../src/core/locs/table');
const {
  AUTOSAVE_DEBOUNCE_MS,
  AUTOSAVE_FIRST_CHECKPOINT_MS,
  AUTOSAVE_MAX_WAIT_MS,
  forkSession,
  startAutosave,
} = await import('../../src/state/sessionActions');
const { sessionStore } = await import('../../src/state/sessionStore');
const { locsOf, locsStore } = await import('../../src/state/locsStore');
const { dataStore } = await import('../../src/state/dataStore');
const { postStore } = await import('../../src/state/postStore');
const { localizeParamsStore } = await import('../../src/state/localizeParamsStore');

let stop: () => void;
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  saves.length = 0;
  stop = startAutosave();
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

const addRows = (n: number) =>
  locsStore.getState().append({ length: n, columns: { x: allocColumn('f64', n) } });
const settle = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
};

test('saves 2 s after the last change, at most 10 s behind a stream of changes, never twice the same', async () => {
  // Rows arriving outside a run (an import): the plain debounce applies.
  locsStore.getState().clear();
  addRows(10);
  await settle(AUTOSAVE_DEBOUNCE_MS - 100);
  expect(saves).toEqual([]);
  await settle(200);
  expect(saves.map((s) => s.rows)).toEqual([10]);

  // A chunk every second for 15 s: the debounce alone would never fire.
  const t0 = Date.now();
  for (let i = 0; i < 15; i++) {
    addRows(1);
    await settle(1000);
  }
  expect(saves.length).toBe(2);
  expect(saves[1].at - t0).toBeLessThanOrEqual(AUTOSAVE_MAX_WAIT_MS);
  await settle(AUTOSAVE_DEBOUNCE_MS + 100);
  expect(saves.at(-1)!.rows).toBe(25);
  const n = saves.length;
  // A change that changes nothing saved does not write again.
  postStore.getState().setSteps([]);
  await settle(AUTOSAVE_DEBOUNCE_MS + 100);
  expect(saves.length).toBe(n);
  expect(sessionStore.getState().autosave).toMatchObject({ state: 'saved', bytes: 1234 });
});

test('in review mode an analysis parameter change forks an editable copy with a new identity', async () => {
  sessionStore.getState().set({ mode: 'review', sourceName: 'received.smlm', title: '' });
  const id = sessionStore.getState().id;
  localizeParamsStore.getState().set({ thresholdFactor: 2.5 });
  const s = sessionStore.getState();
  expect(s.mode).toBe('edit');
  expect(s.id).not.toBe(id);
  expect(s.title).toBe('received (copy)');
  forkSession(); // already editable: nothing happens
  expect(sessionStore.getState().id).toBe(s.id);
});

test('in review mode choosing another input (its own post steps) does not fork; editing them does', async () => {
  const stack = (id: number) =>
    ({
      id,
      name: `r${id}.tif`,
      files: [],
      recipe: { kind: 'files', files: [] },
      width: 8,
      height: 8,
      frameCount: 4,
      channels: 1,
      dtype: 'uint16',
      meta: { flavour: 'multipage', byteOrder: 'little' },
    }) as never;
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  dataStore.getState().addStack(stack(81));
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 100' } as never]);
  dataStore.getState().addStack(stack(82));
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 300' } as never]);
  sessionStore.getState().set({ mode: 'review', sourceName: 'two.smlm', title: '' });
  dataStore.getState().setActive(81);
  dataStore.getState().setActive(82);
  expect(sessionStore.getState().mode).toBe('review');
  postStore.getState().setSteps([{ kind: 'filter', expression: 'photons > 400' } as never]);
  expect(sessionStore.getState().mode).toBe('edit');
  dataStore.setState({ stacks: [], tables: [], activeId: null });
});

test('a run that starts is checkpointed within a second, then saved at the usual cadence', async () => {
  locsStore.getState().clear();
  await settle(AUTOSAVE_DEBOUNCE_MS + 100);
  const before = saves.length;
  locsStore.getState().startRun(1, { source: 'test' }, 100);
  // Chunks every 300 ms: without the checkpoint the first save would wait the full 10 s.
  const t0 = Date.now();
  for (let i = 0; i < 4; i++) {
    addRows(5);
    await settle(300);
  }
  expect(saves.length).toBe(before + 1);
  expect(saves.at(-1)!.at - t0).toBeLessThanOrEqual(AUTOSAVE_FIRST_CHECKPOINT_MS);
  expect(saves.at(-1)!.rows).toBeGreaterThan(0);
  // Afterwards the stream is saved at most 10 s behind, not every second.
  for (let i = 0; i < 12; i++) {
    addRows(1);
    await settle(1000);
  }
  expect(saves.length).toBe(before + 2);
});

test('in review mode running Localize forks an editable copy before the new results land', async () => {
  locsStore.getState().clear();
  sessionStore.getState().set({ mode: 'review', sourceName: 'received.smlm', title: 'Received' });
  const id = sessionStore.getState().id;
  locsStore.getState().startRun(1, { source: 'test' }, 0);
  const s = sessionStore.getState();
  expect(s.mode).toBe('edit');
  expect(s.id).not.toBe(id);
  expect(s.title).toBe('Received (copy)');
});

test('in review mode a panel filling in its defaults is not an edit: no fork', async () => {
  const { markersStore } = await import('../../src/state/markersStore');
  markersStore.getState().clear();
  sessionStore.getState().set({ mode: 'review', sourceName: 'received.smlm', title: 'Received' });
  const id = sessionStore.getState().id;
  // What the EV markers panel does when a reviewer opens the step.
  markersStore.getState().forStack({
    id: 7,
    name: 'a.tif',
    width: 64,
    height: 48,
    frameCount: 100,
    channels: 2,
    meta: {},
  } as never);
  expect(markersStore.getState().params).not.toBeNull();
  expect(sessionStore.getState()).toMatchObject({ mode: 'review', id });
  // Changing one of them is an edit.
  markersStore.getState().setParams({ thresholdK: 4 });
  expect(sessionStore.getState().mode).toBe('edit');
});

test('work landing on a stack that is not on screen is autosaved with that stack', async () => {
  const stack = (id: number) =>
    ({
      id,
      name: `s${id}.tif`,
      files: [],
      recipe: { kind: 'files', files: [] },
      width: 8,
      height: 8,
      frameCount: 4,
      channels: 1,
      dtype: 'uint16',
      meta: { flavour: 'multipage', byteOrder: 'little' },
    }) as never;
  dataStore.setState({ stacks: [], tables: [], activeId: null });
  dataStore.getState().addStack(stack(71));
  locsStore.getState().clear();
  addRows(5);
  dataStore.getState().addStack(stack(72));
  await settle(AUTOSAVE_DEBOUNCE_MS + 100);
  const n = saves.length;
  expect(saves.at(-1)!.tables['o1.locs']).toBe(5);
  // A run still filling stack 71 while 72 is shown: no store on screen changes.
  locsOf.update(71, (s) => ({
    chunks: [...s.chunks, { length: 3, columns: { x: allocColumn('f64', 3) } }],
    count: s.count + 3,
  }));
  await settle(AUTOSAVE_DEBOUNCE_MS + 100);
  expect(saves.length).toBe(n + 1);
  expect(saves.at(-1)!.tables['o1.locs']).toBe(8);
  dataStore.setState({ stacks: [], tables: [], activeId: null });
});
