// `evscope movie --dtype/--scale/--compress/--bigtiff`: integer frames are exactly
// round(scale · float frame), compressed files decode to the same pixels in our reader and in
// geotiff (an independent implementation), and every file is laid out as the TIFF spec and
// ImageJ's reader require (checked by walking the bytes here, not with our own parser).
import { readFileSync, statSync } from 'node:fs';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { locTableFromColumns } from '../../src/core/locs/table';
import { openStack } from '../../src/core/stack/open';
import { mem, tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-movie-storage-');
afterAll(() => tmp.remove());
let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

// 60 raw frames over 1.6 µm: a bright cluster that drifts, and sparse background.
const F = 60;
function locs() {
  let s = 7;
  const u = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  for (let f = 0; f < F; f++) {
    for (let k = 0; k < 8; k++) {
      frame.push(f);
      x.push(400 + 10 * f + 120 * u());
      y.push(700 + 150 * u());
      precision.push(12 + 8 * u());
    }
    frame.push(f);
    x.push(1600 * u());
    y.push(1600 * u());
    precision.push(20);
  }
  return locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
  });
}
const csv = tmp.file('locs.csv', writeThunderstormCsv(locs()));
// W 20, S 8 → floor((60 − 20)/8) + 1 = 6 frames of 75×75 px (an odd frame size in bytes for uint8).
const BASE = ['--window', '20', '--step', '8', '--px', '20', '--frames', String(F), '--camera-px', '100'];
const BASE_ROI = [...BASE, '--roi', '0,0,15,15', '--sigma', '0'];

async function movie(name: string, extra: string[]): Promise<string> {
  const path = tmp.file(name);
  const code = await main(['movie', csv, ...BASE, '--roi', '0,0,15,15', ...extra, '--out', path]);
  expect(code).toBe(0);
  return path;
}

async function frames(path: string) {
  const s = await openStack([mem(new Uint8Array(readFileSync(path)), path)]);
  const all: ArrayLike<number>[] = [];
  for (let k = 0; k < s.frameCount; k++) all.push(await s.readFrame(k));
  return { stack: s, all };
}

async function geotiffFrames(path: string): Promise<number[][]> {
  const bytes = readFileSync(path);
  const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const n = await tiff.getImageCount();
  const res: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = (await (
      await tiff.getImage(i)
    ).readRasters({ interleave: true })) as unknown as ArrayLike<number>;
    res.push(Array.from(r));
  }
  return res;
}

interface Page {
  at: number;
  tags: Map<number, number[]>;
  order: number[];
}

/** Walks the IFD chain by the TIFF 6.0 / BigTIFF layout, independently of src/. */
function walk(path: string): { bigTiff: boolean; pages: Page[]; size: number; description: string } {
  const b = readFileSync(path);
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  expect([b[0], b[1]]).toEqual([0x49, 0x49]);
  const magic = dv.getUint16(2, true);
  const bigTiff = magic === 43;
  expect([42, 43]).toContain(magic);
  const off = (p: number) => (bigTiff ? Number(dv.getBigUint64(p, true)) : dv.getUint32(p, true));
  let at = off(bigTiff ? 8 : 4);
  const pages: Page[] = [];
  const size = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 4, 4, 8];
  let description = '';
  while (at !== 0) {
    expect(at % 2).toBe(0); // IFDs begin on a word boundary
    const n = bigTiff ? Number(dv.getBigUint64(at, true)) : dv.getUint16(at, true);
    const entry = bigTiff ? 20 : 12;
    const head = bigTiff ? 8 : 2;
    const tags = new Map<number, number[]>();
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      const e = at + head + i * entry;
      const tag = dv.getUint16(e, true);
      const type = dv.getUint16(e + 2, true);
      const count = bigTiff ? Number(dv.getBigUint64(e + 4, true)) : dv.getUint32(e + 4, true);
      const bytes = size[type] * count;
      const valAt = bytes > (bigTiff ? 8 : 4) ? off(e + (bigTiff ? 12 : 8)) : e + (bigTiff ? 12 : 8);
      const vals: number[] = [];
      for (let k = 0; k < count && type !== 2; k++) {
        if (type === 3) vals.push(dv.getUint16(valAt + 2 * k, true));
        else if (type === 4) vals.push(dv.getUint32(valAt + 4 * k, true));
        else if (type === 16) vals.push(Number(dv.getBigUint64(valAt + 8 * k, true)));
        else if (type === 5)
          vals.push(dv.getUint32(valAt + 8 * k, true) / dv.getUint32(valAt + 8 * k + 4, true));
      }
      if (tag === 270) description = new TextDecoder().decode(b.subarray(valAt, valAt + count - 1));
      tags.set(tag, vals);
      order.push(tag);
    }
    pages.push({ at, tags, order });
    at = off(at + head + n * entry);
  }
  return { bigTiff, pages, size: b.length, description };
}

describe('evscope movie: integer, compressed and BigTIFF output', () => {
  let floatFrames: ArrayLike<number>[];
  beforeAll(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const path = tmp.file('float.tif');
    expect(await main(['movie', csv, ...BASE_ROI.slice(0, -2), '--out', path])).toBe(0);
    floatFrames = (await frames(path)).all;
    vi.restoreAllMocks();
  }, 60_000);

  test('uint16 with --scale: every pixel is round(scale · float value), the scale is in the file', async () => {
    const path = await movie('u16.tif', ['--dtype', 'uint16', '--scale', '20000']);
    const { stack, all } = await frames(path);
    expect([stack.dtype, stack.frameCount]).toEqual(['uint16', 6]);
    let nonZero = 0;
    for (let k = 0; k < 6; k++) {
      const f = floatFrames[k];
      for (let i = 0; i < f.length; i++) {
        expect(all[k][i]).toBe(Math.min(65535, Math.round(20000 * Math.fround(f[i]))));
        if (all[k][i] > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(100);
    const { description } = walk(path);
    expect(description).toContain('\ncf=0\nc0=0\nc1=0.00005\nvunit=locs/px/frame\nevscope.scale=20000\n');
    expect(out.join('\n')).toMatch(/uint16, stored = round\(20000 × value\)/);
    expect(err).toEqual([]);
  });

  test('automatic scale: the sampled brightest pixel lands within the top half of the range, nothing clips', async () => {
    const path = await movie('auto.tif', ['--dtype', 'uint16']);
    const scale = Number(/evscope\.scale=([\d.e+-]+)/.exec(walk(path).description)?.[1]);
    let max = 0;
    for (const f of floatFrames) for (let i = 0; i < f.length; i++) max = Math.max(max, f[i]);
    // 20 samples cover all 6 frames, so the brightest pixel is known exactly.
    expect(max * scale).toBeLessThanOrEqual(32767.5);
    expect(max * scale).toBeGreaterThan(32767 / 5);
    expect([1, 2, 5]).toContain(Number((scale / 10 ** Math.floor(Math.log10(scale))).toPrecision(6)));
    expect(err).toEqual([]);
  });

  test('a scale too large clips at 65535 and says how many pixels', async () => {
    const path = await movie('clip.tif', ['--dtype', 'uint16', '--scale', '1e9']);
    const { all } = await frames(path);
    let clipped = 0;
    for (const f of all) for (let i = 0; i < f.length; i++) if (f[i] === 65535) clipped++;
    expect(clipped).toBeGreaterThan(0);
    expect(err.join('\n')).toContain(`${clipped} pixels were brighter than the uint16 range`);
  });

  test('uint8 stores round(scale · value) too', async () => {
    const path = await movie('u8.tif', ['--dtype', 'uint8', '--scale', '50']);
    const { stack, all } = await frames(path);
    expect(stack.dtype).toBe('uint8');
    for (let k = 0; k < 6; k++)
      for (let i = 0; i < all[k].length; i++)
        expect(all[k][i]).toBe(Math.min(255, Math.round(50 * Math.fround(floatFrames[k][i]))));
  });

  for (const compress of ['deflate', 'lzw'] as const) {
    test(`${compress}: float32 and uint16 decode to the uncompressed pixels in our reader and geotiff`, async () => {
      const plain16 = await movie(`p16-${compress}.tif`, ['--dtype', 'uint16', '--scale', '20000']);
      const packed16 = await movie(`c16-${compress}.tif`, [
        '--dtype',
        'uint16',
        '--scale',
        '20000',
        '--compress',
        compress,
      ]);
      const packed32 = await movie(`c32-${compress}.tif`, ['--compress', compress]);
      const want16 = (await frames(plain16)).all.map((f) => Array.from(f));
      const want32 = floatFrames.map((f) => Array.from(f));
      expect((await frames(packed16)).all.map((f) => Array.from(f))).toEqual(want16);
      expect((await frames(packed32)).all.map((f) => Array.from(f))).toEqual(want32);
      expect(await geotiffFrames(packed16)).toEqual(want16);
      expect(await geotiffFrames(packed32)).toEqual(want32);
      expect(statSync(packed16).size).toBeLessThan(statSync(plain16).size / 2);
      const w = walk(packed16);
      expect(w.pages.map((p) => p.tags.get(259)?.[0])).toEqual(Array(6).fill(compress === 'lzw' ? 5 : 8));
      expect(w.pages.some((p) => p.tags.has(317))).toBe(false);
      expect(walk(packed32).pages[0].tags.has(317)).toBe(false);
    });
  }

  test('--bigtiff writes a BigTIFF header; our reader and geotiff read it back', async () => {
    const plain = await movie('big-plain.tif', ['--dtype', 'uint16', '--scale', '20000', '--bigtiff']);
    const packed = await movie('big-packed.tif', [
      '--dtype',
      'uint16',
      '--scale',
      '20000',
      '--bigtiff',
      '--compress',
      'deflate',
    ]);
    const want = (await frames(await movie('small.tif', ['--dtype', 'uint16', '--scale', '20000']))).all.map(
      (f) => Array.from(f),
    );
    for (const p of [plain, packed]) {
      const bytes = readFileSync(p);
      expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(2, true)).toBe(43);
      expect(walk(p).bigTiff).toBe(true);
      expect((await frames(p)).all.map((f) => Array.from(f))).toEqual(want);
      expect(await geotiffFrames(p)).toEqual(want);
    }
  });

  test('ImageJ hyperstack layout: sorted tags, one strip per page, uncompressed frames in one run after IFD 0', async () => {
    for (const name of ['u16.tif', 'u8.tif', 'c16-deflate.tif', 'big-plain.tif']) {
      const path = tmp.file(name);
      const w = walk(path);
      expect(w.pages).toHaveLength(6);
      expect(w.description).toMatch(/^ImageJ=[\d.a-z]+\nimages=6\nframes=6\nunit=micron\nfinterval=0\.04\n/);
      expect(w.description.endsWith('loop=false\n')).toBe(true);
      for (const p of w.pages) {
        expect(p.order).toEqual([...p.order].sort((a, b) => a - b));
        expect([p.tags.get(256)?.[0], p.tags.get(257)?.[0], p.tags.get(278)?.[0]]).toEqual([75, 75, 75]);
        expect(p.tags.get(273)).toHaveLength(1);
        const [start] = p.tags.get(273)!;
        const [count] = p.tags.get(279)!;
        expect(start + count).toBeLessThanOrEqual(w.size);
      }
      expect(w.pages.slice(1).every((p) => !p.tags.has(270))).toBe(true);
      if (w.pages[0].tags.get(259)?.[0] === 1) {
        // What ImageJ assumes when images=N: frame k at the first strip + k × frame bytes.
        const first = w.pages[0].tags.get(273)![0];
        const frameBytes = w.pages[0].tags.get(279)![0];
        expect(w.pages.map((p) => p.tags.get(273)![0])).toEqual(
          w.pages.map((_, k) => first + k * frameBytes),
        );
      }
    }
  });

  test('refuses to write over its input, whatever the format flags', async () => {
    const before = readFileSync(csv, 'utf8');
    const code = await main([
      'movie',
      csv,
      ...BASE_ROI,
      '--dtype',
      'uint16',
      '--compress',
      'deflate',
      '--out',
      csv,
    ]);
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/is the input .*locs\.csv/);
    expect(readFileSync(csv, 'utf8')).toBe(before);
  });

  test('bad flags are refused with the choices', async () => {
    const x = tmp.file('x.tif');
    expect(await main(['movie', csv, ...BASE_ROI, '--dtype', 'int16', '--out', x])).toBe(1);
    expect(await main(['movie', csv, ...BASE_ROI, '--compress', 'zstd', '--out', x])).toBe(1);
    expect(await main(['movie', csv, ...BASE_ROI, '--scale', '10', '--out', x])).toBe(1);
    expect(await main(['movie', csv, ...BASE_ROI, '--dtype', 'uint16', '--scale', '-2', '--out', x])).toBe(1);
    expect(err.join('\n')).toMatch(/--dtype must be float32, uint16, uint8; got "int16"/);
    expect(err.join('\n')).toMatch(/--compress must be none, deflate, lzw; got "zstd"/);
    expect(err.join('\n')).toMatch(/--scale is for integer movies/);
    expect(err.join('\n')).toMatch(/--scale must be a number > 0/);
  });
});
