// Figures of the Ca²⁺-response step, as pure builders: the heat map of every cell's ΔF/F₀ over
// time with the EV addition marked, the traces of selected cells with their thresholds, the
// responder fraction with its 95 % CI, and the latency distribution.
import type { Data, Shape } from 'plotly.js';
import type { CellRow, ResponseSummary } from '../core/calcium';
import type { Figure } from './Plot';
import { baseLayout, CATEGORY_COLOURS, NEUTRAL_COLOUR, type ThemeName } from './theme';
import { lineTraceType } from './webgl';

// The addition line takes the orange; cell traces take the other categorical colours.
const ADD_COLOUR = CATEGORY_COLOURS[1];
const TRACE_COLOURS = [CATEGORY_COLOURS[0], ...CATEGORY_COLOURS.slice(2), NEUTRAL_COLOUR];

export function traceColour(i: number): string {
  return TRACE_COLOURS[i % TRACE_COLOURS.length];
}

function additionLine(addTimeS: number, yref: 'paper' | 'y' = 'paper'): Partial<Shape> {
  return {
    type: 'line',
    x0: addTimeS,
    x1: addTimeS,
    y0: 0,
    y1: 1,
    yref,
    xref: 'x',
    line: { color: ADD_COLOUR, width: 2, dash: 'dash' },
  };
}

export interface HeatmapInput {
  dff: Float32Array;
  count: number;
  frames: number;
  frameIntervalS: number;
  addFrame: number;
  /** Rows shown top to bottom (cell numbers 1…n); default all in order. */
  order?: number[];
}

/**
 * Cells × time heat map of ΔF/F₀. Long movies are binned in time to ≤ 600 columns (mean per bin)
 * so a 2,000-frame run redraws quickly while it streams; NaN (not read yet) stays blank.
 */
export function dffHeatmapFigure(h: HeatmapInput, theme: ThemeName): Figure {
  const bin = Math.max(1, Math.ceil(h.frames / 600));
  const cols = Math.ceil(h.frames / bin);
  const order = h.order ?? Array.from({ length: h.count }, (_, i) => i + 1);
  const z: (number | null)[][] = [];
  for (const cell of order) {
    const row: (number | null)[] = new Array(cols).fill(null);
    const base = (cell - 1) * h.frames;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      let n = 0;
      for (let f = c * bin; f < Math.min(h.frames, (c + 1) * bin); f++) {
        const v = h.dff[base + f];
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
      row[c] = n ? s / n : null;
    }
    z.push(row);
  }
  const x = Array.from({ length: cols }, (_, c) => (c * bin + (bin - 1) / 2) * h.frameIntervalS);
  const data: Data[] = [
    {
      type: 'heatmap',
      z,
      x,
      y: order.map((c) => `cell ${c}`),
      colorscale: 'Viridis',
      zmin: 0,
      colorbar: { title: { text: 'ΔF/F₀' }, thickness: 12 },
      hovertemplate: '%{y}, %{x:.1f} s: ΔF/F₀ %{z:.3f}<extra></extra>',
    } as Data,
  ];
  return {
    data,
    layout: baseLayout(theme, {
      title: { text: `ΔF/F₀ of ${h.count} cells (EVs added at the dashed line)` },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { autorange: 'reversed', showticklabels: h.count <= 40 },
      shapes: [additionLine(h.addFrame * h.frameIntervalS)],
      margin: { l: 60, r: 12, t: 30, b: 40 },
    }),
  };
}

export interface TracesInput {
  dff: Float32Array;
  frames: number;
  frameIntervalS: number;
  addFrame: number;
  cells: CellRow[];
  selected: number[];
}

export function selectedTracesFigure(t: TracesInput, theme: ThemeName): Figure {
  const x = Array.from({ length: t.frames }, (_, f) => f * t.frameIntervalS);
  const data: Data[] = [];
  // At most 12 cells: SVG unless the movie is very long (see lineTraceType).
  const type = lineTraceType(t.selected.length * (t.frames + 2));
  t.selected.forEach((cell, i) => {
    const row = t.cells[cell - 1];
    if (!row) return;
    const y = Array.from(t.dff.subarray((cell - 1) * t.frames, cell * t.frames));
    const colour = traceColour(i);
    data.push({
      type,
      mode: 'lines',
      x,
      y,
      name: `cell ${cell}${row.responder ? ' (responder)' : ''}`,
      line: { color: colour, width: 1.5 },
    } as Data);
    if (Number.isFinite(row.threshold))
      data.push({
        type,
        mode: 'lines',
        x: [t.addFrame * t.frameIntervalS, x[x.length - 1]],
        y: [row.threshold, row.threshold],
        name: `threshold, cell ${cell}`,
        line: { color: colour, width: 1, dash: 'dot' },
        showlegend: false,
        hoverinfo: 'skip',
      } as Data);
  });
  return {
    data,
    layout: baseLayout(theme, {
      title: {
        text: t.selected.length ? 'Selected cells (dotted: response threshold)' : 'Click cells to plot them',
      },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { title: { text: 'ΔF/F₀' } },
      showlegend: true,
      legend: { orientation: 'h', y: -0.25 },
      shapes: [additionLine(t.addFrame * t.frameIntervalS)],
    }),
  };
}

/** Frames read of the whole, while a run streams: titles then say "so far". */
export interface SoFar {
  framesDone: number;
  frameCount: number;
}

const soFarText = (f?: SoFar) => (f ? ` so far (frame ${f.framesDone} of ${f.frameCount})` : '');

export function responderFigure(s: ResponseSummary, theme: ThemeName, soFar?: SoFar): Figure {
  const pct = 100 * s.fraction;
  return {
    data: [
      {
        type: 'bar',
        x: ['responders'],
        y: [pct],
        marker: { color: '#4e9cf5' },
        error_y: {
          type: 'data',
          symmetric: false,
          array: [100 * s.ci95[1] - pct],
          arrayminus: [pct - 100 * s.ci95[0]],
          color: '#d7dce3',
        },
        text: [`${s.responders}/${s.cells}`],
        textposition: 'inside',
        hovertemplate: `%{y:.1f} % (95 % CI ${(100 * s.ci95[0]).toFixed(1)}–${(100 * s.ci95[1]).toFixed(1)} %), n = ${s.cells} cells<extra></extra>`,
      } as Data,
    ],
    layout: baseLayout(theme, {
      title: { text: `Responders${soFarText(soFar)}, n = ${s.cells} cells` },
      yaxis: { title: { text: '% of cells' }, range: [0, 100] },
    }),
  };
}

export function latencyFigure(
  cells: readonly Pick<CellRow, 'responder' | 'latencyS'>[],
  theme: ThemeName,
  soFar?: SoFar,
): Figure {
  const lat = cells.filter((c) => c.responder).map((c) => c.latencyS);
  return {
    data: [
      {
        type: 'histogram',
        x: lat,
        marker: { color: '#5fd08a' },
        hovertemplate: '%{x} s: %{y} cells<extra></extra>',
      } as Data,
    ],
    layout: baseLayout(theme, {
      title: { text: `Latency (${lat.length} responders${soFarText(soFar)})` },
      xaxis: { title: { text: 'latency (s)' } },
      yaxis: { title: { text: 'cells' } },
    }),
  };
}
