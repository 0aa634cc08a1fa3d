// CLI start-up: a 20-frame 64×64 `evscope localize` through bin/evscope.mjs, prebuilt bundle vs
// TypeScript compiled on the fly, beside bare `node -e 0`. Batch runs call the CLI thousands of
// times, so the figure that matters is the cost above bare Node.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase } from './types';

const bin = new URL('../bin/evscope.mjs', import.meta.url).pathname;

function medianMs(runs: number, cmd: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, cmd, { env, cwd, encoding: 'utf8' });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  }
  return ms.sort((a, b) => a - b)[runs >> 1];
}

export const cliNodeCases: BenchCase[] = [
  {
    name: 'cli-startup',
    where: ['node'],
    async run(log) {
      const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-cli-'));
      try {
        const env = { ...process.env };
        const fromSource = { ...env, EVSCOPE_CLI_FROM_SOURCE: '1' };
        medianMs(
          1,
          [bin, 'simulate', '--preset', 'isolated', '--out', 'sim', '--frames', '20', '--size', '64x64'],
          env,
          dir,
        );
        const localize = [bin, 'localize', 'sim.tif', '--out', 'locs.csv'];
        const runs = 5;
        log(`median of ${runs} runs each; the prebuilt bundle exists after npm install (dist-cli/)`);
        const bare = medianMs(runs, ['-e', '0'], env, dir);
        const prebuilt = medianMs(runs, localize, env, dir);
        const source = medianMs(runs, localize, fromSource, dir);
        return {
          'bare node ms': bare,
          'localize 20×64² prebuilt ms': prebuilt,
          'localize 20×64² from source ms': source,
          'prebuilt above bare node ms': prebuilt - bare,
          'from source ÷ prebuilt': source / prebuilt,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
