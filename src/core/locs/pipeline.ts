// Post-processing as data: an ordered list of steps with their parameters. Plain JSON, so a
// session stores it, undo/redo is a list of snapshots, and a reviewer can re-run it on the raw
// table — which no step ever modifies (each returns a new table; drift keeps x_raw/y_raw).
import { v } from '../schema';
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

/**
 * Checks untrusted JSON (a session file) and returns it as steps, or throws naming the first
 * bad step. Filter expressions are parsed here, so a malicious string fails before any run.
 */
export function parsePipeline(json: unknown): PostStep[] {
  if (!Array.isArray(json)) throw new Error('pipeline must be an array of steps');
  return json.map((raw, k) => {
    const where = `step ${k + 1}`;
    if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: not an object`);
    const s = raw as Record<string, unknown>;
    const enabled = s.enabled === undefined ? undefined : bool(s.enabled, `${where}.enabled`);
    const base = enabled === undefined ? {} : { enabled };
    switch (s.kind) {
      case 'drift': {
        const allowed = s.method === 'fiducial' ? FIDUCIAL_OPTIONS : RCC_OPTIONS;
        const options =
          s.options === undefined ? undefined : numericOptions(s.options, allowed, `${where}.options`);
        const force = s.force === undefined ? {} : { force: bool(s.force, `${where}.force`) };
        if (s.method === 'rcc' || s.method === 'auto')
          return { ...base, kind: 'drift', method: s.method, ...force, options: options as RccOptions };
        if (s.method === 'fiducial') {
          const regions = (s.options as { regions?: unknown } | undefined)?.regions;
          const opts = { ...(options ?? {}) } as FiducialOptions;
          if (regions !== undefined) {
            if (!Array.isArray(regions)) throw new Error(`${where}.options.regions must be an array`);
            opts.regions = regions.map((r, j) => region(r, `${where}.options.regions[${j}]`));
          }
          return { ...base, kind: 'drift', method: 'fiducial', ...force, options: opts };
        }
        throw new Error(`${where}: unknown drift method ${JSON.stringify(s.method)}`);
      }
      case 'merge': {
        const weighting = s.weighting;
        if (
          weighting !== undefined &&
          weighting !== 'precision' &&
          weighting !== 'photons' &&
          weighting !== 'equal'
        )
          throw new Error(`${where}.weighting must be precision, photons or equal`);
        return {
          ...base,
          kind: 'merge',
          radiusNm: num(s.radiusNm, `${where}.radiusNm`),
          maxGapFrames: num(s.maxGapFrames, `${where}.maxGapFrames`),
          ...(weighting ? { weighting: weighting as MergeWeighting } : {}),
        };
      }
      case 'filter': {
        if (typeof s.expression !== 'string') throw new Error(`${where}.expression must be a string`);
        parseFilter(s.expression);
        return { ...base, kind: 'filter', expression: s.expression };
      }
      case 'region':
        return {
          ...base,
          kind: 'region',
          region: region(s.region, `${where}.region`),
          ...(s.invert === undefined ? {} : { invert: bool(s.invert, `${where}.invert`) }),
        };
      default:
        throw new Error(`${where}: unknown kind ${JSON.stringify(s.kind)}`);
    }
  });
}

const RCC_OPTIONS = new Set([
  'segments',
  'pixelNm',
  'renderSigmaNm',
  'maxShiftNm',
  'rejectNm',
  'maxImageSize',
  'interpolation',
  'frameCount',
  'maxPairSeparation',
]);
const FIDUCIAL_OPTIONS = new Set([
  'regions',
  'linkRadiusNm',
  'maxGapFrames',
  'minFraction',
  'smoothFrames',
  'frameCount',
]);
const STRING_OPTIONS = new Map([['interpolation', ['linear', 'spline']]]);

function numericOptions(v: unknown, allowed: Set<string>, where: string): Record<string, number | string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where} must be an object`);
  const out: Record<string, number | string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!allowed.has(k)) throw new Error(`${where}.${k} is not an option`);
    if (k === 'regions') continue;
    const choices = STRING_OPTIONS.get(k);
    if (choices) {
      if (typeof val !== 'string' || !choices.includes(val))
        throw new Error(`${where}.${k} must be ${choices.join(' or ')}`);
      out[k] = val;
    } else out[k] = num(val, `${where}.${k}`);
  }
  return out;
}

function region(v: unknown, where: string): Region {
  if (typeof v !== 'object' || v === null) throw new Error(`${where} must be an object`);
  const r = v as Record<string, unknown>;
  if (r.kind === 'rect')
    return {
      kind: 'rect',
      x0: num(r.x0, `${where}.x0`),
      y0: num(r.y0, `${where}.y0`),
      x1: num(r.x1, `${where}.x1`),
      y1: num(r.y1, `${where}.y1`),
    };
  if (r.kind === 'polygon') {
    if (!Array.isArray(r.x) || !Array.isArray(r.y) || r.x.length !== r.y.length || r.x.length < 3)
      throw new Error(`${where}: a polygon needs equal x and y arrays of ≥ 3 vertices`);
    return {
      kind: 'polygon',
      x: r.x.map((q, j) => num(q, `${where}.x[${j}]`)),
      y: r.y.map((q, j) => num(q, `${where}.y[${j}]`)),
    };
  }
  throw new Error(`${where}: unknown region kind ${JSON.stringify(r.kind)}`);
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where} must be a finite number`);
  return v;
}

function bool(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${where} must be true or false`);
  return v;
}

/**
 * The post-processing steps as a schema (sessions, links, scripting). The checks are
 * parsePipeline's: each step kind has its own option set and filter expressions are parsed.
 */
export const PostStepsSchema = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return parsePipeline(dataset.value);
    } catch (e) {
      addIssue({ message: e instanceof Error ? e.message : String(e) });
      return NEVER;
    }
  }),
);
