// How far to trust a drift estimate. RCC assumes a static sample: every segment shows the same
// structures, shifted. When structures assemble and disassemble, distant segments share nothing
// and their correlations peak at random shifts; a least-squares fit over such pairs can be
// self-consistent and still wrong by hundreds of nm. The checks below look for exactly that:
// neighbouring segments that disagree, segments no second correlation confirms, ambiguous peaks
// and segment positions the redundant pairs do not pin down.
//
// Thresholds (measured on the simulator's presets, see test/core/locs/driftQuality.test.ts):
// on the static dSTORM preset and on correct estimates of the dynamic demo (simulated and
// localized), at most 1 of 17 neighbouring pairs disagrees, and only an ambiguous one (second
// peak ≥ 0.95 of the first); accepted pairs scatter by 3–6 nm about the solution and segment
// positions are known to 2–6 nm. The demo's failed all-pairs estimate (−279/−884 nm at the last frame
// for a true +111/−77 nm) contradicted clear neighbouring correlations (second peak 0.32 of the first) by
// ~900 nm; structureless data rejects most neighbouring pairs and hangs segments on one peak.
import { solveSpd } from './leastSquares';
import type { RccPair } from './rcc';

export interface DriftQuality {
  method: 'rcc' | 'fiducial';
  /** False when any problem below was found: the estimate should not be applied unasked. */
  reliable: boolean;
  /** Why the estimate is not trusted (empty when reliable). */
  problems: string[];
  /** Worth knowing, but not a reason to distrust the estimate. */
  notes: string[];
  /** The measurements behind the verdict, for display: label → value. */
  metrics: DriftMetric[];
}

export interface DriftMetric {
  label: string;
  value: number;
  unit: string;
  /** The value beyond which the estimate is called unreliable, when there is one. */
  limit?: number;
}

export const DRIFT_LIMITS = {
  /** Share of neighbouring pairs (≤ 2 segments apart) allowed to disagree with the solution. */
  nearRejectedFraction: 0.25,
  /**
   * RMS distance (nm) of the accepted pairs from the solution. Changing structures also bias
   * pairs systematically, which residuals understate: above 10 nm, errors of ~20 nm were seen.
   */
  residualRmsNm: 10,
  /** Standard error (nm) of the worst-determined segment position. */
  segmentSeNm: 10,
  /** A pair whose second-best peak stays below this fraction of the best is a clear match. */
  clearSidelobe: 0.5,
  /** Accepted pairs whose second-best peak reaches this fraction of the best are ambiguous. */
  ambiguousSidelobe: 0.8,
  /** Share of accepted pairs allowed to be ambiguous. */
  ambiguousFraction: 0.5,
  /** Fiducial tracks must agree with their mean to this RMS (nm). */
  fiducialDisagreementNm: 15,
} as const;

/** Separation (in segments) within which pairs share structure even in a changing sample. */
const NEAR = 2;

export function rccQuality(pairs: readonly RccPair[], segments: number, rejectNm: number): DriftQuality {
  const problems: string[] = [];
  const notes: string[] = [];
  const used = pairs.filter((p) => p.used);
  const near = pairs.filter((p) => p.j - p.i <= NEAR);
  const nearRejected = near.filter((p) => !p.used).length;
  const nearFraction = near.length ? nearRejected / near.length : 0;
  if (nearFraction > DRIFT_LIMITS.nearRejectedFraction)
    problems.push(
      `${nearRejected} of ${near.length} correlations between neighbouring segments disagree with the solution (the sample changes faster than the segments, or there is too little structure per segment)`,
    );
  // Neighbours share structure even in a live cell, so a clear match between them is the best
  // evidence there is; a solution that contradicts one is built on weaker, distant pairs.
  const contradicted = near.filter((p) => !p.used && p.sidelobeRatio < DRIFT_LIMITS.clearSidelobe);
  if (contradicted.length)
    problems.push(
      `the solution contradicts ${contradicted.length === 1 ? 'a clear correlation' : `${contradicted.length} clear correlations`} between neighbouring segments (${contradicted
        .map((p) => `${p.i + 1}–${p.j + 1} by ${p.residualNm.toFixed(0)} nm`)
        .join(', ')})`,
    );
  const far = pairs.length - near.length;
  const farRejected = pairs.length - used.length - nearRejected;
  if (farRejected > 0 && problems.length === 0)
    notes.push(
      `${farRejected} of ${far} correlations between distant segments were dropped as inconsistent: the sample changes over time, so only consistent pairs were used`,
    );

  const links = new Int32Array(segments);
  for (const p of used) {
    links[p.i]++;
    links[p.j]++;
  }
  const lonely: number[] = [];
  for (let s = 0; s < segments; s++) if (links[s] < 2 && segments > 2) lonely.push(s + 1);
  if (lonely.length)
    problems.push(
      `segment${lonely.length > 1 ? 's' : ''} ${lonely.join(', ')} ${lonely.length > 1 ? 'are' : 'is'} placed by a single correlation that nothing cross-checks`,
    );

  let ss = 0;
  for (const p of used) ss += p.residualNm ** 2;
  const residual = Math.sqrt(ss / Math.max(1, used.length));
  if (residual > DRIFT_LIMITS.residualRmsNm)
    problems.push(`accepted correlations scatter by ${residual.toFixed(1)} nm RMS about the solution`);

  const ambiguous = used.filter((p) => p.sidelobeRatio >= DRIFT_LIMITS.ambiguousSidelobe).length;
  const ambiguousFraction = used.length ? ambiguous / used.length : 1;
  if (ambiguousFraction > DRIFT_LIMITS.ambiguousFraction)
    problems.push(
      `${ambiguous} of ${used.length} accepted correlations have a second peak almost as high as the first`,
    );

  const se = segmentStandardErrors(pairs, segments, residual);
  const worstSe = se.reduce((m, v) => Math.max(m, v), 0);
  if (worstSe > DRIFT_LIMITS.segmentSeNm)
    problems.push(`segment positions are uncertain by up to ±${formatValue(worstSe)} nm`);

  const sidelobes = used.map((p) => p.sidelobeRatio).sort((a, b) => a - b);
  const medianSidelobe = sidelobes.length ? sidelobes[sidelobes.length >> 1] : 1;
  return {
    method: 'rcc',
    reliable: problems.length === 0,
    problems,
    notes,
    metrics: [
      { label: 'pairs used', value: used.length, unit: `of ${pairs.length}` },
      {
        label: 'neighbouring pairs rejected',
        value: nearFraction * 100,
        unit: '%',
        limit: DRIFT_LIMITS.nearRejectedFraction * 100,
      },
      { label: 'residual RMS', value: residual, unit: 'nm', limit: DRIFT_LIMITS.residualRmsNm },
      { label: 'segment position s.e.', value: worstSe, unit: 'nm', limit: DRIFT_LIMITS.segmentSeNm },
      { label: 'median sidelobe/peak', value: medianSidelobe, unit: '' },
      { label: 'reject threshold', value: rejectNm, unit: 'nm' },
    ],
  };
}

/**
 * Standard error (nm, per axis) of each segment's position in the least-squares solution over
 * the used pairs: σ·√diag((AᵀA)⁻¹) with σ the per-axis residual. Infinite when no pair is
 * redundant (nothing measures σ).
 */
function segmentStandardErrors(pairs: readonly RccPair[], n: number, residualNm: number): Float64Array {
  const m = n - 1;
  const out = new Float64Array(n);
  if (m === 0) return out;
  const used = pairs.filter((p) => p.used);
  const dof = used.length - m;
  if (dof <= 0) return out.fill(Number.POSITIVE_INFINITY);
  // residualNm is the RMS 2-D distance over all used pairs; per axis, and corrected for the
  // parameters fitted: σ² = Σr² / (2·dof).
  const sigma = Math.sqrt((residualNm ** 2 * used.length) / (2 * dof));
  const normal = new Float64Array(m * m);
  for (const p of used) {
    const i = p.i - 1;
    const j = p.j - 1;
    if (j >= 0) normal[j * m + j] += 1;
    if (i >= 0) normal[i * m + i] += 1;
    if (i >= 0 && j >= 0) {
      normal[i * m + j] -= 1;
      normal[j * m + i] -= 1;
    }
  }
  for (let u = 0; u < m; u++) {
    const e = new Float64Array(m);
    e[u] = 1;
    const col = solveSpd(normal.slice(), e, m);
    out[u + 1] = sigma * Math.sqrt(col[u]);
  }
  return out;
}

/**
 * Fiducial drift is trusted when the beads agree with one another. One bead cannot be
 * cross-checked, which is said, not counted against it.
 */
export function fiducialQuality(disagreementNm: number | null, tracks: number): DriftQuality {
  const problems: string[] = [];
  const notes: string[] = [];
  if (disagreementNm === null)
    notes.push('one fiducial: its track is the drift, with nothing to cross-check it against');
  else if (disagreementNm > DRIFT_LIMITS.fiducialDisagreementNm)
    problems.push(
      `the ${tracks} fiducials disagree by ${disagreementNm.toFixed(1)} nm RMS (a moving or misidentified bead?)`,
    );
  return {
    method: 'fiducial',
    reliable: problems.length === 0,
    problems,
    notes,
    metrics: [
      { label: 'fiducials', value: tracks, unit: '' },
      ...(disagreementNm === null
        ? []
        : [
            {
              label: 'fiducial disagreement',
              value: disagreementNm,
              unit: 'nm',
              limit: DRIFT_LIMITS.fiducialDisagreementNm,
            },
          ]),
    ],
  };
}

/** One line per problem or note, for a terminal or a tooltip. */
export function describeQuality(q: DriftQuality): string {
  const head = q.reliable ? 'drift estimate looks reliable' : 'drift estimate is UNRELIABLE';
  const metrics = q.metrics
    .map((m) => `${m.label} ${formatValue(m.value)}${m.unit ? ` ${m.unit}` : ''}`)
    .join('; ');
  return [
    `${head} (${q.method}: ${metrics})`,
    ...q.problems.map((p) => `  ✗ ${p}`),
    ...q.notes.map((n) => `  · ${n}`),
  ].join('\n');
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
}
