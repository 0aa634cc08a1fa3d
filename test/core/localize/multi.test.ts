// The multi-emitter fitter in the frame pipeline (detection → windows → Voronoi dedupe), scored
// against ground truth: a dense EV-like stack where it must beat the single-emitter fit, a
// stack of isolated emitters where it must change nothing, and σ measured from the data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FileByteSource, openFileByteSources } from '../../../src/cli/nodeByteSource';
import { readInsight3Bin } from '../../../src/core/io/insight3';
import { readThunderstormCsv } from '../../../src/core/io/thunderstormCsv';
import { countForRun } from '../../../src/core/localize/brightnessCount';
import { LocalizeScratch, localizeFrames } from '../../../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../../../src/core/localize/params';
import { estimateSigma } from '../../../src/core/localize/sigmaFromData';
import { concatLocTables, type LocTable } from '../../../src/core/locs/table';
import { crlbGaussian2D } from '../../../src/core/psf/crlb';
import { Rng } from '../../../src/core/random';
import { type ScoreResult, scoreLocalizations } from '../../../src/core/score/metrics';
import { type DenseEvStack, denseEvStack } from '../../../src/core/sim/denseEv';
import { openStack } from '../../../src/core/stack/open';
import { sharedDataDir } from '../../helpers/sharedData';
import { expectedImage, gridSpots, poissonImage } from '../../helpers/spotImage';

/** A whole run as the CLI and the panel do it: every frame, then (mle-multi) brightness counting. */
function localize(frames: ArrayLike<number>[], width: number, height: number, params: LocalizeParamsInput) {
  const resolved = resolveLocalizeParams(params);
  const s = new LocalizeScratch(width, height, resolved);
  const table = concatLocTables(frames.map((f, i) => localizeFrames(f as Uint16Array, 1, i, s)));
  return countForRun(table, resolved)?.table ?? table;
}

describe('multi-emitter localization of a dense EV-like stack', () => {
  let stack: DenseEvStack;
  let single: ScoreResult;
  let multi: ScoreResult;
  beforeAll(() => {
    // Issue 17's stack (256² px, ~60 emissions per frame), 80 of its 1000 frames.
    stack = denseEvStack({ frames: 80, seed: 5 });
    const { width, height } = stack.options;
    const camera = { offsetAdu: stack.options.offsetAdu };
    single = scoreLocalizations(
      stack.truth,
      localize(stack.frames, width, height, { fitter: 'mle', camera }),
    );
    multi = scoreLocalizations(
      stack.truth,
      localize(stack.frames, width, height, { fitter: 'mle-multi', camera }),
    );
    console.info(
      `dense EV-like stack (${stack.truth.length} emissions, ${(100 * stack.sharedFraction).toFixed(0)} % share a frame within 260 nm): ` +
        `single J ${single.jaccard.toFixed(3)} RMSE ${single.rmse.toFixed(1)} nm; multi J ${multi.jaccard.toFixed(3)} RMSE ${multi.rmse.toFixed(1)} nm`,
    );
  }, 120_000);

  test('the stack is as crowded as the issue’s (about half the emissions overlap)', () => {
    expect(stack.sharedFraction).toBeGreaterThan(0.45);
    expect(stack.sharedFraction).toBeLessThan(0.65);
  });

  test('finds more emitters, more precisely, without false ones', () => {
    // Single-emitter fits stop near the ceiling (0.69–0.71): over 40 % of emissions
    // share a 40–60 nm vesicle with another in their frame. Counting them by brightness is
    // what lifts multi past 0.8.
    expect(single.jaccard).toBeLessThan(0.72);
    expect(multi.jaccard).toBeGreaterThanOrEqual(0.8);
    expect(multi.jaccard).toBeGreaterThan(single.jaccard + 0.1);
    expect(multi.tp).toBeGreaterThan(single.tp);
    expect(multi.rmse).toBeLessThanOrEqual(single.rmse);
    expect(multi.fp).toBeLessThanOrEqual(single.fp + 0.005 * stack.truth.length);
  });
});

describe('multi-emitter localization of isolated emitters', () => {
  test('no loss: Jaccard ≥ 0.999, RMSE_x/CRLB ≤ 1.10, |bias| < 1 nm, results equal the single fit', () => {
    const W = 64;
    const rng = new Rng(2024);
    const frames: Uint16Array[] = [];
    const tf: number[] = [];
    const tx: number[] = [];
    const ty: number[] = [];
    for (let f = 0; f < 60; f++) {
      const spots = gridSpots(W, W, 10, 1000, rng);
      const img = poissonImage(expectedImage(W, W, spots, 1.3, 10), rng);
      frames.push(Uint16Array.from(img, (v) => v + 100));
      for (const s of spots) {
        tf.push(f);
        tx.push(s.x * 100);
        ty.push(s.y * 100);
      }
    }
    const truth: LocTable = {
      length: tf.length,
      columns: { frame: Uint32Array.from(tf), x: Float64Array.from(tx), y: Float64Array.from(ty) },
    };
    const multiLocs = localize(frames, W, W, { fitter: 'mle-multi' });
    const singleLocs = localize(frames, W, W, { fitter: 'mle' });
    const m = scoreLocalizations(truth, multiLocs);
    const crlb = crlbGaussian2D({ photons: 1000, background: 10, sigmaPx: 1.3, roiSize: 7 }).x * 100;
    console.info(
      `isolated: J ${m.jaccard.toFixed(4)}, RMSE_x ${m.rmseX.toFixed(2)} nm = ${(m.rmseX / crlb).toFixed(3)} × CRLB, bias ${m.biasX.toFixed(2)}, ${m.biasY.toFixed(2)} nm`,
    );
    expect(m.jaccard).toBeGreaterThanOrEqual(0.999);
    expect(m.rmseX / crlb).toBeLessThanOrEqual(1.1);
    expect(Math.abs(m.biasX)).toBeLessThan(1);
    expect(Math.abs(m.biasY)).toBeLessThan(1);
    // Almost every window passes the goodness-of-fit gate and keeps the single fit bit for bit.
    expect(multiLocs.length).toBe(singleLocs.length);
    let same = 0;
    for (let i = 0; i < multiLocs.length; i++)
      if (
        multiLocs.columns.x[i] === singleLocs.columns.x[i] &&
        multiLocs.columns.y[i] === singleLocs.columns.y[i]
      )
        same++;
    expect(same / multiLocs.length).toBeGreaterThan(0.99);
  }, 120_000);

  test('refuses a free σ', () => {
    expect(() => resolveLocalizeParams({ fitter: 'mle-multi', fitSigma: true })).toThrow(/σ fixed/);
    expect(() => resolveLocalizeParams({ fitter: 'mle-multi', maxEmitters: 9 })).toThrow(/max emitters/);
  });
});

describe('σ from data', () => {
  test('recovers the simulated PSF width from a start value 30 % off', () => {
    const W = 64;
    const rng = new Rng(9);
    const frames = new Uint16Array(W * W * 20);
    for (let f = 0; f < 20; f++) {
      const img = poissonImage(expectedImage(W, W, gridSpots(W, W, 12, 2000, rng), 1.5, 10), rng);
      frames.set(
        Uint16Array.from(img, (v) => v + 100),
        f * W * W,
      );
    }
    const est = estimateSigma(frames, 20, W, W, resolveLocalizeParams({ sigmaNm: 105 }));
    expect(est.sigmaNm).toBeGreaterThan(147);
    expect(est.sigmaNm).toBeLessThan(153);
    expect(est.spots).toBeGreaterThanOrEqual(10);
  });

  test('says what is missing when there are no spots', () => {
    const frames = new Uint16Array(32 * 32 * 2).fill(100);
    expect(() => estimateSigma(frames, 2, 32, 32, resolveLocalizeParams({}))).toThrow(/isolated spots/);
  });
});

const dataDir = sharedDataDir ?? '';
const present = sharedDataDir !== undefined;

const opened: FileByteSource[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function readFrames(files: string[]) {
  const sources = await openFileByteSources(files.map((f) => join(dataDir, f)));
  opened.push(...sources);
  const stack = await openStack(sources);
  const n = stack.width * stack.height;
  const pixels = new Float32Array(n * stack.frameCount);
  for (let f = 0; f < stack.frameCount; f++) pixels.set(await stack.readFrame(f), f * n);
  return { pixels, width: stack.width, height: stack.height, frames: stack.frameCount };
}

function readCsv(rel: string): LocTable {
  return readThunderstormCsv(readFileSync(join(dataDir, rel), 'utf8'), { fileName: rel }).table;
}

describe.skipIf(!present)('σ from data on peer files', () => {
  test('ThunderSTORM tubulins: σ auto then a fixed-σ fit reaches ThunderSTORM’s Jaccard', async () => {
    const lines = readFileSync(join(dataDir, 'thunderstorm_tubulins/tubulins1_00020.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const truth: LocTable = {
      length: lines.length,
      columns: {
        frame: new Uint32Array(lines.length),
        x: Float64Array.from(lines, (l) => l[2]),
        y: Float64Array.from(lines, (l) => l[3]),
      },
    };
    const ts = scoreLocalizations(truth, readCsv('thunderstorm_tubulins/tubulins1_00020_TS.csv'));
    const img = await readFrames(['thunderstorm_tubulins/tubulins1_00020.tif']);
    // ThunderSTORM's protocol start value: 1.6 px of 150 nm.
    const params = { pixelSizeNm: 150, sigmaNm: 240, camera: { offsetAdu: 100, electronsPerAdu: 1 } };
    const est = estimateSigma(img.pixels, img.frames, img.width, img.height, resolveLocalizeParams(params));
    const fixed = scoreLocalizations(
      truth,
      localizeFrames(
        img.pixels,
        img.frames,
        0,
        new LocalizeScratch(
          img.width,
          img.height,
          resolveLocalizeParams({ ...params, sigmaNm: est.sigmaNm }),
        ),
      ),
    );
    const free = scoreLocalizations(
      truth,
      localizeFrames(
        img.pixels,
        img.frames,
        0,
        new LocalizeScratch(img.width, img.height, resolveLocalizeParams({ ...params, fitSigma: true })),
      ),
    );
    console.info(
      `tubulins: σ from data ${est.sigmaNm.toFixed(1)} ± ${est.spreadNm.toFixed(1)} nm (${est.spots} spots); ` +
        `Jaccard fixed σ ${fixed.jaccard.toFixed(4)}, free σ ${free.jaccard.toFixed(4)}, ThunderSTORM ${ts.jaccard.toFixed(4)}`,
    );
    expect(fixed.jaccard).toBeGreaterThanOrEqual(ts.jaccard - 0.02);
    expect(fixed.jaccard).toBeGreaterThan(free.jaccard);
  }, 120_000);

  test('storm-analysis test.dax: σ auto finds the ~1 px PSF and multi-emitter fitting loses nothing', async () => {
    const truth = readInsight3Bin(readFileSync(join(dataDir, 'storm_analysis_test/test_olist.bin')), {
      pixelSizeNm: 160,
    });
    const img = await readFrames(['storm_analysis_test/test.dax', 'storm_analysis_test/test.inf']);
    const params = {
      pixelSizeNm: 160,
      sigmaNm: 256,
      fitRadiusPx: 3,
      camera: { offsetAdu: 100, electronsPerAdu: 1 },
    };
    const est = estimateSigma(img.pixels, img.frames, img.width, img.height, resolveLocalizeParams(params));
    expect(est.sigmaNm).toBeGreaterThan(140);
    expect(est.sigmaNm).toBeLessThan(180);
    const run = (fitter: 'mle' | 'mle-multi') =>
      scoreLocalizations(
        truth,
        localizeFrames(
          img.pixels,
          img.frames,
          0,
          new LocalizeScratch(
            img.width,
            img.height,
            resolveLocalizeParams({ pixelSizeNm: 160, sigmaNm: est.sigmaNm, fitter, camera: params.camera }),
          ),
        ),
      );
    const single = run('mle');
    const multi = run('mle-multi');
    console.info(
      `storm_analysis_test: σ ${est.sigmaNm.toFixed(1)} nm; single J ${single.jaccard.toFixed(4)} (${single.tp}/${single.fp}/${single.fn}), ` +
        `multi J ${multi.jaccard.toFixed(4)} (${multi.tp}/${multi.fp}/${multi.fn}); 3D-DAOSTORM (results.txt) finds 1946 of 2000`,
    );
    expect(multi.jaccard).toBeGreaterThanOrEqual(single.jaccard - 0.002);
  }, 120_000);
});
