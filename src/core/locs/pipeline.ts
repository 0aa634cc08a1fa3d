// Post-processing as data: an ordered list of steps with their parameters. Plain JSON, so a
// session stores it, undo/redo is a list of snapshots, and a reviewer can re-run it on the raw
// table — which no step ever modifies (each returns a new table; drift keeps x_raw/y_raw).
import { above, intIn, numIn, parseOrThrow, v } from '../schema';
import { applyDrift, type DriftTrace } from './driftTrace';
import { type FiducialOptions, fiducialDrift, NoFiducialsError } from './fiducialDrift';
import { filterMask, parseFilter } from './filterExpr';
import { type MergeWeighting, mergeBlinks } from './merge';
import { type RccOptions, rccDrift } from './rcc';
import { type Region, regionMask } from './region';
import { type LocTable, selectRows } from './table';

type Serialisable<T> = Omit<T, 'mask'>;

/**
 * A drift step applies its estimate only when the quality check trusts it, or when `force` says
 * to apply it anyway; otherwise the table passes through and the estimate is reported unapplied.
 * 'auto' uses fiducials when the data holds any (tracks in ≥ 90% of frames), else RCC.
 */
type DriftStep = { kind: 'drift'; force?: boolean } & (
  | { method: 'rcc' | 'auto'; options?: Serialisable<RccOptions> }
  | { method: 'fiducial'; options?: Serialisable<FiducialOptions> }
);

export type PostStep = { enabled?: boolean } & (
  | DriftStep
  | { kind: 'merge'; radiusNm: number; maxGapFrames: number; weighting?: MergeWeighting }
  | { kind: 'filter'; expression: string }
  | { kind: 'region'; region: Region; invert?: boolean }
);

export interface StepStats {
  kind: PostStep['kind'];
  rowsIn: number;
  rowsOut: number;
  ms: number;
}

export interface DriftEstimate {
  /** Index of the drift step in the step list. */
  stepIndex: number;
  trace: DriftTrace;
  /** False when the quality check distrusted it and the step did not force it. */
  applied: boolean;
}

export interface PipelineResult {
  table: LocTable;
  /** Total drift removed (sum over applied drift steps), or undefined when none was applied. */
  drift?: DriftTrace;
  /** Every drift step's own estimate, in order, applied or not. */
  driftEstimates: DriftEstimate[];
  stats: StepStats[];
}

/** Runs a drift step's estimator ('auto': fiducials if the data has any, else RCC). */
export function estimateDrift(table: LocTable, step: DriftStep): DriftTrace {
  if (step.method === 'fiducial') return fiducialDrift(table, step.options).trace;
  if (step.method === 'auto') {
    const fiducials = findFiducials(table);
    if (fiducials) return fiducials;
  }
  return rccDrift(table, step.options).trace;
}

function findFiducials(table: LocTable): DriftTrace | null {
  try {
    return fiducialDrift(table).trace;
  } catch (e) {
    if (e instanceof NoFiducialsError) return null;
    throw e;
  }
}

export function applyPipeline(table: LocTable, steps: readonly PostStep[]): PipelineResult {
  let t = table;
  let drift: DriftTrace | undefined;
  const driftEstimates: DriftEstimate[] = [];
  const stats: StepStats[] = [];
  for (const [stepIndex, step] of steps.entries()) {
    if (step.enabled === false) continue;
    const t0 = performance.now();
    const rowsIn = t.length;
    switch (step.kind) {
      case 'drift': {
        const trace = estimateDrift(t, step);
        const applied = trace.quality?.reliable !== false || step.force === true;
        driftEstimates.push({ stepIndex, trace, applied });
        if (!applied) break;
        t = applyDrift(t, trace);
        drift = drift ? addTraces(drift, trace) : trace;
        break;
      }
      case 'merge':
        t = mergeBlinks(t, step).table;
        break;
      case 'filter':
        t = selectRows(t, filterMask(t, step.expression));
        break;
      case 'region': {
        const { x, y } = t.columns;
        if (!x || !y) throw new Error('region filter needs x and y columns');
        t = selectRows(t, regionMask(x, y, t.length, step.region, step.invert ?? false));
        break;
      }
    }
    stats.push({ kind: step.kind, rowsIn, rowsOut: t.length, ms: performance.now() - t0 });
  }
  return { table: t, drift, driftEstimates, stats };
}

/**
 * The steps before the first enabled merge: what NeNA must run after (it measures precision
 * from a molecule's localizations in adjacent frames, which merging fuses into one).
 */
export function stepsBeforeMerge(steps: readonly PostStep[]): PostStep[] {
  const k = steps.findIndex((s) => s.kind === 'merge' && s.enabled !== false);
  return k < 0 ? [...steps] : steps.slice(0, k);
}

function addTraces(a: DriftTrace, b: DriftTrace): DriftTrace {
  const n = Math.max(a.dx.length, b.dx.length);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    dx[f] = a.dx[Math.min(f, a.dx.length - 1)] + b.dx[Math.min(f, b.dx.length - 1)];
    dy[f] = a.dy[Math.min(f, a.dy.length - 1)] + b.dy[Math.min(f, b.dy.length - 1)];
  }
  return { method: b.method, dx, dy, nodes: b.nodes, quality: b.quality };
}

const finite = numIn();

/** Regions are drawn in nm on the reconstruction. */
const RegionSchema = v.variant('kind', [
  v.object({ kind: v.literal('rect'), x0: finite, y0: finite, x1: finite, y1: finite }),
  v.pipe(
    v.object({ kind: v.literal('polygon'), x: v.array(finite), y: v.array(finite) }),
    v.check(
      (r) => r.x.length === r.y.length && r.x.length >= 3,
      'a polygon needs equal x and y arrays of ≥ 3 vertices',
    ),
  ),
]) satisfies v.GenericSchema<unknown, Region>;

/** RCC's options (src/core/locs/rcc.ts); unknown ones are refused, so a typo is not ignored. */
export const RccOptionsSchema = v.strictObject({
  segments: v.optional(intIn(2, 100)),
  pixelNm: v.optional(numIn(1, 500)),
  renderSigmaNm: v.optional(above(0, 1e4)),
  maxShiftNm: v.optional(numIn(10, 1e6)),
  rejectNm: v.optional(above(0, 1e6)),
  maxImageSize: v.optional(intIn(16, 16_384)),
  interpolation: v.optional(v.picklist(['linear', 'spline'])),
  frameCount: v.optional(intIn(1)),
  maxPairSeparation: v.optional(intIn(0, 100)),
}) satisfies v.GenericSchema<unknown, Serialisable<RccOptions>>;

/** Fiducial drift's options (src/core/locs/fiducialDrift.ts). */
export const FiducialOptionsSchema = v.strictObject({
  regions: v.optional(v.pipe(v.array(RegionSchema), v.maxLength(1000))),
  linkRadiusNm: v.optional(above(0, 1e6)),
  maxGapFrames: v.optional(intIn(0, 1e6)),
  minFraction: v.optional(above(0, 1)),
  smoothFrames: v.optional(intIn(1)),
  frameCount: v.optional(intIn(1)),
}) satisfies v.GenericSchema<unknown, Serialisable<FiducialOptions>>;

const common = { enabled: v.optional(v.boolean()) };
const drift = { ...common, kind: v.literal('drift'), force: v.optional(v.boolean()) };

export const MergeStepSchema = v.object({
  ...common,
  kind: v.literal('merge'),
  /** nm; later localizations this close join the molecule. */
  radiusNm: numIn(0.1, 1e5),
  maxGapFrames: intIn(0, 1e6),
  weighting: v.optional(v.picklist(['precision', 'photons', 'equal'])),
});

/** A filter expression is parsed here, so a malicious string fails before any run. */
const FilterExpressionSchema = v.pipe(
  v.string(),
  v.maxLength(4000),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    try {
      parseFilter(dataset.value);
    } catch (e) {
      addIssue({ message: e instanceof Error ? e.message : String(e) });
    }
  }),
);

/**
 * One post-processing step, as sessions, links, scripts and the step editor's fields check it.
 * Unknown fields of a step are dropped; unknown options are refused.
 */
export const PostStepSchema = v.variant('kind', [
  v.variant('method', [
    v.object({ ...drift, method: v.picklist(['rcc', 'auto']), options: v.optional(RccOptionsSchema) }),
    v.object({ ...drift, method: v.literal('fiducial'), options: v.optional(FiducialOptionsSchema) }),
  ]),
  MergeStepSchema,
  v.object({ ...common, kind: v.literal('filter'), expression: FilterExpressionSchema }),
  v.object({ ...common, kind: v.literal('region'), region: RegionSchema, invert: v.optional(v.boolean()) }),
]) satisfies v.GenericSchema<unknown, PostStep>;

/** The post-processing steps (sessions, links, scripting, experiments). */
export const PostStepsSchema = v.pipe(v.array(PostStepSchema), v.maxLength(1000));

/** Untrusted JSON (a session file) as steps, or an Error naming the first bad field. */
export function parsePipeline(json: unknown, where = 'post'): PostStep[] {
  return parseOrThrow(PostStepsSchema, json, where);
}
