// `evscope aggregate DIR… --out OUTDIR`: merges the per-input summaries that `evscope batch`
// wrote (one folder or the folders of many shards) into per-input, per-cell and per-condition
// tables and the tests with the cell as the unit, and prints the tests.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { experimentStats, metricKeys } from '../../core/experiment/cellStats';
import { compareIds } from '../../core/experiment/model';
import { type InputSummary, parseInputSummary } from '../../core/experiment/summary';
import {
  cellsCsv,
  conditionsCsv,
  formatConditions,
  formatTests,
  inputsCsv,
  testsCsv,
  unitNote,
} from '../../core/experiment/tables';
import { stringFlag } from '../args';
import { writeOutputSafely } from '../safeOutput';
import { terminalText, warnOnStderr } from '../terminalText';
import { defineVerb } from '../verb';

const help = `usage: evscope aggregate DIR… --out OUTDIR [--metrics M1,M2]
Reads DIR/<input>/summary.json of every folder given (one batch folder, or the folders of
several shards, in any order) and writes to OUTDIR:
  inputs.csv      one row per input, one column per metric
  cells.csv       per metric and cell: the unweighted mean over the cell's inputs
  conditions.csv  per metric and condition: mean over cells, sd, 95 % t interval, n cells, n inputs
  tests.csv       per tested metric and pair of conditions: difference of cell means with its
                  Welch 95 % CI, Hedges' g with 95 % CI, permutation p over cells (exact when
                  ≤ 20000 relabellings), Welch p, both Holm-adjusted over the tested family
                  (column replicate_unit: the experiment cell)
and prints the tests. The experiment's cell (the "cell" of each input: a cell, coverslip, dish or
field — the biological replicate) is the unit of every test: inputs (stacks), tracks and
segmented Ca²⁺ cells within it are not independent.
  --metrics LIST   metrics to test (the Holm family); default: every metric. Choose the primary
                   metrics in advance: with 4 vs 4 cells the smallest permutation p is 2/70 ≈ 0.029.`;

async function readSummaries(dirs: string[]): Promise<{ summaries: InputSummary[]; failed: string[] }> {
  const byId = new Map<string, { s: InputSummary; text: string; where: string }>();
  const failed: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new Error(`${dir}: no such folder`);
    const entries = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort(compareIds);
    for (const name of entries) {
      const file = join(dir, name, 'summary.json');
      if (!existsSync(file)) {
        if (existsSync(join(dir, name, 'error.txt'))) failed.push(name);
        continue;
      }
      const text = await readFile(file, 'utf8');
      const s = parseInputSummary(text, file);
      const seen = byId.get(s.id);
      if (seen && seen.text !== text)
        throw new Error(
          `input "${s.id}" has different summaries in ${seen.where} and ${file}: were they run with different parameters?`,
        );
      byId.set(s.id, { s, text, where: file });
    }
  }
  const summaries = [...byId.values()].map((v) => v.s).sort((a, b) => compareIds(a.id, b.id));
  return { summaries, failed: failed.filter((id) => !byId.has(id)).sort(compareIds) };
}

export const verb = defineVerb({
  help,
  values: ['out', 'metrics'],
  async run(a) {
    const out = stringFlag(a, 'out');
    if (!a.positionals.length || !out) {
      console.error(help);
      return 2;
    }
    const { summaries, failed } = await readSummaries(a.positionals);
    if (!summaries.length)
      throw new Error(`no summary.json under ${a.positionals.join(', ')}: run evscope batch first`);
    for (const id of failed)
      warnOnStderr(`input ${id} failed in the batch (see its error.txt) and is not in the tables`);
    const stepSets = new Set(summaries.map((s) => s.steps.join(',')));
    if (stepSets.size > 1)
      warnOnStderr(
        `the inputs were run with different steps (${[...stepSets].join(' | ')}): their metrics differ`,
      );
    const all = metricKeys(summaries);
    const tested = stringFlag(a, 'metrics')
      ?.split(',')
      .map((m) => m.trim());
    for (const m of tested ?? [])
      if (!all.includes(m))
        throw new Error(`--metrics: no input has the metric "${m}" (metrics: ${all.join(', ')})`);
    const stats = experimentStats(summaries, { metrics: all, tested });
    await mkdir(out, { recursive: true });
    await writeOutputSafely(join(out, 'inputs.csv'), inputsCsv(summaries));
    await writeOutputSafely(join(out, 'cells.csv'), cellsCsv(stats));
    await writeOutputSafely(join(out, 'conditions.csv'), conditionsCsv(stats));
    await writeOutputSafely(join(out, 'tests.csv'), testsCsv(stats));
    const cells = new Set(summaries.map((s) => `${s.condition}\u0000${s.cell}`)).size;
    const conditions = new Set(summaries.map((s) => s.condition)).size;
    console.log(`${summaries.length} inputs, ${cells} cells, ${conditions} conditions`);
    for (const line of formatConditions(stats, tested ?? all)) console.log(terminalText(line));
    if (conditions < 2) console.log('one condition only: nothing to compare');
    else {
      for (const line of unitNote(summaries)) console.log(terminalText(line));
      console.log('tests:');
      for (const line of formatTests(stats)) console.log(terminalText(line));
    }
    console.log(`→ ${join(out, 'inputs.csv')}, cells.csv, conditions.csv, tests.csv`);
    return 0;
  },
});
