// `evscope batch EXPERIMENT.json --out DIR [--step …] [--shard i/n] [--threads N]`: every input
// of an experiment through the same steps, one at a time, in this process. Per input: results
// in DIR/<id>/ and DIR/<id>/summary.json (what `evscope aggregate` reads). A failed input is
// reported, leaves DIR/<id>/error.txt and is skipped; the batch goes on. Inputs whose summary
// exists with the same parameters hash are skipped (resume), so a killed job is simply re-run.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  EXPERIMENT_STEPS,
  type Experiment,
  type ExperimentInput,
  type ExperimentStepName,
  parseExperiment,
} from '../../core/experiment/model';
import { inputParamsHash, parseShard, shardInputs, stepsFor } from '../../core/experiment/plan';
import { buildInputSummary, type InputSummary, parseInputSummary } from '../../core/experiment/summary';
import { fingerprintFile } from '../../core/session/fingerprint';
import { nodePoolSize } from '../../engine/nodeWorker';
import { numberFlag, stringFlag } from '../args';
import { inputPath, runInput } from '../experimentInput';
import { openFileByteSource } from '../nodeByteSource';
import { writeOutputSafely } from '../safeOutput';
import { terminalText } from '../terminalText';
import { defineVerb } from '../verb';

/** Exit status when some inputs failed (the others' results are written). */
export const SOME_FAILED_EXIT = 3;

const help = `usage: evscope batch EXPERIMENT.json --out DIR [--step localize,movie,tracks,coloc,calcium] [options]
Runs every input of an experiment (not excluded) through the steps with the experiment's
parameters, one input at a time, and writes per input DIR/<id>/ (locs.csv, mask.tif,
labels.tif, tracks.csv, distances.csv, per_track.csv, evs.csv, calcium_cells.csv,
calcium_traces.csv — as the steps produce them) and
DIR/<id>/summary.json, which evscope aggregate merges. A failed input is reported, leaves
DIR/<id>/error.txt and is skipped; the exit status is then ${SOME_FAILED_EXIT}. Re-running skips every input whose
summary.json was made with the same parameters and input files (resume).
Steps, in run order: ${EXPERIMENT_STEPS.join(', ')} (markers writes evs.csv: counts per EV and subtype;
calcium writes the Ca²⁺ responses of the input's segmented cells, as evscope calcium does, and
summarises them per input: cells, responders, responder fraction, median latency, peak, AUC).
  --out DIR        results folder (created; shared by all shards)
  --step LIST      steps to run (default: every step the experiment has parameters for)
  --shard I/N      run only inputs I, I+N, I+2N… of the inputs sorted by id (0 ≤ I < N): for job
                   arrays (Slurm: --shard $SLURM_ARRAY_TASK_ID/N) and GNU parallel, no coordinator
  --threads N      worker threads for localization (default: one per core)
  --force          re-run inputs even when their results are up to date
  --dry-run        list the inputs this shard would run, and why any is skipped, then stop
Relative paths in EXPERIMENT.json are relative to its folder.`;

function stepList(text: string | undefined, e: Experiment): ExperimentStepName[] {
  if (text === undefined) {
    const present = EXPERIMENT_STEPS.filter((s) => e.steps[s] !== undefined);
    if (!present.length) throw new Error('the experiment has parameters for no step: nothing to run');
    return present;
  }
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(EXPERIMENT_STEPS as readonly string[]).includes(n))
      throw new Error(`--step: unknown step "${n}" (steps: ${EXPERIMENT_STEPS.join(', ')})`);
    if (n === 'markers')
      throw new Error(
        '--step markers: EV marker counting is not run by batch yet; use evscope count per stack',
      );
  }
  return names as ExperimentStepName[];
}

async function fingerprints(baseDir: string, input: ExperimentInput): Promise<Record<string, string>> {
  const files: Record<string, string> = { path: input.path, ...input.files };
  const out: Record<string, string> = {};
  for (const [role, rel] of Object.entries(files)) {
    const f = await openFileByteSource(inputPath(baseDir, rel)).catch((e: Error) => {
      throw new Error(`cannot read ${rel}: ${e.message}`);
    });
    try {
      out[role] = await fingerprintFile(f);
    } finally {
      await f.close();
    }
  }
  return out;
}

async function existingSummary(file: string): Promise<InputSummary | null> {
  if (!existsSync(file)) return null;
  try {
    return parseInputSummary(await readFile(file, 'utf8'), file);
  } catch {
    return null; // unreadable: run again
  }
}

export function summaryJson(s: InputSummary): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

type Outcome = 'ran' | 'skipped' | 'failed';

async function runOne(
  e: Experiment,
  input: ExperimentInput,
  o: { baseDir: string; out: string; wanted: ExperimentStepName[]; threads: number; force: boolean },
): Promise<{ outcome: Outcome; note: string }> {
  const dir = join(o.out, input.id);
  const summaryFile = join(dir, 'summary.json');
  const { run, problems } = stepsFor(e, input, o.wanted);
  if (problems.length) throw new Error(problems.join('; '));
  const hash = inputParamsHash(e, input, run, await fingerprints(o.baseDir, input));
  const before = o.force ? null : await existingSummary(summaryFile);
  if (before && before.paramsHash === hash) {
    if (before.cell !== input.cell || before.condition !== input.condition)
      await writeOutputSafely(
        summaryFile,
        summaryJson({ ...before, cell: input.cell, condition: input.condition }),
      );
    return { outcome: 'skipped', note: 'results up to date' };
  }
  await mkdir(dir, { recursive: true });
  // Results of other parameters must not outlive a failed re-run (aggregate would read them).
  await rm(summaryFile, { force: true });
  const results = await runInput({
    experiment: e,
    input,
    steps: run,
    baseDir: o.baseDir,
    dir,
    threads: o.threads,
  });
  await writeOutputSafely(summaryFile, summaryJson(buildInputSummary(input, results, run, hash)));
  await rm(join(dir, 'error.txt'), { force: true });
  return { outcome: 'ran', note: run.join(', ') };
}

export const verb = defineVerb({
  help,
  values: ['out', 'step', 'shard', 'threads'],
  booleans: ['force', 'dry-run'],
  async run(a) {
    const file = a.positionals[0];
    const out = stringFlag(a, 'out');
    if (!file || a.positionals.length > 1 || !out) {
      console.error(help);
      return 2;
    }
    const e = parseExperiment(await readFile(file, 'utf8'), file);
    const wanted = stepList(stringFlag(a, 'step'), e);
    const shardText = stringFlag(a, 'shard');
    const shard = shardText ? parseShard(shardText) : { index: 0, count: 1 };
    const threads = numberFlag(a, 'threads') ?? nodePoolSize();
    if (!(Number.isInteger(threads) && threads >= 1))
      throw new Error(`--threads must be a whole number ≥ 1, got ${threads}`);
    const inputs = shardInputs(e, shard.index, shard.count);
    const baseDir = dirname(file);
    const label = shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : '';
    if (a.flags.has('dry-run')) {
      for (const x of inputs) {
        const { run, problems } = stepsFor(e, x, wanted);
        console.log(
          `${x.id}\t${x.condition}\t${x.cell}\t${problems.length ? `cannot run: ${problems.join('; ')}` : run.join(',')}`,
        );
      }
      console.log(`${inputs.length} inputs${label}`);
      return 0;
    }
    await mkdir(out, { recursive: true });
    const counts: Record<Outcome, number> = { ran: 0, skipped: 0, failed: 0 };
    const opts = { baseDir, out, wanted, threads, force: a.flags.has('force') };
    for (const [k, x] of inputs.entries()) {
      const t0 = performance.now();
      const pre = `[${k + 1}/${inputs.length}] ${x.id}`;
      try {
        const r = await runOne(e, x, opts);
        counts[r.outcome]++;
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        console.log(
          terminalText(
            `${pre}: ${r.outcome === 'skipped' ? `skipped, ${r.note}` : `done (${r.note}) in ${s} s`}`,
          ),
        );
      } catch (err) {
        counts.failed++;
        const msg = err instanceof Error ? err.message : String(err);
        console.error(terminalText(`${pre}: FAILED, skipped: ${msg}`));
        await mkdir(join(out, x.id), { recursive: true });
        await writeOutputSafely(join(out, x.id, 'error.txt'), `${msg}\n`);
      }
    }
    console.log(
      `${inputs.length} inputs${label}: ${counts.ran} run, ${counts.skipped} up to date, ${counts.failed} failed → ${out}`,
    );
    return counts.failed ? SOME_FAILED_EXIT : 0;
  },
});
