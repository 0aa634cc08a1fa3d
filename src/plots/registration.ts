// The residual-vector plot of a registration: every bead at its reference position, an arrow
// (drawn as a line segment, plotly has no quiver trace) from there along its residual
// reference − T(moving), magnified so a few-nm field can be seen on a µm map, and the rejected
// beads as crosses. Camera orientation: y grows downwards, as in the image.
import type { Data } from 'plotly.js';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export interface ResidualData {
  /** Reference positions (nm) and residuals (nm) of the beads used. */
  refX: ArrayLike<number>;
  refY: ArrayLike<number>;
  residualX: ArrayLike<number>;
  residualY: ArrayLike<number>;
  outlierRefX?: ArrayLike<number>;
  outlierRefY?: ArrayLike<number>;
}

export interface ResidualOptions {
  /** Field of view (nm) for the axes; default: the beads' extent. */
  widthNm?: number;
  heightNm?: number;
  /** Arrow magnification; default: the median arrow is 4 % of the field's larger side. */
  magnification?: number;
}

/** A round magnification (1, 2, 5 × 10^k) giving the median residual `target` nm on the plot. */
export function residualMagnification(
  residualX: ArrayLike<number>,
  residualY: ArrayLike<number>,
  target: number,
): number {
  const n = residualX.length;
  if (n === 0) return 1;
  const len = Array.from({ length: n }, (_, i) => Math.hypot(residualX[i], residualY[i])).sort(
    (a, b) => a - b,
  );
  const med = len[n >> 1];
  if (!(med > 0)) return 1;
  const raw = target / med;
  const k = 10 ** Math.floor(Math.log10(raw));
  const m = raw / k;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * k;
}

export function registrationResidualFigure(
  d: ResidualData,
  theme: ThemeName,
  o: ResidualOptions = {},
): Figure {
  const n = d.refX.length;
  let maxX = o.widthNm ?? 0;
  let maxY = o.heightNm ?? 0;
  if (!o.widthNm || !o.heightNm)
    for (let i = 0; i < n; i++) {
      maxX = Math.max(maxX, d.refX[i]);
      maxY = Math.max(maxY, d.refY[i]);
    }
  const mag =
    o.magnification ?? residualMagnification(d.residualX, d.residualY, 0.04 * Math.max(maxX, maxY, 1));
  const um = (v: number) => v / 1000;
  // One trace of segments separated by nulls: thousands of arrows stay one SVG path.
  const lx: (number | null)[] = [];
  const ly: (number | null)[] = [];
  const hover: string[] = [];
  for (let i = 0; i < n; i++) {
    lx.push(um(d.refX[i]), um(d.refX[i] + mag * d.residualX[i]), null);
    ly.push(um(d.refY[i]), um(d.refY[i] + mag * d.residualY[i]), null);
  }
  for (let i = 0; i < n; i++)
    hover.push(
      `bead ${i + 1}<br>(${um(d.refX[i]).toFixed(2)}, ${um(d.refY[i]).toFixed(2)}) µm<br>residual ${d.residualX[i].toFixed(1)}, ${d.residualY[i].toFixed(1)} nm`,
    );
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: `residual ×${mag}`,
      x: lx,
      y: ly,
      line: { color: '#ff9f43', width: 1.5 },
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'beads used',
      x: Array.from(d.refX, um),
      y: Array.from(d.refY, um),
      text: hover,
      hoverinfo: 'text',
      marker: { color: '#5aa9ff', size: n > 400 ? 3 : 5 },
    },
  ];
  const no = d.outlierRefX?.length ?? 0;
  if (no > 0)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'outliers (rejected)',
      x: Array.from(d.outlierRefX!, um),
      y: Array.from(d.outlierRefY!, um),
      marker: { color: '#ff5d5d', size: 8, symbol: 'x' },
      hoverinfo: 'x+y+name',
    });
  return {
    data,
    layout: baseLayout(theme, {
      margin: { l: 44, r: 8, t: 24, b: 36 },
      showlegend: true,
      legend: { orientation: 'h', y: 1.12, x: 0, font: { size: 10 } },
      xaxis: { title: { text: 'x (µm)' }, range: [0, um(maxX)], constrain: 'domain' },
      // Image orientation (y down) and square µm.
      yaxis: { title: { text: 'y (µm)' }, range: [um(maxY), 0], scaleanchor: 'x', scaleratio: 1 },
    }),
  };
}
