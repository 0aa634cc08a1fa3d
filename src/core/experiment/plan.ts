// What a batch does with an experiment, decided without touching a file: which inputs a shard
// runs, which steps apply to an input, and the hash that tells whether an input's results on
// disk were made with the current parameters (resume). Shared by `evscope batch` and the browser
// queue, so both skip and split the same way.
import { fingerprintBytes } from '../session/fingerprint';
import {
  activeInputs,
  EXPERIMENT_STEPS,
  type Experiment,
  type ExperimentInput,
  type ExperimentStepName,
  inputKind,
} from './model';

/** "i/n" → shard i (0-based) of n; the Slurm/SGE array index is used as is. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !(count >= 1) || !(index < count))
    throw new Error(`--shard must be I/N with 0 ≤ I < N (e.g. 0/4 … 3/4), got "${text}"`);
  return { index, count };
}

/**
 * The inputs shard `index` of `count` runs: position mod count over the active inputs sorted by
 * id. Every machine computes the same split from the file alone, so no coordinator is needed,
 * and the union of all shards is every active input exactly once.
 */
export function shardInputs(e: Experiment, index: number, count: number): ExperimentInput[] {
  return activeInputs(e).filter((_, k) => k % count === index);
}

/** Steps that apply to this input, in run order, with the reason each other step is skipped. */
export function stepsFor(
  e: Experiment,
  input: ExperimentInput,
  wanted: readonly ExperimentStepName[] = EXPERIMENT_STEPS,
): { run: ExperimentStepName[]; problems: string[] } {
  const table = inputKind(input) === 'localizations';
  const has = (s: ExperimentStepName) => wanted.includes(s);
  const problems: string[] = [];
  const run: ExperimentStepName[] = [];
  for (const s of EXPERIMENT_STEPS) {
    if (!has(s)) continue;
    if (!e.steps[s]) problems.push(`step "${s}" was asked for but the experiment has no "${s}" parameters`);
    else if (s === 'localize' && table)
      continue; // a table is already localized
    else if (s === 'markers' && table)
      problems.push('step "markers" needs a stack, not a localization table');
    else if (s === 'calcium' && table)
      problems.push('step "calcium" needs a stack (a Ca²⁺-indicator time-lapse), not a localization table');
    else if (s === 'tracks' && table && !input.files?.tracks)
      problems.push('step "tracks" on a localization table needs files.tracks (EV tracks to import)');
    else run.push(s);
  }
  const ran = (s: ExperimentStepName) => run.includes(s);
  if (ran('movie') && !(table || ran('localize')))
    problems.push('step "movie" needs localizations: add "localize"');
  if (ran('coloc') && !(ran('movie') && ran('tracks')))
    problems.push('step "coloc" needs the "movie" and "tracks" steps');
  return { run, problems };
}

/** JSON with keys sorted at every level: equal values give equal text (and hashes). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Identity of an input's results: the parameters of the steps that run, the experiment-wide
 * defaults, what the input is (path, kind, companion files, frames, field) and the content
 * fingerprints of its files. Cell and condition are left out: relabelling an input changes
 * its summary's labels (rewritten on resume), not its results.
 */
export function inputParamsHash(
  e: Experiment,
  input: ExperimentInput,
  steps: readonly ExperimentStepName[],
  fileFingerprints: Record<string, string>,
): string {
  const { cell: _c, condition: _k, excluded: _x, ...what } = input;
  const used: Record<string, unknown> = {};
  for (const s of steps) used[s] = e.steps[s];
  if (steps.includes('movie') && e.steps.post) used.post = e.steps.post;
  const text = canonicalJson({
    v: 1,
    steps: used,
    pixelSizeNm: e.pixelSizeNm,
    frameIntervalMs: e.frameIntervalMs,
    input: what,
    files: fileFingerprints,
  });
  return fingerprintBytes(new TextEncoder().encode(text));
}
