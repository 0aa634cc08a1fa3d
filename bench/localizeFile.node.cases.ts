// The Node half of `localize-file` (see localizeFile.cases.ts): the same stacks written to disk,
// localized by the CLI's code path in this process (open + localizeRun with block reads, 2 worker
// threads, the CLI's chunk size), then by `evscope localize --threads 2` itself, whose own
// reported seconds (run start to last chunk) are printed as `cli s`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileByteSource } from '../src/cli/nodeByteSource';
import { readFrameBlock } from '../src/core/stack/frameBlock';
import { openStack } from '../src/core/stack/open';
import { localizeRun } from '../src/engine/localizeRun';
import { localizeNodeWorkerFactory } from '../src/engine/nodeWorker';
import { WorkerPool } from '../src/engine/workerPool';
import type { LocalizeApi } from '../workers/localize.api';
import {
  CLI_FLAGS,
  FILE_LAYOUTS,
  FILE_PARAMS,
  FILE_W,
  fileFigures,
  fileFrames,
  fileStack,
} from './localizeFile.cases';
import type { BenchCase, Figures } from './types';

const bin = new URL('../bin/evscope.mjs', import.meta.url).pathname;

async function cliPath(pool: WorkerPool<LocalizeApi>, path: string, end?: number) {
  const t0 = performance.now();
  const src = await openFileByteSource(path);
  try {
    const stack = await openStack([src]);
    let locs = 0;
    await localizeRun({
      source: {
        width: stack.width,
        height: stack.height,
        frameCount: stack.frameCount,
        readFrame: (i, signal) => stack.readFrame(i, { signal }),
        readFrames: (i, n, signal) => readFrameBlock(stack, i, n, { signal }),
      },
      params: FILE_PARAMS,
      pool,
      frames: end === undefined ? undefined : { start: 0, end },
      onChunk: (t) => {
        locs += t.length;
      },
    });
    return { ms: performance.now() - t0, locs };
  } finally {
    await src.close();
  }
}

/** The CLI's own timing line: "N localizations, S s, F frames/s". */
function cliSeconds(path: string, dir: string): number {
  const r = spawnSync(
    process.execPath,
    [bin, 'localize', path, '--out', join(dir, 'locs.csv'), '--threads', '2', ...CLI_FLAGS],
    { encoding: 'utf8' },
  );
  const m = /(\d+) localizations, ([\d.]+) s/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`evscope localize failed: ${r.stderr}`);
  return Number(m[2]);
}

export const localizeFileNodeCases: BenchCase[] = [
  {
    name: 'localize-file',
    where: ['node'],
    ratioOf: / ms$/,
    async run(log) {
      const frames = fileFrames();
      const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-locfile-'));
      const pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), { size: 2 });
      const out: Figures = {};
      try {
        let warm = false;
        for (const kind of ['uniform', 'dense'] as const) {
          const stack = fileStack(kind, frames);
          for (const [layout, make] of FILE_LAYOUTS) {
            const path = join(dir, `${kind}-${layout}.tif`);
            await writeFile(path, make(stack, FILE_W, FILE_W));
            if (!warm) {
              await cliPath(pool, path, Math.min(64, frames));
              warm = true;
            }
            const r = await cliPath(pool, path);
            fileFigures(out, `${kind} ${layout}`, kind, frames, r.ms, r.locs);
            const cli = cliSeconds(path, dir);
            out[`${kind} ${layout} cli s`] = cli;
            log(
              `  ${kind}-${layout}.tif: ${((frames / r.ms) * 1000).toFixed(0)} frames/s (CLI path in process), evscope localize ${cli.toFixed(2)} s, ${r.locs} locs`,
            );
          }
        }
      } finally {
        pool.terminate();
        await rm(dir, { recursive: true, force: true });
      }
      return out;
    },
  },
];
