import { expect, test } from 'vitest';
import { MAX_SPACER_PX, rowWindow } from '../../../src/ui/localize/virtualRows';

const ROW = 20;
const VIEW = 300;

test('small lists scroll one pixel per pixel: the spacer is the list', () => {
  const w = rowWindow(400, VIEW, 1000, ROW, 0);
  expect(w.spacerPx).toBe(20_000);
  expect([w.first, w.last]).toEqual([20, 35]);
  expect(w.top(20)).toBe(400);
});

test('10 million rows: the spacer stays under the cap and both ends are reachable', () => {
  const n = 10_000_000;
  const top = rowWindow(0, VIEW, n, ROW, 0);
  expect(top.spacerPx).toBe(MAX_SPACER_PX);
  expect(top.first).toBe(0);
  expect(top.top(0)).toBe(0);
  // Scrolled to the very bottom: the last row sits at the bottom edge of the viewport.
  const maxScroll = MAX_SPACER_PX - VIEW;
  const bottom = rowWindow(maxScroll, VIEW, n, ROW, 0);
  expect(bottom.last).toBe(n);
  expect(bottom.top(n - 1) + ROW).toBeCloseTo(maxScroll + VIEW, 6);
  // Rows are laid out contiguously around the viewport, never overlapping.
  const mid = rowWindow(maxScroll / 2, VIEW, n, ROW, 2);
  for (let i = mid.first + 1; i < mid.last; i++) expect(mid.top(i) - mid.top(i - 1)).toBe(ROW);
  expect(mid.top(mid.first + 2)).toBeLessThanOrEqual(maxScroll / 2);
  expect(mid.top(mid.last - 3) + ROW).toBeGreaterThanOrEqual(maxScroll / 2 + VIEW);
  // Row 1,677,722 (where a 20 px × n spacer used to stop in Chromium) is on screen somewhere.
  const target = 1_677_722;
  const at = rowWindow((target / n) * maxScroll, VIEW, n, ROW, 0);
  expect(target).toBeGreaterThanOrEqual(at.first);
  expect(target).toBeLessThan(at.last + 1);
});
