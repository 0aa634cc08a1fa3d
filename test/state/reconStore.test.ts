import { expect, test } from 'vitest';
import { reconStore, screenToNm, visibleView } from '../../src/state/reconStore';

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

test('zoomed in past the chosen pixel, the view keeps that pixel and covers only what is visible', () => {
  const v = visibleView({ ...base, pixelNm: 10, nmPerPx: 0.5 });
  expect(v.pixelNm).toBe(10);
  expect(v.width).toBeLessThanOrEqual(42);
  expect(v.height).toBeLessThanOrEqual(32);
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
