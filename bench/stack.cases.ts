// Stack reading: open time (to frame 1 on screen) and sequential frames/s for a generated
// 2,000-frame 256×256 stack — from a Blob in both Node and Chromium (the browser's File path),
// and from files through a Node file handle (the CLI's path).
import { benchReadStack } from '../src/core/stack/benchReadStack';
import { blobByteSource } from '../src/core/stack/byteSource';
import { openStack } from '../src/core/stack/open';
import type { ByteSource } from '../src/core/stack/types';
import { deflateParts, imageJContiguousParts, multipageParts } from './stackFixtures';
import type { BenchCase, Figures } from './types';

const FRAMES = 2000;

async function measure(src: ByteSource, prefix: string, figures: Figures): Promise<void> {
  const t0 = performance.now();
  const stack = await openStack([src]);
  await stack.readFrame(0);
  figures[`${prefix} open+frame1 ms`] = performance.now() - t0;
  const r = await benchReadStack(stack);
  figures[`${prefix} frames/s`] = r.framesPerSecond;
  figures[`${prefix} MB/s`] = r.megabytesPerSecond;
}

const layouts = [
  ['multipage', multipageParts],
  ['imagej', imageJContiguousParts],
  ['deflate', deflateParts],
] as const;

export const stackCases: BenchCase[] = [
  {
    name: 'stack-read-blob',
    where: ['node', 'browser'],
    async run(log) {
      log(`${FRAMES} frames 256×256 uint16 from a Blob`);
      const figures: Figures = {};
      for (const [label, make] of layouts) {
        const blob = new Blob((await make(FRAMES)) as BlobPart[]);
        await measure(blobByteSource(blob, `${label}.tif`), label, figures);
      }
      return figures;
    },
  },
  {
    name: 'stack-read-file',
    where: ['node'],
    async run(log) {
      // Node-only modules load here: bench/cases.ts is also the browser page's module graph,
      // where Vite's stand-ins for node: modules throw as soon as a named import is read.
      const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openFileByteSource } = await import('../src/cli/nodeByteSource');
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
