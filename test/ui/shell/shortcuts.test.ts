// @vitest-environment happy-dom
import { beforeEach, expect, test } from 'vitest';
import { uiStore } from '../../../src/state/uiStore';
import { viewerStore } from '../../../src/state/viewerStore';
import { handleShortcut } from '../../../src/ui/shell/shortcuts';

function press(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): boolean {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, ...init });
  Object.defineProperty(e, 'target', { value: target });
  return handleShortcut(e);
}

beforeEach(() => {
  viewerStore.setState(viewerStore.getInitialState(), true);
  uiStore.setState(uiStore.getInitialState(), true);
  viewerStore.getState().resetForStack(100, 1);
});

test('arrows, shift-arrows, Home and End move through frames', () => {
  expect(press('ArrowRight')).toBe(true);
  expect(viewerStore.getState().frame).toBe(1);
  press('ArrowRight', document.body, { shiftKey: true });
  expect(viewerStore.getState().frame).toBe(11);
  press('End');
  expect(viewerStore.getState().frame).toBe(99);
  press('ArrowLeft');
  expect(viewerStore.getState().frame).toBe(98);
  press('Home');
  expect(viewerStore.getState().frame).toBe(0);
});

test('keys typed into a field stay with the field', () => {
  const input = document.createElement('input');
  input.type = 'text';
  expect(press('ArrowRight', input)).toBe(false);
  expect(press('0', input)).toBe(false);
  expect(viewerStore.getState().frame).toBe(0);
  const box = document.createElement('input');
  box.type = 'checkbox';
  expect(press('ArrowRight', box)).toBe(true);
});

test('space toggles playback, but not on a focused button (which clicks instead)', () => {
  press(' ');
  expect(viewerStore.getState().playing).toBe(true);
  expect(press(' ', document.createElement('button'))).toBe(false);
  expect(viewerStore.getState().playing).toBe(true);
  press(' ');
  expect(viewerStore.getState().playing).toBe(false);
});

test('? opens the shortcut list and Escape closes it; modifier keys are left to the browser', () => {
  press('?');
  expect(uiStore.getState().shortcutsOpen).toBe(true);
  expect(press('Escape')).toBe(true);
  expect(uiStore.getState().shortcutsOpen).toBe(false);
  expect(press('ArrowRight', document.body, { ctrlKey: true })).toBe(false);
});

test('+ and − zoom, 0 fits', () => {
  viewerStore.getState().setViewport(800, 600);
  viewerStore.getState().setImageSize(100, 100);
  const fit = viewerStore.getState().zoom;
  press('+');
  expect(viewerStore.getState().zoom).toBeCloseTo(fit * 1.25, 10);
  press('-');
  press('-');
  expect(viewerStore.getState().zoom).toBeCloseTo(fit * 0.8, 10);
  press('0');
  expect(viewerStore.getState().zoom).toBeCloseTo(fit, 10);
});
