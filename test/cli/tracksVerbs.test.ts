// `evscope track` on a simulated uptake TIFF (the EV channel) and `evscope coloc` on generated
// tracks and a multi-page mask TIFF whose distances are known: a disc of radius 200 nm at the
// field's centre; one EV sits 100 nm inside its edge (−100 nm), one 300 nm outside (+300 nm).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { writeSimulatedTiff } from '../../src/cli/writeSimulatedTiff';
import { presetParams } from '../../src/core/sim/presets';
import { simulate } from '../../src/core/sim/simulate';
import { parseTrackCsv, tracksToCsv } from '../../src/core/spt/io';
import { createTiffWriter } from '../../src/core/stack/tiffWriter';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-tracks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    return {
      code,
      out: log.mock.calls.map((c) => c.join(' ')).join('\n'),
      err: error.mock.calls.map((c) => c.join(' ')).join('\n'),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('evscope track', () => {
  test('tracks the EVs of a simulated uptake stack', async () => {
    const p = presetParams('demo');
    p.width = 48;
    p.height = 48;
    p.frames = 150;
    if (p.scene.kind === 'uptake') {
      p.scene.evCount = 5;
      p.scene.evArrivalFraction = 0;
    }
    const sim = simulate(p);
    const tif = path.join(dir, 'uptake.tif');
    await writeSimulatedTiff(tif, sim);
    const out = path.join(dir, 'tracks.csv');
    const r = await run(['track', tif, '--out', out, '--channel', '2', '--min-length', '20']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = parseTrackCsv(readFileSync(out, 'utf8'));
    const ids = new Set(t.columns.track);
    // Every EV on screen the whole time is one track (no spurious or broken ones).
    const visible = new Set<number>();
    const tr = sim.truth.trajectories;
    for (let i = 0; i < tr.length; i++) visible.add(tr.ev[i]);
    expect(ids.size).toBeGreaterThanOrEqual(visible.size - 1);
    expect(ids.size).toBeLessThanOrEqual(visible.size + 1);
    expect(r.out).toMatch(/tracks .* from \d+ spots in channel 2/);
  }, 60_000);

  test('refuses a missing --out and an unknown option', async () => {
    expect((await run(['track', 'x.tif'])).code).toBe(2);
    const r = await run(['track', 'x.tif', '--out', 'y.csv', '--radious', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown option --radious/);
  });
});

describe('evscope coloc', () => {
  test('measures signed distances against a mask movie', async () => {
    const W = 128;
    const H = 128;
    const px = 10; // 1280 nm field, disc of 200 nm radius at (640, 640)
    const frames = 5;
    const mask = new Uint8Array(W * H);
    for (let j = 0; j < H; j++)
      for (let i = 0; i < W; i++)
        if ((i + 0.5 - 64) ** 2 + (j + 0.5 - 64) ** 2 < 20 * 20) mask[j * W + i] = 1;
    const maskPath = path.join(dir, 'mask.tif');
    const file = await open(maskPath, 'w');
    let at = 0;
    const writer = createTiffWriter({
      width: W,
      height: H,
      frameCount: frames,
      dtype: 'uint8',
      pixelSizeNm: px,
      sink: async (chunk) => {
        await file.write(chunk, 0, chunk.length, at);
        at += chunk.length;
      },
    });
    for (let f = 0; f < frames; f++) await writer.writeFrame(mask);
    await writer.close();
    await file.close();
    // W = 12, S = 6: movie frame n ↔ block n + 0 = raw frames [6n, 6n + 6).
    const n = 30;
    const track = new Uint32Array(2 * n);
    const frame = new Uint32Array(2 * n);
    const x = new Float64Array(2 * n);
    const y = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      track[i] = 1;
      frame[i] = i;
      x[i] = 640 + 100;
      y[i] = 640;
      track[n + i] = 2;
      frame[n + i] = i;
      x[n + i] = 640 + 200 + 300;
      y[n + i] = 640;
    }
    const tracksPath = path.join(dir, 'coloc-tracks.csv');
    writeFileSync(
      tracksPath,
      tracksToCsv({
        length: 2 * n,
        columns: { track, frame, x, y, intensity: new Float64Array(2 * n).fill(1) },
      }),
    );
    const out = path.join(dir, 'result.csv');
    const hist = path.join(dir, 'hist.csv');
    const r = await run([
      'coloc',
      '--tracks',
      tracksPath,
      '--mask',
      maskPath,
      '--px',
      '10',
      '--camera-px',
      '50',
      '--window',
      '12',
      '--step',
      '6',
      '--out',
      out,
      '--histogram',
      hist,
    ]);
    expect(r.err).toBe('assumed: frame interval 5 ms (not in file; pass --frame-ms)');
    expect(r.code).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(2 * frames);
    for (const [id, , , , d] of rows) {
      if (id === 1) expect(Math.abs(d + 100)).toBeLessThan(px / 2 + 1);
      else expect(Math.abs(d - 300)).toBeLessThan(px / 2 + 1);
    }
    expect(r.out).toMatch(/10 EV positions in 5 movie frames/);
    expect(r.out).toMatch(/500 control points/);
    expect(readFileSync(hist, 'utf8')).toMatch(/binStart \[nm\]/);
  }, 60_000);
});
