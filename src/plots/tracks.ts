// Figures of the Tracks & distances step, as pure builders: EV vs control distance histograms
// with the tests, one track's distance over time, time within the cut-off per track, the
// colocalization durations with their exponential fit, and a track's MSD with its D fit; plus
// the step's tables as CSV. Points that stand for a track carry its id as customdata.
import type { Data } from 'plotly.js';
import type { ColocResult } from '../core/coloc/analysis';
import type { DurationFit } from '../core/coloc/analysisDurations';
import { formatP } from '../core/coloc/report';
import { defaultMaxLag, msdCurve } from '../core/spt/msd';
import { MOBILITY_NAMES, type TrackSummary } from '../core/spt/summary';
import { type TrackTable, trackRanges } from '../core/spt/types';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export const EV_COLOUR = '#f0a43a';
export const CONTROL_COLOUR = '#6f8fb8';
export const MOBILITY_COLOURS = ['#4e9cf5', '#e76fb4', '#5fd08a', '#9aa5b4'];

/** Legend in the plot's top-right corner, clear of the title line. */
type Hist = ColocResult['histogramTable'];

const INSIDE_LEGEND = {
  x: 0.99,
  xanchor: 'right' as const,
  y: 0.99,
  yanchor: 'top' as const,
  bgcolor: 'rgba(0,0,0,0)',
  font: { size: 10 },
};

/** EV and control distance histograms overlaid (inner bins; under/overflow noted), with KS and χ². */
export function distanceHistogramFigure(
  r: Pick<ColocResult, 'histogramTable' | 'ks' | 'chiSquare'>,
  units: 'counts' | 'percent',
  theme: ThemeName,
): Figure {
  const h: Hist = r.histogramTable;
  const c = h.columns;
  const inner = (a: ArrayLike<number>) => Array.from(a).slice(1, h.length - 1);
  const centres = inner(c.binStart).map((s, k) => s + (inner(c.binEnd)[k] - s) / 2);
  const width = h.length > 2 ? c.binEnd[1] - c.binStart[1] : 1;
  const ev = units === 'percent' ? c.evPercent : c.evCount;
  const ctl = units === 'percent' ? c.controlPercent : c.controlCount;
  const last = h.length - 1;
  const fmt = (v: number) => (units === 'percent' ? `${v.toFixed(1)}%` : String(v));
  const data: Data[] = [
    {
      type: 'bar',
      name: 'Control',
      x: centres,
      y: inner(ctl),
      width,
      marker: { color: CONTROL_COLOUR },
      opacity: 0.6,
      hovertemplate: '%{x} nm: %{y}<extra>control</extra>',
    },
    {
      type: 'bar',
      name: 'EV',
      x: centres,
      y: inner(ev),
      width,
      marker: { color: EV_COLOUR },
      opacity: 0.7,
      hovertemplate: '%{x} nm: %{y}<extra>EV</extra>',
    },
  ];
  // Per-position histograms are descriptive; the test is on tracks (trackTest.ts).
  const title = `Per position, descriptive (n ${r.ks.n} EV, ${r.ks.m} ctl): KS p ${formatP(r.ks.p)} · χ² p ${formatP(r.chiSquare.p)}`;
  return {
    data,
    layout: baseLayout(theme, {
      barmode: 'overlay',
      showlegend: true,
      legend: INSIDE_LEGEND,
      title: { text: title, font: { size: 11 }, x: 0, xanchor: 'left' },
      margin: { l: 52, r: 12, t: 30, b: 40 },
      xaxis: { title: { text: 'signed distance to structure edge (nm)' }, zeroline: true },
      annotations: [
        {
          text: `beyond the bins: EV ${fmt(ev[0] + ev[last])}, ctl ${fmt(ctl[0] + ctl[last])}`,
          xref: 'paper',
          yref: 'paper',
          x: 0.01,
          y: 0.99,
          xanchor: 'left',
          yanchor: 'top',
          showarrow: false,
          font: { size: 10 },
        },
      ],
      yaxis: { title: { text: units === 'percent' ? '% of positions' : 'positions' } },
    }),
  };
}

/** One track's signed distance per movie frame (time in s), with the cut-off and the edge. */
export function trackDistanceFigure(
  d: ColocResult['distances'],
  track: number | null,
  cutoffNm: number,
  movieFrameIntervalS: number,
  theme: ThemeName,
): Figure {
  const c = d.columns;
  const t: number[] = [];
  const y: (number | null)[] = [];
  for (let i = 0; i < d.length; i++) {
    if (c.track[i] !== track) continue;
    t.push(c.frame[i] * movieFrameIntervalS);
    const v = c.distance[i];
    y.push(Number.isFinite(v) ? v : null);
  }
  const x0 = t[0] ?? 0;
  const x1 = t.at(-1) ?? 1;
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        x: t,
        y,
        line: { color: EV_COLOUR, width: 1.5 },
        marker: { size: 3 },
        name: `track ${track}`,
        hovertemplate: '%{x:.2f} s: %{y:.0f} nm<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: [x0, x1],
        y: [cutoffNm, cutoffNm],
        line: { color: '#9aa5b4', dash: 'dash', width: 1 },
        name: `cut-off ${cutoffNm} nm`,
        hoverinfo: 'skip',
      },
    ],
    layout: baseLayout(theme, {
      title: {
        text: track === null ? 'Select a track' : `Track ${track}: distance over time`,
        font: { size: 11 },
        x: 0,
        xanchor: 'left',
      },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { title: { text: 'signed distance (nm)' }, zeroline: true, zerolinewidth: 2 },
    }),
  };
}

/** Fraction of each track's time within the cut-off, and the pooled EV and control fractions. */
export function fractionWithinFigure(
  r: Pick<ColocResult, 'perTrack' | 'evFractionWithin' | 'controlFractionWithin'>,
  cutoffNm: number,
  selected: number | null,
  theme: ThemeName,
): Figure {
  const p = r.perTrack.columns;
  const ids = Array.from(p.track);
  const n = ids.length;
  return {
    data: [
      {
        type: 'bar',
        x: ids.map((id) => `#${id}`),
        y: Array.from(p.fraction, (v) => 100 * v),
        customdata: ids,
        marker: { color: ids.map((id) => (id === selected ? '#ffffff' : EV_COLOUR)), line: { width: 0 } },
        hovertemplate: 'track %{customdata}: %{y:.1f}%<extra></extra>',
        name: 'per track',
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: n ? [`#${ids[0]}`, `#${ids[n - 1]}`] : [],
        y: [100 * r.evFractionWithin, 100 * r.evFractionWithin],
        line: { color: EV_COLOUR, dash: 'dot' },
        name: `EV pooled ${(100 * r.evFractionWithin).toFixed(1)}%`,
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: n ? [`#${ids[0]}`, `#${ids[n - 1]}`] : [],
        y: [100 * r.controlFractionWithin, 100 * r.controlFractionWithin],
        line: { color: CONTROL_COLOUR, dash: 'dash' },
        name: `control ${(100 * r.controlFractionWithin).toFixed(1)}%`,
      },
    ],
    layout: baseLayout(theme, {
      showlegend: true,
      legend: INSIDE_LEGEND,
      title: { text: `Time within ${cutoffNm} nm`, font: { size: 11 }, x: 0, xanchor: 'left' },
      margin: { l: 52, r: 12, t: 30, b: 40 },
      xaxis: { title: { text: 'track' }, type: 'category' },
      yaxis: { title: { text: '% of movie frames' }, range: [0, 100] },
    }),
  };
}

/**
 * Colocalization run durations (s) with the fitted exponential: runs of k movie frames are
 * geometric, P(k) = (1 − q)·q^(k − kmin) for k ≥ kmin, drawn as expected counts.
 */
export function durationFigure(
  runs: ColocResult['runs'],
  fit: DurationFit,
  movieFrameIntervalS: number,
  theme: ThemeName,
): Figure {
  const dur = runs.columns.duration;
  const cens = runs.columns.rightCensored;
  let maxK = 0;
  for (let i = 0; i < runs.length; i++) if (dur[i] > maxK) maxK = dur[i];
  const complete = new Array(maxK + 1).fill(0);
  const censored = new Array(maxK + 1).fill(0);
  for (let i = 0; i < runs.length; i++) (cens[i] ? censored : complete)[dur[i]]++;
  const ks = Array.from({ length: maxK }, (_, i) => i + 1);
  const times = ks.map((k) => k * movieFrameIntervalS);
  const kmin = fit.meanFrames - fit.q / (1 - fit.q);
  const kminR = Number.isFinite(kmin) ? Math.round(kmin) : 1;
  const model = ks.map((k) => (k >= kminR ? fit.runs * (1 - fit.q) * fit.q ** (k - kminR) : null));
  const ci = Number.isFinite(fit.tau)
    ? `τ = ${fit.tau.toFixed(3)} s [${fit.tauLow.toFixed(3)}, ${Number.isFinite(fit.tauHigh) ? fit.tauHigh.toFixed(3) : '∞'}] 95%`
    : 'τ: no run to fit';
  return {
    data: [
      {
        type: 'bar',
        x: times,
        y: ks.map((k) => complete[k]),
        name: 'complete runs',
        marker: { color: EV_COLOUR },
        hovertemplate: '%{x:.3f} s: %{y}<extra>complete</extra>',
      },
      {
        type: 'bar',
        x: times,
        y: ks.map((k) => censored[k]),
        name: 'censored (track end)',
        marker: { color: EV_COLOUR, opacity: 0.35 },
        hovertemplate: '%{x:.3f} s: %{y}<extra>censored</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: times,
        y: model,
        name: 'exponential fit',
        line: { color: '#e6e6e6', width: 1.5 },
      },
    ],
    layout: baseLayout(theme, {
      barmode: 'stack',
      showlegend: true,
      legend: INSIDE_LEGEND,
      title: {
        text: `Durations · ${ci}`,
        font: { size: 11 },
        x: 0,
        xanchor: 'left',
      },
      margin: { l: 52, r: 12, t: 30, b: 40 },
      xaxis: { title: { text: 'duration within cut-off (s)' } },
      yaxis: { title: { text: 'runs' } },
    }),
  };
}

/** A track's time-averaged MSD with the fitted line 4D·t + 4σ² over the points used. */
export function msdFigure(
  tracks: TrackTable,
  summary: TrackSummary,
  track: number | null,
  frameIntervalS: number,
  theme: ThemeName,
): Figure {
  const { ids, start } = trackRanges(tracks);
  const k = track === null ? -1 : ids.indexOf(track);
  const s = summary.columns;
  const row = track === null ? -1 : s.track.indexOf(track);
  const data: Data[] = [];
  let title = 'Select a track';
  if (k >= 0) {
    const a = start[k];
    const b = start[k + 1];
    const c = tracks.columns;
    const lastFrame = c.frame[b - 1] - c.frame[a] + 1;
    const curve = msdCurve(c.frame, c.x, c.y, a, b, defaultMaxLag(lastFrame));
    const t: number[] = [];
    const m: number[] = [];
    for (let l = 0; l < curve.msd.length; l++)
      if (curve.pairs[l]) {
        t.push((l + 1) * frameIntervalS);
        m.push(curve.msd[l] / 1e6);
      }
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: t,
      y: m,
      name: 'MSD',
      marker: { size: 4, color: EV_COLOUR },
      hovertemplate: '%{x:.3f} s: %{y:.4f} µm²<extra></extra>',
    });
    if (row >= 0 && Number.isFinite(s.D[row])) {
      const D = s.D[row];
      const sig = Number.isFinite(s.sigma[row]) ? s.sigma[row] / 1000 : 0;
      const p = Math.max(2, s.msdPoints[row]);
      const tf = [0, p * frameIntervalS];
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: tf,
        y: tf.map((x) => 4 * D * x + 4 * sig * sig),
        name: 'fit',
        line: { color: '#e6e6e6', width: 1.5 },
      });
      title = `Track ${track}: D = ${D.toPrecision(3)} µm²/s, α = ${Number.isFinite(s.alpha[row]) ? s.alpha[row].toFixed(2) : '—'}, ${MOBILITY_NAMES[s.mobility[row]]}`;
    } else if (row >= 0 && s.msdPoints[row] >= 2)
      title = `Track ${track}: D not estimable (MSD slope ≤ 0: motion below the localization error), ${MOBILITY_NAMES[s.mobility[row]]}`;
    else title = `Track ${track}: too short for a D fit`;
  }
  return {
    data,
    layout: baseLayout(theme, {
      title: { text: title, font: { size: 11 }, x: 0, xanchor: 'left' },
      xaxis: { title: { text: 'lag (s)' } },
      yaxis: { title: { text: 'MSD (µm²)' }, rangemode: 'tozero' },
    }),
  };
}

// The text and CSV reports moved to src/core/coloc/report.ts (the CLI needs them below plots).
export {
  controlCsv,
  distancesCsv,
  formatDurations,
  formatP,
  formatPositionTests,
  formatTrackTest,
  histogramCsv,
  perTrackCsv,
  runsCsv,
  runTracks,
  trackSummaryCsv,
  trackTableRows,
  trackTestCsv,
  trackTestLabel,
} from '../core/coloc/report';
