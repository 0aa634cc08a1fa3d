// `evscope simulate --preset calcium` then `evscope calcium` on the TIFF it wrote: the per-cell table
// agrees with the truth file, ImageJ ROIs give the same answer as the segmentation, and bad input
// is refused in words with exit code 1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { CELL_COLUMNS } from '../../src/core/calcium';
import { writeZip } from '../../src/core/io/zip';

const dir = mkdtempSync(path.join(tmpdir(), 'evscope-calcium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return {
      code,
      out: log.mock.calls.map((c) => c.join(' ')).join('\n'),
      err: [...error.mock.calls, ...warn.mock.calls].map((c) => String(c[0])).join('\n'),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
  }
}

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const prefix = path.join(dir, 'ca');
const tif = `${prefix}.tif`;

beforeAll(async () => {
  const r = await run([
    'simulate',
    '--preset',
    'calcium',
    '--size',
    '160',
    '--frames',
    '200',
    '--cells',
    '12',
    '--add-frame',
    '61',
    '--seed',
    '5',
    '--out',
    prefix,
  ]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/12 cells/);
}, 120_000);

/** Truth cell whose centre lies nearest to the analysed cell's centroid. */
function nearestTruth(truth: Record<string, string>[], x: number, y: number) {
  return truth.reduce((best, t) =>
    Math.hypot(+t.x_px - x, +t.y_px - y) < Math.hypot(+best.x_px - x, +best.y_px - y) ? t : best,
  );
}

describe('evscope calcium', () => {
  test('segmented cells: responders, latency and peak agree with the truth file', async () => {
    const out = path.join(dir, 'cells.csv');
    const traces = path.join(dir, 'traces.csv');
    const r = await run([
      'calcium',
      tif,
      '--add-frame',
      '61',
      '--bleach',
      'exp',
      '--out',
      out,
      '--traces',
      traces,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/responders: \d+ of 12/);
    const rows = csv(out);
    expect(Object.keys(rows[0])).toEqual([...CELL_COLUMNS]);
    expect(rows).toHaveLength(12);
    const truth = csv(`${prefix}_truth_cells.csv`);
    for (const row of rows) {
      const t = nearestTruth(truth, +row.x_px, +row.y_px);
      expect(Math.hypot(+t.x_px - +row.x_px, +t.y_px - +row.y_px)).toBeLessThan(2);
      expect(row.responder).toBe(t.responder);
      if (t.responder === '1') {
        expect(Math.abs(+row.latency_frames - +t.latency_frames)).toBeLessThanOrEqual(2);
        expect(Math.abs(+row.peak_dff - +t.peak_dff) / +t.peak_dff).toBeLessThan(0.05);
        // Both files number frames from 1.
        expect(Math.abs(+row.peak_frame - +t.peak_frame)).toBeLessThanOrEqual(2);
      }
    }
    const tr = readFileSync(traces, 'utf8').split('\n');
    expect(tr[0].split(',').slice(0, 4)).toEqual(['frame', 'time_s', 'background', 'dff_1']);
    expect(tr[1].startsWith('1,0,')).toBe(true);
    expect(tr.filter((l) => l).length).toBe(201);
  }, 120_000);

  test('ImageJ ROIs (RoiSet.zip of polygons) replace the segmentation', async () => {
    const truth = csv(`${prefix}_truth_cells.csv`);
    const entries = truth.map((t, i) => ({
      name: `${String(i + 1).padStart(4, '0')}.roi`,
      data: ellipseRoi(t),
      level: 6,
    }));
    const zip = path.join(dir, 'RoiSet.zip');
    writeFileSync(zip, writeZip(entries));
    const out = path.join(dir, 'cells-roi.csv');
    const r = await run([
      'calcium',
      tif,
      '--add-frame',
      '61',
      '--bleach',
      'exp',
      '--rois',
      zip,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = csv(out);
    expect(rows).toHaveLength(truth.length);
    rows.forEach((row, i) => {
      expect(row.responder).toBe(truth[i].responder);
      expect(Math.abs(+row.x_px - +truth[i].x_px)).toBeLessThan(1);
    });
  }, 120_000);

  test('bad input: messages in words, exit code 1, nothing written', async () => {
    const out = path.join(dir, 'bad.csv');
    const cases: [string[], RegExp][] = [
      [['calcium', tif, '--out', out], /--add-frame N is required/],
      [['calcium', tif, '--add-frame', '61'], /--out CELLS.csv is required/],
      [['calcium', tif, '--add-frame', '500', '--out', out], /2–200/],
      [['calcium', tif, '--add-frame', '61', '--baseline', '10:80', '--out', out], /within 1–60/],
      [
        ['calcium', tif, '--add-frame', '61', '--bleach', 'linear', '--out', out],
        /--bleach: "linear" is not one of "none", "exp"/,
      ],
      // The Ca²⁺ step's schema, shared with the panel and experiment files: range and unit.
      [
        ['calcium', tif, '--add-frame', '61', '--k', '0', '--out', out],
        /--k: 0 is below the minimum \(exclusive\) 0 \(allowed > 0 and ≤ 1000000 baseline SDs\)/,
      ],
      [
        ['calcium', tif, '--add-frame', '61', '--min-frames', '0', '--out', out],
        /--min-frames: 0 is below the minimum 1 \(allowed 1–1000000 frames\)/,
      ],
      [
        ['calcium', tif, '--add-frame', '61', '--refractory', '2.5', '--out', out],
        /--refractory: expected a whole number, got 2\.5/,
      ],
      [
        ['calcium', tif, '--add-frame', '61', '--smooth', '-1', '--out', out],
        /--smooth: -1 is below the minimum 0 \(allowed 0–10000 px\)/,
      ],
      [
        ['calcium', tif, '--add-frame', '61', '--threshold-method', 'li', '--out', out],
        /--threshold-method: "li" is not one of "triangle", "otsu"/,
      ],
      [['calcium', tif, '--add-frame', '61', '--rois', tif, '--out', out], /not an ImageJ ROI/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(msg);
    }
    expect(() => readFileSync(out)).toThrow();
    const sim = await run([
      'simulate',
      '--preset',
      'demo',
      '--cells',
      '5',
      '--no-tiff',
      '--out',
      path.join(dir, 'd'),
    ]);
    expect(sim.code).toBe(1);
    expect(sim.err).toMatch(/--cells is for the calcium presets only/);
  }, 120_000);
});

/** A 36-vertex polygon ROI tracing a truth ellipse, integer coordinates per RoiDecoder. */
function ellipseRoi(t: Record<string, string>): Uint8Array {
  const n = 36;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    const u = +t.rx_px * Math.cos(a);
    const v = +t.ry_px * Math.sin(a);
    const th = +t.angle_rad;
    xs.push(Math.round(+t.x_px + u * Math.cos(th) - v * Math.sin(th)));
    ys.push(Math.round(+t.y_px + u * Math.sin(th) + v * Math.cos(th)));
  }
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const b = new Uint8Array(64 + 4 * n);
  const dv = new DataView(b.buffer);
  b.set([0x49, 0x6f, 0x75, 0x74]);
  dv.setUint16(4, 228);
  b[6] = 0;
  dv.setInt16(8, top);
  dv.setInt16(10, left);
  dv.setInt16(12, Math.max(...ys));
  dv.setInt16(14, Math.max(...xs));
  dv.setUint16(16, n);
  for (let i = 0; i < n; i++) {
    dv.setInt16(64 + 2 * i, xs[i] - left);
    dv.setInt16(64 + 2 * n + 2 * i, ys[i] - top);
  }
  return b;
}
