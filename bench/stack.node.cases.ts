// Node-only stack reading: files through a Node file handle, the CLI's path. Kept apart from
// stack.cases.ts so the browser bench page never imports node:fs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileByteSource } from '../src/cli/nodeByteSource';
import { FRAMES, layouts, measure } from './stack.cases';
import type { BenchCase, Figures } from './types';

export const stackNodeCases: BenchCase[] = [
  {
    name: 'stack-read-file',
    where: ['node'],
    async run(log) {
      log(`${FRAMES} frames 256×256 uint16 from files (OS cache warm)`);
      const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-'));
      const figures: Figures = {};
      try {
        for (const [label, make] of layouts) {
          const path = join(dir, `${label}.tif`);
          await writeFile(path, await make(FRAMES));
          const src = await openFileByteSource(path);
          try {
            await measure(src, label, figures);
          } finally {
            await src.close();
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return figures;
    },
  },
];
