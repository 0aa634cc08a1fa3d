import { expect, test } from 'vitest';
import { niceScaleBar } from '../../../src/core/display/scaleBar';

test('picks 1/2/5 × 10^k lengths near the target width', () => {
  // 100 nm pixels at zoom 1: 120 screen px are 12 µm, so 10 µm.
  expect(niceScaleBar(100, 1)).toEqual({ nm: 10_000, screenPx: 100, label: '10 µm' });
  // At zoom 4 each screen px is 25 nm: 120 px = 3 µm → 2 µm.
  expect(niceScaleBar(100, 4)).toEqual({ nm: 2000, screenPx: 80, label: '2 µm' });
  const b = niceScaleBar(107, 20)!;
  expect(b.label).toBe('500 nm');
  expect(b.screenPx).toBeCloseTo((500 / 107) * 20, 10);
});

test('no bar without a pixel size', () => {
  expect(niceScaleBar(0, 1)).toBeNull();
  expect(niceScaleBar(Number.NaN, 1)).toBeNull();
});
