import { describe, expect, test } from 'vitest';
import {
  breakableSubtype,
  formatCiRange,
  formatCount,
  formatDuration,
  formatFractionCi,
  formatP,
  formatPercent,
  significanceStars,
} from '../../../src/core/ev/format';

describe('EV table and statistics text', () => {
  test('fractions with CIs in percent', () => {
    expect(formatFractionCi(0.43, 0.332, 0.5291)).toBe('43.0 % (33.2–52.9)');
    expect(formatFractionCi(0.5, Number.NaN, Number.NaN)).toBe('50.0 %');
    expect(formatFractionCi(Number.NaN, 0, 0)).toBe('–');
    expect(formatPercent(0.525)).toBe('52.5 %');
    expect(formatCiRange(0.375, 0.675)).toBe('37.5–67.5');
    expect(formatCiRange(Number.NaN, 0.1)).toBe('');
  });
  test('p-values and stars as papers print them', () => {
    expect(formatP(0.0004)).toBe('< 0.001');
    expect(formatP(0.01234)).toBe('0.012');
    expect(formatP(1)).toBe('1');
    expect(formatP(Number.NaN)).toBe('–');
    expect([0.2, 0.04, 0.009, 0.0001].map(significanceStars)).toEqual(['n.s.', '*', '**', '***']);
  });
  test('counts with uncertainties and durations', () => {
    expect(formatCount(4, 0.01)).toBe('4');
    expect(breakableSubtype('CD9+CD63+')).toBe('CD9+\u200bCD63+');
    expect(formatCount(2.64, 0.41)).toBe('2.6 ± 0.4');
    expect(formatCount(Number.NaN, 1)).toBe('–');
    expect(formatDuration(4.2)).toBe('5 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(Number.NaN)).toBe('');
  });
});
