import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { parseFrameRange } from '../../src/cli/verbs/convert';
import { openStack } from '../../src/core/stack/open';
import { swapBytes } from '../../src/core/stack/pixels';
import { repoRoot } from '../helpers/sharedData';
import { mem, tempDir } from '../helpers/sources';
import { patternFrames, writeTiffFixture } from '../helpers/tiffFixtures';

const tmp = tempDir('evscope-cli-');
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

const W = 10;
const H = 8;
const frames = patternFrames('uint16', W, H, 6);
const hyper = patternFrames('uint16', W, H, 6);
const plain = tmp.file(
  'plain.tif',
  writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames, littleEndian: false, compression: 5 }),
);
const twoChannel = tmp.file(
  'two.tif',
  writeTiffFixture({
    width: W,
    height: H,
    dtype: 'uint16',
    frames: hyper,
    layout: 'imagej',
    description: 'ImageJ=1.54f\nimages=6\nchannels=2\nframes=3\nhyperstack=true\nunit=nm\nfinterval=0.1\n',
    xResolution: [1, 80],
  }),
);

describe('evscope info', () => {
  test('--json describes each stack, dax with its sidecar', async () => {
    const be = new Uint8Array(new Uint16Array(frames[0]).buffer.slice(0));
    swapBytes(be, 2);
    const dax = tmp.file('m.dax', be);
    const inf = tmp.file(
      'm.inf',
      `frame dimensions = ${W} x ${H}\nnumber of frames = 1\ndata type = 16 bit integers (binary, big endian)\n`,
    );
    expect(await main(['info', plain, twoChannel, dax, inf, '--json'])).toBe(0);
    const infos = JSON.parse(out.join('\n'));
    expect(infos).toHaveLength(3);
    expect(infos[0]).toMatchObject({
      file: plain,
      flavour: 'multipage',
      frames: 6,
      width: W,
      height: H,
      channels: 1,
      dtype: 'uint16',
      byteOrder: 'big',
    });
    expect(infos[1]).toMatchObject({
      flavour: 'imagej-contiguous',
      frames: 3,
      channels: 2,
      pixelSizeNm: 80,
      frameIntervalMs: 100,
    });
    expect(infos[2]).toMatchObject({ file: dax, flavour: 'dax', frames: 1 });
  });

  test('text output names the fields; bad file → exit 1 with the StackError message', async () => {
    expect(await main(['info', twoChannel])).toBe(0);
    expect(out.join('\n')).toMatch(/pixel size\s+80 nm/);
    expect(out.join('\n')).toMatch(/frame interval\s+100 ms/);
    const junk = tmp.file('junk.tif', 'this is text');
    expect(await main(['info', junk])).toBe(1);
    expect(err.join('\n')).toContain('evscope info: junk.tif: not a TIFF file');
  });
});

describe('evscope convert', () => {
  test('--frames (1-based inclusive), --crop and --channel, metadata carried over', async () => {
    const dst = join(tmp.dir, 'out.tif');
    expect(
      await main([
        'convert',
        twoChannel,
        '--out',
        dst,
        '--frames',
        '2:3',
        '--crop',
        '2,1,7,5',
        '--channel',
        '2',
      ]),
    ).toBe(0);
    const s = await openStack([mem(readFileSync(dst), 'out.tif')]);
    expect([s.frameCount, s.width, s.height, s.channels, s.meta.byteOrder]).toEqual([2, 5, 4, 1, 'little']);
    expect(s.meta.pixelSizeNm).toBeCloseTo(80, 6);
    expect(s.meta.frameIntervalMs).toBeCloseTo(100, 6);
    for (let k = 0; k < 2; k++) {
      const src = hyper[(k + 1) * 2 + 1]; // time point k+1 (0-based), channel 2
      const got = await s.readFrame(k);
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 5; x++) expect(got[y * 5 + x]).toBe(src[(y + 1) * W + x + 2]);
    }
  });

  test('whole stack, several single-frame files in natural order', async () => {
    const files = frames.map((f, k) =>
      tmp.file(`f${k + 1}.tif`, writeTiffFixture({ width: W, height: H, dtype: 'uint16', frames: [f] })),
    );
    const dst = join(tmp.dir, 'series.tif');
    expect(await main(['convert', ...files.reverse(), '--out', dst])).toBe(0);
    const s = await openStack([mem(readFileSync(dst))]);
    expect(s.frameCount).toBe(6);
    for (let k = 0; k < 6; k++) expect(Array.from(await s.readFrame(k))).toEqual(Array.from(frames[k]));
  });

  test('bad arguments exit non-zero and leave no output file', async () => {
    const dst = join(tmp.dir, 'bad.tif');
    expect(await main(['convert', plain, '--out', dst, '--frames', '0:3'])).toBe(1);
    expect(err.join('\n')).toMatch(/--frames 0:3 is outside 1:6/);
    expect(await main(['convert', plain, '--out', dst, '--crop', '0,0,99,2'])).toBe(1);
    expect(await main(['convert', plain, '--out', dst, '--channel', '2'])).toBe(1);
    expect(await main(['convert', plain])).toBe(1);
    expect(await main(['convert', plain, '--out', plain])).toBe(1);
    expect(existsSync(dst) || existsSync(`${dst}.partial`)).toBe(false);
    expect(parseFrameRange('5:', 9)).toEqual([4, 9]);
    expect(parseFrameRange(':3', 9)).toEqual([0, 3]);
    expect(parseFrameRange('7', 9)).toEqual([6, 7]);
  });

  test('--help documents the 1-based inclusive frame range', async () => {
    expect(await main(['convert', '--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/1-based and inclusive/);
  });
});

test('bin/evscope.mjs exits 0 on success and 1 with the message on a bad file', () => {
  const bin = join(repoRoot, 'bin', 'evscope.mjs');
  const okRun = spawnSync(process.execPath, [bin, 'info', plain, '--json'], { encoding: 'utf8' });
  expect(okRun.status).toBe(0);
  expect(JSON.parse(okRun.stdout)[0].frames).toBe(6);
  const bad = spawnSync(process.execPath, [bin, 'info', join(tmp.dir, 'missing.tif')], { encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/evscope info: .*missing\.tif/);
});
