import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { createLocalizeVerb } from '../../src/cli/verbs/localize';
import type { LocTable } from '../../src/core/locs/table';
import { Rng } from '../../src/core/random';
import type { FrameSource } from '../../src/core/stack/types';
import { expectedImage, gridSpots, poissonImage } from '../helpers/spotImage';

const dir = mkdtempSync(join(tmpdir(), 'evscope-localize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evscope localize', () => {
  test('reads the stack, localizes the chosen frames with the file camera settings, writes the CSV, prints a summary', async () => {
    const rng = new Rng(12);
    const frames = Array.from({ length: 6 }, () =>
      Uint16Array.from(
        poissonImage(expectedImage(48, 48, gridSpots(48, 48, 12, 1000, rng), 1.3, 10), rng),
        (v) => v + 100,
      ),
    );
    const stack: FrameSource = {
      name: 'fake.tif',
      width: 48,
      height: 48,
      frameCount: 6,
      channels: 1,
      dtype: 'uint16',
      meta: { flavour: 'fake', byteOrder: 'little', pixelSizeNm: 100, camera: { offsetAdu: 100 } },
      readFrame: async (i) => frames[i],
    };
    const input = join(dir, 'stack.tif');
    writeFileSync(input, 'not really a tiff');
    let written: LocTable | null = null;
    const verb = createLocalizeVerb({
      openStack: async (sources) => {
        expect(sources[0].name).toBe('stack.tif');
        expect(sources[0].size).toBe(17);
        return stack;
      },
      writeCsv: (t) => {
        written = t;
        return `rows,${t.length}\n`;
      },
    });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'locs.csv');
    const code = await verb.run([input, '--out', out, '--frames', '2:5', '--threads', '2']);
    const line = String(log.mock.calls[0]?.[0]);
    log.mockRestore();
    expect(code).toBe(0);
    expect(written!.length).toBe(4 * 16);
    expect(new Set(written!.columns.frame)).toEqual(new Set([1, 2, 3, 4]));
    // The file's offset was applied: backgrounds near 10 photons, not 110.
    expect(Math.abs(written!.columns.bg[0] - 10)).toBeLessThan(3);
    expect(readFileSync(out, 'utf8')).toBe('rows,64\n');
    expect(line).toMatch(/^64 localizations, \d+\.\d\d s, \d+ frames\/s$/);
  });

  test('assumed camera values are reported, and an unsubtracted 100 ADU offset is flagged', async () => {
    const rng = new Rng(5);
    // A CCD at 1 e⁻/ADU adding 100 ADU, 10 background photons: the file says nothing about it.
    const frames = Array.from({ length: 2 }, () =>
      Uint16Array.from(
        poissonImage(expectedImage(48, 48, gridSpots(48, 48, 12, 1000, rng), 1.3, 10), rng),
        (v) => v + 100,
      ),
    );
    const stack: FrameSource = {
      name: 'bare.tif',
      width: 48,
      height: 48,
      frameCount: 2,
      channels: 1,
      dtype: 'uint16',
      meta: { flavour: 'fake', byteOrder: 'little' },
      readFrame: async (i) => frames[i],
    };
    const input = join(dir, 'bare.tif');
    writeFileSync(input, 'x');
    const verb = createLocalizeVerb({ openStack: async () => stack, writeCsv: () => '' });
    const run = async (extra: string[]) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const err = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(await verb.run([input, '--out', join(dir, 'bare.csv'), '--threads', '1', ...extra])).toBe(0);
        return err.mock.calls.map((c) => c.join(' ')).join('\n');
      } finally {
        log.mockRestore();
        err.mockRestore();
      }
    };
    const bare = await run([]);
    expect(bare).toMatch(/assumed: pixel size 100 nm \(not in file; pass --pixel-nm\)/);
    expect(bare).toMatch(/assumed: camera offset 0 ADU \(not in file; pass --offset\)/);
    expect(bare).toMatch(/assumed: camera gain 1 e⁻\/ADU/);
    // EM gain is no assumption for a CCD.
    expect(bare).not.toMatch(/EM gain/);
    expect(bare).toMatch(
      /warning: the darkest pixels read 1\d\d ADU, far above the assumed camera offset of 0 ADU/,
    );
    const given = await run(['--offset', '100', '--pixel-nm', '100', '--gain', '1']);
    expect(given).toBe('');
  }, 60_000);
  test('--sigma-nm auto measures σ first and reports it; --fitter mle-multi separates close pairs', async () => {
    const rng = new Rng(31);
    // σ 1.5 px = 150 nm spots on a grid, plus a partner 250 nm from every spot in frames 4–6.
    const frames = Array.from({ length: 6 }, (_, f) => {
      const spots = gridSpots(60, 60, 15, 1500, rng);
      const all = f < 3 ? spots : [...spots, ...spots.map((s) => ({ ...s, x: s.x + 2.5 }))];
      return Uint16Array.from(poissonImage(expectedImage(60, 60, all, 1.5, 10), rng), (v) => v + 100);
    });
    const stack: FrameSource = {
      name: 'pairs.tif',
      width: 60,
      height: 60,
      frameCount: 6,
      channels: 1,
      dtype: 'uint16',
      meta: { flavour: 'fake', byteOrder: 'little', pixelSizeNm: 100, camera: { offsetAdu: 100 } },
      readFrame: async (i) => frames[i],
    };
    const input = join(dir, 'pairs.tif');
    writeFileSync(input, 'x');
    const run = async (extra: string[]) => {
      let written: LocTable | null = null;
      const verb = createLocalizeVerb({
        openStack: async () => stack,
        writeCsv: (t) => {
          written = t;
          return '';
        },
      });
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const code = await verb.run([input, '--out', join(dir, 'pairs.csv'), '--threads', '1', ...extra]);
      const line = String(log.mock.calls[0]?.[0]);
      const lines = log.mock.calls.map((c) => String(c[0]));
      log.mockRestore();
      expect(code).toBe(0);
      return { table: written as unknown as LocTable, line, lines };
    };
    // σ is measured on the chosen frames only: here the first three, without pairs (an
    // unresolved pair would widen it).
    const auto = await run(['--sigma-nm', 'auto', '--frames', '1:3']);
    const sigma = Number(
      /σ ([\d.]+) nm from data \(spread [\d.]+ nm, \d+ spots in \d+ frames\)$/.exec(auto.line)?.[1],
    );
    expect(sigma).toBeGreaterThan(145);
    expect(sigma).toBeLessThan(155);
    expect(auto.table.columns.sigma[0]).toBeCloseTo(sigma, 0);
    const single = await run(['--sigma-nm', '150']);
    const multi = await run(['--sigma-nm', '150', '--fitter', 'mle-multi', '--max-emitters', '3']);
    // 16 spots per frame, 32 in the paired frames: the single fit merges most pairs.
    const paired = (t: LocTable) => t.columns.frame.filter((f) => f >= 3).length;
    expect(paired(multi.table)).toBeGreaterThanOrEqual(0.95 * 96);
    expect(paired(multi.table)).toBeLessThanOrEqual(96);
    expect(paired(single.table)).toBeLessThan(0.8 * 96);
    // Brightness counting reports what it did (equal spots: nothing to count) and can be off.
    expect(multi.lines.some((l) => /^brightness counting/.test(l))).toBe(true);
    const off = await run(['--sigma-nm', '150', '--fitter', 'mle-multi', '--count-by-brightness', 'off']);
    expect(off.lines.some((l) => /brightness counting/.test(l))).toBe(false);
    expect(single.lines.some((l) => /brightness counting/.test(l))).toBe(false);
    await expect(run(['--fitter', 'mle-multi', '--count-by-brightness', 'maybe'])).rejects.toThrow(
      /--count-by-brightness must be on or off/,
    );
    await expect(run(['--fitter', 'mle-multi', '--fit-sigma'])).rejects.toThrow(/σ fixed/);
    // Flags parse through the run's parameter schema, with its messages.
    await expect(run(['--fitter', 'magic'])).rejects.toThrow(
      '--fitter: "magic" is not one of "mle", "lsq", "wlsq", "mle-multi"',
    );
    await expect(run(['--fitter', 'mle-multi', '--max-emitters', '9'])).rejects.toThrow(
      '--max-emitters: 9 is above the maximum 8',
    );
    await expect(run(['--camera', 'film'])).rejects.toThrow(
      '--camera: "film" is not one of "ccd", "emccd", "scmos"',
    );
  }, 120_000);

  test('missing --out and unknown options are errors', async () => {
    const verb = createLocalizeVerb({
      openStack: async () => Promise.reject(new Error('unused')),
      writeCsv: () => '',
    });
    await expect(verb.run(['x.tif'])).rejects.toThrow(/--out/);
    await expect(verb.run(['x.tif', '--out', 'y.csv', '--bogus', '1'])).rejects.toThrow(
      /unknown option --bogus/,
    );
  });
});
