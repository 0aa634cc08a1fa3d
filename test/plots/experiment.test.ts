// The experiment's figure: one dot per cell at its condition, and each condition's mean with its
// 95 % CI over cells as asymmetric error bars — computed from cell values, never positions.
import { expect, test } from 'vitest';
import { conditionStats } from '../../src/core/experiment/cellStats';
import { cellDotFigure, titleLines } from '../../src/plots/experiment';

test('dots are the cells; the mean marker and its bars are the condition mean and t CI over cells', () => {
  const cells = [
    { cell: 'a/1', condition: 'a', value: 1, inputs: 2 },
    { cell: 'a/2', condition: 'a', value: 3, inputs: 1 },
    { cell: 'a/3', condition: 'a', value: 2, inputs: 1 },
    { cell: 'b/1', condition: 'b', value: 10, inputs: 3 },
  ];
  const conds = conditionStats(cells, 'm');
  const fig = cellDotFigure('coloc.deltaFractionWithin', cells, conds, 'dark');
  const [a, b, mean] = fig.data as {
    x: number[];
    y: number[];
    customdata?: string[];
    error_y?: { array: number[]; arrayminus: number[] };
  }[];
  expect(a.y).toEqual([1, 3, 2]);
  expect(a.customdata).toEqual(['a/1', 'a/2', 'a/3']);
  expect(b.y).toEqual([10]);
  // Dots stay around their condition's position (0 and 1), clear of the mean marker.
  for (const x of a.x) expect(Math.abs(x - -0.12)).toBeLessThanOrEqual(0.12);
  for (const x of b.x) expect(Math.abs(x - 0.88)).toBeLessThanOrEqual(0.12);
  // Mean of 1, 2, 3 = 2; sd 1; t(0.975, 2) = 4.303 → CI 2 ± 4.303/√3.
  expect(mean.y[0]).toBeCloseTo(2, 12);
  expect(mean.error_y!.array[0]).toBeCloseTo(4.302653 / Math.sqrt(3), 5);
  expect(mean.error_y!.arrayminus[0]).toBeCloseTo(4.302653 / Math.sqrt(3), 5);
  // One cell has no CI: the mean is drawn without bars rather than with made-up ones.
  expect(mean.y[1]).toBe(10);
  expect(mean.error_y!.array[1]).toBe(0);
  expect(String((fig.layout.xaxis as { ticktext: string[] }).ticktext)).toBe('a (3 cells),b (1 cell)');
});

test('a long metric title is wrapped into lines no wider than asked, every word kept in order', () => {
  const text = 'EV − control fraction of time within the cut-off';
  const lines = titleLines(text, 20);
  expect(lines.join(' ')).toBe(text);
  expect(lines.length).toBeGreaterThan(1);
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
  // A single word longer than the width is kept whole, never cut.
  expect(titleLines('supercalifragilistic x', 5)).toEqual(['supercalifragilistic', 'x']);
  const fig = cellDotFigure('coloc.deltaFractionWithin', [], [], 'dark', 20);
  expect((fig.layout.title as { text: string }).text).toBe(titleLines(text, 20).join('<br>'));
});
