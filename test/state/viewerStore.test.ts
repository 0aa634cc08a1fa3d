import { beforeEach, describe, expect, test } from 'vitest';
import { clampFrame, FIT_MARGIN, fitTransform, MAX_ZOOM, viewerStore } from '../../src/state/viewerStore';

const s = () => viewerStore.getState();

beforeEach(() => {
  viewerStore.setState(viewerStore.getInitialState(), true);
  s().resetForStack(50, 1);
  s().setViewport(800, 600);
  s().setImageSize(256, 128);
});

describe('frames', () => {
  test('clampFrame keeps frames inside the stack and rounds', () => {
    expect(clampFrame(-3, 10)).toBe(0);
    expect(clampFrame(12, 10)).toBe(9);
    expect(clampFrame(4.6, 10)).toBe(5);
    expect(clampFrame(4, 0)).toBe(0);
  });

  test('stepping stops at the ends', () => {
    s().step(-1);
    expect(s().frame).toBe(0);
    s().setFrame(48);
    s().step(10);
    expect(s().frame).toBe(49);
  });

  test('a one-frame stack cannot play', () => {
    s().resetForStack(1, 1);
    s().setPlaying(true);
    expect(s().playing).toBe(false);
  });
});

describe('zoom and pan', () => {
  test('fit centres the image with a margin, and follows the window while fitted', () => {
    const f = fitTransform({ w: 800, h: 600 }, { w: 256, h: 128 });
    expect(f.zoom).toBeCloseTo((800 - 2 * FIT_MARGIN) / 256, 10);
    expect(f.panX).toBeCloseTo((800 - 256 * f.zoom) / 2, 10);
    expect(s().zoom).toBeCloseTo(f.zoom, 10);
    s().setViewport(400, 600);
    expect(s().zoom).toBeCloseTo((400 - 2 * FIT_MARGIN) / 256, 10);
  });

  test('zooming about a point keeps the image pixel under it in place', () => {
    const before = s();
    const sx = 300;
    const sy = 200;
    const ix = (sx - before.panX) / before.zoom;
    const iy = (sy - before.panY) / before.zoom;
    s().zoomAt(2.5, sx, sy);
    const after = s();
    expect(after.fit).toBe(false);
    expect((sx - after.panX) / after.zoom).toBeCloseTo(ix, 9);
    expect((sy - after.panY) / after.zoom).toBeCloseTo(iy, 9);
    // No longer fitted: a resize does not move the image.
    s().setViewport(500, 500);
    expect(s().zoom).toBe(after.zoom);
  });

  test('zoom is bounded and 0 restores fit', () => {
    for (let i = 0; i < 100; i++) s().zoomAt(2);
    expect(s().zoom).toBe(MAX_ZOOM);
    s().panBy(30, -10);
    s().fitToWindow();
    expect(s().fit).toBe(true);
    expect(s().zoom).toBeCloseTo((800 - 2 * FIT_MARGIN) / 256, 10);
  });
});

describe('contrast and channels', () => {
  test('a window needs min below max', () => {
    expect(s().setWindow(0, 10, 20)).toBe(true);
    expect(s().channels[0]).toMatchObject({ min: 10, max: 20 });
    expect(s().setWindow(0, 30, 20)).toBe(false);
    expect(s().setWindow(0, Number.NaN, 20)).toBe(false);
    expect(s().channels[0]).toMatchObject({ min: 10, max: 20 });
  });

  test('a manual window turns off auto-every-frame; auto results clear the pending request', () => {
    s().setAutoEveryFrame(true);
    s().setWindow(0, 1, 2);
    expect(s().autoEveryFrame).toBe(false);
    s().requestAuto();
    expect(s().pendingAuto).toBe(true);
    s().applyAutoWindows([{ channel: 0, min: 100, max: 900 }]);
    expect(s().pendingAuto).toBe(false);
    expect(s().channels[0]).toMatchObject({ min: 100, max: 900 });
  });

  test('two channels open overlaid in green and magenta', () => {
    s().resetForStack(10, 2);
    expect(s().layout).toBe('overlay');
    expect(s().channels.map((c) => c.colormap)).toEqual(['green', 'magenta']);
    s().setChannel(5);
    expect(s().channel).toBe(0);
  });
});
