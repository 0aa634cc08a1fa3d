import { expect, test } from 'vitest';
import { FRC_THRESHOLD, type FrcResult } from '../../src/core/locs/frc';
import type { NenaResult } from '../../src/core/locs/nena';
import { driftFigure, frcFigure, nenaFigure } from '../../src/plots/post';

test('drift figure: x and y against 1-based frames, decimated for long traces, last frame kept', () => {
  const n = 10_001;
  const dx = Float64Array.from({ length: n }, (_, f) => f / 100);
  const dy = Float64Array.from({ length: n }, (_, f) => -f / 200);
  const fig = driftFigure({ dx, dy }, 'dark');
  const [tx, ty] = fig.data as { x: number[]; y: number[]; name: string }[];
  expect(tx.name).toBe('x');
  expect(ty.name).toBe('y');
  expect(tx.x[0]).toBe(1);
  expect(tx.x.at(-1)).toBe(n);
  expect(tx.y.at(-1)).toBeCloseTo(100);
  expect(ty.y.at(-1)).toBeCloseTo(-50);
  expect(tx.x.length).toBeLessThanOrEqual(4002);
});

test('NeNA figure shows the histogram, the fit and σ in the title', () => {
  const r: NenaResult = {
    sigmaNm: 12.34,
    pairs: 500,
    binCenters: Float64Array.from([1, 3, 5]),
    counts: Float64Array.from([4, 9, 2]),
    fit: Float64Array.from([4.5, 8, 2.5]),
    fitNena: Float64Array.from([4, 7, 2]),
    amplitude: 1,
    background: 0,
  };
  const fig = nenaFigure(r, 'light');
  expect(fig.data).toHaveLength(3);
  expect((fig.data[0] as { y: number[] }).y).toEqual([4, 9, 2]);
  expect(JSON.stringify(fig.layout.title)).toContain('12.3 nm');
});

test('FRC figure draws the 1/7 threshold and marks the resolution, or says it was not reached', () => {
  const r: FrcResult = {
    resolutionNm: 40,
    frequency: Float64Array.from([0, 0.01, 0.02, 0.03]),
    frc: Float64Array.from([1, 0.6, 0.2, 0.05]),
    threshold: FRC_THRESHOLD,
    pixelNm: 5,
    imageSize: 256,
    halves: [10, 10],
  };
  const fig = frcFigure(r, 'dark');
  const th = fig.data[1] as { y: number[] };
  expect(th.y).toEqual([FRC_THRESHOLD, FRC_THRESHOLD]);
  expect((fig.data[2] as { x: number[] }).x[0]).toBeCloseTo(1 / 40);
  expect(JSON.stringify(fig.layout.title)).toContain('40.0 nm');
  const none = frcFigure({ ...r, resolutionNm: Number.NaN }, 'dark');
  expect(none.data).toHaveLength(2);
  expect(JSON.stringify(none.layout.title)).toContain('never');
});

test('an unapplied (unreliable) drift estimate is drawn dashed and labelled as not applied', () => {
  const dx = Float64Array.from([0, 1, 2]);
  const dy = Float64Array.from([0, -1, -2]);
  type Line = { line: { dash: string } };
  const shown = driftFigure({ dx, dy, applied: false }, 'dark');
  expect((shown.data as Line[]).slice(0, 2).map((d) => d.line.dash)).toEqual(['dash', 'dash']);
  expect(JSON.stringify(shown.layout.yaxis)).toMatch(/NOT applied/);
  const applied = driftFigure({ dx, dy, applied: true }, 'dark');
  expect((applied.data as Line[])[0].line.dash).toBe('solid');
  expect(JSON.stringify(applied.layout.yaxis)).not.toMatch(/NOT applied/);
});
