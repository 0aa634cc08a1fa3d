// Reading ahead in blocks (the one-pass Ca²⁺ run over a File): every read returns exactly the
// bytes the source holds — across block edges, reads larger than a block, going backwards —
// in a fresh array, with one source read per block on a front-to-back walk.
import { expect, test } from 'vitest';
import { memoryByteSource, readAheadByteSource } from '../../../src/core/stack/byteSource';
import type { ByteSource } from '../../../src/core/stack/types';

const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + (i >> 8)) & 255);

function counted(): ByteSource & { reads: number } {
  const m = memoryByteSource(bytes, 'x.tif');
  const c = {
    name: m.name,
    size: m.size,
    reads: 0,
    read: (o: number, n: number, s?: AbortSignal) => {
      c.reads++;
      return m.read(o, n, s);
    },
  };
  return c;
}

test('a front-to-back walk: the same bytes, one source read per block', async () => {
  const src = counted();
  const ra = readAheadByteSource(src, 1000);
  for (let o = 0; o + 300 <= bytes.length; o += 300)
    expect(await ra.read(o, 300)).toEqual(bytes.subarray(o, o + 300));
  // 33 reads of 300 bytes; a read crossing a block edge starts a new block there.
  expect(src.reads).toBeLessThanOrEqual(12);
});

test('reads outside the block, larger than a block, backwards, and at the end', async () => {
  const src = counted();
  const ra = readAheadByteSource(src, 1000);
  for (const [o, n] of [
    [9_500, 500],
    [100, 50],
    [0, 4_000],
    [950, 100],
    [9_999, 1],
    [0, 0],
  ])
    expect(await ra.read(o, n)).toEqual(bytes.subarray(o, o + n));
  // Fresh arrays: changing one does not change the next read.
  const a = await ra.read(10, 5);
  a.fill(0);
  expect(await ra.read(10, 5)).toEqual(bytes.subarray(10, 15));
  await expect(ra.read(9_990, 20)).rejects.toThrow(/truncated/);
});
