// Figures of the movie's structures over time: how many there are and how large, per movie frame
// (x = the window's centre time, s), and the pooled histogram the threshold was picked from.
import type { Data } from 'plotly.js';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export interface StructuresOverTime {
  /** Window centre time of each movie frame, s. */
  timeS: number[];
  count: number[];
  meanDiameterNm: number[];
}

/** Count (left axis) and mean equivalent diameter (right axis) of the structures per movie frame. */
export function structuresOverTimeFigure(d: StructuresOverTime, theme: ThemeName, currentS?: number): Figure {
  if (d.timeS.length !== d.count.length || d.count.length !== d.meanDiameterNm.length)
    throw new RangeError('time, count and diameter series must have one entry per movie frame');
  const frames = d.timeS.map((_, i) => i);
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'structures',
      x: d.timeS,
      y: d.count,
      customdata: frames,
      line: { color: '#5aa9ff', width: 1.5, shape: 'hv' },
      hovertemplate: 't %{x:.2f} s · %{y} structures<extra></extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'mean diameter',
      x: d.timeS,
      // Frames without structures have no size: leave a gap, not a zero.
      y: d.meanDiameterNm.map((v, i) => (d.count[i] > 0 ? v : null)),
      customdata: frames,
      yaxis: 'y2',
      line: { color: '#ffb454', width: 1.5 },
      hovertemplate: 't %{x:.2f} s · mean Ø %{y:.0f} nm<extra></extra>',
    },
  ];
  const layout = baseLayout(theme, {
    height: 210,
    margin: { l: 44, r: 48, t: 12, b: 36 },
    // Axis titles in the trace colours stand in for a legend, which would cover the curves.
    showlegend: false,
    xaxis: { title: { text: 'window centre (s)' } },
    yaxis: { title: { text: 'structures', font: { color: '#5aa9ff' } }, rangemode: 'tozero' },
    yaxis2: {
      title: { text: 'mean Ø (nm)', font: { color: '#ffb454' } },
      overlaying: 'y',
      side: 'right',
      rangemode: 'tozero',
      showgrid: false,
    },
    shapes:
      currentS === undefined
        ? []
        : [
            {
              type: 'line',
              x0: currentS,
              x1: currentS,
              yref: 'paper',
              y0: 0,
              y1: 1,
              line: { color: '#9aa5b4', width: 1, dash: 'dot' },
            },
          ],
  });
  return { data, layout };
}
