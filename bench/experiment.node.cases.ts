// The null experiment through the whole CLI path: R replicate seeds of the simulated experiment
// with both conditions random (`simulate --preset experiment --null`), each batched and
// aggregated in-process. Reports how often the cell-level tests reject at α = 0.05 (it should be
// about 0.05; by permutation at most 2/70 ≈ 0.029 is reachable per test with 4 vs 4 cells, so
// that rate sits below α) and the batch throughput. EVSCOPE_BENCH_REPLICATES sets R (default 20).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main';
import type { BenchCase } from './types';

const METRIC = 'coloc.deltaFractionWithin';

async function quiet(args: string[]): Promise<void> {
  const log = console.log;
  console.log = () => {};
  try {
    const code = await main(args);
    if (code !== 0) throw new Error(`evscope ${args.join(' ')} exited with ${code}`);
  } finally {
    console.log = log;
  }
}

export const experimentNodeCases: BenchCase[] = [
  {
    name: 'experiment-null',
    where: ['node'],
    async run(log) {
      const reps = Number(process.env.EVSCOPE_BENCH_REPLICATES ?? 20);
      const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-exp-'));
      let perm = 0;
      let welch = 0;
      let inputs = 0;
      let batchMs = 0;
      try {
        for (let r = 0; r < reps; r++) {
          const d = join(dir, String(r));
          await quiet([
            'simulate',
            '--preset',
            'experiment',
            '--null',
            '--seed',
            String(100 + r),
            '--out',
            d,
          ]);
          const t0 = performance.now();
          await quiet(['batch', join(d, 'EXPERIMENT.json'), '--out', join(d, 'res'), '--threads', '1']);
          batchMs += performance.now() - t0;
          await quiet(['aggregate', join(d, 'res'), '--out', join(d, 'agg'), '--metrics', METRIC]);
          const [head, row] = (await readFile(join(d, 'agg', 'tests.csv'), 'utf8')).trim().split('\n');
          const cols = head.split(',').map((h) => h.replace(/"/g, ''));
          const v = (name: string) => Number(row.split(',')[cols.indexOf(name)]);
          if (v('p_permutation') <= 0.05) perm++;
          if (v('p_welch') <= 0.05) welch++;
          inputs += 8;
          log(
            `replicate ${r + 1}/${reps}: p permutation ${v('p_permutation').toFixed(3)}, Welch ${v('p_welch').toFixed(3)}`,
          );
          await rm(d, { recursive: true, force: true });
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return {
        replicates: reps,
        rejectPermutation: perm / reps,
        rejectWelch: welch / reps,
        batchInputsPerS: inputs / (batchMs / 1000),
      };
    },
  },
];
