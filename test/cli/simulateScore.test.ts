import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { runCli as run } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pixels of page `k` of a little-endian, one-strip-per-page uint16 TIFF, walking the IFD chain. */
function tiffPage(buf: Buffer, k: number): { width: number; height: number; pixels: Uint16Array } {
  let ifd = buf.readUInt32LE(4);
  for (let i = 0; i < k; i++) ifd = buf.readUInt32LE(ifd + 2 + 12 * buf.readUInt16LE(ifd));
  const n = buf.readUInt16LE(ifd);
  const tags = new Map<number, number>();
  for (let e = 0; e < n; e++) {
    const at = ifd + 2 + 12 * e;
    const type = buf.readUInt16LE(at + 2);
    tags.set(buf.readUInt16LE(at), type === 3 ? buf.readUInt16LE(at + 8) : buf.readUInt32LE(at + 8));
  }
  const width = tags.get(256)!;
  const height = tags.get(257)!;
  const off = tags.get(273)!;
  const bytes = buf.subarray(off, off + width * height * 2);
  const pixels = new Uint16Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = bytes.readUInt16LE(2 * i);
  return { width, height, pixels };
}

describe('evscope simulate / score', () => {
  test('simulate writes a TIFF whose pages are the stack frames, and the truth CSVs', async () => {
    const prefix = path.join(dir, 'demo');
    const r = await run([
      'simulate',
      '--preset',
      'demo',
      '--frames',
      '30',
      '--size',
      '40x32',
      '--seed',
      '5',
      '--out',
      prefix,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/30 frames × 2 channel\(s\) of 40×32 px/);
    const p = presetParams('demo');
    p.frames = 30;
    p.width = 40;
    p.height = 32;
    p.seed = 5;
    const sim = simulate(p);
    const tif = readFileSync(`${prefix}.tif`);
    for (const [frame, channel] of [
      [0, 0],
      [0, 1],
      [29, 1],
    ]) {
      const page = tiffPage(tif, frame * 2 + channel);
      expect([page.width, page.height]).toEqual([40, 32]);
      expect(page.pixels).toEqual(await sim.stack.readFrame(frame, { channel }));
    }
    const events = readThunderstormCsv(readFileSync(`${prefix}_truth_events.csv`, 'utf8')).table;
    expect(events.length).toBe(sim.truth.events.length);
    expect(events.columns.x).toEqual(sim.truth.events.columns.x);
    // Photons read back into the standard float32 column.
    expect(events.columns.photons).toEqual(Float32Array.from(sim.truth.events.columns.photons));
    expect(readFileSync(`${prefix}_truth_structures.csv`, 'utf8').split('\n')[0]).toContain('"first frame"');
    expect(readFileSync(`${prefix}_truth_evs.csv`, 'utf8').split('\n')).toHaveLength(
      sim.truth.evs.length + 2,
    );
    expect(readFileSync(`${prefix}_truth_trajectories.csv`, 'utf8')).toContain('mobile');
  });

  test('score of the truth against itself and against shifted copies', async () => {
    const prefix = path.join(dir, 'iso');
    expect(
      (await run(['simulate', '--preset', 'isolated', '--frames', '5', '--no-tiff', '--out', prefix])).code,
    ).toBe(0);
    const truth = `${prefix}_truth_events.csv`;
    const r = await run(['score', truth, truth, '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    expect([m.jaccard, m.rmse, m.tp]).toEqual([1, 0, 80]);
    const human = await run(['score', truth, truth, '--tol', '100', '--channel', '0']);
    expect(human.out).toMatch(/Jaccard\s+100\.0 %/);
    const bad = await run(['score', truth]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/expected two files/);
    const unknown = await run(['simulate', '--preset', 'nope', '--out', prefix]);
    expect(unknown.err).toMatch(/unknown preset "nope"/);
    // Each flag is checked by its parameter's schema (the New-simulation dialog's limits), before
    // anything is simulated or written: the flag, the value, the allowed range and the unit.
    const refused: [string[], RegExp][] = [
      [
        ['--pixel-nm', '-1'],
        /^--pixel-nm: -1 is below the minimum \(exclusive\) 0 \(allowed > 0 and ≤ 10000 nm\)$/,
      ],
      [['--frames', '0'], /^--frames: 0 is below the minimum 1 \(allowed 1–1000000 frames\)$/],
      [['--frames', '2.5'], /^--frames: expected a whole number, got 2\.5$/],
      [['--size', '4x64'], /^--size \(width\): 4 is below the minimum 8 \(allowed 8–4096 px\)$/],
      [['--photons', '-3'], /^--photons: -3 is below the minimum 0 \(allowed ≥ 0 photons\)$/],
      [['--sigma-nm', '0'], /^--sigma-nm: 0 is below the minimum \(exclusive\) 0 \(allowed > 0 nm\)$/],
      [
        ['--camera', 'scmos', '--scmos-gain-cv', '0.5'],
        /^--scmos-gain-cv: 0\.5 is above the maximum \(exclusive\) 0\.5 \(allowed ≥ 0 and < 0\.5 \(relative\)\)$/,
      ],
    ];
    for (const [flags, msg] of refused) {
      const r = await run(['simulate', '--preset', 'isolated', ...flags, '--out', `${prefix}-refused`]);
      expect(r.code).toBe(1);
      expect(r.err.replace(/^evscope simulate: /, '')).toMatch(msg);
    }
    const calcium = await run(['simulate', '--preset', 'calcium', '--responders', '1.5', '--out', prefix]);
    expect(calcium.err).toMatch(/--responders: 1\.5 is above the maximum 1 \(allowed 0–1\)/);
    // A value that passes its own limits but not a rule across sections gets the simulator's message.
    const wide = await run(['simulate', '--preset', 'isolated', '--sigma-nm', '5000', '--out', prefix]);
    expect(wide.err).toMatch(/PSF σ must be > 0 nm and at most 10 px \(got 5000 nm\)/);
  });
});
