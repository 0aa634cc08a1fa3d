import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../../src/core/io/csv';
import { readInsight3Bin } from '../../../src/core/io/insight3';
import { readThunderstormCsv, writeThunderstormCsv } from '../../../src/core/io/thunderstormCsv';
import { mergeBlinks } from '../../../src/core/locs/merge';
import { Rng } from '../../../src/core/random';
import { scoreLocalizations } from '../../../src/core/score/metrics';
import { sharedDataDir } from '../../helpers/sharedData';

const dataDir = sharedDataDir ?? '(absent: ../shared/data)';

describe('CSV tokenizer', () => {
  test('quotes, escaped quotes, CRLF, blank lines and line numbers', () => {
    const rows: [string[], number][] = [];
    parseCsv('"a,b","say ""hi"""\r\n\r\n1,2\n"multi\nline",3', (f, line) => rows.push([[...f], line]));
    expect(rows).toEqual([
      [['a,b', 'say "hi"'], 1],
      [['1', '2'], 3],
      [['multi\nline', '3'], 4],
    ]);
  });
});

describe('ThunderSTORM CSV', () => {
  const rng = new Rng(4, 0);
  const n = 200;
  const frame = Uint32Array.from({ length: n }, (_, i) => Math.floor(i / 7));
  const x = Float64Array.from({ length: n }, () => rng.uniform() * 25600);
  const y = Float64Array.from({ length: n }, () => rng.uniform() * 25600);
  const sigma = Float32Array.from({ length: n }, () => 100 + rng.uniform() * 60);
  const photons = Float32Array.from({ length: n }, () => rng.exponential(1000));
  const bg = Float32Array.from({ length: n }, () => rng.uniform() * 20);
  const precision = Float32Array.from({ length: n }, () => rng.uniform() * 30);
  const z = Float64Array.from({ length: n }, () => rng.normal() * 1e-7);
  const table = { length: n, columns: { frame, x, y, sigma, photons, bg, precision, z } };

  test('round-trips exactly, frames 1-based in the file, positions unchanged', () => {
    const text = writeThunderstormCsv(table, { units: { z: 'nm' } });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '"id","frame","x [nm]","y [nm]","sigma [nm]","intensity [photon]","offset [photon]","uncertainty [nm]","z [nm]"',
    );
    expect(lines[1].split(',')[1]).toBe('1');
    expect(Number(lines[1].split(',')[2])).toBe(x[0]);
    const back = readThunderstormCsv(text);
    expect(back.units.z).toBe('nm');
    expect(Object.keys(back.table.columns).sort()).toEqual(Object.keys(table.columns).sort());
    for (const [name, col] of Object.entries(table.columns)) {
      expect(back.table.columns[name]).toEqual(col);
      expect(back.table.columns[name].constructor).toBe(col.constructor);
    }
  });

  test('merged molecules: frame and frame_last are both 1-based in the file and round-trip', () => {
    // Two blinks of one molecule in frames 3–5 (1-based) and a single blink in frame 1.
    const locs = {
      length: 4,
      columns: {
        frame: Uint32Array.from([2, 3, 4, 0]),
        x: Float64Array.from([100, 102, 101, 5000]),
        y: Float64Array.from([200, 199, 201, 5000]),
      },
    };
    const merged = mergeBlinks(locs, { radiusNm: 20, maxGapFrames: 0 }).table;
    const text = writeThunderstormCsv(merged);
    const [head, ...rows] = text.trim().split('\n');
    const cols = head.split(',');
    const at = (row: string, name: string) => row.split(',')[cols.indexOf(name)];
    const molecule = rows.find((r) => at(r, '"n_merged"') === '3')!;
    expect([at(molecule, '"frame"'), at(molecule, '"frame_last"')]).toEqual(['3', '5']);
    const single = rows.find((r) => at(r, '"n_merged"') === '1')!;
    expect([at(single, '"frame"'), at(single, '"frame_last"')]).toEqual(['1', '1']);
    const back = readThunderstormCsv(text).table;
    expect(back.columns.frame_last).toEqual(merged.columns.frame_last);
    expect(back.columns.frame_last.constructor).toBe(Uint32Array);
    expect(() => readThunderstormCsv('frame,x,y,frame_last\n1,2,3,0')).toThrow(/frame_last "0"/);
  });

  test('reads the newer uncertainty_xy header, missing columns and extra columns', () => {
    const text = writeThunderstormCsv(table, { uncertaintyHeader: 'uncertainty_xy [nm]' });
    expect(text.split('\n')[0]).toContain('"uncertainty_xy [nm]"');
    expect(readThunderstormCsv(text).table.columns.precision).toEqual(precision);
    const minimal = readThunderstormCsv('"frame","x [nm]","y [nm]","detections","chi2"\n3,1.5,2.5,4,0.7\n');
    expect(minimal.table.length).toBe(1);
    expect(Array.from(minimal.table.columns.frame)).toEqual([2]);
    expect(minimal.table.columns.detections[0]).toBe(4);
    expect(minimal.table.columns.chi2[0]).toBe(0.7);
    expect(minimal.table.columns.sigma).toBeUndefined();
    expect(readThunderstormCsv('"id","frame","x [nm]","y [nm]"\n').table.length).toBe(0);
    // px positions are converted when the pixel size is known.
    expect(readThunderstormCsv('frame,x [px],y [px]\n1,2,3\n', { pixelSizeNm: 100 }).table.columns.x[0]).toBe(
      200,
    );
  });

  test('malformed input fails with the line and column, never a NaN table', () => {
    const bad: [string, RegExp][] = [
      [
        '"frame","x [nm]","y [nm]"\n1,abc,3\n',
        /data\.csv: line 2, column 2: "abc" in column "x \[nm\]" is not a number/,
      ],
      ['"frame","x [nm]","y [nm]"\n1,2\n', /line 2: 2 fields, but the header has 3/],
      ['"frame","x [nm]","y [nm]"\n1,,3\n', /line 2, column 2/],
      ['"frame","x [nm]","y [nm]"\n0,1,3\n', /line 2, column 1: frame "0" is not a 1-based frame number/],
      ['"frame","x [nm]","y [nm]"\n1.5,1,3\n', /frame "1.5"/],
      ['"frame","x [nm]"\n1,2\n', /line 1: no "y" column/],
      ['"frame","x [nm]","y [nm]\n1,2,3\n', /line 1, column 3: quoted field is never closed/],
      ['frame,x [px],y [px]\n1,2,3\n', /in px; give the pixel size/],
      ['', /empty file/],
    ];
    for (const [text, message] of bad) {
      expect(() => readThunderstormCsv(text, { fileName: 'data.csv' })).toThrow(message);
    }
    // Values that parse but place nothing (NaN, Infinity, hex) drop their row, counted and named.
    const r = readThunderstormCsv('frame,x [nm],y [nm]\n1,NaN,2\n2,0x10,2\n3,5,6\n');
    expect(r.table.length).toBe(1);
    expect(r.warnings).toEqual([
      '1 row left out: NaN in "x [nm]" (line 2)',
      '1 row left out: a value in "x [nm]" that is not a finite decimal number (Infinity, 1e400, 0x10…) (line 3)',
    ]);
  });
});

describe('coordinate conventions against external files', () => {
  const tub = path.join(dataDir, 'thunderstorm_tubulins');
  const storm = path.join(dataDir, 'storm_analysis_test');

  test.skipIf(!existsSync(tub))(
    'ThunderSTORM on ISBI Tubulins I matches the ground truth without a shift',
    () => {
      const gt = readThunderstormCsv(readFileSync(path.join(tub, 'tubulins1_00020.csv'), 'utf8')).table;
      const ts = readThunderstormCsv(readFileSync(path.join(tub, 'tubulins1_00020_TS.csv'), 'utf8')).table;
      // The ground truth numbers this single frame 20 of the sequence; ThunderSTORM saw it as frame 1.
      (gt.columns.frame as Uint32Array).fill(0);
      const r = scoreLocalizations(gt, ts);
      expect(gt.length).toBe(49);
      expect(r.jaccard).toBeGreaterThan(0.8);
      expect(r.rmse).toBeLessThan(40);
      // Half a 150 nm pixel would show up as a 75 nm bias.
      expect(Math.abs(r.biasX)).toBeLessThan(15);
      expect(Math.abs(r.biasY)).toBeLessThan(15);
    },
  );

  test.skipIf(!existsSync(storm))(
    'storm-analysis Insight3 truth vs ThunderSTORM: x_TS = (x_i3 − 0.5) × 160 nm',
    () => {
      const gt = readInsight3Bin(new Uint8Array(readFileSync(path.join(storm, 'test_olist.bin'))), {
        pixelSizeNm: 160,
        fileName: 'test_olist.bin',
      });
      const ts = readThunderstormCsv(readFileSync(path.join(storm, 'storm_test_TS.csv'), 'utf8')).table;
      expect(gt.length).toBe(2000);
      expect(Math.max(...gt.columns.frame)).toBe(9);
      const r = scoreLocalizations(gt, ts);
      expect(r.jaccard).toBeGreaterThan(0.9);
      expect(Math.abs(r.biasX)).toBeLessThan(8);
      expect(Math.abs(r.biasY)).toBeLessThan(8);
    },
  );

  test('Insight3 reader rejects other files clearly', () => {
    expect(() => readInsight3Bin(new Uint8Array(32), { pixelSizeNm: 160, fileName: 'x.bin' })).toThrow(
      /x\.bin: not an Insight3 \.bin file/,
    );
  });
});
