// Figure builders of the ground-truth comparison: the right traces, bins centred, gaps kept.
import { describe, expect, test } from 'vitest';
import { errorHistogramFigure, errorVsPhotonsFigure, jaccardOverTimeFigure } from '../../src/plots/truth';

type Trace = { type?: string; name?: string; x?: unknown[]; y?: unknown[]; width?: number };

describe('truth figures', () => {
  test('error histogram: bars at bin centres and the CRLB curve over the same bins', () => {
    const fig = errorHistogramFigure(
      {
        edges: Float64Array.from([-15, -5, 5, 15]),
        counts: Uint32Array.from([2, 10, 3]),
        expected: Float64Array.from([2.5, 9, 2.5]),
      },
      'x',
      8.2,
      'dark',
    );
    const [bars, curve] = fig.data as Trace[];
    expect(bars.type).toBe('bar');
    expect(bars.x).toEqual([-10, 0, 10]);
    expect(bars.y).toEqual([2, 10, 3]);
    expect(bars.width).toBe(10);
    expect(curve.type).toBe('scatter');
    expect(curve.y).toEqual([2.5, 9, 2.5]);
    expect(curve.name).toBe('CRLB σ 8.2 nm');
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).toContain('Δx');
    expect(fig.layout.paper_bgcolor).toBe('#1a1f26');
  });

  test('error vs photons: log axis, NaN bins become gaps', () => {
    const fig = errorVsPhotonsFigure(
      {
        photons: Float64Array.from([100, 1000]),
        count: Uint32Array.from([0, 4]),
        rmse: Float64Array.from([Number.NaN, 9]),
        crlb: Float64Array.from([20, 6]),
      },
      { photons: Float32Array.from([900, 1100]), error: Float32Array.from([5, 12]) },
      'light',
    );
    const [points, rmse, crlb] = fig.data as Trace[];
    expect(points.x).toEqual([900, 1100]);
    expect(rmse.y).toEqual([null, 9]);
    expect(crlb.y).toEqual([20, 6]);
    expect((fig.layout.xaxis as { type: string }).type).toBe('log');
    expect(fig.layout.paper_bgcolor).toBe('#ffffff');
  });

  test('Jaccard over time: percent at 1-based block centres', () => {
    const fig = jaccardOverTimeFigure(
      {
        start: Uint32Array.from([0, 10]),
        end: Uint32Array.from([10, 20]),
        jaccard: Float64Array.from([0.5, Number.NaN]),
      },
      'dark',
    );
    const [t] = fig.data as Trace[];
    expect(t.x).toEqual([5.5, 15.5]);
    expect(t.y).toEqual([50, null]);
  });
});
