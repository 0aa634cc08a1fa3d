// The one notice area: information times out, warnings and errors stay until dismissed, a keyed
// notice replaces its predecessor, and a burst drops information before problems.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { INFO_NOTICE_MS, MAX_NOTICES, uiStore } from '../../src/state/uiStore';

beforeEach(() => {
  vi.useFakeTimers();
  uiStore.setState({ notices: [] });
});
afterEach(() => {
  vi.useRealTimers();
});

const titles = () => uiStore.getState().notices.map((n) => n.title);

test('information times out; warnings and errors stay until dismissed', () => {
  const { notify } = uiStore.getState();
  notify('info', 'Link copied', '…');
  notify('error', 'Could not open x.smlm', '…');
  notify('warning', 'Opened with a problem', '…');
  vi.advanceTimersByTime(INFO_NOTICE_MS - 1);
  expect(titles()).toEqual(['Link copied', 'Could not open x.smlm', 'Opened with a problem']);
  vi.advanceTimersByTime(1);
  expect(titles()).toEqual(['Could not open x.smlm', 'Opened with a problem']);
  vi.advanceTimersByTime(10 * INFO_NOTICE_MS);
  expect(titles()).toEqual(['Could not open x.smlm', 'Opened with a problem']);
  uiStore.getState().dismiss(uiStore.getState().notices[0].id);
  expect(titles()).toEqual(['Opened with a problem']);
});

test('a keyed notice replaces the one before it and dismissKey removes it', () => {
  const { notify } = uiStore.getState();
  notify('info', 'Restored your last session', 'a', undefined, { key: 'restored' });
  notify('info', 'Restored your last session (again)', 'b', undefined, { key: 'restored' });
  expect(titles()).toEqual(['Restored your last session (again)']);
  notify('info', 'Opened x.smlm for review', 'c');
  uiStore.getState().dismissKey('restored');
  expect(titles()).toEqual(['Opened x.smlm for review']);
});

test('a burst keeps the problems and the newest notice, dropping information first', () => {
  const { notify } = uiStore.getState();
  notify('error', 'E1', '…');
  for (let i = 0; i < MAX_NOTICES; i++) notify('info', `I${i}`, '…');
  notify('error', 'E2', '…');
  expect(titles()).toHaveLength(MAX_NOTICES);
  expect(titles()[0]).toBe('E1');
  expect(titles().at(-1)).toBe('E2');
  for (let i = 0; i < MAX_NOTICES + 2; i++) notify('error', `F${i}`, '…');
  expect(titles()).toEqual(['F2', 'F3', 'F4', 'F5']);
});
