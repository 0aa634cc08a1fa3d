// Figures of the Tracks & distances step, as pure builders: EV vs control distance histograms
// with the tests, one track's distance over time, time within the cut-off per track, the
// colocalization durations with their exponential fit, and a track's MSD with its D fit; plus
// the step's tables as CSV. Points that stand for a track carry its id as customdata.
import type { Data } from 'plotly.js';
import type { ColocResult } from '../core/coloc/analysis';
import type { DurationFit } from '../core/coloc/analysisDurations';
import { matchedControlMeans, type TrackTestResult } from '../core/coloc/trackTest';
import { writeCsv } from '../core/spt/csv';
import { defaultMaxLag, msdCurve } from '../core/spt/msd';
import { MOBILITY_NAMES, type TrackSummary } from '../core/spt/summary';
import { type TrackTable, trackRanges } from '../core/spt/types';
import type { Figure } from './Plot';
import { baseLayout, type ThemeName } from './theme';

export const EV_COLOUR = '#f0a43a';
export const CONTROL_COLOUR = '#6f8fb8';
export const MOBILITY_COLOURS = ['#4e9cf5', '#e76fb4', '#5fd08a', '#9aa5b4'];

/** Legend in the plot's top-right corner, clear of the title line. */
const INSIDE_LEGEND = {
  x: 0.99,
  xanchor: 'right' as const,
  y: 0.99,
  yanchor: 'top' as const,
  bgcolor: 'rgba(0,0,0,0)',
  font: { size: 10 },
};

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 1e-4) return p === 0 ? '< 1e-300' : p.toExponential(1);
  return p.toPrecision(2);
}

type Hist = ColocResult['histogramTable'];

/** Units of a track-level test's summary: signed distance (nm) or a fraction shown in %. */
function trackValue(t: TrackTestResult, v: number, signed = false): string {
  if (!Number.isFinite(v)) return '—';
  const plus = signed && v > 0 ? '+' : '';
  return t.summary === 'meanDistance' ? `${plus}${v.toFixed(1)} nm` : `${plus}${(100 * v).toFixed(1)} %`;
}

/** What a track-level test compares, in words. */
export function trackTestLabel(t: TrackTestResult, cutoffNm: number): string {
  return t.summary === 'meanDistance'
    ? 'mean signed distance per track'
    : `fraction of frames within ${cutoffNm} nm per track`;
}

/**
 * The track-level test as one line: p, n, the effect with its CI. EVs are the unit, so n is
 * tracks first; the cell count is 1 because one stack is analysed at a time.
 */
export function formatTrackTest(t: TrackTestResult, cutoffNm: number): string {
  // The mean distance is the primary comparison; the fraction within the cut-off is secondary.
  const name = t.summary === 'meanDistance' ? 'track-level test' : 'secondary track-level test';
  if (!t.tracks) return `${name} (${trackTestLabel(t, cutoffNm)}): no track could be measured`;
  const pct = Math.round(100 * t.level);
  return (
    `${name} (${trackTestLabel(t, cutoffNm)}, EV vs matched control tracks, stratified permutation): ` +
    `p = ${formatP(t.p)}; n = ${t.tracks} tracks, ${t.positions} positions, ${t.cells} cell${t.cells === 1 ? '' : 's'}; ` +
    `EV ${trackValue(t, t.ev)} vs control ${trackValue(t, t.control)}, ` +
    `difference ${trackValue(t, t.difference, true)} [${pct} % CI ${trackValue(t, t.ciLow, true)}, ${trackValue(t, t.ciHigh, true)}]` +
    (t.excluded ? `; ${t.excluded} tracks without a measured position left out` : '')
  );
}

/** Distinct tracks among the colocalization runs. */
export function runTracks(runs: ColocResult['runs']): number {
  return new Set(runs.columns.track).size;
}

/**
 * τ with its n: runs and the tracks they come from (runs of one track share its EV, so the
 * profile-likelihood CI, which treats runs as independent, is optimistic when tracks differ).
 */
export function formatDurations(runs: ColocResult['runs'], f: DurationFit): string {
  const n = `${runs.length} colocalization runs from ${runTracks(runs)} tracks (${f.censored} censored)`;
  if (!f.runs) return `${n}; τ not estimable: no run`;
  if (!Number.isFinite(f.tau))
    return `${n}; τ not estimable: every run is censored (EVs stayed within the cut-off until their track ended)`;
  const hi = Number.isFinite(f.tauHigh) ? f.tauHigh.toFixed(3) : '∞';
  return `${n}; τ = ${f.tau.toFixed(3)} s [95 % CI ${f.tauLow.toFixed(3)}, ${hi}] (runs treated as independent)`;
}

/** The position-level KS and χ², labelled descriptive (positions of a track are not independent). */
export function formatPositionTests(r: Pick<ColocResult, 'ks' | 'chiSquare' | 'perTrack'>): string {
  const c = r.chiSquare;
  const merged =
    c.bins < c.originalBins ? `, ${c.originalBins} bins merged to ${c.bins} for expected ≥ 5` : '';
  return (
    `descriptive, positions treated as independent (n = ${r.ks.n} EV positions of ${r.perTrack.length} tracks, 1 cell; ${r.ks.m} control points): ` +
    `KS D = ${r.ks.D.toFixed(3)}, p = ${formatP(r.ks.p)}; χ² = ${c.statistic.toFixed(1)} (df ${c.df}${merged}), p = ${formatP(c.p)}`
  );
}

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

/** Per-track table: summary columns joined with the fraction of time within the cut-off. */
export function trackTableRows(summary: TrackSummary, perTrack: ColocResult['perTrack'] | null) {
  const s = summary.columns;
  const frac = new Map<number, number>();
  if (perTrack)
    for (let i = 0; i < perTrack.length; i++)
      frac.set(perTrack.columns.track[i], perTrack.columns.fraction[i]);
  return Array.from({ length: summary.length }, (_, i) => ({
    id: s.track[i],
    length: s.positions[i],
    firstFrame: s.firstFrame[i],
    D: s.D[i],
    alpha: s.alpha[i],
    mobility: MOBILITY_NAMES[s.mobility[i]],
    meanIntensity: s.meanIntensity[i],
    fractionWithin: frac.get(s.track[i]) ?? Number.NaN,
  }));
}

/** CSV of the per-track table (frames 1-based, D in µm²/s, mobility as a code and a name). */
export function trackSummaryCsv(summary: TrackSummary, perTrack: ColocResult['perTrack'] | null): string {
  const rows = trackTableRows(summary, perTrack);
  return writeCsv(
    {
      length: summary.length,
      columns: {
        ...summary.columns,
        fractionWithin: Float64Array.from(rows, (r) => r.fractionWithin),
      },
    },
    {
      order: [
        'track',
        'firstFrame',
        'lastFrame',
        'positions',
        'missingFrames',
        'meanIntensity',
        'meanX',
        'meanY',
        'D',
        'sigma',
        'alpha',
        'mobility',
        'fractionWithin',
      ],
      headers: {
        meanX: 'meanX [nm]',
        meanY: 'meanY [nm]',
        D: 'D [um^2/s]',
        sigma: 'sigma [nm]',
        mobility: 'mobility (0 mobile, 1 immobile, 2 confined, 3 unclassified)',
      },
      offsets: { firstFrame: 1, lastFrame: 1 },
    },
  );
}

export function histogramCsv(h: Hist): string {
  return writeCsv(h, { headers: { binStart: 'binStart [nm]', binEnd: 'binEnd [nm]' } });
}

export function distancesCsv(d: ColocResult['distances']): string {
  return writeCsv(d, {
    order: ['track', 'frame', 'x', 'y', 'distance'],
    headers: { frame: 'movie frame', x: 'x [nm]', y: 'y [nm]', distance: 'distance [nm]' },
    offsets: { frame: 1 },
  });
}

export function controlCsv(c: ColocResult['control']): string {
  return writeCsv(
    { length: c.length, columns: { ...c.columns, distance: c.distance } },
    {
      headers: { frame: 'movie frame', x: 'x [nm]', y: 'y [nm]', distance: 'distance [nm]' },
      offsets: { frame: 1 },
    },
  );
}

export function runsCsv(r: ColocResult['runs']): string {
  return writeCsv(r, {
    headers: { startFrame: 'start movie frame', duration: 'duration [movie frames]' },
    offsets: { startFrame: 1 },
  });
}

export function perTrackCsv(p: ColocResult['perTrack']): string {
  return writeCsv(p, { headers: { frames: 'movie frames measured', within: 'frames within cut-off' } });
}

/**
 * The data behind the track-level test, one row per EV track: its summaries and the means of its
 * matched control tracks' summaries (mean distance in nm over frames with structures).
 */
export function trackTestCsv(
  c: Pick<ColocResult, 'evTrackSummaries' | 'controlTrackSummaries' | 'controlTracksPerTrack'>,
): string {
  const ev = c.evTrackSummaries;
  const ctl = matchedControlMeans(ev, c.controlTrackSummaries, c.controlTracksPerTrack);
  return writeCsv(
    {
      length: ev.track.length,
      columns: {
        track: ev.track,
        measured: ev.measured,
        meanDistance: ev.meanDistance,
        controlMeanDistance: ctl.meanDistance,
        fractionWithin: ev.fractionWithin,
        controlFractionWithin: ctl.fractionWithin,
      },
    },
    {
      headers: {
        measured: 'positions measured',
        meanDistance: 'mean distance [nm]',
        controlMeanDistance: 'control mean distance [nm]',
      },
    },
  );
}
