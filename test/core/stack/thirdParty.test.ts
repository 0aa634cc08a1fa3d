// geotiff is an independent TIFF implementation: if it reads our fixtures to the same pixels as
// our reader, neither the fixture writer nor the reader can share a misreading of the format.
import { fromArrayBuffer } from 'geotiff';
import { describe, expect, test } from 'vitest';
import { openStack } from '../../../src/core/stack/open';
import { encodeTiff } from '../../../src/core/stack/tiffWriter';
import { mem } from '../../helpers/sources';
import { type FixtureSpec, patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

async function geotiffPages(bytes: Uint8Array): Promise<number[][]> {
  const tiff = await fromArrayBuffer(bytes.slice().buffer);
  const n = await tiff.getImageCount();
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = (await (
      await tiff.getImage(i)
    ).readRasters({ interleave: true })) as unknown as ArrayLike<number>;
    out.push(Array.from(r));
  }
  return out;
}

describe('geotiff reads what we write and agrees with our reader', () => {
  const specs: Partial<FixtureSpec>[] = [
    { littleEndian: false },
    { bigTiff: true, littleEndian: false },
    { compression: 5, predictor: 2 },
    { compression: 5, littleEndian: false },
    // Not big-endian with predictor: geotiff undoes the differencing before swapping bytes, unlike
    // libtiff (swabHorAcc16), which we follow; tiffFlavours.test.ts covers that case.
    { compression: 8, predictor: 2 },
    { compression: 32773 },
    { tile: { width: 16, height: 16 }, compression: 8 },
  ];
  for (const spec of specs) {
    test(JSON.stringify(spec), async () => {
      const frames = patternFrames('uint16', 45, 33, 3);
      const bytes = writeTiffFixture({ width: 45, height: 33, dtype: 'uint16', frames, ...spec });
      const theirs = await geotiffPages(bytes);
      const ours = await openStack([mem(bytes)]);
      expect(theirs.length).toBe(3);
      for (let k = 0; k < 3; k++) {
        expect(theirs[k]).toEqual(Array.from(frames[k]));
        expect(Array.from(await ours.readFrame(k))).toEqual(theirs[k]);
      }
    });
  }

  test('the TIFF writer', async () => {
    const frames = patternFrames('float32', 20, 10, 2);
    const theirs = await geotiffPages(
      await encodeTiff(frames, { width: 20, height: 10, dtype: 'float32', pixelSizeNm: 100 }),
    );
    expect(theirs).toEqual(frames.map((f) => Array.from(f)));
  });
});
