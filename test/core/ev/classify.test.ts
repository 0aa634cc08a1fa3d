// Re-typing EVs from their counts: thresholds, count method, renames, the probe, statistics,
// and the EV table's CSV text.
import { describe, expect, test } from 'vitest';
import { classifyEvs, subtypeStatistics } from '../../../src/core/ev/classify';
import { evTableCsv } from '../../../src/core/ev/evTableCsv';

const columns = {
  id: Uint32Array.from([1, 2, 3, 4]),
  x: Float64Array.from([150, 1250.5, 300, 900]),
  y: Float64Array.from([100, 200, 300, 400]),
  'CD9 steps': Float64Array.from([0, 2, 1, Number.NaN]),
  'CD9 steps sd': Float64Array.from([0, 0.1, 0.4, Number.NaN]),
  'CD9 ratio': Float64Array.from([0.1, 2.2, 0.4, 1]),
  'CD63 steps': Float64Array.from([5, 3, 0, 2]),
  'CD63 ratio': Float64Array.from([5.1, 2.9, 0.2, 2]),
  'probe steps': Float64Array.from([3, 9, 1, 4]),
  'probe ratio': Float64Array.from([3.2, 8.7, 1.1, 4]),
};
const channels = [
  { name: 'CD9', role: 'marker' as const, threshold: 1 },
  { name: 'CD63', role: 'marker' as const, threshold: 1 },
  { name: 'probe', role: 'probe' as const, threshold: 1 },
];

describe('classifyEvs', () => {
  test('subtype codes, names, composition and the probe from the chosen count', () => {
    const c = classifyEvs(columns, channels, 'steps');
    expect(Array.from(c.subtype)).toEqual([2, 3, 1, -1]);
    expect(c.subtypeNames).toEqual(['marker-negative', 'CD9-only', 'CD63-only', 'CD9+CD63+']);
    expect(Array.from(c.composition.CD9)).toEqual([0, 0.4, 1, Number.NaN]);
    expect(Array.from(c.probe!)).toEqual([3, 9, 1, 4]);
    // The ratio rounds nothing: 0.4 CD9 is below a threshold of 1, 2.2 above.
    const r = classifyEvs(columns, channels, 'ratio', { 'CD63-only': 'small' });
    expect(Array.from(r.subtype)).toEqual([2, 3, 0, 3]);
    expect(r.subtypeNames[2]).toBe('small');
    // A higher threshold moves EVs between subtypes.
    const t = classifyEvs(columns, [{ ...channels[0], threshold: 2 }, channels[1], channels[2]], 'steps');
    expect(Array.from(t.subtype)).toEqual([2, 3, 0, -1]);
  });

  test('statistics: fractions of classified EVs and pairwise probe tests', () => {
    const c = classifyEvs(columns, channels, 'ratio');
    const s = subtypeStatistics(c, 'welch', { seed: 2, iterations: 500 });
    expect(s.fractions.n).toBe(4);
    expect(Array.from(s.fractions.count)).toEqual([1, 0, 1, 2]);
    // Only CD9+CD63+ has two EVs: nothing to compare.
    expect(s.comparisons).toEqual([]);
    expect(() => classifyEvs(columns, [{ name: 'CD81', role: 'marker', threshold: 1 }], 'steps')).toThrow(
      /CD81 steps/,
    );
  });

  test('CSV: header in ThunderSTORM units, subtypes by name, missing values empty', () => {
    const c = classifyEvs(columns, channels, 'steps');
    const text = evTableCsv({
      length: 4,
      columns: { ...columns, subtype: c.subtype },
      subtypeNames: c.subtypeNames,
    });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,x [nm],y [nm],CD9 steps,CD9 steps sd,CD9 ratio,CD63 steps,CD63 ratio,probe steps,probe ratio,subtype',
    );
    expect(lines[2]).toBe('2,1250.5,200,2,0.1,2.2,3,2.9,9,8.7,CD9+CD63+');
    expect(lines[4]).toBe('4,900,400,,,1,2,2,4,4,unclassified');
  });
});
