// Figure builders of the EV-marker step: pure {data, layout} from the result's columns.
import type { Data } from 'plotly.js';
import { describe, expect, test } from 'vitest';
import {
  countHistogramFigure,
  evTraceFigure,
  probeBySubtypeFigure,
  subtypeColour,
  ternaryFigure,
} from '../../src/plots/markers';

type AnyTrace = Data & Record<string, unknown>;
const names = [
  'marker-negative',
  'CD9-only',
  'CD63-only',
  'CD9+CD63+',
  'CD81-only',
  'CD9+CD81+',
  'CD63+CD81+',
  'CD9+CD63+CD81+',
];

describe('ternary composition plot', () => {
  const composition = {
    CD9: Float64Array.from([0, 0.5, Number.NaN, 1 / 3]),
    CD63: Float64Array.from([1, 0, Number.NaN, 1 / 3]),
    CD81: Float64Array.from([0, 0.5, Number.NaN, 1 / 3]),
  };
  const input = {
    markerNames: ['CD9', 'CD63', 'CD81'],
    composition,
    subtype: Int32Array.from([2, 5, 0, 7]),
    subtypeNames: names,
    ids: Uint32Array.from([11, 12, 13, 14]),
    selected: 3,
  };

  test('one scatterternary trace per subtype, EVs without molecules left out, rows as customdata', () => {
    const fig = ternaryFigure(input, 'dark')!;
    const traces = fig.data as AnyTrace[];
    expect(traces.map((t) => t.type)).toEqual(['scatterternary', 'scatterternary', 'scatterternary']);
    expect(traces.map((t) => t.name)).toEqual(['CD63-only', 'CD9+CD81+', 'CD9+CD63+CD81+']);
    expect(traces[0].a).toEqual([0]);
    expect(traces[0].b).toEqual([1]);
    expect(traces[1].a).toEqual([0.5]);
    expect(traces[1].c).toEqual([0.5]);
    expect(traces.map((t) => t.customdata)).toEqual([[0], [1], [3]]);
    expect(traces[2].text).toEqual(['EV 14']);
    // Colours follow the subtype code; the selected EV is drawn larger.
    expect((traces[2].marker as { color: string }).color).toBe(subtypeColour(7));
    expect((traces[2].marker as { size: number[] }).size).toEqual([13]);
    const tern = (fig.layout as { ternary: Record<string, { title: { text: string } }> }).ternary;
    expect([tern.aaxis.title.text, tern.baxis.title.text, tern.caxis.title.text]).toEqual([
      'CD9',
      'CD63',
      'CD81',
    ]);
    expect(fig.layout.paper_bgcolor).toBe('#1a1f26');
  });

  test('needs exactly three markers', () => {
    expect(ternaryFigure({ ...input, markerNames: ['CD9', 'CD63'] }, 'light')).toBeNull();
  });
});

describe('count histograms', () => {
  test('integer bins from 0 to the largest count, one grouped bar series per channel', () => {
    const fig = countHistogramFigure(
      {
        channels: [
          { name: 'CD9', counts: Float64Array.from([0, 1, 1, 3, Number.NaN]) },
          { name: 'CD63', counts: Float64Array.from([2, 2, 0, 0.4, 1.6]) },
        ],
      },
      'light',
    );
    const [a, b] = fig.data as AnyTrace[];
    expect(a.x).toEqual([0, 1, 2, 3]);
    expect(a.y).toEqual([1, 2, 0, 1]);
    expect(b.y).toEqual([2, 0, 3, 0]); // ratios round to the nearest molecule
    expect(fig.layout.barmode).toBe('group');
  });
});

describe('probe counts per subtype', () => {
  const input = {
    probe: Float64Array.from([3, 9, 4, 10, 8, Number.NaN]),
    subtype: Int32Array.from([2, 7, 2, 7, 7, 2]),
    subtypeNames: names,
    probeName: 'fluidity probe',
  };
  test('a box per subtype with its EVs as clickable points', () => {
    const fig = probeBySubtypeFigure(input, 'box', 'dark');
    const traces = fig.data as AnyTrace[];
    expect(traces.map((t) => [t.type, t.name])).toEqual([
      ['box', 'CD63-only'],
      ['box', 'CD9+CD63+CD81+'],
    ]);
    expect(traces[0].y).toEqual([3, 4]);
    expect(traces[0].customdata).toEqual([0, 2]);
    expect(traces[1].boxpoints).toBe('all');
  });
  test('or violins', () => {
    const traces = probeBySubtypeFigure(input, 'violin', 'dark').data as AnyTrace[];
    expect(traces.every((t) => t.type === 'violin')).toBe(true);
  });
});

describe('EV trace plot', () => {
  test('one row per channel in molecules, fitted levels as horizontal segments', () => {
    const fig = evTraceFigure(
      [
        {
          name: 'CD9',
          trace: Float64Array.from([200, 210, 190, 5, -5, 0]),
          segFrom: Int32Array.from([0, 3]),
          segLength: Int32Array.from([3, 3]),
          segLevel: Float64Array.from([200, 0]),
          unit: 100,
        },
        {
          name: 'CD63',
          trace: Float64Array.from([50, 50, 50, 50, 50, 50]),
          segFrom: Int32Array.from([0]),
          segLength: Int32Array.from([6]),
          segLevel: Float64Array.from([50]),
          unit: Number.NaN,
        },
      ],
      10,
      'dark',
    );
    const t = fig.data as AnyTrace[];
    expect(t.length).toBe(4);
    expect(t[0].x).toEqual([11, 12, 13, 14, 15, 16]); // 1-based frames from the first analysed one
    const y = t[0].y as number[];
    for (const [i, v] of [2, 2.1, 1.9, 0.05, -0.05, 0].entries()) expect(y[i]).toBeCloseTo(v, 12);
    expect(t[1].x).toEqual([10.5, 13.5, 13.5, 16.5]);
    expect(t[1].y).toEqual([2, 2, 0, 0]);
    // Unknown unit: ADU, on the second row's axes.
    expect(t[2].y).toEqual([50, 50, 50, 50, 50, 50]);
    expect(t[2].yaxis).toBe('y2');
    const l = fig.layout as Record<string, { domain?: number[]; title?: { text: string }; matches?: string }>;
    expect(l.yaxis.title!.text).toBe('mol.');
    expect(l.yaxis2.title!.text).toBe('ADU');
    const notes = (fig.layout.annotations ?? []).map((a) => a.text);
    expect(notes).toEqual(['CD9', 'CD63']);
    expect(l.yaxis.domain![0]).toBeGreaterThan(l.yaxis2.domain![1]);
    expect(l.xaxis2.matches).toBe('x');
  });
});
