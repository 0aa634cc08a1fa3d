// Every way a file can be wrong ends in a StackError that names the file and the reason.
import { describe, expect, test } from 'vitest';
import { openStack } from '../../../src/core/stack/open';
import { encodeHeader, encodeIfd, FieldType, type IfdField } from '../../../src/core/stack/tiff/encodeIfd';
import { StackError } from '../../../src/core/stack/types';
import { mem } from '../../helpers/sources';
import { patternFrames, writeTiffFixture } from '../../helpers/tiffFixtures';

async function openError(bytes: Uint8Array, name = 'bad.tif'): Promise<StackError> {
  const e = await openStack([mem(bytes, name)]).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StackError);
  expect((e as StackError).fileName).toBe(name);
  return e as StackError;
}

const frames = patternFrames('uint16', 8, 6, 3);
const good = () => writeTiffFixture({ width: 8, height: 6, dtype: 'uint16', frames });
const withField = (tag: number, type: number, values: number[]) =>
  writeTiffFixture({
    width: 8,
    height: 6,
    dtype: 'uint16',
    frames,
    override: (f) => [...f.filter((x) => x.tag !== tag), { tag, type, values }],
  });

describe('not a TIFF', () => {
  test('random bytes', async () => {
    expect(
      (await openError(new TextEncoder().encode('hello, this is not an image'), 'notes.txt')).message,
    ).toMatch(/^notes\.txt: not a TIFF/);
  });
  test('TIFF byte-order mark with a wrong magic number', async () => {
    const b = good();
    b[2] = 99;
    expect((await openError(b)).reason).toMatch(/not a TIFF/);
  });
  test('empty file', async () => {
    expect((await openError(new Uint8Array(0))).reason).toMatch(/not a TIFF/);
  });
});

describe('truncated files', () => {
  test('first IFD beyond the end', async () => {
    const b = good();
    new DataView(b.buffer).setUint32(4, b.length + 100, true);
    expect((await openError(b)).reason).toMatch(/outside the file/);
  });
  test('file cut inside the IFD chain keeps the pages before the cut, with a warning', async () => {
    const b = good();
    // The last IFD sits before the last frame's pixels; cutting into it breaks the chain.
    const cut = b.slice(0, b.length - 6 * 8 * 2 - 10);
    const s = await openStack([mem(cut, 'cut.tif')]);
    expect(s.frameCount).toBe(2);
    expect(s.meta.warnings?.join('\n')).toMatch(/IFD chain breaks after page 2 \(.*cut off/);
    expect(Array.from(await s.readFrame(1))).toEqual(Array.from(frames[1]));
  });
  test('a file cut inside the last frame opens its complete frames with a warning', async () => {
    const b = good();
    const s = await openStack([mem(b.slice(0, b.length - 5), 'cut.tif')]);
    expect(s.frameCount).toBe(2);
    expect(s.meta.warnings?.[0]).toMatch(/truncated: it has 3 pages but the pixel data of the last 1/);
    expect(Array.from(await s.readFrame(1))).toEqual(Array.from(frames[1]));
  });
  test('a page whose pixel data lie beyond the end fails clearly; the others still read', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      override: (f, page) => (page === 1 ? f.map((x) => (x.tag === 273 ? { ...x, values: [1e6] } : x)) : f),
    });
    const s = await openStack([mem(b, 'bad.tif')]);
    expect(s.frameCount).toBe(3);
    expect(Array.from(await s.readFrame(2))).toEqual(Array.from(frames[2]));
    await expect(s.readFrame(1)).rejects.toThrow(
      /bad\.tif: frame 2: .*beyond the end of the file.*truncated/,
    );
  });
  test('ImageJ contiguous stack shorter than images= opens its complete frames and says so', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      layout: 'imagej-single-ifd',
      description: 'ImageJ=1.54f\nimages=5\nframes=5\n',
    });
    const s = await openStack([mem(b, 'ij.tif')]);
    expect(s.frameCount).toBe(3);
    expect(s.meta.warnings).toEqual([
      expect.stringMatching(/truncated: .*declares 5 frames but only 3 are complete/),
    ]);
    expect(Array.from(await s.readFrame(2))).toEqual(Array.from(frames[2]));
    await expect(s.readFrame(3)).rejects.toThrow(/ij\.tif: frame index 3 out of range/);
  });
  test('truncated compressed strip', async () => {
    const b = writeTiffFixture({ width: 8, height: 6, dtype: 'uint16', frames, compression: 8 });
    // Claim a shorter byte count for every strip: the decoder runs out of data.
    const s = await openStack([mem(b, 'z.tif')]);
    const bad = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      compression: 8,
      override: (f) => f.map((x) => (x.tag === 279 ? { ...x, values: [(x.values as number[])[0] - 20] } : x)),
    });
    expect(Array.from(await s.readFrame(0))).toEqual(Array.from(frames[0]));
    await expect((await openStack([mem(bad, 'z.tif')])).readFrame(0)).rejects.toThrow(
      /z\.tif: frame 1: strip 1: corrupt or truncated deflate/,
    );
  });
});

describe('unsupported content', () => {
  test('RGB', async () => {
    const e = await openError(withField(277, FieldType.SHORT, [3]), 'colour.tif');
    expect(e.message).toMatch(/colour\.tif: unsupported: 3 samples per pixel \(RGB/);
  });
  test('1-bit', async () => {
    expect((await openError(withField(258, FieldType.SHORT, [1]))).reason).toMatch(/1-bit unsigned/);
  });
  test('64-bit integers', async () => {
    expect((await openError(withField(258, FieldType.SHORT, [64]))).reason).toMatch(/64-bit unsigned/);
  });
  test('JPEG compression', async () => {
    expect((await openError(withField(259, FieldType.SHORT, [7]))).reason).toMatch(
      /unsupported compression: JPEG/,
    );
  });
  test('floating-point predictor', async () => {
    expect((await openError(withField(317, FieldType.SHORT, [3]))).reason).toMatch(/predictor 3/);
  });
  test('a .dax without its .inf', async () => {
    const e = await openError(new Uint8Array(100), 'movie.dax');
    expect(e.reason).toMatch(/needs its \.inf/);
  });
});

describe('absurd or corrupt structure', () => {
  test('more than 2^31 pixels per frame', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      override: (f) => f.map((x) => (x.tag === 256 || x.tag === 257 ? { ...x, values: [70000] } : x)),
    });
    expect((await openError(b)).reason).toMatch(/absurd frame size 70000×70000/);
  });
  test('ImageJ images= whose first frame does not fit in the file', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames: frames.slice(0, 1),
      layout: 'imagej-single-ifd',
      description: 'ImageJ=1.54f\nimages=1000\n',
      override: (f) => f.map((x) => (x.tag === 256 ? { ...x, values: [4000] } : x)),
    });
    expect((await openError(b)).reason).toMatch(/first frame .* beyond the end of the file/);
  });
  test('cyclic IFD chain', async () => {
    // Three IFDs where the third links back to the second.
    const fmt = { littleEndian: true, bigTiff: false };
    const pixels = 8 * 6 * 2;
    const fields = (strip: number): IfdField[] => [
      { tag: 256, type: FieldType.LONG, values: [8] },
      { tag: 257, type: FieldType.LONG, values: [6] },
      { tag: 258, type: FieldType.SHORT, values: [16] },
      { tag: 273, type: FieldType.LONG, values: [strip] },
      { tag: 279, type: FieldType.LONG, values: [pixels] },
    ];
    const ifdLen = encodeIfd(fields(0), 0, 0, fmt).length;
    const at = [8, 8 + ifdLen + pixels, 8 + 2 * (ifdLen + pixels)];
    const b = new Uint8Array(8 + 3 * (ifdLen + pixels));
    b.set(encodeHeader(8, fmt));
    b.set(encodeIfd(fields(at[0] + ifdLen), at[0], at[1], fmt), at[0]);
    b.set(encodeIfd(fields(at[1] + ifdLen), at[1], at[2], fmt), at[1]);
    b.set(encodeIfd(fields(at[2] + ifdLen), at[2], at[1], fmt), at[2]);
    expect((await openError(b)).reason).toMatch(/cyclic IFD chain/);
  });
  test('IFD without image size', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      override: (f) => f.filter((x) => x.tag !== 256),
    });
    expect((await openError(b)).reason).toMatch(/no valid image size/);
  });
  test('tag values pointing beyond the end', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      rowsPerStrip: 1,
    });
    // StripOffsets (6 LONGs) live out of line: point them past the end.
    const dv = new DataView(b.buffer);
    const n = dv.getUint16(8, true);
    for (let i = 0; i < n; i++) {
      if (dv.getUint16(10 + i * 12, true) === 273) dv.setUint32(10 + i * 12 + 8, b.length + 1000, true);
    }
    expect((await openError(b)).reason).toMatch(/tag 273 .* beyond the end/);
  });
  test('a strip table claiming 256 MiB in a huge file is refused, not allocated', async () => {
    const b = writeTiffFixture({ width: 8, height: 6, dtype: 'uint16', frames, rowsPerStrip: 1 });
    const dv = new DataView(b.buffer);
    const n = dv.getUint16(8, true);
    for (let i = 0; i < n; i++) {
      if (dv.getUint16(10 + i * 12, true) === 273) dv.setUint32(10 + i * 12 + 4, 2 ** 26, true);
    }
    // A 1 TB "file" whose first bytes are the fixture.
    const huge = { name: 'huge.tif', size: 2 ** 40, read: async (o: number, l: number) => b.slice(o, o + l) };
    await expect(openStack([huge])).rejects.toThrow(/huge\.tif: tag 273 .* claims 268435456 bytes/);
  });
  test('pages of different size in one stack', async () => {
    const b = writeTiffFixture({
      width: 8,
      height: 6,
      dtype: 'uint16',
      frames,
      override: (f, page) => (page === 2 ? f.map((x) => (x.tag === 257 ? { ...x, values: [3] } : x)) : f),
    });
    const s = await openStack([mem(b)]);
    await expect(s.readFrame(2)).rejects.toThrow(/frame 3: page 3 is 8×3/);
  });
});

describe('frame arguments and cancellation', () => {
  test('index and channel out of range', async () => {
    const s = await openStack([mem(good())]);
    await expect(s.readFrame(3)).rejects.toThrow(/frame index 3 out of range/);
    await expect(s.readFrame(-1)).rejects.toThrow(StackError);
    await expect(s.readFrame(0, { channel: 1 })).rejects.toThrow(/channel 1 out of range/);
  });
  test('an aborted signal rejects readFrame and openStack with the abort reason', async () => {
    const s = await openStack([mem(good())]);
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await expect(s.readFrame(1, { signal: ac.signal })).rejects.toThrow('user cancelled');
    await expect(openStack([mem(good())], { signal: ac.signal })).rejects.toThrow('user cancelled');
  });
});
