// `evscope simulate --preset experiment --out DIR`: the simulated two-condition experiment
// (core/sim/experiment.ts) written as files, ready for `evscope batch DIR/EXPERIMENT.json`;
// `--preset calcium-experiment` the Ca²⁺ one (core/sim/calciumExperiment.ts), its movies as TIFFs.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { experimentJson } from '../../core/experiment/model';
import { simulateCalciumExperiment } from '../../core/sim/calciumExperiment';
import { simulateExperiment } from '../../core/sim/experiment';
import { simulate } from '../../core/sim/simulate';
import { numberFlag, type ParsedArgs, stringFlag } from '../args';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { writeSimulatedTiff } from '../writeSimulatedTiff';

export const EXPERIMENT_ONLY = ['cells', 'inputs-per-cell', 'null'];

function whole(a: ParsedArgs, flag: string, min: number, max: number): number | undefined {
  const v = numberFlag(a, flag);
  if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max))
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got ${v}`);
  return v;
}

export async function writeSimulatedExperiment(a: ParsedArgs): Promise<number> {
  const out = stringFlag(a, 'out');
  if (!out) throw new Error('--out DIR is required');
  const allowed = new Set(['preset', 'out', 'seed', 'frames', 'size', ...EXPERIMENT_ONLY]);
  for (const f of a.flags.keys())
    if (!allowed.has(f)) throw new Error(`--${f} does not apply to --preset experiment`);
  const size = stringFlag(a, 'size');
  if (size !== undefined && !/^\d+$/.test(size))
    throw new Error(`--size must be one number of pixels, got "${size}"`);
  const sizePx = size === undefined ? undefined : Number(size);
  if (sizePx !== undefined && !(sizePx >= 16 && sizePx <= 512))
    throw new Error('--size must be 16 to 512 px');
  const t0 = performance.now();
  const sim = simulateExperiment({
    seed: numberFlag(a, 'seed'),
    cellsPerCondition: whole(a, 'cells', 2, 50),
    inputsPerCell: whole(a, 'inputs-per-cell', 1, 10),
    frames: whole(a, 'frames', 100, 100_000),
    sizePx,
    null: a.flags.has('null'),
  });
  const files = [...sim.files, { path: 'EXPERIMENT.json', text: experimentJson(sim.experiment) }];
  const paths = files.map((f) => join(out, f.path));
  for (const dir of new Set(paths.map((p) => dirname(p)))) await mkdir(dir, { recursive: true });
  await checkOutputs(paths, []);
  for (const [k, f] of files.entries()) await writeOutputSafely(paths[k], f.text);
  const s = (performance.now() - t0) / 1000;
  console.log(
    `simulated experiment "${sim.experiment.title}": ${sim.experiment.inputs.length} inputs in ${sim.truth.conditions.length} conditions (${s.toFixed(1)} s)`,
  );
  console.log(`  expected: ${sim.truth.expected}`);
  console.log(`  wrote ${join(out, 'EXPERIMENT.json')} and ${sim.files.length - 1} input files, truth.json`);
  return 0;
}

/** The simulated two-condition Ca²⁺ experiment: EXPERIMENT.json, truth.json and one TIFF per input. */
export async function writeSimulatedCalciumExperiment(a: ParsedArgs): Promise<number> {
  const out = stringFlag(a, 'out');
  if (!out) throw new Error('--out DIR is required');
  const allowed = new Set(['preset', 'out', 'seed', 'cells', 'inputs-per-cell', 'null']);
  for (const f of a.flags.keys())
    if (!allowed.has(f)) throw new Error(`--${f} does not apply to --preset calcium-experiment`);
  const t0 = performance.now();
  const sim = simulateCalciumExperiment({
    seed: numberFlag(a, 'seed'),
    cellsPerCondition: whole(a, 'cells', 2, 50),
    inputsPerCell: whole(a, 'inputs-per-cell', 1, 10),
    null: a.flags.has('null'),
  });
  const e = sim.experiment;
  const texts = [
    { path: 'EXPERIMENT.json', text: experimentJson(e) },
    { path: 'truth.json', text: `${JSON.stringify(sim.truth, null, 2)}\n` },
  ];
  const paths = [...e.inputs.map((x) => x.path), ...texts.map((t) => t.path)].map((p) => join(out, p));
  for (const dir of new Set(paths.map((p) => dirname(p)))) await mkdir(dir, { recursive: true });
  await checkOutputs(paths, []);
  for (const x of e.inputs) await writeSimulatedTiff(join(out, x.path), simulate(sim.simulations[x.id]));
  for (const t of texts) await writeOutputSafely(join(out, t.path), t.text);
  const s = (performance.now() - t0) / 1000;
  console.log(
    `simulated Ca²⁺ experiment "${e.title}": ${e.inputs.length} movies in ${sim.truth.conditions.length} conditions (${s.toFixed(1)} s)`,
  );
  console.log(`  expected: ${sim.truth.expected}`);
  console.log(`  wrote ${join(out, 'EXPERIMENT.json')}, truth.json and ${e.inputs.length} TIFFs`);
  console.log(
    `  next: evscope batch ${join(out, 'EXPERIMENT.json')} --out RESULTS && evscope aggregate RESULTS --out TABLES --metrics calcium.responderFraction`,
  );
  return 0;
}
