import { describe, expect, test } from 'vitest';
import { blobByteSource } from '../../../src/core/stack/byteSource';
import { naturalCompare } from '../../../src/core/stack/combine';
import { openChannels, openStack, splitDualView } from '../../../src/core/stack/open';
import { swapBytes } from '../../../src/core/stack/pixels';
import { createTiffWriter, encodeTiff } from '../../../src/core/stack/tiffWriter';
import { StackError } from '../../../src/core/stack/types';
import { mem } from '../../helpers/sources';
import { patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

const text = (s: string, name: string) => mem(new TextEncoder().encode(s), name);

function rawBytes(frames: Uint16Array[], bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(frames.length * frames[0].byteLength);
  frames.forEach((f, k) => {
    out.set(new Uint8Array(f.buffer, f.byteOffset, f.byteLength), k * f.byteLength);
  });
  if (bigEndian) swapBytes(out, 2);
  return out;
}

describe('raw movies with sidecars', () => {
  const frames = patternFrames('uint16', 12, 7, 4) as Uint16Array[];
  for (const bigEndian of [true, false]) {
    test(`.dax + .inf (${bigEndian ? 'big' : 'little'} endian)`, async () => {
      const inf = `binning = 1 x 1\ndata type = 16 bit integers (binary, ${bigEndian ? 'big' : 'little'} endian)\nframe dimensions = 12 x 7\nnumber of frames = 4\n`;
      const s = await openStack([text(inf, 'run_01.inf'), mem(rawBytes(frames, bigEndian), 'run_01.dax')]);
      expect([s.width, s.height, s.frameCount, s.meta.byteOrder]).toEqual([
        12,
        7,
        4,
        bigEndian ? 'big' : 'little',
      ]);
      for (let k = 0; k < 4; k++) expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
    });
  }

  test('Picasso .raw + .yaml, pixel size from Camera.Pixelsize', async () => {
    const yaml =
      'Byte Order: <\nCamera: Simulation\nCamera.Pixelsize: 130\nData Type: uint16\nFrames: 4\nHeight: 7\nWidth: 12\n';
    const s = await openStack([mem(rawBytes(frames, false), 'movie.raw'), text(yaml, 'movie.yaml')]);
    expect(s.meta).toMatchObject({ flavour: 'picasso-raw', pixelSizeNm: 130 });
    expect(Array.from(await s.readFrame(3))).toEqual(Array.from(frames[3]));
  });

  test('a raw file shorter than its sidecar promises opens its complete frames with a warning', async () => {
    const yaml = 'Data Type: uint16\nFrames: 6\nHeight: 7\nWidth: 12\n';
    const s = await openStack([mem(rawBytes(frames, false), 'cut.raw'), text(yaml, 'cut.yaml')]);
    expect(s.frameCount).toBe(4);
    expect(s.meta.warnings?.[0]).toMatch(/truncated: .*declares 6 frames but only 4 are complete/);
    expect(Array.from(await s.readFrame(3))).toEqual(Array.from(frames[3]));
    await expect(s.readFrame(4)).rejects.toThrow(/cut\.raw: frame index 4 out of range/);
  });

  test('sidecar with absurd dimensions', async () => {
    const yaml = 'Data Type: uint16\nFrames: 6\nHeight: 7000\nWidth: 12000\n';
    await expect(openStack([mem(rawBytes(frames, false), 'x.raw'), text(yaml, 'x.yaml')])).rejects.toThrow(
      /x\.raw: the sidecar promises 12000×7000/,
    );
  });

  test('sidecar without geometry', async () => {
    await expect(openStack([mem(new Uint8Array(64), 'x.dax'), text('hello = 1\n', 'x.inf')])).rejects.toThrow(
      /x\.inf: missing "frame dimensions"/,
    );
  });
});

describe('several files as one stack, channels, dual view', () => {
  test('single-frame files are concatenated in natural order', async () => {
    const frames = patternFrames('uint16', 5, 4, 11);
    const names = frames.map((_, k) => `img_${k + 1}.tif`);
    const sources = frames.map((f, k) =>
      mem(writeTiffFixture({ width: 5, height: 4, dtype: 'uint16', frames: [f] }), names[k]),
    );
    const shuffled = [...sources].reverse();
    const s = await openStack(shuffled);
    expect(s.frameCount).toBe(11);
    expect(s.meta.flavour).toBe('multipage-series');
    for (let k = 0; k < 11; k++) expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
    expect(naturalCompare('img_2.tif', 'img_10.tif')).toBeLessThan(0);
    expect(naturalCompare('B.tif', 'a.tif')).toBeGreaterThan(0);
  });

  test('files of different sizes cannot form one stack', async () => {
    const a = mem(
      writeTiffFixture({ width: 5, height: 4, dtype: 'uint16', frames: patternFrames('uint16', 5, 4, 1) }),
      'a.tif',
    );
    const b = mem(
      writeTiffFixture({ width: 6, height: 4, dtype: 'uint16', frames: patternFrames('uint16', 6, 4, 1) }),
      'b.tif',
    );
    await expect(openStack([a, b])).rejects.toThrow(/b\.tif: cannot combine as one stack/);
  });

  test('two stacks as two channels (shortest length wins)', async () => {
    const red = patternFrames('uint16', 5, 4, 3);
    const green = patternFrames('uint16', 5, 4, 5).slice(2);
    const s = await openChannels([
      mem(writeTiffFixture({ width: 5, height: 4, dtype: 'uint16', frames: red }), 'red.tif'),
      [
        mem(
          writeTiffFixture({ width: 5, height: 4, dtype: 'uint16', frames: [...green, ...green] }),
          'green.tif',
        ),
      ],
    ]);
    expect([s.channels, s.frameCount]).toEqual([2, 3]);
    expect(s.meta.channelNames).toEqual(['red.tif', 'green.tif']);
    expect(Array.from(await s.readFrame(2, { channel: 0 }))).toEqual(Array.from(red[2]));
    expect(Array.from(await s.readFrame(1, { channel: 1 }))).toEqual(Array.from(green[1]));
    await expect(s.readFrame(0, { channel: 2 })).rejects.toThrow(StackError);
  });

  for (const layout of ['left-right', 'top-bottom'] as const) {
    test(`dual view ${layout}, odd size`, async () => {
      const W = 9;
      const H = 7;
      const frames = patternFrames('int16', W, H, 2) as Int16Array[];
      const base = await openStack([mem(writeTiffFixture({ width: W, height: H, dtype: 'int16', frames }))]);
      const s = splitDualView(base, layout);
      const w = layout === 'left-right' ? 4 : 9;
      const h = layout === 'left-right' ? 7 : 3;
      expect([s.width, s.height, s.channels]).toEqual([w, h, 2]);
      for (const ch of [0, 1]) {
        const got = await s.readFrame(1, { channel: ch });
        expect(got).toBeInstanceOf(Int16Array);
        const x0 = layout === 'left-right' ? ch * (W - w) : 0;
        const y0 = layout === 'top-bottom' ? ch * (H - h) : 0;
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) expect(got[y * w + x]).toBe(frames[1][(y0 + y) * W + x0 + x]);
      }
    });
  }

  test('blobByteSource reads ranges of a Blob (browser File path)', async () => {
    const frames = patternFrames('uint16', 6, 5, 3);
    const bytes = writeTiffFixture({ width: 6, height: 5, dtype: 'uint16', frames, littleEndian: false });
    const s = await openStack([blobByteSource(new Blob([bytes.slice().buffer]), 'file.tif')]);
    expect(Array.from(await s.readFrame(2))).toEqual(Array.from(frames[2]));
    await expect(
      blobByteSource(new Blob([bytes.slice().buffer]), 'file.tif').read(bytes.length - 2, 10),
    ).rejects.toThrow(/file\.tif: .*truncated/);
  });
});

describe('TIFF writer', () => {
  test('round trip with pixel size and frame interval for every writable type', async () => {
    for (const dtype of ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float32'] as const) {
      const frames = patternFrames(dtype, 7, 5, 3);
      const bytes = await encodeTiff(frames, {
        width: 7,
        height: 5,
        dtype,
        pixelSizeNm: 117.5,
        frameIntervalMs: 30,
      });
      const s = await openStack([mem(bytes)]);
      expect([s.dtype, s.frameCount, s.meta.byteOrder]).toEqual([dtype, 3, 'little']);
      expect(s.meta.pixelSizeNm).toBeCloseTo(117.5, 6);
      expect(s.meta.frameIntervalMs).toBeCloseTo(30, 9);
      for (let k = 0; k < 3; k++) expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
    }
  });

  test('ImageJ description as Fiji expects it', async () => {
    const bytes = await encodeTiff(patternFrames('uint16', 4, 4, 2), {
      width: 4,
      height: 4,
      dtype: 'uint16',
      pixelSizeNm: 100,
      frameIntervalMs: 50,
    });
    const ascii = new TextDecoder('latin1').decode(bytes);
    expect(ascii).toContain('ImageJ=1.54f\nimages=2\nframes=2\nunit=micron\nfinterval=0.05\nloop=false\n');
  });

  test('BigTIFF when asked (and automatically beyond 4 GiB)', async () => {
    const frames = patternFrames('uint16', 7, 5, 3);
    const bytes = await encodeTiff(frames, { width: 7, height: 5, dtype: 'uint16', bigTiff: true });
    expect(new DataView(bytes.buffer).getUint16(2, true)).toBe(43);
    const s = await openStack([mem(bytes)]);
    // ImageJ's layout: the frames are one run after IFD 0, whatever the offset width.
    expect(s.meta.flavour).toBe('imagej-contiguous');
    expect(Array.from(await s.readFrame(2))).toEqual(Array.from(frames[2]));
    const big = createTiffWriter({
      width: 2048,
      height: 2048,
      dtype: 'uint16',
      frameCount: 600,
      sink: () => {},
    });
    expect(big.bigTiff).toBe(true);
    const small = createTiffWriter({
      width: 2048,
      height: 2048,
      dtype: 'uint16',
      frameCount: 500,
      sink: () => {},
    });
    expect([small.bigTiff, small.totalBytes > 500 * 2048 * 2048 * 2]).toEqual([false, true]);
  });

  test('streams: the sink sees the header first and exactly totalBytes overall; misuse is refused', async () => {
    let n = 0;
    const chunks: Uint8Array[] = [];
    const w = createTiffWriter({
      width: 3,
      height: 3,
      dtype: 'uint8',
      frameCount: 2,
      sink: (c) => {
        n += c.length;
        chunks.push(c);
      },
    });
    await w.writeFrame(new Uint8Array(9));
    await expect(w.close()).rejects.toThrow(/only 1 of 2/);
    await expect(w.writeFrame(new Uint16Array(9))).rejects.toThrow(RangeError);
    await w.writeFrame(new Uint8Array(9).fill(7));
    await w.close();
    expect(n).toBe(w.totalBytes);
    expect(Array.from(chunks[0].subarray(0, 4))).toEqual([0x49, 0x49, 42, 0]);
    await expect(w.writeFrame(new Uint8Array(9))).rejects.toThrow(/already written/);
  });
});
