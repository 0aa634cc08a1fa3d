// Localizations versus a simulation's ground truth, summarised for display: the SMLM Challenge
// metrics (scoreLocalizations), the CRLB of the simulated conditions, and the few small arrays
// the comparison plots need (error histograms with the CRLB-predicted counts, error versus
// photons, Jaccard over time). Built to run in a worker so only these summaries cross threads.
import { type LocTable, selectRows } from '../locs/table';
import { erf } from '../psf/erf';
import type { SimulationParams } from '../sim/params';
import { type CrlbNm, crlbForChannel, crlbNm } from './crlb';
import { type ScoreResult, scoreLocalizations } from './metrics';

export interface CompareOptions {
  /** Largest distance of a match, nm (default 250). */
  toleranceNm?: number;
  /** Whether the localizer fitted σ too (raises the CRLB); default false. */
  fitSigma?: boolean;
  /** Bins of the dx / dy histograms (default 41: odd, so one bin is centred on 0). */
  histogramBins?: number;
  /** Most (photons, error) points returned for a scatter cloud (default 1500). */
  maxScatter?: number;
  /** Most time blocks of the Jaccard-over-time curve (default 60). */
  maxFrameBlocks?: number;
}

export interface ErrorHistogram {
  /** Bin edges, nm (bins + 1). */
  edges: Float64Array;
  counts: Uint32Array;
  /**
   * Counts an efficient (CRLB-limited, unbiased) localizer would give for the same matches: a
   * mixture of Gaussians, one per match, of σ = CRLB at that match's true photon count.
   */
  expected: Float64Array;
}

export interface PhotonBins {
  /** Geometric centre of each bin of true photons. */
  photons: Float64Array;
  count: Uint32Array;
  /** Lateral RMSE of the matches in the bin, nm (NaN when empty). */
  rmse: Float64Array;
  /** Lateral CRLB at the bin's photons, nm. */
  crlb: Float64Array;
}

export type ScoreSummary = Omit<ScoreResult, 'matches'>;

export interface TruthComparison extends ScoreSummary {
  channel: number;
  /** Frames compared, [start, end). */
  frames: { start: number; end: number };
  /** CRLB at the channel's nominal photons and background. */
  crlbNominal: CrlbNm;
  nominalPhotons: number;
  /** sqrt(mean CRLB²) over the matches at their true photons: the RMSE an efficient localizer would reach on them. */
  crlbMatched: { perAxis: number; lateral: number };
  /** Lateral RMSE / crlbMatched.lateral (1 = efficient). */
  rmseOverCrlb: number;
  histX: ErrorHistogram;
  histY: ErrorHistogram;
  photonBins: PhotonBins;
  /** A random subset of matches for a scatter cloud. */
  scatter: { photons: Float32Array; error: Float32Array };
  /** Jaccard in consecutive blocks of frames. */
  frameBlocks: { start: Uint32Array; end: Uint32Array; jaccard: Float64Array };
}

const SQRT2 = Math.SQRT2;

/** CRLBs looked up on a 2%-wide grid of photon counts: thousands of matches, a few dozen Fisher sums. */
function crlbLookup(params: SimulationParams, channel: number, fitSigma: boolean) {
  const ch = params.channels[channel];
  const cache = new Map<number, CrlbNm>();
  return (photons: number): CrlbNm | null => {
    if (!(photons > 0)) return null;
    const key = Math.round(Math.log(photons) * 50);
    let c = cache.get(key);
    if (!c) {
      c = crlbNm({
        photons: Math.exp(key / 50),
        backgroundPhotons: ch.backgroundPhotons,
        psfSigmaNm: ch.psfSigmaNm,
        pixelSizeNm: params.pixelSizeNm,
        camera: params.camera,
        fitSigma,
      });
      cache.set(key, c);
    }
    return c;
  };
}

function histogram(d: Float64Array, sigmas: Float64Array, halfRange: number, bins: number): ErrorHistogram {
  const edges = new Float64Array(bins + 1);
  const w = (2 * halfRange) / bins;
  for (let k = 0; k <= bins; k++) edges[k] = -halfRange + k * w;
  const counts = new Uint32Array(bins);
  for (const v of d) {
    const k = Math.floor((v + halfRange) / w);
    if (k >= 0 && k < bins) counts[k]++;
  }
  // Group equal σ (they come from the photon grid) so the mixture costs classes × bins.
  const classes = new Map<number, number>();
  for (const s of sigmas) if (s > 0) classes.set(s, (classes.get(s) ?? 0) + 1);
  const expected = new Float64Array(bins);
  for (const [s, n] of classes) {
    let prev = 0.5 * (1 + erf(edges[0] / (SQRT2 * s)));
    for (let k = 0; k < bins; k++) {
      const cur = 0.5 * (1 + erf(edges[k + 1] / (SQRT2 * s)));
      expected[k] += n * (cur - prev);
      prev = cur;
    }
  }
  return { edges, counts, expected };
}

function quantileAbs(a: Float64Array, q: number): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a, Math.abs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * Compares `locs` with `truth` (both with frame, x, y in nm of the same camera; truth also with
 * photons) over the frames [frames.start, frames.end). Rows outside are ignored.
 */
export function compareWithTruth(
  truth: LocTable,
  locs: LocTable,
  params: SimulationParams,
  channel: number,
  frames: { start: number; end: number },
  options: CompareOptions = {},
): TruthComparison {
  const tol = options.toleranceNm ?? 250;
  const fitSigma = options.fitSigma ?? false;
  const inRange = (t: LocTable) => {
    const f = t.columns.frame;
    if (!f) return t;
    let all = true;
    for (let i = 0; i < t.length && all; i++) all = f[i] >= frames.start && f[i] < frames.end;
    if (all) return t;
    const keep = new Uint8Array(t.length);
    for (let i = 0; i < t.length; i++) keep[i] = f[i] >= frames.start && f[i] < frames.end ? 1 : 0;
    return selectRows(t, keep);
  };
  const T = inRange(truth);
  const L = inRange(locs);
  const score = scoreLocalizations(T, L, { toleranceNm: tol });
  const { matches, ...summary } = score;
  const tp = summary.tp;
  const truthPhotons = T.columns.photons;
  if (!truthPhotons) throw new Error('ground-truth table has no "photons" column');

  const lookup = crlbLookup(params, channel, fitSigma);
  const sx = new Float64Array(tp);
  const sy = new Float64Array(tp);
  let sumX2 = 0;
  let sumY2 = 0;
  let withCrlb = 0;
  for (let k = 0; k < tp; k++) {
    const c = lookup(truthPhotons[matches.truth[k]]);
    if (!c) continue;
    sx[k] = c.x;
    sy[k] = c.y;
    sumX2 += c.x * c.x;
    sumY2 += c.y * c.y;
    withCrlb++;
  }
  const crlbMatched = withCrlb
    ? { perAxis: Math.sqrt((sumX2 + sumY2) / (2 * withCrlb)), lateral: Math.sqrt((sumX2 + sumY2) / withCrlb) }
    : { perAxis: Number.NaN, lateral: Number.NaN };

  // Wide enough for the bulk of the errors and for the predicted Gaussian, never beyond the tolerance.
  const bins = Math.max(5, options.histogramBins ?? 41);
  const spread = Math.max(quantileAbs(matches.dx, 0.99), quantileAbs(matches.dy, 0.99));
  const halfRange = Math.min(tol, Math.max(5 * (crlbMatched.perAxis || 0), spread * 1.1, 1));

  const photonBins = binByPhotons(matches.truth, matches.dx, matches.dy, truthPhotons, lookup);
  const maxScatter = options.maxScatter ?? 1500;
  const pick = Math.min(tp, maxScatter);
  const scatter = { photons: new Float32Array(pick), error: new Float32Array(pick) };
  for (let k = 0; k < pick; k++) {
    // Evenly strided, so the subset spans the whole run rather than its first frames.
    const m = Math.floor((k * tp) / pick);
    scatter.photons[k] = truthPhotons[matches.truth[m]];
    scatter.error[k] = Math.hypot(matches.dx[m], matches.dy[m]);
  }

  const crlbNominal = crlbForChannel(params, channel, fitSigma);
  return {
    ...summary,
    channel,
    frames,
    crlbNominal,
    nominalPhotons: params.channels[channel].photonsPerFrame,
    crlbMatched,
    rmseOverCrlb: summary.rmse / crlbMatched.lateral,
    histX: histogram(matches.dx, sx, halfRange, bins),
    histY: histogram(matches.dy, sy, halfRange, bins),
    photonBins,
    scatter,
    frameBlocks: jaccardOverTime(T, L, matches.truth, frames, options.maxFrameBlocks ?? 60),
  };
}

function binByPhotons(
  truthRows: Uint32Array,
  dx: Float64Array,
  dy: Float64Array,
  photons: ArrayLike<number>,
  lookup: (p: number) => CrlbNm | null,
): PhotonBins {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const r of truthRows) {
    const p = photons[r];
    if (p > 0) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
  }
  if (!(hi > 0)) {
    return {
      photons: new Float64Array(0),
      count: new Uint32Array(0),
      rmse: new Float64Array(0),
      crlb: new Float64Array(0),
    };
  }
  // Log-spaced bins: photon counts span decades under exponential or Poisson variability.
  const n = hi / lo < 1.05 ? 1 : Math.min(16, Math.max(4, Math.ceil(Math.log(hi / lo) / Math.log(1.25))));
  const llo = Math.log(lo);
  const step = n === 1 ? 1 : (Math.log(hi) - llo) / n;
  const count = new Uint32Array(n);
  const sq = new Float64Array(n);
  for (let k = 0; k < truthRows.length; k++) {
    const p = photons[truthRows[k]];
    if (!(p > 0)) continue;
    const b = Math.min(n - 1, Math.floor((Math.log(p) - llo) / step));
    count[b]++;
    sq[b] += dx[k] * dx[k] + dy[k] * dy[k];
  }
  const centre = new Float64Array(n);
  const rmse = new Float64Array(n);
  const crlb = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    centre[b] = n === 1 ? Math.sqrt(lo * hi) : Math.exp(llo + (b + 0.5) * step);
    rmse[b] = count[b] ? Math.sqrt(sq[b] / count[b]) : Number.NaN;
    crlb[b] = lookup(centre[b])?.lateral ?? Number.NaN;
  }
  return { photons: centre, count, rmse, crlb };
}

function jaccardOverTime(
  truth: LocTable,
  locs: LocTable,
  matchedTruth: Uint32Array,
  frames: { start: number; end: number },
  maxBlocks: number,
) {
  const span = Math.max(1, frames.end - frames.start);
  const blocks = Math.max(1, Math.min(maxBlocks, span));
  const size = Math.ceil(span / blocks);
  const nb = Math.ceil(span / size);
  const nt = new Float64Array(nb);
  const nl = new Float64Array(nb);
  const ntp = new Float64Array(nb);
  const block = (f: number) => Math.min(nb - 1, Math.floor((f - frames.start) / size));
  const tf = truth.columns.frame;
  const lf = locs.columns.frame;
  for (let i = 0; i < truth.length; i++) nt[block(tf[i])]++;
  for (let i = 0; i < locs.length; i++) nl[block(lf[i])]++;
  for (const r of matchedTruth) ntp[block(tf[r])]++;
  const start = new Uint32Array(nb);
  const end = new Uint32Array(nb);
  const jaccard = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    start[b] = frames.start + b * size;
    end[b] = Math.min(frames.end, start[b] + size);
    const denom = nt[b] + nl[b] - ntp[b];
    jaccard[b] = denom > 0 ? ntp[b] / denom : Number.NaN;
  }
  return { start, end, jaccard };
}
