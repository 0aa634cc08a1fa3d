// Interchange readers and writers against real files from other programs (../shared/data; the
// tests skip, saying so, where it is absent) and round trips of our own writers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { probeHdf5 } from '../../../src/core/io/decode';
import {
  detectLocFormat,
  readLocalizationFile,
  writeLocalizationFile,
} from '../../../src/core/io/localizationFiles';
import { readPicassoLocs, withH5File, writePicassoLocs } from '../../../src/core/io/picasso';
import { parsePicassoYaml, picassoInfo } from '../../../src/core/io/picassoYaml';
import { readRapidStorm } from '../../../src/core/io/rapidStorm';
import { readThunderstormCsv } from '../../../src/core/io/thunderstormCsv';
import { readElyraText, readNanoimagerCsv } from '../../../src/core/io/vendorCsv';
import { scoreLocalizations } from '../../../src/core/score/metrics';
import { parseTrackCsv, tracksToCsv } from '../../../src/core/spt/io';
import { sharedDataDir } from '../../helpers/sharedData';

const dir = sharedDataDir ?? '/absent/shared/data';
const p = (...parts: string[]) => path.join(dir, ...parts);
const has = (...parts: string[]) => existsSync(p(...parts));
const bytes = (...parts: string[]) => new Uint8Array(readFileSync(p(...parts)));
const text = (...parts: string[]) => readFileSync(p(...parts), 'utf8');

describe('Picasso YAML', () => {
  test('multi-document, lists, quoted strings, later Pixelsize wins over Camera.Pixelsize', () => {
    const docs = parsePicassoYaml(
      "Byte Order: <\nCamera.Pixelsize: 160\nFrames: 1000\nHeight: 32\nStructure.CX:\n- 1.5e-3\n- -2\nWidth: 32\nName: 'it''s'\n---\nPixelsize: 130\nROI: null\n__proto__: 1\n",
    );
    expect(docs).toEqual([
      {
        'Byte Order': '<',
        'Camera.Pixelsize': 160,
        Frames: 1000,
        Height: 32,
        'Structure.CX': [0.0015, -2],
        Width: 32,
        Name: "it's",
      },
      { Pixelsize: 130, ROI: null },
    ]);
    expect(picassoInfo(docs)).toEqual({ pixelSizeNm: 130, width: 32, height: 32, frames: 1000 });
  });
});

describe('Picasso HDF5', () => {
  test('round-trips through our writer; YAML gives the pixel size back', async () => {
    const n = 50;
    const table = {
      length: n,
      columns: {
        frame: Uint32Array.from({ length: n }, (_, i) => i * 3),
        x: Float64Array.from({ length: n }, (_, i) => 80 + i * 37.5),
        y: Float64Array.from({ length: n }, (_, i) => 5000 - i * 11.25),
        sigma: Float32Array.from({ length: n }, () => 130),
        photons: Float32Array.from({ length: n }, (_, i) => 1000 + i),
        bg: Float32Array.from({ length: n }, () => 12.5),
        precision: Float32Array.from({ length: n }, (_, i) => 5 + i / 10),
        iterations: Uint8Array.from({ length: n }, (_, i) => i % 20),
      },
    };
    const out = await writePicassoLocs(table, { pixelSizeNm: 160, width: 64, height: 48, frames: 200 });
    expect(Array.from(out.hdf5.subarray(0, 4))).toEqual([0x89, 0x48, 0x44, 0x46]);
    expect(picassoInfo(parsePicassoYaml(out.yaml))).toEqual({
      pixelSizeNm: 160,
      width: 64,
      height: 48,
      frames: 200,
    });
    const back = await readPicassoLocs(out.hdf5, out.yaml, { fileName: 'rt.hdf5' });
    expect(back.table.length).toBe(n);
    expect(Array.from(back.table.columns.frame)).toEqual(Array.from(table.columns.frame));
    for (let i = 0; i < n; i++) {
      // Picasso stores float32 pixels: ≈ 1e-7 relative.
      expect(back.table.columns.x[i]).toBeCloseTo(table.columns.x[i], 2);
      expect(back.table.columns.y[i]).toBeCloseTo(table.columns.y[i], 2);
      expect(back.table.columns.sigma[i]).toBeCloseTo(130, 3);
      expect(back.table.columns.precision[i]).toBeCloseTo(table.columns.precision[i], 4);
    }
    expect(Array.from(back.table.columns.iterations)).toEqual(Array.from(table.columns.iterations));
    expect(back.table.columns.iterations).toBeInstanceOf(Int32Array);
    expect(back.units).toMatchObject({ x: 'nm', sx: 'nm', lpx: 'nm', photons: 'photon' });
  });

  test('clear errors: no pixel size, not HDF5, no /locs', async () => {
    await expect(readPicassoLocs(new Uint8Array(100), null, { fileName: 'a.hdf5' })).rejects.toThrow(
      'a.hdf5: no pixel size (no "Pixelsize" in the YAML); give the camera pixel size in nm',
    );
    await expect(
      readPicassoLocs(new Uint8Array(100), 'Pixelsize: 100', { fileName: 'a.hdf5' }),
    ).rejects.toThrow('a.hdf5: not an HDF5 file');
  });

  test.skipIf(!has('picasso_testdata', 'peer_outputs', 'td_mle_locs.hdf5'))(
    'Picasso 0.8 MLE vs ThunderSTORM on the same movie: x_nm = (x + 0.5) × 160 agrees within a few nm',
    async () => {
      const locs = await readPicassoLocs(
        bytes('picasso_testdata', 'peer_outputs', 'td_mle_locs.hdf5'),
        text('picasso_testdata', 'peer_outputs', 'td_mle_locs.yaml'),
        { fileName: 'td_mle_locs.hdf5' },
      );
      expect(locs.info).toEqual({ pixelSizeNm: 160, width: 32, height: 32, frames: 100 });
      expect(locs.table.length).toBe(30);
      const ts = readThunderstormCsv(text('picasso_testdata', 'peer_outputs', 'testdata_TS.csv')).table;
      const r = scoreLocalizations(ts, locs.table, { toleranceNm: 100 });
      expect(r.tp).toBeGreaterThanOrEqual(25);
      // Without the +0.5 px the bias would be 80 nm; with it both programs agree to a few nm.
      expect(Math.abs(r.biasX)).toBeLessThan(5);
      expect(Math.abs(r.biasY)).toBeLessThan(5);
      expect(r.rmse).toBeLessThan(15);
      // Picasso's lpx/lpy (px) → precision (nm) of the same order as ThunderSTORM's uncertainty.
      const prec = Array.from(locs.table.columns.precision).sort((a, b) => a - b)[15];
      expect(prec).toBeGreaterThan(0.5);
      expect(prec).toBeLessThan(10);
    },
  );

  test.skipIf(!has('picasso_samples', 'raw_movie_locs.hdf5'))(
    'reads the Picasso sample (2399 LQ localizations, 130 nm px)',
    async () => {
      const locs = await readPicassoLocs(
        bytes('picasso_samples', 'raw_movie_locs.hdf5'),
        text('picasso_samples', 'raw_movie_locs.yaml'),
        { fileName: 'raw_movie_locs.hdf5' },
      );
      expect(locs.table.length).toBe(2399);
      expect(locs.info).toEqual({ pixelSizeNm: 130, width: 32, height: 32, frames: 5000 });
      const { x, y, frame } = locs.table.columns;
      expect(Math.min(...x)).toBeGreaterThan(0);
      expect(Math.max(...x)).toBeLessThan(32 * 130);
      expect(Math.max(...y)).toBeLessThan(32 * 130);
      expect(Math.max(...frame)).toBeLessThan(5000);
      // Testdata's own locs: a 1000-frame sibling movie whose localize step says 130 nm.
      const td = await readPicassoLocs(
        bytes('picasso_testdata', 'testdata_locs.hdf5'),
        text('picasso_testdata', 'testdata_locs.yaml'),
      );
      expect(td.table.length).toBe(564);
      expect(td.info.pixelSizeNm).toBe(130);
    },
  );
});

describe('other programs', () => {
  test.skipIf(!has('locan_test_data'))(
    'rapidSTORM, Nanoimager, Elyra and ThunderSTORM samples from Locan',
    () => {
      const rs = readRapidStorm(text('locan_test_data', 'rapidSTORM_dstorm_data.txt'));
      expect(rs.table.length).toBe(14);
      expect(rs.table.columns.x[0]).toBeCloseTo(9657.4, 3);
      expect(rs.table.columns.y[0]).toBeCloseTo(24533.5, 3);
      expect(rs.table.columns.frame[0]).toBe(0);
      expect(rs.table.columns.amplitude[0]).toBeCloseTo(33290.1, 0);
      const rsi = readRapidStorm(text('locan_test_data', 'rapidSTORM_from_images.txt'));
      expect(rsi.table.length).toBe(12);
      expect(rsi.units.sigma).toBe('nm');
      const fw = rsi.table.columns.fwhm_x[0];
      expect(rsi.table.columns.sigma[0]).toBeCloseTo((fw + rsi.table.columns.fwhm_y[0]) / 2 / 2.3548, 1);

      const ni = readNanoimagerCsv(text('locan_test_data', 'Nanoimager_dstorm_data.csv'));
      expect(ni.table.length).toBe(14);
      expect(Array.from(ni.table.columns.frame.subarray(0, 2))).toEqual([1548, 1560]);
      expect(ni.table.columns.x[0]).toBeCloseTo(40918.949219, 5);
      expect(ni.table.columns.bg[0]).toBeCloseTo(0.8485, 4);

      const el = readElyraText(text('locan_test_data', 'Elyra_dstorm_data.txt'));
      expect(el.table.length).toBe(15);
      expect(el.table.columns.frame[0]).toBe(0);
      expect(el.table.columns.x[0]).toBeCloseTo(15850.6, 3);
      expect(el.table.columns.precision[0]).toBeCloseTo(8.6, 4);

      const ts = readThunderstormCsv(text('locan_test_data', 'Thunderstorm_dstorm_data.csv'), {
        fileName: 'ts.csv',
      });
      expect(ts.table.length).toBe(19);
      expect(ts.table.columns.frame[0]).toBe(2000);
      expect(ts.table.columns.x[0]).toBeCloseTo(1320.109670647555, 9);
    },
  );

  test('rapidSTORM: refuses files without its header', () => {
    expect(() => readRapidStorm('1 2 3', { fileName: 'r.txt' })).toThrow(
      'r.txt: not a rapidSTORM localization file',
    );
  });
});

describe('trajectories CSV (src/core/spt/io)', () => {
  test('round-trips tracks, frames 1-based in the file', () => {
    const t = {
      length: 4,
      columns: {
        track: Uint32Array.of(0, 0, 3, 3),
        frame: Uint32Array.of(0, 1, 5, 7),
        x: Float64Array.of(1.5, 2.5, 300, 301),
        y: Float64Array.of(10, 11, 12, 13),
        intensity: Float64Array.of(100, 110, 95, 90),
      },
    };
    const csv = tracksToCsv(t);
    expect(csv.split('\n')[1]).toMatch(/^0,1,1\.5,10,100/);
    const back = parseTrackCsv(csv);
    expect(Array.from(back.columns.track)).toEqual([0, 0, 3, 3]);
    expect(Array.from(back.columns.frame)).toEqual([0, 1, 5, 7]);
    expect(Array.from(back.columns.x)).toEqual([1.5, 2.5, 300, 301]);
  });
});

describe('DECODE emitter sets (.h5)', () => {
  test.skipIf(!has('locan_test_data', 'decode_dstorm_data.h5'))(
    'Locan’s DECODE sample is recognised by its groups and read without a YAML',
    async () => {
      const b = bytes('locan_test_data', 'decode_dstorm_data.h5');
      expect(detectLocFormat('decode_dstorm_data.h5', b.subarray(0, 4096))).toBe('picasso-hdf5');
      expect((await probeHdf5(b)).flavour).toBe('decode');
      const r = await readLocalizationFile('decode_dstorm_data.h5', b);
      expect(r.format).toBe('decode-h5');
      // Locan reads 96 rows with position_x/y/z, frame, intensity, local_background, prob, x/y/z_sig.
      const t = r.table;
      expect(t.length).toBe(96);
      // First emitter as stored: xyz (−0.1492, 138.8947, 111.9263) px, px, nm; px_size (127, 117).
      expect(t.columns.x[0]).toBeCloseTo((-0.14920829 + 0.5) * 127, 3);
      expect(t.columns.y[0]).toBeCloseTo((138.89474487 + 0.5) * 117, 3);
      expect(t.columns.z[0]).toBeCloseTo(111.9263, 3);
      expect(Array.from(t.columns.frame.subarray(0, 4))).toEqual([294, 370, 1896, 1943]);
      expect(t.columns.photons[0]).toBeCloseTo(1056.947, 2);
      expect(t.columns.bg[0]).toBeCloseTo(191.7404, 3);
      expect(t.columns.prob[1]).toBe(1);
      // Precision: mean of the x and y σ (0.2213, 0.3586 px) in nm.
      expect(t.columns.precision[0]).toBeCloseTo((0.22134583 * 127 + 0.35857463 * 117) / 2, 2);
      expect(r.pixelSizeNm).toBe(127);
      expect(r.units).toMatchObject({ x: 'nm', y: 'nm', z: 'nm', precision: 'nm', photons: 'photon' });
      // id is −1 throughout (DECODE's "no identity"): not a column.
      expect(t.columns.id).toBeUndefined();
    },
  );

  test('a Picasso HDF5 is still Picasso, and an unrelated HDF5 says what it holds', async () => {
    const locs = {
      length: 2,
      columns: {
        frame: Uint32Array.of(0, 3),
        x: Float64Array.of(150, 290),
        y: Float64Array.of(50, 610),
      },
    };
    const w = await writeLocalizationFile(
      'a.hdf5',
      locs,
      { x: 'nm', y: 'nm' },
      { appVersion: 't', pixelSizeNm: 100, width: 8, height: 8, frames: 4 },
    );
    expect((await probeHdf5(w.bytes)).flavour).toBe('picasso');
    const back = await readLocalizationFile('a.hdf5', w.bytes, { sidecarText: w.sidecar!.text });
    expect(back.format).toBe('picasso-hdf5');
    expect(back.table.columns.x[1]).toBeCloseTo(290, 3); // Picasso stores float32 pixels
    const other = await withH5File(null, (m, path) => {
      const f = new m.File(path, 'w');
      f.create_dataset({ name: 'images', data: new Float32Array(4), shape: [2, 2] });
      f.close();
      return m.Module.FS.readFile(path) as Uint8Array;
    });
    const broken = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0);
    expect((await probeHdf5(broken)).flavour).toBe('unreadable');
    await expect(readLocalizationFile('broken.h5', broken)).rejects.toThrow(
      'broken.h5: HDF5 could not be opened',
    );
    await expect(readLocalizationFile('movie.h5', other)).rejects.toThrow(
      'movie.h5: an HDF5 file, but not one of localizations evscope reads (Picasso: /locs; DECODE: /data/xyz); it holds /images',
    );
  });
});
