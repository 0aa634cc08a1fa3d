import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzlibSync } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { readThunderstormCsv, writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { locTableFromColumns } from '../../src/core/locs/table';
import { simulateStructures, structureless } from '../core/locs/simulate';
import { runCli as run } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-post-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (n: string) => path.join(dir, n);

/** Width, height, pixel size (from the resolution tags) and float32 pixels of a one-page LE TIFF. */
function readFloatTiff(buf: Buffer) {
  const ifd = buf.readUInt32LE(4);
  const n = buf.readUInt16LE(ifd);
  const tags = new Map<number, { type: number; value: number }>();
  for (let e = 0; e < n; e++) {
    const at = ifd + 2 + 12 * e;
    const type = buf.readUInt16LE(at + 2);
    tags.set(buf.readUInt16LE(at), {
      type,
      value: type === 3 ? buf.readUInt16LE(at + 8) : buf.readUInt32LE(at + 8),
    });
  }
  const width = tags.get(256)!.value;
  const height = tags.get(257)!.value;
  expect(tags.get(339)!.value).toBe(3); // SampleFormat: IEEE float
  expect(tags.get(258)!.value).toBe(32);
  const xres = tags.get(282)!.value;
  const perMicron = buf.readUInt32LE(xres) / buf.readUInt32LE(xres + 4);
  const off = tags.get(273)!.value;
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = buf.readFloatLE(off + 4 * i);
  return { width, height, pixelNm: 1000 / perMicron, pixels };
}

const F = 4000;
const drift = (f: number): [number, number] => [(100 * f) / F, (-60 * f) / F];

describe('evscope render / drift / merge', () => {
  test('render → float TIFF: one count per localization in the pixel containing it', async () => {
    const t = locTableFromColumns({
      frame: Uint32Array.from([0, 0, 1, 2]),
      x: Float64Array.from([0, 9.99, 10, 35]),
      y: Float64Array.from([0, 5, 5, 25]),
    });
    writeFileSync(file('four.csv'), writeThunderstormCsv(t));
    const r = await run(['render', file('four.csv'), '--px', '10', '--out', file('four.tif'), '--histogram']);
    expect(r.code).toBe(0);
    const img = readFloatTiff(readFileSync(file('four.tif')));
    expect(img.pixelNm).toBeCloseTo(10);
    expect([img.width, img.height]).toEqual([4, 3]); // from the origin to the pixels holding x = 35, y = 25
    const at = (i: number, j: number) => img.pixels[j * img.width + i];
    expect(at(0, 0)).toBe(2); // x = 0 and x = 9.99 share pixel 0
    expect(at(1, 0)).toBe(1); // x = 10 starts pixel 1
    expect(at(3, 2)).toBe(1);
    expect(img.pixels.reduce((a, b) => a + b, 0)).toBe(4);
  });

  test('drift-corrected Gaussian render conserves intensity and sharpens the structure', async () => {
    const sim = simulateStructures({
      seed: 3,
      fovNm: 6000,
      molecules: 1500,
      frames: F,
      locsPerMolecule: 12,
      precisionNm: 8,
      drift,
    });
    writeFileSync(file('drift.csv'), writeThunderstormCsv(sim.table));
    const plain = await run(['render', file('drift.csv'), '--px', '10', '--out', file('plain.tif')]);
    const corrected = await run([
      'render',
      file('drift.csv'),
      '--px',
      '10',
      '--out',
      file('corr.tif'),
      '--drift',
      'rcc',
      '--trace',
      file('trace.csv'),
    ]);
    expect(plain.code).toBe(0);
    expect(corrected.code).toBe(0);
    const a = readFloatTiff(readFileSync(file('plain.tif')));
    const b = readFloatTiff(readFileSync(file('corr.tif')));
    const sum = (p: Float32Array) => p.reduce((s, v) => s + v, 0);
    // Gaussians cut by the image border lose a little; everything else is conserved.
    expect(sum(a.pixels)).toBeGreaterThan(0.995 * sim.table.length);
    expect(sum(b.pixels)).toBeGreaterThan(0.995 * sim.table.length);
    expect(sum(b.pixels)).toBeLessThan(1.0001 * sim.table.length);
    // Sharper: the sum of squares (energy) rises when blur from drift is removed.
    const energy = (p: Float32Array) => p.reduce((s, v) => s + v * v, 0);
    expect(energy(b.pixels)).toBeGreaterThan(1.3 * energy(a.pixels));
    const trace = readFileSync(file('trace.csv'), 'utf8').trim().split('\n');
    expect(trace[0]).toBe('"frame","dx [nm]","dy [nm]"');
    expect(trace).toHaveLength(F + 1);
    const [, dx, dy] = trace[F].split(',').map(Number);
    expect(Math.abs(dx - drift(F - 1)[0])).toBeLessThan(8);
    expect(Math.abs(dy - drift(F - 1)[1])).toBeLessThan(8);
  });

  test('drift refuses an unreliable estimate: uncorrected output, warning, exit 3; --force applies it', async () => {
    const frames = 2000;
    writeFileSync(
      file('diffuse.csv'),
      writeThunderstormCsv(structureless(3000, frames, (f) => [(100 * f) / frames, 0])),
    );
    const args = ['drift', file('diffuse.csv'), '--out', file('diffuse_out.csv'), '--trace', file('t.csv')];
    const r = await run(args);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/drift estimate is UNRELIABLE/);
    expect(r.err).toMatch(/NOT applied/);
    expect(r.out).toMatch(/UNCORRECTED/);
    const out = readThunderstormCsv(readFileSync(file('diffuse_out.csv'), 'utf8')).table;
    expect(out.columns.x_raw).toBeUndefined();
    // The estimate is still written for inspection.
    expect(readFileSync(file('t.csv'), 'utf8').split('\n')[0]).toMatch(/frame/);
    const forced = await run([...args, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/applied an UNRELIABLE drift estimate/);
    const fixed = readThunderstormCsv(readFileSync(file('diffuse_out.csv'), 'utf8')).table;
    expect(fixed.columns.x_raw).toBeDefined();
  }, 240_000);

  test('drift writes corrected CSV keeping raw positions; merge collapses bursts', async () => {
    const r = await run(['drift', file('drift.csv'), '--out', file('corrected.csv'), '--method', 'rcc']);
    expect(r.code).toBe(0);
    const c = readThunderstormCsv(readFileSync(file('corrected.csv'), 'utf8')).table;
    expect(c.columns.x_raw).toBeDefined();
    expect(r.out).toMatch(/drift at the last frame x \d/);
    expect(r.err).toMatch(/drift estimate looks reliable/);

    const sim = simulateStructures({
      seed: 9,
      fovNm: 20_000,
      molecules: 400,
      frames: 2000,
      locsPerMolecule: 5,
      precisionNm: 10,
      timing: 'bursts',
      layout: 'uniform',
    });
    writeFileSync(file('bursts.csv'), writeThunderstormCsv(sim.table));
    const m = await run([
      'merge',
      file('bursts.csv'),
      '--radius',
      '50',
      '--gap',
      '1',
      '--out',
      file('merged.csv'),
    ]);
    expect(m.code).toBe(0);
    const merged = readThunderstormCsv(readFileSync(file('merged.csv'), 'utf8')).table;
    expect(Math.abs(merged.length - 400)).toBeLessThan(20);
    expect(merged.columns.n_merged).toBeDefined();
  });

  test('PNG output carries a scale bar; bad flags are refused with the reason', async () => {
    const r = await run(['render', file('four.csv'), '--px', '1', '--out', file('four.png'), '--sigma', '3']);
    expect(r.code).toBe(0);
    const png = readFileSync(file('four.png'));
    expect([...png.subarray(1, 4)]).toEqual([80, 78, 71]);
    const idat = png.indexOf('IDAT');
    expect(unzlibSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4))).length).toBeGreaterThan(
      0,
    );
    expect((await run(['render', file('four.csv'), '--out', file('x.jpg')])).err).toMatch(
      /\.tif, \.tiff or \.png/,
    );
    expect((await run(['render', file('four.csv'), '--px', '0.5', '--out', file('x.png')])).err).toMatch(
      /--px: 0\.5 is below the minimum 1/,
    );
    // Drift and merge flags go through the post-processing steps' schema (the step editor's limits).
    expect(
      (await run(['render', file('four.csv'), '--drift', 'rcc', '--segments', '1', '--out', file('x.png')]))
        .err,
    ).toMatch(/--segments: 1 is below the minimum 2/);
    expect(
      (await run(['render', file('four.csv'), '--merge', '0.05:1', '--out', file('x.png')])).err,
    ).toMatch(/--merge RADIUS: 0\.05 is below the minimum 0\.1/);
    expect((await run(['render', file('four.csv'), '--sigma', '-2', '--out', file('x.png')])).err).toMatch(
      /--sigma: -2 is below the minimum 0/,
    );
    expect(
      (await run(['render', file('four.csv'), '--colormap', 'jet', '--out', file('x.png')])).err,
    ).toMatch(/--colormap: "jet" is not one of "hot", "inferno"/);
    expect(
      (await run(['render', file('four.csv'), '--out', file('x.png'), '--filter', 'photons >'])).err,
    ).toMatch(/position/);
    // merge's flags take the merge step's limits: the step editor refuses the same values.
    expect((await run(['merge', file('four.csv'), '--radius', '-1', '--out', file('m.csv')])).err).toMatch(
      /--radius: -1 is below the minimum 0\.1 \(allowed 0\.1–100000 nm\)/,
    );
    expect((await run(['merge', file('four.csv'), '--gap', '1.5', '--out', file('m.csv')])).err).toMatch(
      /--gap: expected a whole number, got 1\.5/,
    );
    expect(
      (await run(['merge', file('four.csv'), '--weighting', 'mean', '--out', file('m.csv')])).err,
    ).toMatch(/--weighting: "mean" is not one of "precision", "photons", "equal"/);
    expect((await run(['render', file('four.csv'), '--width', '-5', '--out', file('x.png')])).err).toMatch(
      /--width: -5 is below the minimum 0 \(allowed 0–1000000000 nm\)/,
    );
    expect((await run(['render', file('four.csv'), '--height', '2e9', '--out', file('x.png')])).err).toMatch(
      /--height: 2000000000 is above the maximum 1000000000 \(allowed 0–1000000000 nm\)/,
    );
  });
});
