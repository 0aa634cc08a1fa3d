import { expect, test } from 'vitest';
import { reconStore, renderPixelNm, screenToNm, visibleView } from '../../src/state/reconStore';

const base = { cx: 25_000, cy: 25_000, viewport: { w: 800, h: 600, dpr: 2 }, pixelNm: 1 };

test('the visible view renders at device resolution, whatever the field size', () => {
  // Zoomed out over a 50 µm field: 62.5 nm per CSS px → 31.25 nm per device px.
  const v = visibleView({ ...base, nmPerPx: 62.5 });
  expect(v.pixelNm).toBe(31.25);
  expect(v.width).toBeLessThanOrEqual(1601);
  expect(v.height).toBeLessThanOrEqual(1201);
  // The view starts on a whole render pixel and covers the visible rectangle.
  expect(v.x0 / v.pixelNm).toBe(Math.round(v.x0 / v.pixelNm));
  expect(v.x0).toBeLessThanOrEqual(25_000 - 400 * 62.5);
  expect(v.x0 + v.width * v.pixelNm).toBeGreaterThanOrEqual(25_000 + 400 * 62.5);
});

test('zoomed in, the view renders at the zoom’s resolution, down to 1 nm, covering only what is visible', () => {
  // 4 nm per CSS px on a 2× screen: 2 nm render pixels, the window's worth of them.
  const v = visibleView({ ...base, nmPerPx: 4 });
  expect(v.pixelNm).toBe(2);
  expect(v.width).toBeLessThanOrEqual(1601);
  // Past 1 nm per device pixel the image is magnified, not rendered finer.
  const w = visibleView({ ...base, nmPerPx: 0.5 });
  expect(w.pixelNm).toBe(1);
  expect(w.width).toBeLessThanOrEqual(401);
  expect(w.height).toBeLessThanOrEqual(301);
});

test('the view pixel follows the zoom, typing one zooms to it; the export pixel stays put', () => {
  const s = reconStore.getState();
  s.setViewport(800, 600, 2);
  s.setPixelNm(10);
  reconStore.setState({ cx: 0, cy: 0, nmPerPx: 20, fit: false });
  expect(renderPixelNm(reconStore.getState())).toBe(10);
  reconStore.getState().zoomAt(4);
  expect(renderPixelNm(reconStore.getState())).toBe(2.5);
  expect(visibleView(reconStore.getState()).pixelNm).toBe(2.5);
  reconStore.getState().zoomAt(100);
  expect(renderPixelNm(reconStore.getState())).toBe(1);
  expect(reconStore.getState().setViewPixelNm(7)).toBe(true);
  expect(reconStore.getState().nmPerPx).toBe(14);
  expect(visibleView(reconStore.getState()).pixelNm).toBe(7);
  expect(reconStore.getState().setViewPixelNm(0.5)).toBe(false);
  expect(reconStore.getState().nmPerPx).toBe(14);
  expect(reconStore.getState().pixelNm).toBe(10);
});

test('zooming about a point keeps that point under the cursor; pixel sizes below 1 nm are refused', () => {
  const s = reconStore.getState();
  s.setViewport(800, 600, 1);
  reconStore.setState({ cx: 1000, cy: 2000, nmPerPx: 10 });
  const before = screenToNm(reconStore.getState(), 100, 50);
  reconStore.getState().zoomAt(2, 100, 50);
  const after = screenToNm(reconStore.getState(), 100, 50);
  expect(after.x).toBeCloseTo(before.x);
  expect(after.y).toBeCloseTo(before.y);
  expect(reconStore.getState().nmPerPx).toBe(5);
  expect(reconStore.getState().setPixelNm(0.5)).toBe(false);
  expect(reconStore.getState().setPixelNm(1)).toBe(true);
});
