// An experiment: many inputs (stacks or localization tables), each belonging to one cell, each
// cell to one condition, and one parameter set per analysis step applied to every input. The
// cell — not the position, not the input — is the statistical unit (cellStats.ts). Plain JSON,
// so it is written by hand or by `evscope simulate --preset experiment`, travels inside a
// session and is checked here with the session's schema toolkit (every problem, with its path).
import type { CalciumParams } from '../calcium/analyse';
import { calciumParamProblems, checkCalciumParams } from '../calcium/params';
import type { ColocParams } from '../coloc/analysis';
import type { EvMarkerParamsInput } from '../ev/params';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../localize/params';
import { type PostStep, parsePipeline } from '../locs/pipeline';
import type { MovieSigma } from '../movie/slidingMovie';
import { checkMovieWindow } from '../movie/window';
import {
  arr,
  bool,
  type Check,
  checkedJson,
  Issues,
  type Json,
  num,
  obj,
  oneOf,
  plainJson,
  str,
} from '../session/schema';

export const EXPERIMENT_FORMAT = 'evscope-experiment';
export const EXPERIMENT_VERSION = 1;

/** Steps in the order they run for one input; each may use the results of the ones before. */
export const EXPERIMENT_STEPS = ['localize', 'movie', 'tracks', 'coloc', 'markers', 'calcium'] as const;
export type ExperimentStepName = (typeof EXPERIMENT_STEPS)[number];

export type ExperimentInputKind = 'stack' | 'localizations';

export interface ExperimentInput {
  /** Unique, file-name safe; names the input's result folder. */
  id: string;
  /**
   * The stack or localization table: a path relative to the experiment file (CLI) or the
   * dropped file's name (browser). Headerless movies list their sidecar in `files.sidecar`.
   */
  path: string;
  cell: string;
  condition: string;
  /** Left out of the batch and of every statistic (kept in the file so the choice is visible). */
  excluded?: boolean;
  /** Default: from the extension (.csv/.tsv/.hdf5/.h5/.smlm/.txt → localizations, else stack). */
  kind?: ExperimentInputKind;
  /** Companion files, relative like `path`: EV tracks to import instead of tracking, a sidecar. */
  files?: { tracks?: string; sidecar?: string };
  /**
   * What a localization table does not record: the acquisition's raw frames and camera field
   * (px). Without them the movie spans the table's last frame and its farthest localization.
   */
  frames?: number;
  fieldPx?: { width: number; height: number };
}

/** The Movie step's settings (the same fields as the panel's MovieParams and the CLI's flags). */
export interface ExperimentMovieParams {
  /** Raw frames per movie frame (W) and between movie frames (S). */
  window: number;
  step: number;
  renderPxNm: number;
  sigma: MovieSigma;
  /** Gaussian smoothing before thresholding, render px. */
  smoothSigmaPx: number;
  /** Same shape as the Tracks step's ThresholdChoice. */
  threshold: { kind: 'otsu'; sampleFrames: number } | { kind: 'manual'; value: number };
  /** 26: structures connected in (x, y, t); 8: per frame. */
  connectivity: 26 | 8;
}

/** The Tracks step: the TrackingRequest's settings (workers/tracks.api.ts) minus the stack. */
export interface ExperimentTracksParams {
  /** 0-based EV channel; default the stack's last channel. */
  channel?: number;
  localize: LocalizeParamsInput;
  link: { maxLinkDistance: number; maxGap: number; autoRadius?: boolean };
  filter: { minLength: number; minMeanIntensity: number };
  /** Imported track tables (`files.tracks`): their first frame number and pixel size for px columns. */
  frameBase?: 0 | 1;
  pixelSizeNm?: number;
}

/**
 * The distance analysis (core ColocParams) without what each input supplies itself (its movie
 * frames, their interval and the control region: the field of the movie).
 */
export type ExperimentColocParams = Omit<ColocParams, 'movieFrames' | 'frameInterval' | 'controlRegion'>;

/** The Localize step: the session's localize parameters plus the panel's channel choice. */
export type ExperimentLocalizeParams = LocalizeParamsInput & {
  /** 0-based channel to localize (default 0, as in the Localize panel). */
  channel?: number;
};

/**
 * The Ca²⁺-response step: the Ca²⁺ step's own CalciumParams (frames 0-based: `addFrame` is the
 * first frame that may respond, the baseline is [baselineStart, baselineEnd)) plus the channel
 * of the indicator. Without `frameIntervalS` each input's file says, else the experiment's
 * frameIntervalMs, else 1 s (as `evscope calcium`).
 */
export type ExperimentCalciumParams = CalciumParams & {
  /** 0-based channel of the Ca²⁺ indicator (default 0). */
  channel?: number;
};

/** Every problem with a Ca²⁺ section, each naming its field (empty: usable). */
function experimentCalciumProblems(j: Json): string[] {
  const out = calciumParamProblems(j, 'calcium', ['channel']);
  const channel = (j as { channel?: unknown } | null)?.channel;
  if (channel !== undefined && !(Number.isInteger(channel) && (channel as number) >= 0))
    out.push(`calcium.channel must be a 0-based channel (got ${JSON.stringify(channel)?.slice(0, 40)})`);
  return out;
}

/** Checks a Ca²⁺ section; throws with every problem, each naming its field. */
export function checkExperimentCalciumParams(j: Json): ExperimentCalciumParams {
  const problems = experimentCalciumProblems(j);
  if (problems.length) throw new Error(problems.join('; '));
  return checkCalciumParams(j, 'calcium', ['channel']) as ExperimentCalciumParams;
}

/** The Ca²⁺ section with each problem reported on its own (a section's problems outgrow one line). */
const calciumSection: Check<Json> = (v, path, issues) => {
  const j = plainJson({ maxNodes: 20_000 })(v, path, issues);
  if (j === undefined) return undefined;
  const problems = experimentCalciumProblems(j);
  for (const p of problems) issues.add(path, p);
  return problems.length ? undefined : j;
};

export interface ExperimentSteps {
  localize?: ExperimentLocalizeParams;
  /** Post-processing of the localizations (drift, merge, filter) before the movie. */
  post?: PostStep[];
  movie?: ExperimentMovieParams;
  tracks?: ExperimentTracksParams;
  coloc?: ExperimentColocParams;
  markers?: EvMarkerParamsInput;
  calcium?: ExperimentCalciumParams;
}

export interface Experiment {
  format: typeof EXPERIMENT_FORMAT;
  version: typeof EXPERIMENT_VERSION;
  title: string;
  /** Raw frame interval, ms, when the inputs do not say (tables never do). */
  frameIntervalMs?: number;
  /** Camera pixel size, nm, for inputs that do not say. */
  pixelSizeNm?: number;
  inputs: ExperimentInput[];
  steps: ExperimentSteps;
}

export const EXPERIMENT_LIMITS = { maxInputs: 100_000, maxName: 200 } as const;

const id = str({
  max: 100,
  min: 1,
  pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  patternHint: 'an id of letters, digits, "_", "." or "-" (it names a folder)',
});
const name = str({ max: EXPERIMENT_LIMITS.maxName, min: 1 });
const path = str({ max: 4096, min: 1 });
const positive = num({ min: 0, exclusiveMin: true });

const files: Check<{ tracks?: string; sidecar?: string }> = obj({}, { tracks: path, sidecar: path });

const wholePositive = num({ min: 1, max: 2 ** 31, integer: true });
const fieldPx: Check<{ width: number; height: number }> = obj({
  width: wholePositive,
  height: wholePositive,
});

const inputOptional = {
  frames: wholePositive,
  fieldPx,
  excluded: bool,
  kind: oneOf<ExperimentInputKind>(['stack', 'localizations']),
  files,
};
const input: Check<ExperimentInput> = obj({ id, path, cell: name, condition: name }, inputOptional);

/** A step section: plain JSON that the step's own parser accepts (it throws with a reason). */
function section(parse: (j: Json) => unknown): Check<Json> {
  return checkedJson(plainJson({ maxNodes: 20_000 }), parse);
}

function asObject(j: Json, what: string): Record<string, Json> {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new Error(`${what}: expected an object`);
  return j;
}

function need(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

const isPosInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isPos = (v: unknown) => typeof v === 'number' && v > 0 && Number.isFinite(v);
const isNonNeg = (v: unknown) => typeof v === 'number' && v >= 0 && Number.isFinite(v);

/** Checks a Movie section; throws with a sentence naming the field. */
export function checkMovieParams(j: Json): ExperimentMovieParams {
  const m = asObject(j, 'movie');
  need(isPosInt(m.window) && isPosInt(m.step), 'movie.window and movie.step must be whole numbers ≥ 1');
  checkMovieWindow({ window: m.window as number, step: m.step as number });
  need(isPos(m.renderPxNm), 'movie.renderPxNm must be > 0 nm');
  const s = asObject(m.sigma ?? null, 'movie.sigma');
  if (s.kind === 'fixed') need(isNonNeg(s.nm), 'movie.sigma.nm must be ≥ 0 nm');
  else if (s.kind === 'precision')
    need(isPos(s.factor) && isNonNeg(s.minNm), 'movie.sigma needs factor > 0 and minNm ≥ 0');
  else throw new Error('movie.sigma.kind must be "fixed" or "precision"');
  need(isNonNeg(m.smoothSigmaPx), 'movie.smoothSigmaPx must be ≥ 0 render px');
  const t = asObject(m.threshold ?? null, 'movie.threshold');
  if (t.kind === 'otsu')
    need(isPosInt(t.sampleFrames), 'movie.threshold.sampleFrames must be a whole number ≥ 1');
  else if (t.kind === 'manual') need(isPos(t.value), 'movie.threshold.value must be > 0');
  else throw new Error('movie.threshold.kind must be "otsu" or "manual"');
  need(m.connectivity === 26 || m.connectivity === 8, 'movie.connectivity must be 26 or 8');
  return m as unknown as ExperimentMovieParams;
}

export function checkTracksParams(j: Json): ExperimentTracksParams {
  const t = asObject(j, 'tracks');
  if (t.channel !== undefined)
    need(
      Number.isInteger(t.channel) && (t.channel as number) >= 0,
      'tracks.channel must be a 0-based channel',
    );
  asObject(t.localize ?? null, 'tracks.localize');
  const l = asObject(t.link ?? null, 'tracks.link');
  need(isPos(l.maxLinkDistance), 'tracks.link.maxLinkDistance must be > 0 nm');
  need(
    Number.isInteger(l.maxGap) && (l.maxGap as number) >= 0,
    'tracks.link.maxGap must be a whole number ≥ 0',
  );
  const f = asObject(t.filter ?? null, 'tracks.filter');
  need(isPosInt(f.minLength), 'tracks.filter.minLength must be a whole number ≥ 1');
  need(isNonNeg(f.minMeanIntensity), 'tracks.filter.minMeanIntensity must be ≥ 0');
  if (t.frameBase !== undefined)
    need(t.frameBase === 0 || t.frameBase === 1, 'tracks.frameBase must be 0 or 1');
  if (t.pixelSizeNm !== undefined) need(isPos(t.pixelSizeNm), 'tracks.pixelSizeNm must be > 0 nm');
  return t as unknown as ExperimentTracksParams;
}

export function checkColocParams(j: Json): ExperimentColocParams {
  const c = asObject(j, 'coloc');
  for (const k of ['movieFrames', 'frameInterval', 'controlRegion'])
    need(!(k in c), `coloc.${k} is set per input (from its movie): leave it out`);
  for (const k of ['controlPerFrame', 'controlTracksPerTrack', 'permutations', 'minDuration'])
    if (c[k] !== undefined) need(isPosInt(c[k]), `coloc.${k} must be a whole number ≥ 1`);
  if (c.cutoff !== undefined)
    need(typeof c.cutoff === 'number' && Number.isFinite(c.cutoff), 'coloc.cutoff must be a number (nm)');
  if (c.pooling !== undefined)
    need(c.pooling === 'nearest' || c.pooling === 'pooled', 'coloc.pooling must be nearest or pooled');
  return c as unknown as ExperimentColocParams;
}

const steps = obj(
  {},
  {
    // resolveLocalizeParams throws with the field's name, as the session's localize section does.
    localize: section((j) => {
      const { channel, ...rest } = asObject(j, 'localize');
      if (channel !== undefined)
        need(
          Number.isInteger(channel) && (channel as number) >= 0,
          'localize.channel must be a 0-based channel',
        );
      resolveLocalizeParams(rest as LocalizeParamsInput);
    }),
    post: section((j) => parsePipeline(j)),
    movie: section(checkMovieParams),
    tracks: section(checkTracksParams),
    coloc: section(checkColocParams),
    markers: section((j) => asObject(j, 'markers')),
    calcium: calciumSection,
  },
);

const experiment = obj(
  {
    format: oneOf([EXPERIMENT_FORMAT] as const),
    version: oneOf([EXPERIMENT_VERSION] as const),
    inputs: arr(input, { max: EXPERIMENT_LIMITS.maxInputs }),
    steps,
  },
  { title: str({ max: 200 }), frameIntervalMs: positive, pixelSizeNm: positive },
);

/**
 * The experiment as a session section (`steps.experiment`): register it with the session's
 * validator (`registerStepSchema('experiment', experimentSectionSchema)`) so a session keeps
 * its experiment checked like any step.
 */
export const experimentSectionSchema: Check<Json> = checkedJson(plainJson({ maxNodes: 500_000 }), (j) => {
  const r = validateExperiment(j);
  if (!r.ok) throw new Error(r.errors.slice(0, 5).join('; '));
});

export type ExperimentResult = { ok: true; experiment: Experiment } | { ok: false; errors: string[] };

/** Checks a parsed experiment document: every problem with its path. Never throws. */
export function validateExperiment(json: unknown): ExperimentResult {
  const issues = new Issues();
  const e = experiment(json, '', issues) as (Omit<Experiment, 'title'> & { title?: string }) | undefined;
  if (e) crossCheck(e.inputs, issues);
  if (!e || !issues.ok) return { ok: false, errors: issues.messages() };
  return { ok: true, experiment: { ...e, title: e.title ?? '' } };
}

function crossCheck(inputs: ExperimentInput[], issues: Issues): void {
  const seen = new Map<string, number>();
  inputs.forEach((x, k) => {
    const before = seen.get(x.id);
    if (before !== undefined)
      issues.add(`inputs[${k}].id`, `"${x.id}" is already the id of inputs[${before}]`);
    else seen.set(x.id, k);
  });
}

/** Parses experiment JSON text; throws one message listing every problem. */
export function parseExperiment(text: string, fileName = 'experiment'): Experiment {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName} is not JSON: ${(e as Error).message}`);
  }
  const r = validateExperiment(json);
  if (!r.ok) throw new Error(`${fileName} is not a valid experiment:\n  ${r.errors.join('\n  ')}`);
  return r.experiment;
}

/** Stable JSON text: inputs as given, two-space indent, trailing newline. */
export function experimentJson(e: Experiment): string {
  return `${JSON.stringify(e, null, 2)}\n`;
}

const TABLE_EXT = /\.(csv|tsv|txt|hdf5|h5|smlm)$/i;

export function inputKind(x: ExperimentInput): ExperimentInputKind {
  return x.kind ?? (TABLE_EXT.test(x.path) ? 'localizations' : 'stack');
}

/** The inputs the batch and the statistics use, sorted by id (the order every output follows). */
export function activeInputs(e: Experiment): ExperimentInput[] {
  return e.inputs.filter((x) => !x.excluded).sort((a, b) => compareIds(a.id, b.id));
}

/** Code-unit order: the same in every locale and engine (outputs must not depend on either). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------- inference from file names

export interface InferredInput {
  path: string;
  cell: string;
  condition: string;
}

/**
 * A file-name pattern → a matcher. Either a glob-like template with `{condition}` and `{cell}`
 * (and optional `{any}`/`*` wildcards, `**` for several folders), e.g. `{condition}/{cell}_*.tif`,
 * or a regular expression (written `/…/`) with named groups `condition` and `cell`.
 */
export function compilePattern(pattern: string): RegExp {
  if (pattern.length > 500) throw new Error('the pattern is longer than 500 characters');
  if (pattern.startsWith('/') && pattern.lastIndexOf('/') > 0) {
    const end = pattern.lastIndexOf('/');
    let re: RegExp;
    try {
      re = new RegExp(pattern.slice(1, end), pattern.slice(end + 1));
    } catch (e) {
      throw new Error(`the pattern is not a valid regular expression: ${(e as Error).message}`);
    }
    const src = re.source;
    if (!src.includes('(?<condition>') || !src.includes('(?<cell>'))
      throw new Error('a regular-expression pattern needs the named groups (?<condition>…) and (?<cell>…)');
    return re;
  }
  if (!pattern.includes('{condition}') || !pattern.includes('{cell}'))
    throw new Error('the pattern needs both {condition} and {cell}, e.g. {condition}/{cell}_*.tif');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const rest = pattern.slice(i);
    const field = /^\{(condition|cell|any)\}/.exec(rest);
    if (field) {
      out += field[1] === 'any' ? '[^/]*' : `(?<${field[1]}>[^/]+?)`;
      i += field[0].length;
    } else if (rest.startsWith('**/')) {
      out += '(?:[^/]+/)*';
      i += 3;
    } else if (rest[0] === '*') {
      out += '[^/]*';
      i += 1;
    } else if (rest[0] === '?') {
      out += '[^/]';
      i += 1;
    } else {
      out += rest[0].replace(/[.+^$()|[\]\\{}]/g, '\\$&');
      i += 1;
    }
  }
  return new RegExp(`^(?:.*/)?${out}$`);
}

/**
 * Cell and condition of every path the pattern matches (paths use "/"; Windows "\" is turned
 * into "/"). Cells are named `<condition>/<cell>` so "cell1" of two conditions stay two cells.
 * Unmatched paths are returned separately so the caller can say which were left out.
 */
export function inferInputs(
  paths: readonly string[],
  pattern: string,
): { inputs: InferredInput[]; unmatched: string[] } {
  const re = compilePattern(pattern);
  const inputs: InferredInput[] = [];
  const unmatched: string[] = [];
  for (const p of paths) {
    const norm = p.replace(/\\/g, '/');
    const m = re.exec(norm);
    const condition = m?.groups?.condition;
    const cell = m?.groups?.cell;
    if (!condition || !cell) unmatched.push(p);
    else inputs.push({ path: norm, condition, cell: `${condition}/${cell}` });
  }
  return { inputs, unmatched };
}

/** File-name safe id from a path: its stem, made unique with -2, -3… in path order. */
export function inputIds(paths: readonly string[]): string[] {
  return uniqueIds(
    paths.map(
      (p) =>
        (p.replace(/\\/g, '/').split('/').pop() ?? 'input')
          .replace(/\.[^.]*$/, '')
          .replace(/[^A-Za-z0-9_.-]+/g, '_')
          .replace(/^[.-]+/, '')
          .slice(0, 90) || 'input',
    ),
  );
}

/** Each wanted id in order, made unique against `taken` and the ones before it with -2, -3… */
export function uniqueIds(wanted: readonly string[], taken: readonly string[] = []): string[] {
  const used = new Set(taken);
  return wanted.map((w) => {
    let id = w;
    for (let k = 2; used.has(id); k++) id = `${w}-${k}`;
    used.add(id);
    return id;
  });
}

/** An experiment from paths and a pattern (with the steps to run); unmatched paths are reported. */
export function experimentFromPaths(
  paths: readonly string[],
  pattern: string,
  steps: ExperimentSteps = {},
  title = '',
): { experiment: Experiment; unmatched: string[] } {
  const { inputs, unmatched } = inferInputs(paths, pattern);
  const ids = inputIds(inputs.map((x) => x.path));
  return {
    experiment: {
      format: EXPERIMENT_FORMAT,
      version: EXPERIMENT_VERSION,
      title,
      inputs: inputs.map((x, k) => ({ id: ids[k], ...x })),
      steps,
    },
    unmatched,
  };
}
