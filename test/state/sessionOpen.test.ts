// Opening sessions through the actions (the worker replaced by the same core calls): the title,
// notes and creation time come back as saved, and a file the user opens while the start-up
// restore is still running ends in review mode with its own notice, whichever finishes first.
import { beforeEach, expect, test, vi } from 'vitest';

let autosaved: Uint8Array = new Uint8Array();
let release: () => void = () => {};
let gate: Promise<void> = Promise.resolve();
let lastMode: 'review' | undefined;
vi.mock('../../src/engine/sessionService', async () => {
  const core = await import('../../src/core/session/index');
  const api = {
    open: async (bytes: Uint8Array, fileName: string, appVersion: string) =>
      core.openSessionFile(bytes, { fileName, appVersion }),
    listAutosaves: async () => [
      {
        id: 'last',
        title: 'A',
        saved: '2026-01-01T10:00:00.000Z',
        bytes: 1,
        localizations: 0,
        stacks: [],
        ...(lastMode ? { mode: lastMode } : {}),
      },
    ],
    openAutosave: async (_id: string, appVersion: string) => {
      await gate;
      return core.openSessionFile(autosaved, { fileName: 'A', appVersion });
    },
    autosave: async () => ({ stored: 1, written: 1, keys: [] }),
  };
  return { sessionWorker: () => api, fingerprintBlob: async () => null };
});

const { createSession, saveSessionFile } = await import('../../src/core/session/index');
const { bootSession, openSession } = await import('../../src/state/sessionActions');
const { sessionStore } = await import('../../src/state/sessionStore');
const { uiStore } = await import('../../src/state/uiStore');

const file = (title: string, notes: string, created: string) =>
  saveSessionFile(createSession({ appVersion: 't', title, notes, now: new Date(created) }), []);
const location = { hash: '', search: '?demo=0', href: 'http://x/?demo=0', origin: 'http://x' };
const titles = () => uiStore.getState().notices.map((n) => n.title);

beforeEach(() => {
  uiStore.setState({ notices: [] });
  sessionStore.getState().set({ mode: 'edit', title: '', notes: '', sourceName: null });
  autosaved = file('A', 'notes of A', '2025-12-01T09:00:00.000Z');
  lastMode = undefined;
  gate = new Promise((r) => {
    release = r;
  });
});

test('an opened session brings back its title, notes and creation time', async () => {
  const b = file('B: coverslip 3', 'first line\nsecond line', '2025-10-20T07:30:00.000Z');
  expect(await openSession(b, 'b.smlm')).toBe(true);
  expect(sessionStore.getState()).toMatchObject({
    title: 'B: coverslip 3',
    notes: 'first line\nsecond line',
    created: '2025-10-20T07:30:00.000Z',
    mode: 'review',
    sourceName: 'b.smlm',
  });
  release();
});

test('a file opened before the start-up restore lands wins: review mode, its notice, no "restored"', async () => {
  const boot = bootSession(location);
  await new Promise((r) => setTimeout(r, 0));
  const open = openSession(file('B', '', '2025-10-20T07:30:00.000Z'), 'b.smlm');
  release();
  await Promise.all([boot, open]);
  expect(sessionStore.getState()).toMatchObject({ mode: 'review', title: 'B', sourceName: 'b.smlm' });
  expect(titles()).toContain('Opened b.smlm for review');
  expect(titles().some((t) => t.startsWith('Restored your last session'))).toBe(false);
});

test('a file opened while the start-up restore runs is applied after it: review mode wins', async () => {
  release();
  const boot = bootSession(location);
  // Wait until the start-up restore has begun putting session A back.
  await vi.waitFor(() => expect(sessionStore.getState().title).toBe('A'), { timeout: 60_000 });
  const open = openSession(file('B', 'notes of B', '2025-10-20T07:30:00.000Z'), 'b.smlm');
  await Promise.all([boot, open]);
  expect(sessionStore.getState()).toMatchObject({ mode: 'review', title: 'B', notes: 'notes of B' });
  expect(titles()).toContain('Opened b.smlm for review');
  expect(titles().some((t) => t.startsWith('Restored your last session'))).toBe(false);
});

test('the start-up restore alone brings the last session back as saved, with its notice', async () => {
  release();
  await bootSession(location);
  expect(sessionStore.getState()).toMatchObject({
    mode: 'edit',
    title: 'A',
    notes: 'notes of A',
    created: '2025-12-01T09:00:00.000Z',
    id: 'last',
  });
  expect(titles().filter((t) => t.startsWith('Restored your last session'))).toHaveLength(1);
});

test('a session autosaved under review comes back under review after a reload; one autosaved editable, editable', async () => {
  release();
  lastMode = 'review';
  await bootSession(location);
  expect(sessionStore.getState()).toMatchObject({ mode: 'review', title: 'A', sourceName: 'A' });
  lastMode = undefined;
  sessionStore.getState().set({ mode: 'review' });
  await bootSession(location);
  expect(sessionStore.getState()).toMatchObject({ mode: 'edit', title: 'A' });
});

test('a step the user picks while a session opens stays; otherwise the reviewer lands on Session', async () => {
  release();
  uiStore.getState().setActiveStep('data');
  // The review badge is up as soon as the mode is set, before the stacks are re-created: the user
  // goes to a step right then.
  const unsubscribe = sessionStore.subscribe((s, prev) => {
    if (s.sourceName === 'b.smlm' && prev.sourceName !== 'b.smlm') uiStore.getState().pickStep('calcium');
  });
  expect(await openSession(file('B', '', '2025-10-20T07:30:00.000Z'), 'b.smlm')).toBe(true);
  unsubscribe();
  expect(uiStore.getState().activeStep).toBe('calcium');

  uiStore.getState().setActiveStep('data');
  expect(await openSession(file('C', '', '2025-10-20T07:30:00.000Z'), 'c.smlm')).toBe(true);
  expect(uiStore.getState().activeStep).toBe('session');
});
