import { describe, expect, test } from 'vitest';
import type { CellResponse } from '../../../src/core/calcium/response';
import type { Classification } from '../../../src/core/ev/classify';
import {
  buildInputSummary,
  calciumMetrics,
  describeMetric,
  markerMetrics,
  parseInputSummary,
  trackMetrics,
} from '../../../src/core/experiment/summary';
import type { TrackSummary } from '../../../src/core/spt/summary';

describe('per-input summary', () => {
  test('marker subtype fractions are among classified EVs; probe means per subtype', () => {
    const c: Classification = {
      subtype: Int32Array.from([0, 1, 1, -1, 1]),
      subtypeNames: ['none', 'CD63+'],
      markerNames: ['CD63'],
      composition: {},
      probe: Float64Array.from([2, 4, 6, 100, 8]),
    };
    const m = markerMetrics(c);
    expect(m['markers.evs']).toBe(5);
    expect(m['markers.fraction.none']).toBe(0.25);
    expect(m['markers.fraction.CD63+']).toBe(0.75);
    expect(m['markers.probeMean.CD63+']).toBe(6);
    expect(m['markers.probeMean']).toBe(24);
    expect(describeMetric('markers.fraction.CD63+').label).toMatch(/CD63\+/);
  });

  test('track mobility fractions leave unclassified tracks out; D is the median, NaN-free', () => {
    const n = 5;
    const s = {
      length: n,
      columns: {
        mobility: Uint8Array.from([0, 0, 1, 3, 2]),
        D: Float64Array.from([0.1, 0.3, Number.NaN, 0.2, 0.05]),
      },
    } as unknown as TrackSummary;
    const m = trackMetrics(s);
    expect(m['tracks.count']).toBe(5);
    expect(m['tracks.fractionMobile']).toBe(0.5);
    expect(m['tracks.fractionImmobile']).toBe(0.25);
    expect(m['tracks.fractionConfined']).toBe(0.25);
    expect(m['tracks.medianD']).toBeCloseTo(0.15, 12);
  });

  test('summaries round-trip through JSON; not-measured stays null; bad files are refused', () => {
    const s = buildInputSummary({ id: 'a', cell: 'c', condition: 'k' }, {}, ['movie'], 'h');
    const empty = { length: 0, columns: { mobility: new Uint8Array(0), D: new Float64Array(0) } };
    const t = buildInputSummary(
      { id: 'a', cell: 'c', condition: 'k' },
      { tracks: empty as unknown as TrackSummary },
      ['tracks'],
      'h',
    );
    expect(t.metrics['tracks.medianD']).toBeNull();
    expect(t.metrics['tracks.fractionMobile']).toBeNull();
    expect(parseInputSummary(JSON.stringify(t), 'x')).toEqual(t);
    expect(() => parseInputSummary('{}', 'f.json')).toThrow(/f\.json: not an evscope input summary/);
    expect(() => parseInputSummary(JSON.stringify({ ...s, metrics: { m: 'x' } }), 'f')).toThrow(/metric "m"/);
  });
});

describe('Ca²⁺ summary of one input', () => {
  const cell = (
    responder: boolean,
    latencyS: number,
    peakDff: number,
    aucDffS: number,
    note = '',
  ): CellResponse => ({
    f0: 100,
    baselineSd: 0.01,
    threshold: 0.03,
    responder,
    latencyFrames: latencyS * 2,
    latencyS,
    peakDff,
    peakFrame: 10,
    aucDffS,
    transients: responder ? 1 : 0,
    bleachRatePerFrame: 0,
    note,
  });

  test('responder fraction over analysed cells; latency, peak and AUC are medians over responders', () => {
    const m = calciumMetrics([
      cell(true, 4, 1.2, 10),
      cell(true, 8, 0.6, 30),
      cell(true, 20, 0.9, 20),
      cell(false, Number.NaN, 0.02, 0.5),
      // A cell with a note (F₀ ≤ 0) is not analysed: not in the denominator either.
      cell(true, 1, 5, 99, 'F0 ≤ 0 after background subtraction'),
    ]);
    expect(m).toEqual({
      'calcium.cells': 4,
      'calcium.responders': 3,
      'calcium.responderFraction': 0.75,
      'calcium.medianLatencyS': 8,
      'calcium.medianPeakDff': 0.9,
      'calcium.medianAucDffS': 20,
    });
    expect(describeMetric('calcium.medianAucDffS').unit).toBe('s');
  });

  test('no responder: the medians are not measured (null), the fraction is 0', () => {
    const m = calciumMetrics([cell(false, Number.NaN, 0.01, 0.1), cell(false, Number.NaN, 0.02, -0.1)]);
    expect(m['calcium.responderFraction']).toBe(0);
    expect(m['calcium.medianLatencyS']).toBeNull();
    expect(m['calcium.medianPeakDff']).toBeNull();
    expect(m['calcium.medianAucDffS']).toBeNull();
    const s = buildInputSummary({ id: 'x', cell: 'c', condition: 'A' }, { calcium: [] }, ['calcium'], 'h');
    expect(s.metrics['calcium.cells']).toBe(0);
    expect(s.metrics['calcium.responderFraction']).toBeNull();
  });
});
