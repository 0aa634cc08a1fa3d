import { beforeEach, expect, test } from 'vitest';
import { buildRequest } from '../../src/state/frameStore';
import { viewerStore } from '../../src/state/viewerStore';

const v = () => viewerStore.getState();
beforeEach(() => viewerStore.setState(viewerStore.getInitialState(), true));

test('no stack, no request; a channel count that does not match the viewer yet, no request', () => {
  v().resetForStack(10, 1);
  expect(buildRequest(v(), null, 0)).toBeNull();
  expect(buildRequest(v(), 3, 2)).toBeNull();
});

test('the first frame of a stack asks for auto contrast, later ones use the window', () => {
  v().resetForStack(10, 1);
  v().setFrame(4);
  expect(buildRequest(v(), 3, 1)).toEqual({
    stackId: 3,
    frame: 4,
    layout: 'single',
    views: [{ channel: 0, colormap: 'gray', contrast: { mode: 'auto', lowPct: 0.1, highPct: 99.9 } }],
  });
  v().applyAutoWindows([{ channel: 0, min: 5, max: 50 }]);
  expect(buildRequest(v(), 3, 1)!.views[0].contrast).toEqual({ mode: 'manual', min: 5, max: 50 });
});

test('two channels: overlay and side by side ask for both, single for the chosen one', () => {
  v().resetForStack(10, 2);
  expect(buildRequest(v(), 1, 2)!.views.map((x) => [x.channel, x.colormap])).toEqual([
    [0, 'green'],
    [1, 'magenta'],
  ]);
  v().setLayout('single');
  v().setChannel(1);
  const r = buildRequest(v(), 1, 2)!;
  expect(r.layout).toBe('single');
  expect(r.views.map((x) => x.channel)).toEqual([1]);
});
