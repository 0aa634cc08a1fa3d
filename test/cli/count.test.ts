// `evscope count` on a simulated evMarkers TIFF written to disk: one multi-channel file, and the
// same data as one file per channel, give the same EV table; options are validated in words.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSimulatedTiff } from '../../src/cli/writeSimulatedTiff';
import { writeThunderstormCsv } from '../../src/core/io/thunderstormCsv';
import { locTableFromColumns } from '../../src/core/locs/table';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { runCli as run } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const params = presetParams('evMarkers');
params.frames = 150;
const sim = simulate(params);
const stack = path.join(dir, 'evs.tif');
const perChannel = params.channels.map((_, c) => path.join(dir, `ch${c + 1}.tif`));

beforeAll(async () => {
  await writeSimulatedTiff(stack, sim);
  // The same frames, one file per channel.
  for (let c = 0; c < params.channels.length; c++) {
    const one = { ...params, channels: [params.channels[c]] };
    const s = simulate(params);
    // Render channel c of the full simulation into a one-channel stack wrapper.
    await writeSimulatedTiff(perChannel[c], {
      ...s,
      params: one,
      stack: Object.assign(Object.create(Object.getPrototypeOf(s.stack)), s.stack, {
        channels: 1,
        renderFrameInto: (f: number, _ch: number, out: Uint16Array) => s.stack.renderFrameInto(f, c, out),
      }),
    });
  }
}, 60_000);

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

describe('evscope count', () => {
  test('writes the EV table and prints subtype fractions with CIs', async () => {
    const out = path.join(dir, 'evs.csv');
    const r = await run(['count', stack, '--channels', 'CD9,CD63,CD81,fluidity probe', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header.slice(0, 4)).toEqual(['id', 'x [nm]', 'y [nm]', 'snr']);
    expect(header).toContain('CD63 steps');
    expect(header).toContain('CD63 steps sd');
    expect(header).toContain('fluidity probe ratio');
    expect(header).toContain('CD9 fraction');
    expect(header.at(-2)).toBe('subtype');
    expect(header.at(-1)).toBe('probe count');
    expect(rows.length).toBe(sim.truth.evs.length);
    const subtypes = rows.map((row) => row[header.indexOf('subtype')]);
    expect(new Set(subtypes)).toEqual(new Set(['CD63-only', 'CD9+CD63+CD81+']));
    expect(r.out).toMatch(/40 EVs in 150 frames/);
    expect(r.out).toMatch(/CD63-only\t\d+\t\d+\.\d %\t\d+\.\d–\d+\.\d/);
    expect(r.out).toMatch(/Welch's t-test, Bonferroni × 1/);
    // Positions in nm match the simulator's EVs (ThunderSTORM convention, both in nm).
    const xs = rows.map((row) => Number(row[1]));
    const ys = rows.map((row) => Number(row[2]));
    let worst = 0;
    for (let e = 0; e < xs.length; e++) {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < sim.truth.evs.length; i++)
        best = Math.min(best, Math.hypot(xs[e] - sim.truth.evs.x[i], ys[e] - sim.truth.evs.y[i]));
      worst = Math.max(worst, best);
    }
    expect(worst).toBeLessThan(60);
  });

  test('one file per channel gives the same table; --json summary', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    await run(['count', stack, '--channels', 'CD9,CD63,CD81,fluidity probe', '--out', a]);
    const r = await run([
      'count',
      ...perChannel,
      '--channels',
      'CD9,CD63,CD81,fluidity probe',
      '--out',
      b,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    const summary = JSON.parse(r.out);
    expect(summary.evs).toBe(sim.truth.evs.length);
    expect(summary.channels.map((c: { role: string }) => c.role)).toEqual([
      'marker',
      'marker',
      'marker',
      'probe',
    ]);
    const total = summary.subtypes.reduce((s: number, t: { fraction: number }) => s + t.fraction, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  test('thresholds, renames and probe choice change the typing', async () => {
    const out = path.join(dir, 'c.csv');
    const r = await run([
      'count',
      stack,
      '--channels',
      'CD9,CD63,CD81,fluidity probe',
      '--thresholds',
      '1,4,1',
      '--rename',
      'CD9+CD63+CD81+=triple',
      '--test',
      'mann-whitney',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/triple\t/);
    expect(r.out).toMatch(/Mann–Whitney U/);
    // With CD63 needing 4 molecules, some triple-positive EVs become CD9+CD81+.
    expect(r.out).toMatch(/CD9\+CD81\+\t/);
  });

  test('--locs counts localizations per EV: continuous dyes are one burst each', async () => {
    // The CD63 channel's truth emissions as perfect localizations: a bleaching dye is on from
    // frame 0 until it bleaches, so with 1 burst per molecule the count is the dye count.
    const ec = sim.truth.events.columns;
    const rows = Array.from({ length: ec.frame.length }, (_, i) => i).filter((i) => ec.channel[i] === 1);
    const table = locTableFromColumns({
      frame: Uint32Array.from(rows, (i) => ec.frame[i]),
      x: Float64Array.from(rows, (i) => ec.x[i]),
      y: Float64Array.from(rows, (i) => ec.y[i]),
    });
    const locs = path.join(dir, 'cd63.csv');
    writeFileSync(locs, writeThunderstormCsv(table));
    const out = path.join(dir, 'locs.csv');
    const r = await run([
      'count',
      stack,
      '--out',
      out,
      '--locs',
      locs,
      '--locs-channel',
      'CD63',
      '--bursts',
      '1',
      '--blink-radius',
      '1',
      '--method',
      'locs',
    ]);
    expect(r.err).toBe('');
    const { header, rows: evs } = parseCsv(readFileSync(out, 'utf8'));
    const col = header.indexOf('CD63 locs');
    expect(col).toBeGreaterThan(0);
    expect(header).toContain('CD63 bursts');
    let exact = 0;
    for (const row of evs) {
      const x = Number(row[1]);
      const y = Number(row[2]);
      let best = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let i = 0; i < sim.truth.evs.length; i++) {
        const d = Math.hypot(x - sim.truth.evs.x[i], y - sim.truth.evs.y[i]);
        if (d < bd) {
          bd = d;
          best = i;
        }
      }
      if (Number(row[col]) === sim.truth.evs.labelledCounts.CD63[best]) exact++;
    }
    expect(exact).toBe(evs.length);
    // Typed by localizations: only CD63 has them, so the other markers cannot be decided.
    expect(new Set(evs.map((row) => row[header.indexOf('subtype')]))).toEqual(new Set(['unclassified']));
    const bad = await run(['count', stack, '--out', out, '--method', 'locs']);
    expect(bad.err).toMatch(/--method locs needs --locs/);
    const noB = await run(['count', stack, '--out', out, '--locs', locs]);
    expect(noB.err).toMatch(/needs --bursts/);
  });

  test('explains wrong options', async () => {
    const out = path.join(dir, 'x.csv');
    let r = await run(['count', stack, '--channels', 'CD9,CD63', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/names 2 channel\(s\) but the input has 4/);
    r = await run(['count', stack, '--probe-channel', 'lipid', '--out', out]);
    expect(r.err).toMatch(/--probe-channel lipid is not one of the channels/);
    r = await run(['count', stack, '--thresholds', '1,2', '--out', out]);
    expect(r.err).toMatch(/one per marker/);
    r = await run(['count', stack, '--roi', '4,3,8', '--out', out]);
    expect(r.err).toMatch(/annulus must start outside the ROI/);
    r = await run(['count', stack]);
    expect(r.err).toMatch(/--out EVS.csv is required/);
  });
});
