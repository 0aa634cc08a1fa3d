import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  analyseCalcium,
  type CalciumInputs,
  type CalciumParams,
  CalciumResponseFields,
  cellsCsv,
  rasteriseRois,
  readRois,
  SegmentOptionsSchema,
  tracesCsv,
} from '../../core/calcium';
import { numberFlag, schemaFlag, stringFlag } from '../args';
import { withStack } from '../openInputs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { warnOnStderr } from '../terminalText';
import { defineVerb } from '../verb';

const help = `usage: evscope calcium STACK --add-frame N --out CELLS.csv [options]
Ca²⁺ responses after EV addition: segments the cells on the mean of the baseline (or takes ImageJ
ROIs), computes each cell's background-corrected mean over time in one pass over the stack,
ΔF/F₀ against the baseline, and per cell: responder (ΔF/F₀ above k × baseline SD for ≥ m frames
at or after the addition), latency, peak ΔF/F₀, AUC and number of transients. Writes one row per
cell (stable column names, so tables of several conditions concatenate); prints the responder
fraction with its Wilson 95 % CI. Frame numbers are 1-based, as in ImageJ.
options:
  --add-frame N        frame at which EVs were added (required; the first frame that may respond)
  --baseline a:b       baseline frames, inclusive (default 1:N−1)
  --rois FILE          ImageJ ROIs (.roi or RoiSet .zip) instead of the segmentation
  --background FILE    ImageJ ROI(s) of the background region (default: automatic, the dimmest
                       20 % of the pixels ≥ 3 px from any cell)
  --k K                threshold in baseline SDs of ΔF/F₀ (3)
  --min-frames M       frames above threshold for a response (3)
  --refractory R       runs closer than R frames are one transient (5)
  --bleach none|exp    bleach correction: none, or a mono-exponential fitted to the baseline (none)
  --frame-interval S   s per frame (from the file, else 1)
  --smooth PX          smoothing before thresholding, px (1.5)
  --threshold T        segmentation threshold on the smoothed mean (default: triangle)
  --threshold-method triangle|otsu  automatic segmentation threshold (triangle)
  --min-area PX        smallest cell, px (20)
  --no-split           do not split touching cells (watershed)
  --traces FILE        also write the traces: frame, time_s, background, dff_<cell>…, f_<cell>…
  --json               print the summary as JSON`;

function parseRange(v: string, flag: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(v);
  if (!m) throw new Error(`--${flag} must be a:b (1-based frames), got "${v}"`);
  return [Number(m[1]), Number(m[2])];
}

export const verb = defineVerb({
  help,
  values: [
    'add-frame',
    'baseline',
    'rois',
    'background',
    'k',
    'min-frames',
    'refractory',
    'bleach',
    'frame-interval',
    'smooth',
    'threshold',
    'threshold-method',
    'min-area',
    'out',
    'traces',
  ],
  booleans: ['no-split', 'json'],
  async run(a) {
    const out = stringFlag(a, 'out');
    if (!out) throw new Error('--out CELLS.csv is required');
    if (a.positionals.length !== 1)
      throw new Error('give exactly one STACK (a time-lapse of the Ca²⁺ indicator)');
    const add = numberFlag(a, 'add-frame');
    if (add === undefined)
      throw new Error('--add-frame N is required: the frame (1-based) at which EVs were added');
    // The Ca²⁺ step's schema: the panel and experiment files refuse the same values.
    const R = CalciumResponseFields;
    const S = SegmentOptionsSchema.entries;
    const bleach = schemaFlag(a, 'bleach', R.bleach) ?? 'none';
    const method = schemaFlag(a, 'threshold-method', S.method) ?? 'triangle';
    const k = schemaFlag(a, 'k', R.k, 'baseline SDs');
    const minFrames = schemaFlag(a, 'min-frames', R.minFrames, 'frames');
    const refractoryFrames = schemaFlag(a, 'refractory', R.refractoryFrames, 'frames');
    const interval = schemaFlag(a, 'frame-interval', R.frameIntervalS, 's');
    const smoothSigmaPx = schemaFlag(a, 'smooth', S.smoothSigmaPx, 'px');
    const threshold = schemaFlag(a, 'threshold', S.threshold);
    const minAreaPx = schemaFlag(a, 'min-area', S.minAreaPx, 'px');
    const traces = stringFlag(a, 'traces');
    const roisPath = stringFlag(a, 'rois');
    const bgPath = stringFlag(a, 'background');
    await checkOutputs([out, traces], [a.positionals[0], roisPath, bgPath]);
    const baseline = stringFlag(a, 'baseline');
    const [b0, b1] = baseline ? parseRange(baseline, 'baseline') : [1, add - 1];

    return withStack([a.positionals[0]], async (stack) => {
      if (stack.channels > 1)
        warnOnStderr(
          `${stack.name} has ${stack.channels} channels: analysing channel 1 (the Ca²⁺ indicator)`,
        );
      if (!Number.isInteger(add) || add < 2 || add > stack.frameCount)
        throw new Error(
          `--add-frame must be a frame of the stack after the first, 2–${stack.frameCount} (got ${add})`,
        );
      if (b0 < 1 || b1 >= add || b1 - b0 < 2)
        throw new Error(
          `--baseline must be ≥ 3 frames before the addition, within 1–${add - 1} (got ${b0}:${b1})`,
        );
      const intervalS = interval ?? (stack.meta.frameIntervalMs ?? 1000) / 1000;
      const params: CalciumParams = {
        addFrame: add - 1,
        baselineStart: b0 - 1,
        baselineEnd: b1,
        k,
        minFrames,
        refractoryFrames,
        bleach,
        frameIntervalS: intervalS,
        segment: {
          smoothSigmaPx,
          threshold,
          method,
          minAreaPx,
          splitTouching: !a.flags.has('no-split'),
        },
      };
      const inputs: CalciumInputs = {};
      if (roisPath) inputs.labels = await roiLabels(roisPath, stack.width, stack.height);
      if (bgPath) {
        const bg = await roiLabels(bgPath, stack.width, stack.height);
        inputs.backgroundMask = Uint8Array.from(bg, (l) => (l ? 1 : 0));
      }
      const t0 = performance.now();
      const result = await analyseCalcium(stack, params, inputs, (p) => {
        if (process.stderr.isTTY) process.stderr.write(`\rframe ${p.framesDone}/${p.frameCount}   `);
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      const seconds = (performance.now() - t0) / 1000;
      await writeOutputSafely(out, cellsCsv(result));
      if (traces) await writeOutputSafely(traces, tracesCsv(result));
      const s = result.summary;
      const summary = {
        cells: result.count,
        responders: s.responders,
        fraction: s.fraction,
        ci95: s.ci95,
        medianLatencyS: s.medianLatencyS,
        medianPeakDff: s.medianPeakDff,
        nominalAlpha: result.alpha,
        bleach,
        frames: result.frames,
        seconds,
        fps: result.frames / seconds,
        excluded: result.cells.filter((c) => c.note).map((c) => ({ cell: c.cell, note: c.note })),
      };
      if (a.flags.has('json')) {
        console.log(JSON.stringify(summary, null, 2));
        return 0;
      }
      const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
      console.log(
        `${result.count} cells, ${result.frames} frames in ${seconds.toFixed(1)} s (${summary.fps.toFixed(0)} frames/s) → ${out}${traces ? `, ${traces}` : ''}`,
      );
      console.log(
        `responders: ${s.responders} of ${s.cells} = ${pct(s.fraction)} (95 % CI ${pct(s.ci95[0])}–${pct(s.ci95[1])}, Wilson)`,
      );
      if (s.responders)
        console.log(
          `median latency ${s.medianLatencyS.toPrecision(3)} s after frame ${add}; median peak ΔF/F₀ ${s.medianPeakDff.toPrecision(3)}`,
        );
      console.log(
        `threshold ${params.k ?? 3} × baseline SD for ≥ ${params.minFrames ?? 3} frames: nominal false-responder probability per cell ${result.alpha.toExponential(1)}`,
      );
      for (const e of summary.excluded) warnOnStderr(`cell ${e.cell}: ${e.note}`);
      return 0;
    });
  },
});

async function roiLabels(path: string, width: number, height: number): Promise<Int32Array> {
  const set = readRois(new Uint8Array(await readFile(path)), basename(path));
  for (const s of set.skipped) warnOnStderr(`${basename(path)}: skipped ${s}`);
  const r = rasteriseRois(set.rois, width, height);
  if (r.overlapPx)
    warnOnStderr(`${basename(path)}: ${r.overlapPx} pixels lie in two ROIs; each went to the first`);
  if (r.outside.length)
    warnOnStderr(`${basename(path)}: outside the ${width}×${height} image: ${r.outside.join(', ')}`);
  return r.labels;
}
