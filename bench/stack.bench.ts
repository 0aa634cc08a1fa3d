// Node bench for the stack readers: `node --import tsx bench/stack.bench.ts [frames]`.
// Writes a 256×256 uint16 stack (default 2,000 frames) with evscope's TIFF writer into a temp
// dir, then reports open time and sequential read throughput (through a Node file handle) for
// the multi-page layout, the ImageJ contiguous layout and a Deflate-compressed copy.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { openFileByteSource } from '../src/cli/nodeByteSource';
import { benchReadStack } from '../src/core/stack/benchReadStack';
import { openStack } from '../src/core/stack/open';
import { encodeHeader, encodeIfd, FieldType } from '../src/core/stack/tiff/encodeIfd';
import { createTiffWriter } from '../src/core/stack/tiffWriter';

const N = Number(process.argv[2] ?? 2000);
const W = 256;
const H = 256;

function frame(k: number): Uint16Array {
  const f = new Uint16Array(W * H);
  for (let i = 0; i < f.length; i++) f[i] = 100 + ((i * 7 + k * 13) % 50) + (i % 97 === k % 97 ? 900 : 0);
  return f;
}

async function writeMultipage(path: string): Promise<void> {
  const fh = await open(path, 'w');
  let at = 0;
  const w = createTiffWriter({
    width: W,
    height: H,
    dtype: 'uint16',
    frameCount: N,
    pixelSizeNm: 100,
    frameIntervalMs: 10,
    sink: async (c) => {
      await fh.write(c, 0, c.length, at);
      at += c.length;
    },
  });
  for (let k = 0; k < N; k++) await w.writeFrame(frame(k));
  await w.close();
  await fh.close();
}

/** One IFD + all frames back to back, as ImageJ writes stacks (here without the trailing IFDs). */
async function writeImageJContiguous(path: string): Promise<void> {
  const fmt = { littleEndian: true, bigTiff: false };
  const desc = new TextEncoder().encode(`ImageJ=1.54f\nimages=${N}\nframes=${N}\n\0`);
  const fields = (strip: number) => [
    { tag: 256, type: FieldType.LONG, values: [W] },
    { tag: 257, type: FieldType.LONG, values: [H] },
    { tag: 258, type: FieldType.SHORT, values: [16] },
    { tag: 270, type: FieldType.ASCII, values: desc },
    { tag: 273, type: FieldType.LONG, values: [strip] },
    { tag: 279, type: FieldType.LONG, values: [W * H * 2] },
  ];
  const ifdLen = encodeIfd(fields(0), 8, 0, fmt).length;
  const fh = await open(path, 'w');
  await fh.write(encodeHeader(8, fmt), 0, 8, 0);
  await fh.write(encodeIfd(fields(8 + ifdLen), 8, 0, fmt), 0, ifdLen, 8);
  for (let k = 0; k < N; k++) {
    const f = frame(k);
    await fh.write(new Uint8Array(f.buffer), 0, f.byteLength, 8 + ifdLen + k * f.byteLength);
  }
  await fh.close();
}

async function writeDeflate(path: string): Promise<void> {
  const fmt = { littleEndian: true, bigTiff: false };
  const parts: Uint8Array[] = [encodeHeader(8, fmt)];
  let at = 8;
  for (let k = 0; k < N; k++) {
    const z = zlibSync(new Uint8Array(frame(k).buffer), { level: 1 });
    const fields = (strip: number) => [
      { tag: 256, type: FieldType.LONG, values: [W] },
      { tag: 257, type: FieldType.LONG, values: [H] },
      { tag: 258, type: FieldType.SHORT, values: [16] },
      { tag: 259, type: FieldType.SHORT, values: [8] },
      { tag: 273, type: FieldType.LONG, values: [strip] },
      { tag: 279, type: FieldType.LONG, values: [z.length] },
    ];
    const len = encodeIfd(fields(0), at, 0, fmt).length;
    const dataAt = at + len;
    const next = k + 1 < N ? dataAt + z.length + (z.length & 1) : 0;
    parts.push(encodeIfd(fields(dataAt), at, next, fmt), z, new Uint8Array(z.length & 1));
    at = next;
  }
  await writeFile(path, parts);
}

async function measure(label: string, path: string): Promise<void> {
  const src = await openFileByteSource(path);
  try {
    const t0 = performance.now();
    const stack = await openStack([src]);
    await stack.readFrame(0);
    const openMs = performance.now() - t0;
    const r = await benchReadStack(stack);
    console.log(
      `${label.padEnd(20)} ${stack.meta.flavour.padEnd(18)} open+frame 1: ${openMs.toFixed(1).padStart(6)} ms   ` +
        `read ${r.frames} frames: ${r.framesPerSecond.toFixed(0).padStart(6)} frames/s  ${r.megabytesPerSecond.toFixed(0).padStart(5)} MB/s`,
    );
  } finally {
    await src.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'evscope-bench-'));
try {
  console.log(
    `${N} frames of ${W}×${H} uint16 (${((N * W * H * 2) / 1e6).toFixed(0)} MB), Node ${process.version}`,
  );
  const plain = join(dir, 'multipage.tif');
  const ij = join(dir, 'imagej.tif');
  const z = join(dir, 'deflate.tif');
  await writeMultipage(plain);
  await writeImageJContiguous(ij);
  await writeDeflate(z);
  await measure('multi-page (ours)', plain);
  await measure('ImageJ contiguous', ij);
  await measure('Deflate multi-page', z);
} finally {
  await rm(dir, { recursive: true, force: true });
}
