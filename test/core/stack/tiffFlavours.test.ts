import { describe, expect, test } from 'vitest';
import { openStack } from '../../../src/core/stack/open';
import type { PixelArray, PixelType } from '../../../src/core/stack/types';
import { mem } from '../../helpers/sources';
import { type FixtureSpec, omeXml, patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

async function expectFrames(bytes: Uint8Array, frames: PixelArray[], channels = 1) {
  const s = await openStack([mem(bytes)]);
  expect(s.frameCount * s.channels).toBe(frames.length);
  expect(s.channels).toBe(channels);
  for (let t = 0; t < s.frameCount; t++) {
    for (let c = 0; c < channels; c++) {
      const got = await s.readFrame(t, { channel: c });
      const want = frames[t * channels + c];
      expect(got.constructor).toBe(want.constructor);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  }
  return s;
}

const W = 13;
const H = 11;
const dtypes: PixelType[] = ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float32', 'float64'];

describe('plain multi-page TIFF', () => {
  for (const dtype of dtypes) {
    for (const littleEndian of [true, false]) {
      test(`${dtype} ${littleEndian ? 'II' : 'MM'}`, async () => {
        const frames = patternFrames(dtype, W, H, 3);
        const s = await expectFrames(
          writeTiffFixture({ width: W, height: H, dtype, frames, littleEndian }),
          frames,
        );
        expect(s.dtype).toBe(dtype);
        expect(s.meta.byteOrder).toBe(littleEndian ? 'little' : 'big');
        expect(s.meta.flavour).toBe('multipage');
        expect([s.width, s.height]).toEqual([W, H]);
      });
    }
  }

  test('BigTIFF, both byte orders', async () => {
    for (const littleEndian of [true, false]) {
      const frames = patternFrames('uint16', W, H, 4);
      const s = await expectFrames(
        writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames, littleEndian, bigTiff: true }),
        frames,
      );
      expect(s.meta.flavour).toBe('bigtiff');
    }
  });

  test('many strips, including a short last strip', async () => {
    const frames = patternFrames('uint16', W, H, 2);
    await expectFrames(
      writeTiffFixture({
        width: W,
        height: H,
        dtype: 'uint16',
        frames,
        rowsPerStrip: 4,
        littleEndian: false,
      }),
      frames,
    );
  });
});

describe('compression, predictor and tiles', () => {
  const cases: Partial<FixtureSpec>[] = [
    { compression: 5 },
    { compression: 5, predictor: 2 },
    { compression: 8 },
    { compression: 32946, predictor: 2, rowsPerStrip: 3 },
    { compression: 32773 },
    { compression: 32773, rowsPerStrip: 5 },
    { tile: { width: 16, height: 16 } },
    { tile: { width: 16, height: 16 }, compression: 8, predictor: 2 },
    { tile: { width: 16, height: 16 }, compression: 5, bigTiff: true },
  ];
  for (const c of cases) {
    for (const dtype of ['uint8', 'uint16', 'int32', 'float32'] as PixelType[]) {
      if (c.predictor === 2 && dtype === 'float32') continue;
      for (const littleEndian of [true, false]) {
        test(`${JSON.stringify(c)} ${dtype} ${littleEndian ? 'II' : 'MM'}`, async () => {
          const frames = patternFrames(dtype, 37, 21, 2);
          await expectFrames(
            writeTiffFixture({ width: 37, height: 21, dtype, frames, littleEndian, ...c }),
            frames,
          );
        });
      }
    }
  }

  test('LZW across table resets (incompressible frame larger than 4096 codes)', async () => {
    const frames = patternFrames('uint16', 200, 150, 1);
    await expectFrames(
      writeTiffFixture({ width: 200, height: 150, dtype: 'uint16', frames, compression: 5 }),
      frames,
    );
  });
});

describe('ImageJ', () => {
  const desc = (extra: string) => `ImageJ=1.54f\n${extra}unit=micron\nfinterval=0.05\nloop=false\n`;

  test('stack with IFDs after the pixel data is read contiguously, with pixel size and interval', async () => {
    const frames = patternFrames('uint16', W, H, 5);
    const bytes = writeTiffFixture({
      width: W,
      height: H,
      dtype: 'uint16',
      frames,
      littleEndian: false,
      layout: 'imagej',
      description: desc('images=5\nframes=5\n'),
      xResolution: [1000, 107],
    });
    const s = await expectFrames(bytes, frames);
    expect(s.meta.flavour).toBe('imagej-contiguous');
    expect(s.meta.pixelSizeNm).toBeCloseTo(107, 6);
    expect(s.meta.frameIntervalMs).toBeCloseTo(50, 9);
  });

  test('hyperstack channels × slices × frames maps (channel, time) to pages in CZT order', async () => {
    const frames = patternFrames('uint16', W, H, 2 * 3 * 2);
    const bytes = writeTiffFixture({
      width: W,
      height: H,
      dtype: 'uint16',
      frames,
      layout: 'imagej',
      description:
        'ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\nspacing=0.2\nunit=nm\n',
      xResolution: [1, 160],
    });
    const s = await expectFrames(bytes, frames, 2);
    expect(s.frameCount).toBe(6);
    expect(s.meta.pixelSizeNm).toBeCloseTo(160, 9);
    expect(s.meta.extra?.slices).toBe(3);
  });

  test('compressed ImageJ stack (tifffile-style) is read page by page', async () => {
    const frames = patternFrames('uint16', W, H, 4);
    const bytes = writeTiffFixture({
      width: W,
      height: H,
      dtype: 'uint16',
      frames,
      compression: 8,
      description: 'ImageJ=1.54f\nimages=4\nframes=4\n',
    });
    const s = await expectFrames(bytes, frames);
    expect(s.meta.flavour).toBe('imagej');
  });

  test('single IFD with images=N (the > 4 GB layout), big-endian', async () => {
    const frames = patternFrames('float32', W, H, 7);
    const bytes = writeTiffFixture({
      width: W,
      height: H,
      dtype: 'float32',
      frames,
      littleEndian: false,
      layout: 'imagej-single-ifd',
      description: 'ImageJ=1.54f\nimages=7\nframes=7\n',
    });
    const s = await expectFrames(bytes, frames);
    expect(s.meta.flavour).toBe('imagej-contiguous');
  });
});

describe('OME-TIFF', () => {
  const orders = ['XYCZT', 'XYZCT', 'XYCTZ', 'XYZTC', 'XYTCZ', 'XYTZC'];
  for (const order of orders) {
    test(`DimensionOrder ${order} maps (c, z, t) to IFDs`, async () => {
      const C = 2;
      const Z = 2;
      const T = 3;
      const pages = patternFrames('uint16', W, H, C * Z * T);
      const desc = omeXml({
        width: W,
        height: H,
        sizeC: C,
        sizeZ: Z,
        sizeT: T,
        order,
        type: 'uint16',
        physicalSizeX: '0.108',
        timeIncrement: '30',
        timeIncrementUnit: 'ms',
      });
      const s = await openStack([
        mem(
          writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames: pages, description: desc }),
          'x.ome.tif',
        ),
      ]);
      expect([s.channels, s.frameCount]).toEqual([C, Z * T]);
      expect(s.meta.flavour).toBe('ome-tiff');
      expect(s.meta.pixelSizeNm).toBeCloseTo(108, 9);
      expect(s.meta.frameIntervalMs).toBe(30);
      expect(s.meta.channelNames).toEqual(['ch0', 'ch1']);
      const size: Record<string, number> = { C, Z, T };
      for (let t = 0; t < T; t++) {
        for (let z = 0; z < Z; z++) {
          for (let c = 0; c < C; c++) {
            const pos: Record<string, number> = { C: c, Z: z, T: t };
            let ifd = 0;
            let stride = 1;
            for (const d of order.slice(2)) {
              ifd += pos[d] * stride;
              stride *= size[d];
            }
            const got = await s.readFrame(z + Z * t, { channel: c });
            expect(Array.from(got)).toEqual(Array.from(pages[ifd]));
          }
        }
      }
    });
  }

  test('TiffData with explicit IFD/FirstT entries, nm units', async () => {
    const pages = patternFrames('uint16', W, H, 3);
    const tiffData =
      '<TiffData IFD="2" FirstT="0" PlaneCount="1"/><TiffData IFD="0" FirstT="1" PlaneCount="1"/><TiffData IFD="1" FirstT="2" PlaneCount="1"/>';
    const desc = omeXml({
      width: W,
      height: H,
      sizeC: 1,
      sizeZ: 1,
      sizeT: 3,
      order: 'XYZCT',
      type: 'uint16',
      physicalSizeX: '65',
      physicalSizeXUnit: 'nm',
      tiffData,
    });
    const s = await openStack([
      mem(
        writeTiffFixture({
          width: W,
          height: H,
          dtype: 'uint16',
          frames: pages,
          description: desc,
          bigTiff: true,
        }),
      ),
    ]);
    expect(s.meta.flavour).toBe('ome-bigtiff');
    expect(s.meta.pixelSizeNm).toBe(65);
    expect(Array.from(await s.readFrame(0))).toEqual(Array.from(pages[2]));
    expect(Array.from(await s.readFrame(1))).toEqual(Array.from(pages[0]));
    expect(Array.from(await s.readFrame(2))).toEqual(Array.from(pages[1]));
  });
});
