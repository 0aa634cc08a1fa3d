// The writer's compressors against decoders that did not come from them: our LZW/Deflate readers
// and geotiff's. LZW data is large enough to fill the 4096-code table many times over.
import { fromArrayBuffer } from 'geotiff';
import { describe, expect, test } from 'vitest';
import { decodeBlock } from '../../../src/core/stack/tiff/codecs';
import { encodeDeflate, encodeLzw, horizontalDifferencing } from '../../../src/core/stack/tiff/encoders';
import { encodeTiff } from '../../../src/core/stack/tiffWriter';

function noisyImage(w: number, h: number, seed: number): Uint16Array {
  let s = seed;
  const out = new Uint16Array(w * h);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // Smooth ramp plus noise plus sparse bright spots: long and short LZW strings alike.
    out[i] = ((i % w) * 7 + Math.floor(i / w) * 3 + (s >>> 28) + (s % 997 === 0 ? 40000 : 0)) & 0xffff;
  }
  return out;
}

describe('TIFF compressors', () => {
  test('LZW and Deflate round-trip through our decoders, incl. empty, constant and random data', () => {
    let s = 1;
    const random = Uint8Array.from({ length: 200_000 }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s >>> 24;
    });
    const img = noisyImage(512, 300, 9);
    const cases = [
      new Uint8Array(0),
      new Uint8Array(1),
      new Uint8Array(100_000).fill(3),
      random,
      new Uint8Array(img.buffer),
    ];
    for (const data of cases) {
      // Buffer.equals: vitest's deep equality takes seconds on arrays this long.
      expect(Buffer.from(decodeBlock(5, encodeLzw(data), data.length)).equals(Buffer.from(data))).toBe(true);
      expect(Buffer.from(decodeBlock(8, encodeDeflate(data, 1), data.length)).equals(Buffer.from(data))).toBe(
        true,
      );
    }
    // Constant data compresses; random data stays below LZW's worst case of 1.5×.
    expect(encodeLzw(cases[2]).length).toBeLessThan(2000);
    expect(encodeLzw(random).length).toBeLessThan(1.5 * random.length);
  });

  test('predictor 2 is undone exactly by the reader (wrap-around included)', () => {
    const img = Uint16Array.from([65535, 0, 1, 65534, 7, 7, 0, 65535]);
    const d = img.slice();
    horizontalDifferencing(d, 4, 2);
    expect(Array.from(d)).toEqual([65535, 1, 1, 65533, 7, 0, 65529, 65535]);
  });

  test('geotiff reads our LZW and Deflate stacks with the predictor to the same pixels', async () => {
    const frames = [noisyImage(257, 131, 1), noisyImage(257, 131, 2)];
    for (const compression of ['lzw', 'deflate'] as const) {
      const bytes = await encodeTiff(frames, {
        width: 257,
        height: 131,
        dtype: 'uint16',
        compression,
        predictor: true,
      });
      const tiff = await fromArrayBuffer(bytes.slice().buffer);
      expect(await tiff.getImageCount()).toBe(2);
      for (let k = 0; k < 2; k++) {
        const r = (await (
          await tiff.getImage(k)
        ).readRasters({ interleave: true })) as unknown as Uint16Array;
        expect(Array.from(r)).toEqual(Array.from(frames[k]));
      }
    }
  });
});
