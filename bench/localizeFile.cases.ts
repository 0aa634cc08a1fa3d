// Localization from a TIFF file, the way users meet it (issue 19): the 1000-frame 256×256 stacks
// of the comparison — isolated emitters (the `localize` case's) and a dense EV-like stack
// of about as many emissions per frame — each written as an ImageJ stack and as a plain multi-page
// TIFF, then localized with 2 workers, timed from the start of the run to its last chunk.
//  - Chromium: the file is put in the origin-private file system and read back as a File (disk
//    backed, as a dropped file is), and also as a File built in memory; the run goes through the
//    app's LocalizeService (workers open the File themselves, the app's chunk size). The pool is
//    warm (started by a short run before), as it is once the user has seen a preview.
//  - Node (localizeFile.node.cases.ts): the CLI's code path on the same bytes written to disk
//    (open the file + localizeRun with block reads, 2 worker threads), and the CLI itself.
// The runner prints chromium ÷ node per stack and layout. webSMLM 0.11.4 Gauss MLE took 7.9 s
// (uniform) and 4.2 s (dense) for such stacks in the same headless Chromium, 2 workers: the
// `÷ webSMLM` figures scale those to the frames run. BENCH_FRAMES shortens the stacks.
import type { LocalizeParamsInput } from '../src/core/localize/params';
import { denseEvStack } from '../src/core/sim/denseEv';
import { frameCount, generate } from './localize.cases';
import { toBlob } from './stack.cases';
import { imageJFileParts, multipageFileParts } from './stackFixtures';
import type { BenchCase, Figures } from './types';

export const FILE_W = 256;
export const WEBSMLM_S_PER_1000 = { uniform: 7.9, dense: 4.2 } as const;
export type FileStackKind = keyof typeof WEBSMLM_S_PER_1000;

/** What the CLI is told with flags: 100 nm pixels, σ 130 nm, offset 100 ADU, 1 e⁻/ADU, MLE. */
export const FILE_PARAMS: LocalizeParamsInput = {
  pixelSizeNm: 100,
  sigmaNm: 130,
  camera: { kind: 'ccd', offsetAdu: 100, electronsPerAdu: 1, emGain: 1 },
};
export const CLI_FLAGS = ['--pixel-nm', '100', '--sigma-nm', '130', '--offset', '100', '--gain', '1'];

/** The frames of one stack: ~60 emissions per frame either way. */
export function fileStack(kind: FileStackKind, frames: number): Uint16Array[] {
  if (kind === 'uniform') return generate(frames).frames;
  // 12 molecules per vesicle, 5 % on per frame: 0.6 emissions per vesicle and frame, clustered
  // within 60 nm, so ~100 vesicles in the 24.8 µm field give the same emissions per frame.
  const side = (FILE_W * 100 - 800) / 1000;
  return denseEvStack({ width: FILE_W, height: FILE_W, frames, seed: 23, evsPerUm2: 100 / (side * side) })
    .frames;
}

export const FILE_LAYOUTS = [
  ['imagej', imageJFileParts],
  ['multipage', multipageFileParts],
] as const;

export function fileFrames(): number {
  return frameCount(1000);
}

/** fps, ms, ÷ webSMLM and the count of localizations of one timed run, under `prefix`. */
export function fileFigures(
  out: Figures,
  prefix: string,
  kind: FileStackKind,
  frames: number,
  ms: number,
  locs: number,
): void {
  out[`${prefix} fps`] = (frames / ms) * 1000;
  out[`${prefix} ms`] = ms;
  out[`${prefix} ÷ webSMLM`] = ms / (WEBSMLM_S_PER_1000[kind] * frames);
  out[`${prefix} locs`] = locs;
}

const browserCase: BenchCase = {
  name: 'localize-file',
  where: ['browser'],
  ratioOf: / ms$/,
  async run(log) {
    const { LocalizeService } = await import('../src/engine/localizeService');
    const frames = fileFrames();
    const service = new LocalizeService({ size: 2 });
    const out: Figures = {};
    const runOn = async (name: string, blob: Blob, end = frames) => {
      // A new recipe per run: the workers open the file inside the timed run, as after a drop.
      const recipe = { kind: 'files' as const, files: [{ name, blob }] };
      let locs = 0;
      const t0 = performance.now();
      await service.run({
        stack: { width: FILE_W, height: FILE_W, frameCount: frames, recipe },
        channel: 0,
        params: FILE_PARAMS,
        frames: { start: 0, end },
        onChunk: (t) => {
          locs += t.length;
        },
      });
      return { ms: performance.now() - t0, locs };
    };
    try {
      let warm = false;
      for (const kind of ['uniform', 'dense'] as const) {
        const stack = fileStack(kind, frames);
        for (const [layout, make] of FILE_LAYOUTS) {
          const parts = make(stack, FILE_W, FILE_W);
          const name = `${kind}-${layout}.tif`;
          const dropped = await toBlob(name, parts);
          if (!warm) {
            await runOn(name, new File(parts as BlobPart[], name), Math.min(64, frames));
            warm = true;
          }
          const d = await runOn(name, dropped);
          fileFigures(out, `${kind} ${layout}`, kind, frames, d.ms, d.locs);
          const m = await runOn(name, new File(parts as BlobPart[], name));
          out[`${kind} ${layout} in-memory File fps`] = (frames / m.ms) * 1000;
          log(
            `  ${name}: ${((frames / d.ms) * 1000).toFixed(0)} frames/s from OPFS, ${((frames / m.ms) * 1000).toFixed(0)} from memory, ${d.locs} locs`,
          );
        }
      }
    } finally {
      service.terminate();
    }
    return out;
  },
};

export const localizeFileCases: BenchCase[] = [browserCase];
