// The distance analysis's random controls can be confined to a region the user drew in
// Post-process (its Region step on the reconstruction).
import { expect, test } from 'vitest';
import { controlPositions } from '../../src/core/coloc/analysisControl';
import type { PostStep } from '../../src/core/locs/pipeline';
import { drawnControl } from '../../src/state/tracksStore';

test('a drawn rectangle becomes the control polygon; disabled or inverted regions do not count', () => {
  const steps: PostStep[] = [
    { kind: 'region', region: { kind: 'rect', x0: 0, y0: 0, x1: 50, y1: 50 }, enabled: false },
    { kind: 'region', region: { kind: 'rect', x0: 0, y0: 0, x1: 90, y1: 90 }, invert: true },
    { kind: 'region', region: { kind: 'rect', x0: 1000, y0: 2000, x1: 3000, y1: 2500 } },
  ];
  const c = drawnControl(steps);
  expect(c).toEqual({ kind: 'polygon', x: [1000, 3000, 3000, 1000], y: [2000, 2000, 2500, 2500] });
  // Every control point falls inside the drawn region.
  const pts = controlPositions(10, c, { perFrame: 50, seed: 3 });
  for (let i = 0; i < pts.length; i++) {
    expect(pts.columns.x[i]).toBeGreaterThanOrEqual(1000);
    expect(pts.columns.x[i]).toBeLessThanOrEqual(3000);
    expect(pts.columns.y[i]).toBeGreaterThanOrEqual(2000);
    expect(pts.columns.y[i]).toBeLessThanOrEqual(2500);
  }
});

test('a drawn polygon is used as drawn; without one the user is told where to draw it', () => {
  const tri: PostStep = { kind: 'region', region: { kind: 'polygon', x: [0, 100, 0], y: [0, 0, 100] } };
  expect(drawnControl([tri])).toEqual({ kind: 'polygon', x: [0, 100, 0], y: [0, 0, 100] });
  expect(() => drawnControl([{ kind: 'filter', expression: 'photons > 10' } as PostStep])).toThrow(
    /Region step in Post-process/,
  );
});
