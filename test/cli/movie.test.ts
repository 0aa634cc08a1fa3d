import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { locTableFromColumns } from '../../src/core/locs/table';
import { SlidingMovie } from '../../src/core/movie/slidingMovie';
import { Rng } from '../../src/core/random';
import { openStack } from '../../src/core/stack/open';
import { mem, tempDir } from '../helpers/sources';

const tmp = tempDir('evscope-movie-cli-');
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

// 103 raw frames over a 2 µm field: two discs that come and go, plus scattered background.
const F = 103;
function locs() {
  const r = new Rng(3);
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  for (let f = 0; f < F; f++) {
    const discs = [
      { cx: 500, cy: 600, on: f < 70 },
      { cx: 1400, cy: 1300, on: f >= 40 },
    ];
    for (const d of discs) {
      if (!d.on) continue;
      for (let k = 0; k < 6; k++) {
        const rho = 150 * Math.sqrt(r.uniform());
        const phi = 2 * Math.PI * r.uniform();
        frame.push(f);
        x.push(d.cx + rho * Math.cos(phi));
        y.push(d.cy + rho * Math.sin(phi));
        precision.push(15 + 10 * r.uniform());
      }
    }
    frame.push(f);
    x.push(r.uniform() * 2000);
    y.push(r.uniform() * 2000);
    precision.push(20);
  }
  return locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
  });
}
const table = locs();
const csv = tmp.file('locs.csv', writeThunderstormCsv(table));

async function read(path: string) {
  return openStack([mem(new Uint8Array(readFileSync(path)), path)]);
}

describe('evscope movie', () => {
  test('frame count follows floor((F − W)/S) + 1 with W not a multiple of S; metadata and every frame read back', async () => {
    const path = tmp.file('movie.tif');
    const code = await main([
      'movie',
      csv,
      '--window',
      '25',
      '--step',
      '7',
      '--px',
      '20',
      '--frames',
      String(F),
      '--camera-px',
      '100',
      '--roi',
      '0,0,20,20',
      '--frame-interval',
      '5',
      '--out',
      path,
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const stack = await read(path);
    expect(stack.frameCount).toBe(Math.floor((F - 25) / 7) + 1);
    expect(stack.frameCount).toBe(12);
    expect([stack.width, stack.height]).toEqual([100, 100]);
    expect(stack.dtype).toBe('float32');
    expect(stack.meta.pixelSizeNm).toBeCloseTo(20, 6);
    expect(stack.meta.frameIntervalMs).toBeCloseTo(35, 6);
    // Each frame equals a direct render of its window [7n, 7n + 25).
    const ref = SlidingMovie.fromTable(
      table,
      {
        window: 25,
        step: 7,
        grid: { x0Nm: 0, y0Nm: 0, width: 100, height: 100, pixelNm: 20 },
        sigma: { kind: 'precision', factor: 1 },
      },
      F,
    );
    let total = 0;
    for (let n = 0; n < stack.frameCount; n++) {
      const got = (await stack.readFrame(n)) as Float32Array;
      const want = ref.renderRange(7 * n, 7 * n + 25);
      let maxDiff = 0;
      for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
      expect(maxDiff).toBeLessThan(1e-7);
      total += want.reduce((a, b) => a + b, 0);
    }
    expect(total).toBeGreaterThan(1);
  });

  test('binarizes with Otsu and writes the binary and label movies', async () => {
    const [movie, mask, labels] = ['m.tif', 'mask.tif', 'labels.tif'].map((f) => tmp.file(f));
    const code = await main([
      'movie',
      csv,
      '--window',
      '30',
      '--step',
      '10',
      '--px',
      '20',
      '--sigma',
      '25',
      '--camera-px',
      '100',
      '--binarize',
      'otsu',
      '--smooth',
      '1',
      '--out',
      movie,
      '--mask-out',
      mask,
      '--labels-out',
      labels,
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/threshold .* \(Otsu\)/);
    const m = await read(mask);
    const l = await read(labels);
    expect(m.dtype).toBe('uint8');
    expect(l.dtype).toBe('uint16');
    expect(m.frameCount).toBe(Math.floor((F - 30) / 10) + 1);
    // Frame 0 (raw 0–29): only the first disc; the last frame (raw 70–99): only the second.
    const m0 = (await m.readFrame(0)) as Uint8Array;
    const l0 = (await l.readFrame(0)) as Uint16Array;
    const at = (img: ArrayLike<number>, xNm: number, yNm: number) =>
      img[Math.floor(yNm / 20) * m.width + Math.floor(xNm / 20)];
    expect(at(m0, 500, 600)).toBe(1);
    expect(at(m0, 1400, 1300)).toBe(0);
    expect(at(m0, 1900, 100)).toBe(0);
    const last = (await l.readFrame(m.frameCount - 1)) as Uint16Array;
    expect(at(last, 1400, 1300)).toBeGreaterThan(0);
    expect(at(last, 1400, 1300)).not.toBe(at(l0, 500, 600));
    expect(out.join('\n')).toMatch(/2 structures/);
  });

  test('refuses invalid input with a reason', async () => {
    expect(await main(['movie', csv, '--window', '500', '--out', tmp.file('x.tif')])).toBe(1);
    expect(err.join()).toMatch(/longer than the 103 raw frames/);
    err.length = 0;
    expect(await main(['movie', csv, '--window', '10', '--roi', '0,0,5,5', '--out', tmp.file('y.tif')])).toBe(
      1,
    );
    expect(err.join()).toMatch(/--camera-px/);
    err.length = 0;
    expect(
      await main([
        'movie',
        csv,
        '--window',
        '10',
        '--step',
        '5',
        '--mask-out',
        'a.tif',
        '--out',
        tmp.file('z.tif'),
      ]),
    ).toBe(1);
    expect(err.join()).toMatch(/need --binarize/);
  });

  test('flags go through the Movie step schema: a bad value gets its message, as a session file would', async () => {
    const bad: [string[], string][] = [
      [['--window', 'abc'], '--window: expected a number, got "abc"'],
      [['--step', '1.5'], '--step: expected a whole number, got 1.5'],
      [['--px', '0'], '--px: 0 is below the minimum (exclusive) 0'],
      [
        ['--window', '10', '--connectivity', '99', '--binarize', 'otsu'],
        '--connectivity: 99 is not one of 8, 26',
      ],
      [
        ['--window', '10', '--otsu-frames', '0', '--binarize', 'otsu'],
        '--otsu-frames: 0 is below the minimum 1',
      ],
    ];
    for (const [flags, message] of bad) {
      err.length = 0;
      expect(await main(['movie', csv, ...flags, '--out', tmp.file('bad.tif')]), flags.join(' ')).toBe(1);
      expect(err.join('\n')).toContain(message);
    }
  });
});
