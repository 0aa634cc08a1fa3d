// Block reads (readFrameBlock / TiffFrameSource.readFrames) against the frame-by-frame reader:
// the same pixels, bit for bit, in every layout the TIFF reader knows, few reads per block, and
// the same refusals for bad blocks as for bad frames.
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type FileByteSource, openFileByteSources } from '../../../src/cli/nodeByteSource';
import { readFrameBlock } from '../../../src/core/stack/frameBlock';
import { openStack } from '../../../src/core/stack/open';
import { encodeTiff } from '../../../src/core/stack/tiffWriter';
import type { ByteSource, FrameSource, PixelArray, PixelType } from '../../../src/core/stack/types';
import { sharedDataDir } from '../../helpers/sharedData';
import { counting, mem } from '../../helpers/sources';
import { type FixtureSpec, patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

const bytesOf = (a: PixelArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Every block [first, first + count) equals the frames read one by one, packed. */
async function expectBlocksMatch(s: FrameSource, blocks: [number, number][], channel = 0) {
  for (const [first, count] of blocks) {
    const block = await readFrameBlock(s, first, count, { channel });
    expect(block.constructor.name).toBe(s.dtype === 'uint16' ? 'Uint16Array' : block.constructor.name);
    expect(block.length).toBe(count * s.width * s.height);
    const parts: Buffer[] = [];
    for (let f = first; f < first + count; f++) parts.push(bytesOf(await s.readFrame(f, { channel })));
    expect(bytesOf(block).equals(Buffer.concat(parts))).toBe(true);
  }
}

const W = 13;
const H = 11;
const N = 9;
const blocks: [number, number][] = [
  [0, N],
  [0, 1],
  [2, 5],
  [N - 1, 1],
  [N - 3, 3],
];

function fixture(over: Partial<FixtureSpec> & { dtype: PixelType }): {
  bytes: Uint8Array;
  frames: PixelArray[];
} {
  const frames = patternFrames(over.dtype, W, H, over.frames?.length ?? N);
  return { bytes: writeTiffFixture({ width: W, height: H, frames, ...over }), frames };
}

describe('block reads equal frame-by-frame reads', () => {
  const layouts: [string, Partial<FixtureSpec>][] = [
    ['multi-page', { layout: 'interleaved' }],
    ['multi-page, 3 rows per strip', { layout: 'interleaved', rowsPerStrip: 3 }],
    [
      'multi-page, pages stored out of order',
      { layout: 'interleaved', pageOrder: [3, 0, 8, 1, 7, 2, 6, 4, 5] },
    ],
    ['ImageJ contiguous', { layout: 'imagej', description: `ImageJ=1.54f\nimages=${N}\nframes=${N}\n` }],
    [
      'ImageJ single IFD',
      { layout: 'imagej-single-ifd', description: `ImageJ=1.54f\nimages=${N}\nframes=${N}\n` },
    ],
    ['Deflate pages', { layout: 'interleaved', compression: 8 }],
    ['BigTIFF', { layout: 'interleaved', bigTiff: true }],
  ];
  for (const [label, spec] of layouts) {
    for (const dtype of ['uint16', 'float32', 'uint8', 'int32'] as PixelType[]) {
      // The fixture writer pads odd-sized blocks to a word; ImageJ never does, and without
      // further IFDs nothing in such a file could tell the reader about the padding.
      if (dtype === 'uint8' && spec.layout === 'imagej-single-ifd') continue;
      for (const littleEndian of [true, false]) {
        test(`${label}, ${dtype}, ${littleEndian ? 'II' : 'MM'}`, async () => {
          const { bytes, frames } = fixture({ ...spec, dtype, littleEndian });
          const s = await openStack([mem(bytes)]);
          expect(s.frameCount).toBe(N);
          expect(s.readFrames).toBeTypeOf('function');
          await expectBlocksMatch(s, blocks);
          // And against the pixels written, not only against the other reader.
          const all = await readFrameBlock(s, 0, N);
          expect(Array.from(all.subarray(4 * W * H, 5 * W * H))).toEqual(Array.from(frames[4]));
        });
      }
    }
  }

  test('ImageJ hyperstack with 2 channels: each channel’s block', async () => {
    const frames = patternFrames('uint16', W, H, 2 * 5);
    for (const layout of ['imagej', 'interleaved'] as const) {
      const bytes = writeTiffFixture({
        width: W,
        height: H,
        dtype: 'uint16',
        frames,
        layout,
        description: 'ImageJ=1.54f\nimages=10\nchannels=2\nframes=5\nhyperstack=true\n',
      });
      const s = await openStack([mem(bytes)]);
      expect([s.channels, s.frameCount]).toEqual([2, 5]);
      await expectBlocksMatch(
        s,
        [
          [0, 5],
          [1, 3],
        ],
        0,
      );
      await expectBlocksMatch(
        s,
        [
          [0, 5],
          [4, 1],
        ],
        1,
      );
      const c1 = await readFrameBlock(s, 0, 5, { channel: 1 });
      expect(Array.from(c1.subarray(2 * W * H, 3 * W * H))).toEqual(Array.from(frames[2 * 2 + 1]));
    }
  });
});

describe('reads per block', () => {
  const W2 = 64;
  const frames = patternFrames('uint16', W2, W2, 64) as Uint16Array[];

  async function readsFor(bytes: Uint8Array): Promise<{ block: number; oneByOne: number }> {
    const src = counting(mem(bytes));
    const s = await openStack([src as ByteSource]);
    src.reset();
    await readFrameBlock(s, 8, 32);
    const block = src.reads;
    src.reset();
    for (let f = 8; f < 40; f++) await s.readFrame(f);
    return { block, oneByOne: src.reads };
  }

  test('an ImageJ stack: one read per block', async () => {
    const bytes = writeTiffFixture({
      width: W2,
      height: W2,
      dtype: 'uint16',
      frames,
      layout: 'imagej',
      description: 'ImageJ=1.54f\nimages=64\nframes=64\n',
    });
    const r = await readsFor(bytes);
    expect(r.block).toBe(1);
    expect(r.oneByOne).toBe(32);
  });

  test('multi-page files written frame after frame: one read per block, not two per frame', async () => {
    const interleaved = (over: Partial<FixtureSpec>) =>
      writeTiffFixture({ width: W2, height: W2, dtype: 'uint16', frames, layout: 'interleaved', ...over });
    const plain = await readsFor(interleaved({}));
    expect(plain.block).toBe(1);
    expect(plain.oneByOne).toBeGreaterThanOrEqual(2 * 32);
    // BigTIFF, and pages of several strips each.
    expect((await readsFor(interleaved({ bigTiff: true }))).block).toBe(1);
    expect((await readsFor(interleaved({ rowsPerStrip: 16, littleEndian: false }))).block).toBe(1);
  });

  test('bad ranges are refused with the stack’s frame count; a cut page fails the block', async () => {
    const bytes = await encodeTiff(frames, { width: W2, height: W2, dtype: 'uint16' });
    const s = await openStack([mem(bytes, 'x.tif')]);
    await expect(readFrameBlock(s, 60, 5)).rejects.toThrow(
      /x\.tif: frames 61…65 are outside the stack's 64 frames/,
    );
    await expect(readFrameBlock(s, 0, 0)).rejects.toThrow(/outside/);
  });

  test('a damaged page fails its block with the frame named, as readFrame does; other blocks read', async () => {
    const bytes = writeTiffFixture({ width: W2, height: W2, dtype: 'uint16', frames, layout: 'interleaved' });
    const s0 = await openStack([mem(bytes)]);
    // Corrupt page 21's width (SHORT or LONG, inline, little-endian: one 32-bit store fits both).
    const dirOffset = await (
      s0 as unknown as { locator: { index: { offsetOf(i: number): Promise<number> } } }
    ).locator.index.offsetOf(20);
    const bad = bytes.slice();
    const dv = new DataView(bad.buffer);
    const entries = dv.getUint16(dirOffset, true);
    for (let e = 0; e < entries; e++) {
      const at = dirOffset + 2 + 12 * e;
      if (dv.getUint16(at, true) === 256) dv.setUint32(at + 8, 65, true);
    }
    const s = await openStack([mem(bad, 'y.tif')]);
    await expect(s.readFrame(20)).rejects.toThrow(/y\.tif: frame 21: page 21 is 65×64/);
    await expect(readFrameBlock(s, 16, 8)).rejects.toThrow(/y\.tif: frame 21: page 21 is 65×64/);
    await expectBlocksMatch(s, [
      [0, 20],
      [21, 43],
    ]);
  });
});

const dataDir = sharedDataDir ?? '';
const opened: FileByteSource[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

describe.skipIf(sharedDataDir === undefined)('peer TIFFs in ../shared/data', () => {
  for (const rel of [
    'storm_analysis_test/storm_test.tif',
    'picasso_testdata/peer_outputs/testdata.tif',
    'locan_test_data/images.tif',
    'thunderstorm_tubulins/tubulins1_00020.tif',
    'thunderstorm_tubulins/7peaksWaveletFiltered.tif',
  ]) {
    test(rel, async () => {
      const sources = await openFileByteSources([join(dataDir, rel)]);
      opened.push(...sources);
      const s = await openStack(sources);
      const n = s.frameCount;
      await expectBlocksMatch(s, [
        [0, n],
        [n - 1, 1],
        [Math.floor(n / 3), Math.max(1, Math.floor(n / 2))],
      ]);
    });
  }
});
