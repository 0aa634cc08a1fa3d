import { describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import {
  chooseBins,
  histogramFigure,
  histogramMedian,
  LOC_HISTOGRAMS,
  niceStep,
  StreamingHistogram,
} from '../../src/plots/localize';

const chunk = (values: number[]) => locTableFromColumns({ photons: Float32Array.from(values) });

describe('streaming histograms', () => {
  test('nice steps and robust bins', () => {
    expect([0.13, 0.9, 2.1, 3, 4.2, 80, 240].map(niceStep)).toEqual([0.1, 1, 2, 2.5, 5, 100, 250]);
    const b = chooseBins(Float64Array.from({ length: 1001 }, (_, i) => 100 + i))!;
    expect(b.lo).toBeLessThanOrEqual(105);
    expect(b.lo + b.n * b.width).toBeGreaterThanOrEqual(1095);
    expect(b.width).toBe(25);
    expect(chooseBins(Float64Array.from([Number.NaN]))).toBeNull();
    expect(chooseBins(Float64Array.from([7, 7, 7]))!.n).toBeGreaterThanOrEqual(1);
  });

  test('counts every value exactly, only touching new chunks, and re-bins when values leave the range', () => {
    const rng = new Rng(2);
    const chunks = Array.from({ length: 20 }, () =>
      chunk(Array.from({ length: 500 }, () => 800 + 200 * rng.normal())),
    );
    const h = new StreamingHistogram('photons');
    expect(h.update(chunks.slice(0, 5))).toBe(true);
    const edges = { lo: h.hist!.lo, width: h.hist!.width };
    expect(h.update(chunks.slice(0, 5))).toBe(false);
    h.update(chunks);
    expect({ lo: h.hist!.lo, width: h.hist!.width }).toEqual(edges);
    const counted = h.hist!.counts.reduce((a, b) => a + b, 0) + h.hist!.below + h.hist!.above;
    expect(counted).toBe(10_000);
    expect(h.hist!.total).toBe(10_000);
    expect(histogramMedian(h.hist!)).toBeCloseTo(800, -1);
    // A run of much brighter spots arrives: the range follows and nothing is lost.
    const bright = [...chunks, chunk(Array.from({ length: 3000 }, () => 5000 + rng.normal() * 300))];
    h.update(bright);
    expect(h.hist!.lo + h.hist!.counts.length * h.hist!.width).toBeGreaterThan(5000);
    expect(h.hist!.total).toBe(13_000);
    // A new run (different first chunk) starts over.
    h.update([chunk([1, 2, 3])]);
    expect(h.hist!.total).toBe(3);
  });

  test('the figure is one bar per bin with units, median and off-scale counts in the title', () => {
    const h = new StreamingHistogram('photons');
    h.update([chunk([100, 110, 120, 130, 140, Number.NaN])]);
    const fig = histogramFigure(h.hist, LOC_HISTOGRAMS[0], 'dark');
    const bar = fig.data[0] as { type: string; x: number[]; y: number[] };
    expect(bar.type).toBe('bar');
    expect(bar.x.length).toBe(h.hist!.counts.length);
    expect(bar.y.reduce((a, b) => a + b, 0)).toBe(5);
    const title = (fig.layout.title as { text: string }).text;
    expect(title).toMatch(/^Photons · median 1[23]\d$/);
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).toBe('photons');
    expect(histogramFigure(null, LOC_HISTOGRAMS[1], 'light').data[0]).toMatchObject({ x: [], y: [] });
  });
});
