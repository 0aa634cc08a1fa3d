// Opening a long stack must not read it: count the bytes a reader asks for.
import { closeSync, ftruncateSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { openFileByteSource } from '../../../src/cli/nodeByteSource';
import { openStack } from '../../../src/core/stack/open';
import { swapBytes } from '../../../src/core/stack/pixels';
import { FieldType } from '../../../src/core/stack/tiff/encodeIfd';
import { encodeTiff } from '../../../src/core/stack/tiffWriter';
import { counting, mem, tempDir } from '../../helpers/sources';
import { patternFrame, patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('20,000-frame multi-page stacks', () => {
  const N = 20_000;
  const W = 16;
  const H = 16;

  test('our writer’s file (ImageJ layout): open + one frame reads a tiny fraction, frames located from IFD 0', async () => {
    const frames = Array.from({ length: N }, (_, k) => {
      const f = new Uint16Array(W * H);
      f.fill(k & 0xffff);
      f[0] = k >> 16;
      return f;
    });
    const bytes = await encodeTiff(frames, {
      width: W,
      height: H,
      dtype: 'uint16',
      pixelSizeNm: 100,
      frameIntervalMs: 20,
    });
    const src = counting(mem(bytes, 'long.tif'));
    const s = await openStack([src]);
    const first = await s.readFrame(0);
    expect(s.frameCount).toBe(N);
    expect(s.meta.flavour).toBe('imagej-contiguous');
    expect(first[5]).toBe(0);
    const last = await s.readFrame(N - 1);
    expect(last[5]).toBe((N - 1) & 0xffff);
    const mid = await s.readFrame(12_345);
    expect(mid[5]).toBe(12_345);
    expect(src.reads).toBeLessThan(60);
    // The one 64 KiB window read while following IFDs 0→1→2 dominates; the file is 14 MB.
    expect(src.bytesRead).toBeLessThan(bytes.length / 100);
  });

  test('a plain interleaved multi-page file: one frame reads a tiny fraction, via the stride index', async () => {
    const frames = Array.from({ length: N }, (_, k) => {
      const f = new Uint16Array(W * H);
      f.fill(k & 0xffff);
      return f;
    });
    // IFD, data, IFD, data… without an ImageJ description: what most multi-page writers produce.
    const bytes = writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames, layout: 'interleaved' });
    const src = counting(mem(bytes, 'interleaved.tif'));
    const s = await openStack([src]);
    expect(s.frameCount).toBe(N);
    expect(s.meta.extra?.pageIndex).toBe('stride');
    expect((await s.readFrame(12_345))[5]).toBe(12_345);
    expect((await s.readFrame(N - 1))[5]).toBe((N - 1) & 0xffff);
    expect(src.bytesRead).toBeLessThan(bytes.length / 100);
  });

  test('irregular IFD spacing falls back to walking the chain, still correct', async () => {
    const frames = patternFrames('uint8', 4, 4, 300);
    const bytes = writeTiffFixture({
      width: 4,
      height: 4,
      dtype: 'uint8',
      frames,
      // A per-page Software tag of varying length, like per-frame acquisition metadata.
      override: (f, page) => [
        ...f,
        { tag: 305, type: FieldType.ASCII, values: new TextEncoder().encode(`${'x'.repeat(page % 7)}\0`) },
      ],
    });
    const s = await openStack([mem(bytes)]);
    expect(s.frameCount).toBe(300);
    expect(s.meta.extra?.pageIndex).toBe('walk');
    for (const k of [0, 1, 150, 299]) expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
  });

  test('a page out of place inside a regular file is found by the chain, not the prediction', async () => {
    const frames = patternFrames('uint16', 8, 8, 64);
    const pageOrder = Array.from({ length: 64 }, (_, i) => (i === 20 ? 21 : i === 21 ? 20 : i));
    const s = await openStack([
      mem(writeTiffFixture({ width: 8, height: 8, dtype: 'uint16', frames, pageOrder })),
    ]);
    expect(s.frameCount).toBe(64);
    for (const k of [19, 20, 21, 22, 63])
      expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
  });

  test('IFDs clustered after the pixel data (ImageJ layout, compressed) are walked in few reads', async () => {
    const frames = patternFrames('uint16', 8, 8, 2000);
    const bytes = writeTiffFixture({
      width: 8,
      height: 8,
      dtype: 'uint16',
      frames,
      compression: 8,
      layout: 'imagej',
      description: 'ImageJ=1.54f\nimages=2000\n',
      override: (f, page) =>
        page === 7
          ? [...f, { tag: 305, type: FieldType.ASCII, values: new TextEncoder().encode('odd one\0') }]
          : f,
    });
    const src = counting(mem(bytes));
    const s = await openStack([src]);
    expect(s.frameCount).toBe(2000);
    expect(Array.from(await s.readFrame(1999))).toEqual(Array.from(frames[1999]));
    expect(src.reads).toBeLessThan(100);
  });
});

describe('ImageJ stack above 4 GiB (one IFD, big-endian, sparse file)', () => {
  test('the last frame, after the 4 GiB mark, costs only its own bytes', async () => {
    const W = 512;
    const H = 512;
    const frameBytes = W * H * 2;
    const N = 8300; // 8300 × 512 KiB ≈ 4.35 GB
    const first = patternFrame('uint16', W, H, 0) as Uint16Array;
    const head = writeTiffFixture({
      width: W,
      height: H,
      dtype: 'uint16',
      frames: [first],
      littleEndian: false,
      layout: 'imagej-single-ifd',
      description: `ImageJ=1.54f\nimages=${N}\nframes=${N}\nunit=micron\nfinterval=0.01\n`,
      xResolution: [10, 1],
    });
    const dataStart = head.length - frameBytes;
    const path = tmp.file('huge.tif');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, head, 0, head.length, 0);
      for (const k of [N - 2, N - 1]) {
        const f = patternFrame('uint16', W, H, k) as Uint16Array;
        const be = new Uint8Array(f.buffer.slice(0));
        swapBytes(be, 2);
        writeSync(fd, be, 0, be.length, dataStart + k * frameBytes);
      }
      ftruncateSync(fd, dataStart + N * frameBytes);
    } finally {
      closeSync(fd);
    }
    expect(statSync(path).size).toBeGreaterThan(2 ** 32);
    const file = await openFileByteSource(path);
    try {
      const src = counting(file);
      const s = await openStack([src]);
      expect([s.frameCount, s.width, s.height, s.meta.flavour, s.meta.byteOrder]).toEqual([
        N,
        W,
        H,
        'imagej-contiguous',
        'big',
      ]);
      expect(s.meta.pixelSizeNm).toBeCloseTo(100, 9);
      expect(s.meta.frameIntervalMs).toBeCloseTo(10, 9);
      const opened = src.bytesRead;
      expect(opened).toBeLessThan(4096);
      expect(dataStart + (N - 1) * frameBytes).toBeGreaterThan(2 ** 32);
      const last = await s.readFrame(N - 1);
      expect(src.bytesRead - opened).toBe(frameBytes);
      expect(Array.from(last)).toEqual(Array.from(patternFrame('uint16', W, H, N - 1)));
      expect(Array.from(await s.readFrame(N - 2))).toEqual(Array.from(patternFrame('uint16', W, H, N - 2)));
      expect(Array.from(await s.readFrame(0))).toEqual(Array.from(first));
    } finally {
      await file.close();
      rmSync(path);
    }
  });
});
