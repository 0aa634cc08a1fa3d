// Figure builders for post-processing: the drift trace, NeNA's distance histogram with its fit,
// and the FRC curve with the 1/7 threshold. Pure: data in, {data, layout} out.
import type { Data } from 'plotly.js';
import type { FrcResult } from '../core/locs/frc';
import type { NenaResult } from '../core/locs/nena';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export interface DriftData {
  dx: ArrayLike<number>;
  dy: ArrayLike<number>;
  nodes?: { frame: ArrayLike<number>; dx: ArrayLike<number>; dy: ArrayLike<number> };
  /** False: an estimate judged unreliable and not applied, drawn dashed. */
  applied?: boolean;
}

/** Longest trace drawn point by point; longer ones are decimated (the trace is smooth). */
const MAX_POINTS = 4000;

export function driftFigure(d: DriftData, theme: ThemeName): Figure {
  const n = d.dx.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const frame: number[] = [];
  const dx: number[] = [];
  const dy: number[] = [];
  for (let f = 0; f < n; f += step) {
    frame.push(f + 1);
    dx.push(d.dx[f]);
    dy.push(d.dy[f]);
  }
  if (n > 0 && frame[frame.length - 1] !== n) {
    frame.push(n);
    dx.push(d.dx[n - 1]);
    dy.push(d.dy[n - 1]);
  }
  const dash = d.applied === false ? 'dash' : 'solid';
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'x',
      x: frame,
      y: dx,
      line: { color: '#5aa9ff', width: 1.5, dash },
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'y',
      x: frame,
      y: dy,
      line: { color: '#ff9f43', width: 1.5, dash },
    },
  ];
  if (d.nodes && d.nodes.frame.length > 0) {
    const nf = Array.from(d.nodes.frame, (f) => f + 1);
    data.push(
      {
        type: 'scatter',
        mode: 'markers',
        name: 'x estimates',
        x: nf,
        y: Array.from(d.nodes.dx),
        marker: { color: '#5aa9ff', size: 5 },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'y estimates',
        x: nf,
        y: Array.from(d.nodes.dy),
        marker: { color: '#ff9f43', size: 5 },
      },
    );
  }
  return {
    data,
    layout: baseLayout(theme, {
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: 1.14, font: { size: 10 } },
      margin: { l: 48, r: 10, t: 30, b: 40 },
      xaxis: { title: { text: 'frame' } },
      yaxis: { title: { text: d.applied === false ? 'drift estimate, NOT applied (nm)' : 'drift (nm)' } },
    }),
  };
}

export function nenaFigure(r: NenaResult, theme: ThemeName): Figure {
  const x = Array.from(r.binCenters);
  return {
    data: [
      { type: 'bar', name: 'pairs', x, y: Array.from(r.counts), marker: { color: '#6b7a8c' } },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'fit',
        x,
        y: Array.from(r.fit),
        line: { color: '#ff9f43', width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'NeNA term',
        x,
        y: Array.from(r.fitNena),
        line: { color: '#5aa9ff', width: 1.5, dash: 'dot' },
      },
    ],
    layout: baseLayout(theme, {
      title: { text: `NeNA σ = ${r.sigmaNm.toFixed(1)} nm (${r.pairs} pairs)`, font: { size: 12 } },
      bargap: 0,
      xaxis: { title: { text: 'distance to nearest neighbour in next frame (nm)' } },
      yaxis: { title: { text: 'pairs' } },
    }),
  };
}

export function frcFigure(r: FrcResult, theme: ThemeName): Figure {
  const f = Array.from(r.frequency);
  const last = f.length ? f[f.length - 1] : 1;
  const resolved = Number.isFinite(r.resolutionNm);
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'FRC',
      x: f,
      y: Array.from(r.frc),
      line: { color: '#5aa9ff', width: 1.5 },
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: '1/7',
      x: [0, last],
      y: [r.threshold, r.threshold],
      line: { color: '#ff7b72', width: 1, dash: 'dash' },
    },
  ];
  if (resolved)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'resolution',
      x: [1 / r.resolutionNm],
      y: [r.threshold],
      marker: { color: '#ff7b72', size: 8 },
    });
  return {
    data,
    layout: baseLayout(theme, {
      title: {
        text: resolved ? `FRC resolution ${r.resolutionNm.toFixed(1)} nm` : 'FRC never falls below 1/7',
        font: { size: 12 },
      },
      xaxis: { title: { text: 'spatial frequency (1/nm)' } },
      yaxis: { title: { text: 'FRC' }, range: [-0.1, 1.05] },
    }),
  };
}
