// Text and CSV reports of the Tracks & distances analysis: the lines the panel and `evscope coloc`
// print, and the CSV tables both write. Pure, so the CLI shares them without the plotting layer.

import { writeCsv } from '../spt/csv';
import { MOBILITY_NAMES, type TrackSummary } from '../spt/summary';
import type { ColocResult } from './analysis';
import type { DurationFit } from './analysisDurations';
import { matchedControlMeans, type TrackTestResult } from './trackTest';

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
