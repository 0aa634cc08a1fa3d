// Stack reading: open time (to frame 1 on screen) and sequential frames/s for a generated
// 2,000-frame 256×256 stack — from a Blob in both Node and Chromium (the browser's File path),
// and from files through a Node file handle (the CLI's path, in stack.node.cases.ts).
import { benchReadStack } from '../src/core/stack/benchReadStack';
import { blobByteSource } from '../src/core/stack/byteSource';
import { readFrameBlock } from '../src/core/stack/frameBlock';
import { openStack } from '../src/core/stack/open';
import type { ByteSource } from '../src/core/stack/types';
import { deflateParts, imageJContiguousParts, multipageParts } from './stackFixtures';
import type { BenchCase, Figures } from './types';

export const FRAMES = 2000;

export async function measure(src: ByteSource, prefix: string, figures: Figures): Promise<void> {
  const t0 = performance.now();
  const stack = await openStack([src]);
  await stack.readFrame(0);
  figures[`${prefix} open+frame1 ms`] = performance.now() - t0;
  const r = await benchReadStack(stack);
  figures[`${prefix} frames/s`] = r.framesPerSecond;
  figures[`${prefix} MB/s`] = r.megabytesPerSecond;
  // The localizers' path: blocks of 32 consecutive frames (one span read each where the layout
  // allows), as every localize worker and the CLI read them.
  const t1 = performance.now();
  for (let k = 0; k < stack.frameCount; k += BLOCK)
    await readFrameBlock(stack, k, Math.min(BLOCK, stack.frameCount - k));
  figures[`${prefix} blocks of ${BLOCK} frames/s`] = (stack.frameCount / (performance.now() - t1)) * 1000;
}

const BLOCK = 32;

/**
 * In the browser the stack goes through the origin-private file system, so it is read as a
 * disk-backed File, as a dropped file would be (Chromium refuses to read in-memory Blobs of a
 * few hundred MB). Node reads an in-memory Blob.
 */
export async function toBlob(name: string, parts: Uint8Array[]): Promise<Blob> {
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<unknown> } } })
    .navigator?.storage;
  if (!storage?.getDirectory) return new Blob(parts as BlobPart[]);
  const dir = (await storage.getDirectory()) as FileSystemDirectoryHandle;
  const handle = await dir.getFileHandle(`${name}.tif`, { create: true });
  const w = await handle.createWritable();
  for (const p of parts) await w.write(p as BlobPart);
  await w.close();
  return handle.getFile();
}

export const layouts = [
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
        const blob = await toBlob(label, await make(FRAMES));
        await measure(blobByteSource(blob, `${label}.tif`), label, figures);
      }
      return figures;
    },
  },
];
