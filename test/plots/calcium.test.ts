import { describe, expect, it } from 'vitest';
import type { CellRow } from '../../src/core/calcium';
import {
  dffHeatmapFigure,
  latencyFigure,
  responderFigure,
  selectedTracesFigure,
} from '../../src/plots/calcium';

const row = (cell: number, responder: boolean, latencyS: number): CellRow => ({
  cell,
  xPx: 0,
  yPx: 0,
  areaPx: 10,
  f0: 1,
  baselineSd: 0.01,
  threshold: 0.03,
  responder,
  latencyFrames: latencyS,
  latencyS,
  peakDff: 0.5,
  peakFrame: 3,
  aucDffS: 1,
  transients: responder ? 1 : 0,
  bleachRatePerFrame: 0,
  note: '',
});

describe('calcium figures', () => {
  it('heat map: one row per cell, NaN (not read yet) blank, the addition marked in seconds', () => {
    const dff = Float32Array.from([0, 1, Number.NaN, Number.NaN, 2, 3, Number.NaN, Number.NaN]);
    const f = dffHeatmapFigure({ dff, count: 2, frames: 4, frameIntervalS: 0.5, addFrame: 1 }, 'dark');
    const z = (f.data[0] as { z: (number | null)[][] }).z;
    expect(z).toEqual([
      [0, 1, null, null],
      [2, 3, null, null],
    ]);
    expect((f.data[0] as { x: number[] }).x).toEqual([0, 0.5, 1, 1.5]);
    expect(f.layout.shapes?.[0]).toMatchObject({ x0: 0.5, x1: 0.5 });
  });

  it('heat map bins long movies in time to ≤ 600 columns (means per bin)', () => {
    const frames = 2000;
    const dff = new Float32Array(frames).map((_, i) => i);
    const f = dffHeatmapFigure({ dff, count: 1, frames, frameIntervalS: 1, addFrame: 500 }, 'light');
    const z = (f.data[0] as { z: number[][] }).z[0];
    expect(z.length).toBe(500);
    expect(z[0]).toBe(1.5); // frames 0–3
  });

  it('responder fraction carries its Wilson CI as asymmetric error bars, in %', () => {
    const f = responderFigure(
      {
        cells: 20,
        responders: 8,
        fraction: 0.4,
        ci95: [0.2188, 0.6134],
        medianLatencyS: 1,
        medianPeakDff: 1,
      },
      'dark',
    );
    const bar = f.data[0] as { y: number[]; error_y: { array: number[]; arrayminus: number[] } };
    expect(bar.y[0]).toBeCloseTo(40, 9);
    expect(bar.error_y.array[0]).toBeCloseTo(21.34, 6);
    expect(bar.error_y.arrayminus[0]).toBeCloseTo(18.12, 6);
  });

  it('latency histogram holds responders only; traces plot the selected cells with their thresholds', () => {
    const cells = [row(1, true, 4), row(2, false, Number.NaN), row(3, true, 9)];
    expect((latencyFigure(cells, 'dark').data[0] as { x: number[] }).x).toEqual([4, 9]);
    const dff = new Float32Array(3 * 5).map((_, i) => i);
    const t = selectedTracesFigure(
      { dff, frames: 5, frameIntervalS: 1, addFrame: 2, cells, selected: [3] },
      'dark',
    );
    expect((t.data[0] as { y: number[] }).y).toEqual([10, 11, 12, 13, 14]);
    expect((t.data[1] as { y: number[] }).y).toEqual([0.03, 0.03]);
    // A few traces of a short movie are SVG lines: no WebGL context is needed or taken.
    expect(t.data.map((d) => d.type)).toEqual(['scatter', 'scatter']);
  });

  it('twelve traces of a very long movie use WebGL (the SVG twin stands in where it is missing)', () => {
    const frames = 6000;
    const cells = Array.from({ length: 12 }, (_, i) => row(i + 1, true, 4));
    const t = selectedTracesFigure(
      {
        dff: new Float32Array(12 * frames),
        frames,
        frameIntervalS: 0.1,
        addFrame: 10,
        cells,
        selected: cells.map((c) => c.cell),
      },
      'dark',
    );
    expect(new Set(t.data.map((d) => d.type))).toEqual(new Set(['scattergl']));
  });
});
