// storm-analysis' published test data (../shared/data/storm_analysis_test; 160 nm pixels,
// offset 100, 1 e⁻/ADU): test.dax (10 frames, 200 emitters each) and test_low_snr.dax, with
// their ground truth, localized with σ measured from the data (--sigma-nm auto) by the single-
// and the multi-emitter fitter (with its brightness counting, as the CLI runs it). The reference is 3D-DAOSTORM's own run on test.dax in the
// upstream results.txt: 1946 of the 2000 emitters found (fixed σ). Node only (reads files).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openFileByteSources } from '../src/cli/nodeByteSource';
import { readInsight3Bin } from '../src/core/io/insight3';
import { countForRun, describeBrightnessCount } from '../src/core/localize/brightnessCount';
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import { estimateSigma } from '../src/core/localize/sigmaFromData';
import { scoreLocalizations } from '../src/core/score/metrics';
import { openStack } from '../src/core/stack/open';
import type { BenchCase, Figures } from './types';

function sharedData(): string | undefined {
  const env = process.env.EVSCOPE_SHARED_DATA;
  if (env) return existsSync(env) ? env : undefined;
  for (let dir = resolve('..'), i = 0; i < 3; dir = resolve(dir, '..'), i++)
    if (existsSync(join(dir, 'shared', 'data', 'README.md'))) return join(dir, 'shared', 'data');
  return undefined;
}

async function readPixels(files: string[]) {
  const sources = await openFileByteSources(files);
  try {
    const stack = await openStack(sources);
    const n = stack.width * stack.height;
    const pixels = new Float32Array(n * stack.frameCount);
    for (let f = 0; f < stack.frameCount; f++) pixels.set(await stack.readFrame(f), f * n);
    return { pixels, width: stack.width, height: stack.height, frames: stack.frameCount };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

const stormAnalysis: BenchCase = {
  name: 'localize-storm-analysis',
  where: ['node'],
  async run(log) {
    const data = sharedData();
    if (!data) {
      log('localize-storm-analysis: no ../shared/data, skipped');
      return { skipped: 'no shared data' };
    }
    const dir = join(data, 'storm_analysis_test');
    const out: Figures = {};
    for (const [name, truthFile] of [
      ['test', 'test_olist.bin'],
      ['test_low_snr', 'test_low_snr_list.bin'],
    ] as const) {
      const img = await readPixels([join(dir, `${name}.dax`), join(dir, `${name}.inf`)]);
      const truth = readInsight3Bin(readFileSync(join(dir, truthFile)), { pixelSizeNm: 160 });
      const base: LocalizeParamsInput = { pixelSizeNm: 160, camera: { offsetAdu: 100, electronsPerAdu: 1 } };
      const sigma = estimateSigma(img.pixels, img.frames, img.width, img.height, resolveLocalizeParams(base));
      out[`${name} σ nm`] = sigma.sigmaNm;
      for (const fitter of ['mle', 'mle-multi'] as const) {
        const resolved = resolveLocalizeParams({ ...base, sigmaNm: sigma.sigmaNm, fitter });
        const scratch = new LocalizeScratch(img.width, img.height, resolved);
        const t0 = performance.now();
        const raw = localizeFrames(img.pixels, img.frames, 0, scratch);
        const counted = countForRun(raw, resolved);
        if (counted) log(`  ${name}: ${describeBrightnessCount(counted)}`);
        const locs = counted?.table ?? raw;
        const seconds = (performance.now() - t0) / 1000;
        const s = scoreLocalizations(truth, locs);
        const label = `${name} ${fitter === 'mle' ? 'single' : 'multi'}`;
        out[`${label} Jaccard`] = s.jaccard;
        out[`${label} TP`] = s.tp;
        out[`${label} RMSE nm`] = s.rmse;
        out[`${label} fps`] = img.frames / seconds;
        log(
          `  ${label}: ${s.tp}/${truth.length} found, ${s.fp} false, Jaccard ${s.jaccard.toFixed(4)}, RMSE ${s.rmse.toFixed(1)} nm`,
        );
      }
    }
    out['3D-DAOSTORM test found'] = 1946;
    return out;
  },
};

export const multiNodeCases: BenchCase[] = [stormAnalysis];
