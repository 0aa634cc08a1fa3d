import { encodePng } from '../../core/io/png';
import { applyPipeline, type PostStep } from '../../core/locs/pipeline';
import { burnScaleBar } from '../../core/render/burnScaleBar';
import { RECON_COLORMAPS } from '../../core/render/colormap';
import {
  DEFAULT_RECON,
  ExportFieldSchema,
  exportView,
  type ReconSettings,
  ReconSettingsSchema,
  ReconViewSchema,
  reconstruct,
  SigmaSettingSchema,
} from '../../core/render/reconstruct';
import { boundsOf } from '../../core/render/view';
import { encodeTiff } from '../../core/stack/tiffWriter';
import { schemaFlag, stringFlag } from '../args';
import {
  DRIFT_FLAGS,
  driftStep,
  filterStep,
  mergeStep,
  readLocs,
  reportDrift,
  writeTrace,
} from '../postArgs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';

const help = `usage: evscope render LOCS.csv --px 10 --out IMAGE.tif|png [options]
Renders ThunderSTORM CSV localizations (x, y in nm) to an image covering every localization
from the origin (pixel i spans [i·px, (i+1)·px) nm, like the camera's).
  --px NM                render pixel, nm (default 10; down to 1)
  --out FILE             .tif/.tiff: 32-bit float intensities (localizations per pixel), pixel
                         size in the metadata; .png: 8-bit colour with a scale bar burned in
  --sigma NM             Gaussian rendering with one fixed σ (nm)
  --precision-factor F   Gaussian rendering with σ = precision × F (default when the file has
                         uncertainty; otherwise a histogram)
  --histogram            one count per localization in its pixel
  --colormap NAME        ${RECON_COLORMAPS.join(', ')} (PNG; default hot)
  --color-by COLUMN      colour each localization by a column, e.g. frame (PNG)
  --no-scale-bar         PNG without a scale bar
  --width NM --height NM field to cover at least (e.g. the camera field)
Post-processing, applied in this order before rendering:
  --drift auto|rcc|fiducial  drift correction, applied only when its quality check passes
                         (report on stderr; --segments, --drift-px, --pair-reach, --force as
                         for evscope drift)
  --trace FILE           write the drift trace (frame, dx, dy in nm) as CSV
  --merge RADIUS:GAPS    merge blinks within RADIUS nm across up to GAPS dark frames
  --filter EXPR          keep rows where EXPR holds, e.g. "photons > 500 && precision in [0, 30]"`;

export const verb = defineVerb({
  help,
  values: [
    'px',
    'out',
    'sigma',
    'precision-factor',
    'colormap',
    'color-by',
    'drift',
    ...DRIFT_FLAGS.values,
    'trace',
    'merge',
    'filter',
    'width',
    'height',
  ],
  booleans: ['histogram', 'no-scale-bar', ...DRIFT_FLAGS.booleans],
  async run(a) {
    if (a.positionals.length !== 1) throw new Error('expected one localization file: LOCS.csv');
    const out = a.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out IMAGE.tif|png is required');
    const format = /\.tiff?$/i.test(out) ? 'tiff' : /\.png$/i.test(out) ? 'png' : null;
    if (!format) throw new Error(`--out must end in .tif, .tiff or .png, got "${out}"`);
    // The reconstruction's own schemas (the toolbar's fields, session files): the same limits.
    const px = schemaFlag(a, 'px', ReconViewSchema.entries.pixelNm) ?? 10;
    const file = a.positionals[0];
    await checkOutputs([out, stringFlag(a, 'trace')], [file]);
    const table = readLocs(file);

    const steps: PostStep[] = [];
    const drift = a.flags.get('drift');
    if (typeof drift === 'string') steps.push(driftStep(drift, a));
    const merge = a.flags.get('merge');
    if (typeof merge === 'string') steps.push(mergeStep(merge));
    const filter = a.flags.get('filter');
    if (typeof filter === 'string') steps.push(filterStep(filter, Object.keys(table.columns)));
    const result = applyPipeline(table, steps);
    reportDrift(result);
    const trace = a.flags.get('trace');
    if (typeof trace === 'string') await writeTrace(trace, result.drift);
    const t = result.table;

    const [precision, fixed] = SigmaSettingSchema.options;
    const sigma = schemaFlag(a, 'sigma', fixed.entries.nm);
    const factor = schemaFlag(a, 'precision-factor', precision.entries.factor);
    if (sigma !== undefined && factor !== undefined)
      throw new Error('give --sigma or --precision-factor, not both');
    if (factor !== undefined && !t.columns.precision)
      throw new Error(`${file} has no uncertainty column for --precision-factor; use --sigma NM`);
    const histogram = a.flags.has('histogram') || (sigma === undefined && !t.columns.precision);
    const colormap = schemaFlag(a, 'colormap', ReconSettingsSchema.entries.colormap) ?? 'hot';
    const colorBy = a.flags.get('color-by');
    if (typeof colorBy === 'string' && !t.columns[colorBy])
      throw new Error(
        `--color-by: ${file} has no column "${colorBy}" (has ${Object.keys(t.columns).join(', ')})`,
      );
    const settings: ReconSettings = {
      ...DEFAULT_RECON,
      mode: histogram ? 'histogram' : 'gaussian',
      sigma:
        sigma !== undefined
          ? { kind: 'fixed', nm: sigma }
          : { kind: 'precision', factor: factor ?? 1, minNm: 0 },
      colormap,
      colorBy: typeof colorBy === 'string' ? colorBy : null,
    };
    const w = schemaFlag(a, 'width', ExportFieldSchema.entries.width, 'nm');
    const h = schemaFlag(a, 'height', ExportFieldSchema.entries.height, 'nm');
    const { x, y } = t.columns;
    const view = exportView(
      boundsOf(x, y, t.length),
      px,
      w !== undefined || h !== undefined ? { width: w ?? 0, height: h ?? 0 } : undefined,
    );
    const r = reconstruct(t, view, settings);
    let bytes: Uint8Array;
    if (format === 'tiff') {
      bytes = await encodeTiff([r.intensity], {
        width: view.width,
        height: view.height,
        dtype: 'float32',
        pixelSizeNm: px,
      });
    } else {
      if (!a.flags.has('no-scale-bar')) burnScaleBar(r.rgba, view.width, view.height, px);
      bytes = encodePng(
        { width: view.width, height: view.height, data: r.rgba, color: 'rgba' },
        {
          pixelSizeNm: px,
          text: { Software: 'evscope', Description: `${t.length} localizations, ${px} nm/px` },
        },
      );
    }
    await writeOutputSafely(out, bytes);
    const stepText = result.stats.map((s) => `${s.kind} ${s.rowsIn}→${s.rowsOut}`).join(', ');
    console.log(
      `${out}: ${view.width}×${view.height} px at ${px} nm, ${t.length} localizations` +
        ` (sum ${r.sum.toFixed(1)})${stepText ? `; ${stepText}` : ''}`,
    );
    return 0;
  },
});
