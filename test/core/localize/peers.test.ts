// Accuracy against ground truth and against ThunderSTORM v1.3 on real files from other projects
// (../shared/data; see the PROVENANCE.md files). Parameters are the ones a user would choose:
// the camera from the file's documentation, the PSF σ measured on the data (a σ-free pass
// started from ThunderSTORM's protocol value, then σ fixed at the median — the usual two-step
// workflow) or from the simulation's own metadata; nothing tuned per file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type FileByteSource, openFileByteSources } from '../../../src/cli/nodeByteSource';
import { readInsight3Bin } from '../../../src/core/io/insight3';
import { readThunderstormCsv } from '../../../src/core/io/thunderstormCsv';
import { LocalizeScratch, localizeFrames } from '../../../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../../../src/core/localize/params';
import type { LocTable } from '../../../src/core/locs/table';
import { scoreLocalizations } from '../../../src/core/score/metrics';
import { openStack } from '../../../src/core/stack/open';
import { repoRoot, sharedDataDir } from '../../helpers/sharedData';

const dataDir = sharedDataDir ?? '';
const present = sharedDataDir !== undefined;
if (!present) console.warn(`skipping peer-accuracy tests: no shared/data folder beside ${repoRoot}`);

const opened: FileByteSource[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

/** Every frame of the stack in `files`, localized with `params`. */
async function localizeFiles(files: string[], params: LocalizeParamsInput): Promise<LocTable> {
  const sources = await openFileByteSources(files.map((f) => join(dataDir, f)));
  opened.push(...sources);
  const stack = await openStack(sources);
  const n = stack.width * stack.height;
  const pixels = new Float32Array(n * stack.frameCount);
  for (let f = 0; f < stack.frameCount; f++) pixels.set(await stack.readFrame(f), f * n);
  const scratch = new LocalizeScratch(stack.width, stack.height, resolveLocalizeParams(params));
  return localizeFrames(pixels, stack.frameCount, 0, scratch);
}

function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  return s.length % 2 ? s[s.length >> 1] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
}

/**
 * The two-step workflow: σ free from ThunderSTORM's protocol start value (1.6 px, fit radius 3
 * px, as in the *_TS-protocol.txt files), then σ fixed at the median σ of those fits.
 */
async function localizeMeasuredSigma(files: string[], pixelSizeNm: number, offsetAdu: number) {
  const camera = { offsetAdu, electronsPerAdu: 1 };
  const pilot = await localizeFiles(files, {
    pixelSizeNm,
    sigmaNm: 1.6 * pixelSizeNm,
    fitSigma: true,
    fitRadiusPx: 3,
    camera,
  });
  const sigmaNm = median(pilot.columns.sigma);
  return { sigmaNm, table: await localizeFiles(files, { pixelSizeNm, sigmaNm, camera }) };
}

function readCsv(rel: string): LocTable {
  return readThunderstormCsv(readFileSync(join(dataDir, rel), 'utf8'), { fileName: rel }).table;
}

describe.skipIf(!present)('accuracy against ground truth and ThunderSTORM on shared data', () => {
  test('storm-analysis test.dax: Jaccard ≥ ThunderSTORM’s − 0.02 (250 nm)', async () => {
    // Insight3 ground truth: 1-based pixel centres and frames, converted by the reader.
    const truth = readInsight3Bin(readFileSync(join(dataDir, 'storm_analysis_test/test_olist.bin')), {
      pixelSizeNm: 160,
    });
    expect(truth.length).toBe(2000);
    const ts = scoreLocalizations(truth, readCsv('storm_analysis_test/storm_test_TS.csv'));
    const ours = await localizeMeasuredSigma(
      ['storm_analysis_test/test.dax', 'storm_analysis_test/test.inf'],
      160,
      100,
    );
    const s = scoreLocalizations(truth, ours.table);
    console.info(
      `storm_analysis_test: σ ${ours.sigmaNm.toFixed(1)} nm; evscope Jaccard ${s.jaccard.toFixed(4)} RMSE ${s.rmse.toFixed(1)} nm (${s.tp}/${s.fp}/${s.fn}); ` +
        `ThunderSTORM Jaccard ${ts.jaccard.toFixed(4)} RMSE ${ts.rmse.toFixed(1)} nm (${ts.tp}/${ts.fp}/${ts.fn})`,
    );
    // ThunderSTORM's fits of these ~1 px PSFs have σ ≈ 160 nm; ours must find the same width.
    expect(ours.sigmaNm).toBeGreaterThan(140);
    expect(ours.sigmaNm).toBeLessThan(180);
    expect(s.jaccard).toBeGreaterThanOrEqual(ts.jaccard - 0.02);
    expect(s.rmse).toBeLessThanOrEqual(ts.rmse * 1.1);
    // The conventions line up: no half-pixel (80 nm) or frame shift hides in the matches.
    expect(Math.abs(s.biasX)).toBeLessThan(3);
    expect(Math.abs(s.biasY)).toBeLessThan(3);
  });

  test('ThunderSTORM tubulins frame: Jaccard ≥ ThunderSTORM’s − 0.02 (250 nm)', async () => {
    // Ground truth: frame 20 of the ISBI "Tubulins I" sequence, the TIFF's only frame.
    const lines = readFileSync(join(dataDir, 'thunderstorm_tubulins/tubulins1_00020.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(lines.every((l) => l[1] === 20)).toBe(true);
    const truth: LocTable = {
      length: lines.length,
      columns: {
        frame: new Uint32Array(lines.length),
        x: Float64Array.from(lines, (l) => l[2]),
        y: Float64Array.from(lines, (l) => l[3]),
      },
    };
    const tsTable = readCsv('thunderstorm_tubulins/tubulins1_00020_TS.csv');
    expect(tsTable.columns.frame.every((f) => f === 0)).toBe(true);
    const ts = scoreLocalizations(truth, tsTable);
    const ours = await localizeMeasuredSigma(['thunderstorm_tubulins/tubulins1_00020.tif'], 150, 100);
    const s = scoreLocalizations(truth, ours.table);
    console.info(
      `thunderstorm_tubulins: σ ${ours.sigmaNm.toFixed(1)} nm; evscope Jaccard ${s.jaccard.toFixed(4)} RMSE ${s.rmse.toFixed(1)} nm (${s.tp}/${s.fp}/${s.fn}); ` +
        `ThunderSTORM Jaccard ${ts.jaccard.toFixed(4)} RMSE ${ts.rmse.toFixed(1)} nm (${ts.tp}/${ts.fp}/${ts.fn})`,
    );
    expect(s.jaccard).toBeGreaterThanOrEqual(ts.jaccard - 0.02);
    expect(s.rmse).toBeLessThanOrEqual(ts.rmse * 1.2);
  });

  test('Picasso testdata: positions agree with ThunderSTORM’s within 2 nm RMS', async () => {
    const yaml = readFileSync(join(dataDir, 'picasso_testdata/testdata.yaml'), 'utf8');
    // Picasso simulate's PSF σ in camera pixels.
    const psfPx = Number(/^Imager\.PSF:\s*([\d.]+)/m.exec(yaml)?.[1]);
    expect(psfPx).toBeCloseTo(0.82, 2);
    const ours = await localizeFiles(['picasso_testdata/testdata.raw', 'picasso_testdata/testdata.yaml'], {
      pixelSizeNm: 160,
      sigmaNm: psfPx * 160,
      camera: { offsetAdu: 0, electronsPerAdu: 1 },
    });
    const ts = readCsv('picasso_testdata/peer_outputs/testdata_TS.csv');
    // Pair per frame by minimum total distance within 100 nm (ThunderSTORM as the reference).
    const s = scoreLocalizations(ts, ours, { toleranceNm: 100 });
    console.info(
      `picasso_testdata: ${s.tp} of ThunderSTORM's ${ts.length} localizations paired, RMS difference ${s.rmse.toFixed(2)} nm, mean ${s.biasX.toFixed(2)}, ${s.biasY.toFixed(2)} nm`,
    );
    expect(s.tp).toBeGreaterThanOrEqual(0.9 * ts.length);
    expect(s.rmse).toBeLessThan(2);
  });
});
