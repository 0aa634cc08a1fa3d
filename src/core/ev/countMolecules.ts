// Molecules per EV from its step fit, two ways that fail differently:
//  (a) steps: each step's height is explained by j = 0, 1, 2 … molecules (the nearest integer
//      of height / unit), downward steps add and upward ones (a molecule
//      back from a dark state) subtract, plus whatever the final level still holds; the
//      uncertainty is the posterior spread over j, so only ambiguous steps contribute;
//  (b) ratio: the initial level over the unit intensity, with uncertainty from the noise of
//      the initial level, the molecule-to-molecule spread and the unit's own standard error.
// An EV where (a) and (b) disagree beyond their uncertainties is flagged for a look.
// Steps separated by a segment of ≤ mergeFrames frames are judged as one composite step: a
// molecule bleaching mid-exposure leaves one intermediate frame that the fit may keep as its
// own level, and two half-height steps must not count as two molecules. A 1–2 frame blink
// (down then up) merges into a composite of height ≈ 0, i.e. no molecule, as it should.
import type { NoiseModel } from './noiseModel';
import type { StepFitTable } from './stepFits';
import type { UnitIntensity } from './unitIntensity';

export interface MoleculeCounts {
  /** Count from steps (an integer), NaN when the unit is unknown. */
  steps: Float64Array;
  stepsSd: Float64Array;
  /** Initial level / unit (continuous). */
  ratio: Float64Array;
  ratioSd: Float64Array;
  /** Initial level in trace units (mean of the first segment). */
  initial: Float64Array;
  /** Steps the finder found, of either sign. */
  detectedSteps: Uint16Array;
  /** 1 when |steps − ratio| ≥ ½ and > z · combined σ. */
  disagree: Uint8Array;
}

export interface CountOptions {
  /** z of the disagreement test between the two counts. */
  disagreementZ: number;
  /** Segments this short (frames) between two steps fuse them into one; default 2. */
  mergeFrames?: number;
}

/** Largest molecule number tried on either side of the nearest integer. */
const J_WINDOW = 2;

export function countMolecules(
  fits: StepFitTable,
  unit: UnitIntensity,
  noiseOf: (k: number) => NoiseModel,
  options: CountOptions,
): MoleculeCounts {
  const n = fits.nTraces;
  const out: MoleculeCounts = {
    steps: new Float64Array(n),
    stepsSd: new Float64Array(n),
    ratio: new Float64Array(n),
    ratioSd: new Float64Array(n),
    initial: new Float64Array(n),
    detectedSteps: new Uint16Array(n),
    disagree: new Uint8Array(n),
  };
  const u = unit.unit;
  const molVar = unit.spread * unit.spread;
  const semVar = unit.sem * unit.sem;
  const post = { map: 0, variance: 0 };
  const mergeFrames = options.mergeFrames ?? 2;
  for (let k = 0; k < n; k++) {
    const a = fits.segStart[k];
    const b = fits.segStart[k + 1];
    const nm = noiseOf(k);
    const v0 = nm.sigma0 * nm.sigma0;
    const varOf = (level: number, frames: number) => (v0 + nm.gain * Math.max(level, 0)) / frames;
    const first = fits.segLevel[a];
    out.initial[k] = first;
    out.detectedSteps[k] = b - a - 1;
    if (!(u > 0)) {
      out.steps[k] = out.stepsSd[k] = out.ratio[k] = out.ratioSd[k] = Number.NaN;
      continue;
    }
    let count = 0;
    let variance = 0;
    for (let s = a; s + 1 < b; ) {
      let e = s + 1;
      while (e + 1 < b && fits.segLength[e] <= mergeFrames) e++;
      const h = fits.segLevel[s] - fits.segLevel[e];
      const hv = varOf(fits.segLevel[s], fits.segLength[s]) + varOf(fits.segLevel[e], fits.segLength[e]);
      moleculesInHeight(Math.abs(h), hv, u, molVar, semVar, post);
      count += h > 0 ? post.map : -post.map;
      variance += post.variance;
      s = e;
    }
    // Molecules still on at the end of the movie (or a background misestimate) count too.
    const last = b - 1;
    const lastLevel = fits.segLevel[last];
    moleculesInHeight(
      Math.max(lastLevel, 0),
      varOf(lastLevel, fits.segLength[last]),
      u,
      molVar,
      semVar,
      post,
    );
    count += post.map;
    variance += post.variance;
    out.steps[k] = Math.max(0, count);
    out.stepsSd[k] = Math.sqrt(variance);
    const r = first / u;
    out.ratio[k] = r;
    out.ratioSd[k] = Math.sqrt(
      varOf(first, fits.segLength[a]) / (u * u) +
        Math.max(r, 0) * (molVar / (u * u)) +
        r * r * (semVar / (u * u)),
    );
    const diff = Math.abs(out.steps[k] - r);
    const sd = Math.hypot(out.stepsSd[k], out.ratioSd[k]);
    out.disagree[k] = diff >= 0.5 && diff > options.disagreementZ * sd ? 1 : 0;
  }
  return out;
}

/**
 * Molecules behind a step of height h ≥ 0: the nearest integer of h/u (a molecule-number-
 * dependent variance would let j = 0, the only hypothesis without brightness spread, lose every
 * close call and turn half-unit residues into molecules). The uncertainty is the variance of j
 * under the posterior h ~ N(j·u, hv + j·molVar + j²·semVar), flat prior, j within ±2 of the map.
 */
function moleculesInHeight(
  h: number,
  hv: number,
  u: number,
  molVar: number,
  semVar: number,
  out: { map: number; variance: number },
): void {
  const map = Math.max(0, Math.round(h / u));
  const jLo = Math.max(0, map - J_WINDOW);
  const jHi = map + J_WINDOW;
  let bestLogL = Number.NEGATIVE_INFINITY;
  for (let j = jLo; j <= jHi; j++) bestLogL = Math.max(bestLogL, logLik(h, hv, u, molVar, semVar, j));
  let w = 0;
  let m1 = 0;
  let m2 = 0;
  for (let j = jLo; j <= jHi; j++) {
    const p = Math.exp(logLik(h, hv, u, molVar, semVar, j) - bestLogL);
    w += p;
    m1 += p * j;
    m2 += p * j * j;
  }
  const mean = m1 / w;
  out.map = map;
  out.variance = Math.max(0, m2 / w - mean * mean);
}

function logLik(h: number, hv: number, u: number, molVar: number, semVar: number, j: number): number {
  const v = Math.max(hv + j * molVar + j * j * semVar, Number.MIN_VALUE);
  const d = h - j * u;
  return -0.5 * ((d * d) / v + Math.log(v));
}
