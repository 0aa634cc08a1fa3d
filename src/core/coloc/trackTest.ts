// The headline colocalization test, at the level of the independent unit: the EV track.
//
// Positions of one track in consecutive movie frames are not independent (an immobile EV repeats
// its distance in every frame), so tests over positions (KS, χ²) reject on null data whenever
// tracks are long; they are kept as descriptive. Here every EV track gets `perTrack` matched
// control tracks: the same trajectory (same movie frames, same shape) rigidly shifted so that its
// centroid lands on a uniform random point of the control region (redrawn while any shifted
// position falls outside the region). Under the null — the EV's placement is independent of the
// structures — the EV track and its controls are exchangeable, so the EV's label can be permuted
// within each stratum (track + its controls): a stratified (cluster) permutation test that is
// exact for any number of tracks. Per track, the summary is either the mean signed distance over
// the frames with a structure, or the fraction of frames within the cut-off; the statistic is
// the mean over tracks of (EV summary − mean of its control summaries), which is also the effect
// size, with a percentile bootstrap CI resampling tracks.
import { Rng } from '../random';
import { quantileSorted } from '../stats/descriptive';
import { type ControlRegion, regionSampler } from './analysisControl';
import type { PositionsTable } from './analysisTracks';

export const DEFAULT_CONTROL_TRACKS = 20;
export const DEFAULT_PERMUTATIONS = 9999;
export const DEFAULT_BOOTSTRAP = 2000;
const SHIFT_TRIES = 100;

/** Control tracks, `perTrack` per EV track; stratum k (k-th EV track) holds ids k·perTrack … */
export interface ControlTracks extends PositionsTable {
  readonly perTrack: number;
  /** EV track id of each stratum. */
  readonly evTrack: Uint32Array;
}

/** Row ranges [start[k], start[k+1]) of the tracks of a table sorted by track. */
export function trackStarts(track: ArrayLike<number>): Uint32Array {
  const s: number[] = [];
  for (let i = 0; i < track.length; i++) if (i === 0 || track[i] !== track[i - 1]) s.push(i);
  s.push(track.length);
  return Uint32Array.from(s);
}

/** Matched control tracks (see module comment); each EV track draws from its own Rng stream. */
export function controlTracks(
  positions: PositionsTable,
  region: ControlRegion,
  options: { perTrack?: number; seed?: number } = {},
): ControlTracks {
  const K = options.perTrack ?? DEFAULT_CONTROL_TRACKS;
  if (!(Number.isInteger(K) && K >= 1)) throw new Error(`control tracks per EV track must be ≥ 1 (got ${K})`);
  const seed = options.seed ?? 1;
  const sampler = regionSampler(region);
  const pc = positions.columns;
  const starts = trackStarts(pc.track);
  const nTracks = starts.length - 1;
  const n = positions.length * K;
  const track = new Uint32Array(n);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const evTrack = new Uint32Array(nTracks);
  let r = 0;
  for (let t = 0; t < nTracks; t++) {
    const a = starts[t];
    const b = starts[t + 1];
    evTrack[t] = pc.track[a];
    let cx = 0;
    let cy = 0;
    for (let i = a; i < b; i++) {
      cx += pc.x[i];
      cy += pc.y[i];
    }
    cx /= b - a;
    cy /= b - a;
    const rng = new Rng(seed, 0x40000 + t);
    for (let k = 0; k < K; k++) {
      let dx = 0;
      let dy = 0;
      for (let tries = 0; tries < SHIFT_TRIES; tries++) {
        const [ux, uy] = sampler.sample(rng);
        dx = ux - cx;
        dy = uy - cy;
        let inside = true;
        for (let i = a; i < b && inside; i++) inside = sampler.contains(pc.x[i] + dx, pc.y[i] + dy);
        if (inside) break;
      }
      for (let i = a; i < b; i++, r++) {
        track[r] = t * K + k;
        frame[r] = pc.frame[i];
        x[r] = pc.x[i] + dx;
        y[r] = pc.y[i] + dy;
      }
    }
  }
  return { length: n, perTrack: K, evTrack, columns: { track, frame, x, y } };
}

export interface TrackSummaries {
  /** Track id (as in the input), one row per track in input order. */
  track: Uint32Array;
  /** Mean signed distance (nm) over positions with a finite distance; NaN if none. */
  meanDistance: Float64Array;
  /** Fraction of measured positions (distance not NaN) with distance ≤ cut-off; NaN if none. */
  fractionWithin: Float64Array;
  /** Positions with a measured distance (not NaN). */
  measured: Uint32Array;
}

/** One summary per track of a (track, distance) table sorted by track. */
export function summarizeTrackDistances(
  track: ArrayLike<number>,
  distance: ArrayLike<number>,
  cutoff: number,
): TrackSummaries {
  const starts = trackStarts(track);
  const n = starts.length - 1;
  const out: TrackSummaries = {
    track: new Uint32Array(n),
    meanDistance: new Float64Array(n),
    fractionWithin: new Float64Array(n),
    measured: new Uint32Array(n),
  };
  for (let t = 0; t < n; t++) {
    let sum = 0;
    let finite = 0;
    let measured = 0;
    let within = 0;
    for (let i = starts[t]; i < starts[t + 1]; i++) {
      const d = distance[i];
      if (Number.isNaN(d)) continue;
      measured++;
      if (d <= cutoff) within++;
      if (Number.isFinite(d)) {
        sum += d;
        finite++;
      }
    }
    out.track[t] = track[starts[t]];
    out.meanDistance[t] = finite ? sum / finite : Number.NaN;
    out.fractionWithin[t] = measured ? within / measured : Number.NaN;
    out.measured[t] = measured;
  }
  return out;
}

/** Per EV track (rows of `ev`): the mean of its matched control tracks' summaries (NaN-skipping). */
export function matchedControlMeans(
  ev: TrackSummaries,
  control: TrackSummaries,
  perTrack: number,
): { meanDistance: Float64Array; fractionWithin: Float64Array } {
  const byId = new Map<number, number>();
  for (let i = 0; i < control.track.length; i++) byId.set(control.track[i], i);
  const mean = (k: number, key: 'meanDistance' | 'fractionWithin') => {
    let s = 0;
    let n = 0;
    for (let j = 0; j < perTrack; j++) {
      const row = byId.get(k * perTrack + j);
      const v = row === undefined ? Number.NaN : control[key][row];
      if (Number.isNaN(v)) continue;
      s += v;
      n++;
    }
    return n ? s / n : Number.NaN;
  };
  const n = ev.track.length;
  return {
    meanDistance: Float64Array.from({ length: n }, (_, k) => mean(k, 'meanDistance')),
    fractionWithin: Float64Array.from({ length: n }, (_, k) => mean(k, 'fractionWithin')),
  };
}

export interface TrackTestResult {
  /** Per-track summary compared. */
  summary: 'meanDistance' | 'fractionWithin';
  /** Mean over tracks of the EV summary, and of the matched control summaries. */
  ev: number;
  control: number;
  /** Effect size: mean over tracks of (EV − matched controls), with its bootstrap CI. */
  difference: number;
  ciLow: number;
  ciHigh: number;
  level: number;
  /** Two-sided permutation p-value, (1 + #{|T*| ≥ |T|}) / (1 + permutations). */
  p: number;
  permutations: number;
  /** Tracks that entered the test (a summary for the EV and ≥ 1 control). */
  tracks: number;
  /** Cells (stacks) those tracks come from; the bootstrap resamples cells when > 1. */
  cells: number;
  /** EV positions measured in those tracks. */
  positions: number;
  /** Control tracks that entered the test. */
  controlTracks: number;
  /** Tracks left out: no measured position (EV or all of its controls). */
  excluded: number;
}

export interface TrackTestOptions {
  /** Cell of each EV track row (several stacks analysed together); default all one cell. */
  cells?: ArrayLike<number>;
  permutations?: number;
  bootstrap?: number;
  level?: number;
  seed?: number;
}

/**
 * Stratified permutation test of EV vs matched control per-track summaries (module comment).
 * `control` rows are control tracks k·perTrack + j for EV track row k of `ev`.
 */
export function trackPermutationTest(
  ev: TrackSummaries,
  control: TrackSummaries,
  perTrack: number,
  summary: 'meanDistance' | 'fractionWithin',
  options: TrackTestOptions = {},
): TrackTestResult {
  const B = options.permutations ?? DEFAULT_PERMUTATIONS;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 1;
  // Strata as flat arrays: values[off[s]] is the EV's, the next m[s] its controls'.
  const values: number[] = [];
  const off: number[] = [];
  const m: number[] = [];
  const cellOf: number[] = [];
  let positions = 0;
  const byId = new Map<number, number>();
  for (let i = 0; i < control.track.length; i++) byId.set(control.track[i], i);
  for (let k = 0; k < ev.track.length; k++) {
    const v = ev[summary][k];
    if (Number.isNaN(v)) continue;
    const ctl: number[] = [];
    for (let j = 0; j < perTrack; j++) {
      const row = byId.get(k * perTrack + j);
      const c = row === undefined ? Number.NaN : control[summary][row];
      if (!Number.isNaN(c)) ctl.push(c);
    }
    if (!ctl.length) continue;
    off.push(values.length);
    m.push(ctl.length);
    cellOf.push(options.cells ? options.cells[k] : 0);
    values.push(v, ...ctl);
    positions += ev.measured[k];
  }
  const S = off.length;
  const base = {
    summary,
    level,
    permutations: B,
    tracks: S,
    cells: new Set(cellOf).size,
    positions,
    controlTracks: m.reduce((a, b) => a + b, 0),
    excluded: ev.track.length - S,
  };
  if (!S) return { ...base, ev: NaN, control: NaN, difference: NaN, ciLow: NaN, ciHigh: NaN, p: NaN };
  const total = new Float64Array(S);
  const diff = new Float64Array(S);
  let evMean = 0;
  let ctlMean = 0;
  for (let s = 0; s < S; s++) {
    for (let j = 0; j <= m[s]; j++) total[s] += values[off[s] + j];
    const v = values[off[s]];
    const c = (total[s] - v) / m[s];
    diff[s] = v - c;
    evMean += v / S;
    ctlMean += c / S;
  }
  const T = evMean - ctlMean;
  // Relative tolerance: permuted statistics equal to T up to rounding count as "as extreme".
  const tol = 1e-9 * Math.max(1, Math.abs(T));
  const rng = new Rng(seed, 0x50000);
  let extreme = 0;
  for (let b = 0; b < B; b++) {
    let t = 0;
    for (let s = 0; s < S; s++) {
      const v = values[off[s] + Math.floor(rng.uniform() * (m[s] + 1))];
      t += v - (total[s] - v) / m[s];
    }
    if (Math.abs(t / S) >= Math.abs(T) - tol) extreme++;
  }
  const iterations = options.bootstrap ?? DEFAULT_BOOTSTRAP;
  // Tracks of one cell share its structures and its biology: with several cells, resample cells
  // (each with all its tracks), the unit above the track.
  const [ciLow, ciHigh] =
    base.cells > 1
      ? clusterBootstrapMeanCi(diff, cellOf, iterations, level, seed)
      : bootstrapMeanCi(diff, iterations, level, seed);
  return { ...base, ev: evMean, control: ctlMean, difference: T, ciLow, ciHigh, p: (1 + extreme) / (1 + B) };
}

/** Percentile bootstrap CI of the mean, resampling the units (here: tracks). */
export function bootstrapMeanCi(
  x: ArrayLike<number>,
  iterations: number,
  level: number,
  seed: number,
): [number, number] {
  const n = x.length;
  if (!n) return [Number.NaN, Number.NaN];
  const rng = new Rng(seed, 0x60000);
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[Math.floor(rng.uniform() * n)];
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return [quantileSorted(means, alpha), quantileSorted(means, 1 - alpha)];
}

/** Percentile bootstrap CI of the mean over units, resampling whole clusters of units. */
export function clusterBootstrapMeanCi(
  x: ArrayLike<number>,
  cluster: ArrayLike<number>,
  iterations: number,
  level: number,
  seed: number,
): [number, number] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.length; i++) {
    const g = groups.get(cluster[i]) ?? [];
    g.push(x[i]);
    groups.set(cluster[i], g);
  }
  const sums = Array.from(groups.values(), (g) => g.reduce((a, b) => a + b, 0));
  const counts = Array.from(groups.values(), (g) => g.length);
  const C = sums.length;
  if (!C) return [Number.NaN, Number.NaN];
  const rng = new Rng(seed, 0x70000);
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    let n = 0;
    for (let c = 0; c < C; c++) {
      const k = Math.floor(rng.uniform() * C);
      s += sums[k];
      n += counts[k];
    }
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return [quantileSorted(means, alpha), quantileSorted(means, 1 - alpha)];
}

/**
 * Several cells' (stacks') per-track summaries as one set for trackPermutationTest: EV rows
 * concatenated, control track ids re-based so row k still owns ids k·perTrack + j, and the cell
 * index of every EV row.
 */
export function combineCells(
  parts: readonly { ev: TrackSummaries; control: TrackSummaries }[],
  perTrack: number,
): { ev: TrackSummaries; control: TrackSummaries; cells: Uint32Array } {
  const cat = <T extends Float64Array | Uint32Array>(arrays: T[], make: (n: number) => T): T => {
    const out = make(arrays.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of arrays) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  };
  const join = (which: 'ev' | 'control'): TrackSummaries => {
    const col = <K extends keyof TrackSummaries>(key: K, make: (n: number) => TrackSummaries[K]) =>
      cat(
        parts.map((p) => p[which][key]),
        make,
      );
    return {
      track: col('track', (n) => new Uint32Array(n)),
      meanDistance: col('meanDistance', (n) => new Float64Array(n)),
      fractionWithin: col('fractionWithin', (n) => new Float64Array(n)),
      measured: col('measured', (n) => new Uint32Array(n)),
    };
  };
  const ev = join('ev');
  const control = join('control');
  const cells = new Uint32Array(ev.track.length);
  let evOff = 0;
  let ctlOff = 0;
  parts.forEach((p, c) => {
    cells.fill(c, evOff, evOff + p.ev.track.length);
    for (let i = 0; i < p.control.track.length; i++) control.track[ctlOff + i] += evOff * perTrack;
    evOff += p.ev.track.length;
    ctlOff += p.control.track.length;
  });
  return { ev, control, cells };
}
