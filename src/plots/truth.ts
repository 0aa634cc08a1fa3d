// Figures of the ground-truth comparison: localization error histograms with the counts a
// CRLB-limited localizer would give, error versus photons against the CRLB, and Jaccard over time.
// Pure builders over the small arrays the stack worker returns (workers/truth.api.ts).
import type { Data, Layout } from 'plotly.js';
import type { ErrorHistogram, PhotonBins } from '../core/score/compare';
import { baseLayout, type ThemeName } from './theme';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

const COLORS = {
  dark: { measured: '#5aa9ff', model: '#ffb454', points: 'rgba(90,169,255,0.25)' },
  light: { measured: '#0a5fc2', model: '#c46a00', points: 'rgba(10,95,194,0.22)' },
} as const;

// One row above the plot area: the results column is narrow, so entries stay short.
const LEGEND: Partial<Layout> = {
  showlegend: true,
  legend: {
    orientation: 'h',
    x: 0,
    y: 1,
    yanchor: 'bottom',
    font: { size: 10 },
    bgcolor: 'rgba(0,0,0,0)',
    itemwidth: 30,
  },
};

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/**
 * Histogram of localization − truth along one axis, bars measured, line the CRLB prediction for
 * the same matches (a Gaussian mixture at each match's photons).
 */
export function errorHistogramFigure(
  hist: ErrorHistogram,
  axis: 'x' | 'y',
  crlbNm: number,
  theme: ThemeName,
): Figure {
  const n = hist.counts.length;
  const centres: number[] = [];
  for (let k = 0; k < n; k++) centres.push((hist.edges[k] + hist.edges[k + 1]) / 2);
  const width = n ? hist.edges[1] - hist.edges[0] : 1;
  const c = COLORS[theme];
  return {
    data: [
      {
        type: 'bar',
        name: 'measured',
        x: centres,
        y: Array.from(hist.counts),
        width,
        marker: { color: c.measured, opacity: 0.75 },
        hovertemplate: `Δ${axis} %{x:.1f} nm: %{y} matches<extra></extra>`,
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `CRLB σ ${fmt(crlbNm)} nm`,
        x: centres,
        y: Array.from(hist.expected),
        line: { color: c.model, width: 2, shape: 'spline' },
        hovertemplate: `CRLB-limited: %{y:.1f}<extra></extra>`,
      },
    ],
    layout: baseLayout(theme, {
      ...LEGEND,
      height: 190,
      margin: { l: 44, r: 8, t: 30, b: 36 },
      bargap: 0.05,
      xaxis: { title: { text: `Δ${axis} = loc − truth (nm)` }, zeroline: true },
      yaxis: { title: { text: 'matches' }, rangemode: 'tozero' },
    }),
  };
}

/** Lateral error against the true photon count: points, binned RMSE, and the CRLB curve. */
export function errorVsPhotonsFigure(
  bins: PhotonBins,
  scatter: { photons: ArrayLike<number>; error: ArrayLike<number> },
  theme: ThemeName,
): Figure {
  const c = COLORS[theme];
  const filled = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'matches',
        x: Array.from(scatter.photons),
        y: Array.from(scatter.error),
        marker: { color: c.points, size: 3 },
        hovertemplate: '%{x:.0f} photons: %{y:.1f} nm<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'RMSE',
        x: Array.from(bins.photons),
        y: filled(bins.rmse),
        customdata: Array.from(bins.count),
        line: { color: c.measured, width: 2 },
        marker: { size: 5 },
        hovertemplate: '%{x:.0f} photons: RMSE %{y:.1f} nm (%{customdata} matches)<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'CRLB',
        x: Array.from(bins.photons),
        y: filled(bins.crlb),
        line: { color: c.model, width: 2, dash: 'dash' },
        hovertemplate: '%{x:.0f} photons: CRLB %{y:.1f} nm<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      ...LEGEND,
      height: 200,
      margin: { l: 44, r: 8, t: 30, b: 36 },
      xaxis: { title: { text: 'true photons' }, type: 'log' },
      yaxis: { title: { text: 'lateral error (nm)' }, rangemode: 'tozero' },
    }),
  };
}

/** Jaccard index (%) in consecutive blocks of frames, to see detection change over the movie. */
export function jaccardOverTimeFigure(
  blocks: { start: ArrayLike<number>; end: ArrayLike<number>; jaccard: ArrayLike<number> },
  theme: ThemeName,
): Figure {
  const c = COLORS[theme];
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (let b = 0; b < blocks.jaccard.length; b++) {
    // Frames are 1-based on screen, as in the frame bar.
    x.push((blocks.start[b] + blocks.end[b] - 1) / 2 + 1);
    const j = blocks.jaccard[b];
    y.push(Number.isFinite(j) ? 100 * j : null);
  }
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'Jaccard',
        x,
        y,
        line: { color: c.measured, width: 1.5 },
        marker: { size: 4 },
        connectgaps: false,
        hovertemplate: 'frame %{x:.0f}: Jaccard %{y:.1f} %<extra></extra>',
      },
    ],
    layout: baseLayout(theme, {
      height: 150,
      margin: { l: 44, r: 8, t: 10, b: 36 },
      xaxis: { title: { text: 'frame' } },
      yaxis: { title: { text: 'Jaccard (%)' }, range: [0, 100] },
    }),
  };
}
