// `evscope movie LOCS.csv --window W --step S --px NM --out MOVIE.tif`: the sliding-window
// super-resolution movie of a ThunderSTORM CSV, streamed frame by frame to a TIFF (32-bit float,
// or 16/8-bit with one recorded scale, optionally compressed), and optionally its binary and
// label movies (Otsu or a given threshold).
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { writeMovieTiffs } from '../../../workers/movie.export';
import { pooledOtsuThreshold } from '../../core/binarize/otsu';
import { gaussianSmooth } from '../../core/binarize/smooth';
import { readThunderstormCsv } from '../../core/io/thunderstormCsv';
import { type LocTable, selectRows } from '../../core/locs/table';
import type { RenderGrid } from '../../core/movie/grid';
import {
  BinarizeSchema,
  DEFAULT_BINARIZE,
  DEFAULT_MOVIE_PARAMS,
  MAX_MOVIE_SIDE,
  MovieParamsSchema,
  MovieSigmaSchema,
} from '../../core/movie/params';
import { MOVIE_VALUE_UNIT, type MovieDtype } from '../../core/movie/quantise';
import { type MovieSigma, SlidingMovie } from '../../core/movie/slidingMovie';
import { movieFrameCount, movieFrameLimitError } from '../../core/movie/window';
import type { TiffCompression } from '../../core/stack/tiffWriter';
import { numberFlag, schemaFlag, stringFlag } from '../args';
import { checkOutputs, outputSink } from '../safeOutput';
import { warnOnStderr } from '../terminalText';
import { defineVerb } from '../verb';

/** Localizations past --frames are not in any movie frame: left out, and said so. */
function withinFrames(table: LocTable, rawFrames: number, input: string): LocTable {
  const frame = table.columns.frame;
  const keep = new Uint8Array(table.length);
  let beyond = 0;
  for (let i = 0; i < table.length; i++) {
    keep[i] = frame[i] < rawFrames ? 1 : 0;
    beyond += 1 - keep[i];
  }
  if (beyond === 0) return table;
  warnOnStderr(`${input}: ${beyond} localizations after raw frame ${rawFrames} are left out`);
  return selectRows(table, keep);
}

function parseRoi(text: string): [number, number, number, number] {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length !== 4 || !v.every(Number.isInteger) || v[2] <= v[0] || v[3] <= v[1] || v[0] < 0 || v[1] < 0)
    throw new Error(
      `--roi must be x0,y0,x1,y1 in camera px with x1 > x0, y1 > y0 (end exclusive), got "${text}"`,
    );
  return v as [number, number, number, number];
}

function choice<T extends string>(flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`--${flag} must be ${allowed.join(', ')}; got "${String(value)}"`);
}

function storageLines(
  out: string,
  r: { dtype: MovieDtype; scale?: number; clipped: number },
  bytes: number,
  compression: TiffCompression,
): string[] {
  const lines: string[] = [];
  const size = `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (r.scale !== undefined) {
    lines.push(
      `${out}: ${r.dtype}, stored = round(${r.scale} × value), value = stored / ${r.scale} ${MOVIE_VALUE_UNIT}; ${compression === 'none' ? 'uncompressed' : compression}, ${size}`,
    );
  } else lines.push(`${out}: float32, ${compression === 'none' ? 'uncompressed' : compression}, ${size}`);
  if (r.clipped > 0)
    warnOnStderr(
      `${out}: ${r.clipped} pixels were brighter than the ${r.dtype} range at scale ${r.scale} and are clipped: give a smaller --scale`,
    );
  return lines;
}

export const verb = defineVerb({
  help: `usage: evscope movie LOCS.csv --window W --step S --px NM --out MOVIE.tif
                     [--frames F] [--camera-px NM --roi x0,y0,x1,y1]
                     [--sigma NM | --precision-factor F] [--frame-interval MS]
                     [--dtype float32|uint16|uint8 [--scale K]] [--compress none|deflate|lzw]
                     [--binarize otsu|VALUE [--smooth PX] [--otsu-frames N] [--connectivity 26|8]
                      --mask-out MASK.tif --labels-out LABELS.tif]

Movie frame n renders the localizations of raw frames [n·S, n·S + W) as normalised Gaussians,
divided by W (localizations per pixel per raw frame); there are floor((F − W)/S) + 1 frames
(the reference study: 5008 / 1002 / 6 → 668). Frames are streamed to disk one at a time.

  --window W          raw frames per movie frame (default 1002)
  --step S            raw frames between movie frames (default 6)
  --px NM             render pixel size, nm (default 10)
  --frames F          raw frames in the acquisition (default: last frame in the CSV)
  --camera-px NM      camera pixel size, nm (needed for --roi)
  --roi x0,y0,x1,y1   region in camera px (end exclusive); default: 0,0 to the last localization
  --sigma NM          fixed Gaussian σ, nm (0 = histogram)
  --precision-factor F  σ = precision × F (default 1, the default when the CSV has uncertainty)
  --frame-interval MS raw frame interval for the TIFF (movie interval = S × this; default 5)
  --dtype T           movie pixels: float32 (default), uint16 or uint8. Integer movies store
                      round(K × value) with one K for every frame, recorded in the TIFF (ImageJ
                      calibration c1 = 1/K, vunit, and evscope.scale=K): Fiji shows the values
  --scale K           the scale K (default: the brightest pixel of 20 evenly spread frames at half
                      the integer range, rounded down to 1, 2 or 5 × 10^k; clipped pixels are reported)
  --compress C        none (default), deflate (level 1) or lzw, for every file written (no
                      predictor: it made movie frames no smaller, see bench movie-write); files
                      that could pass 4 GiB are BigTIFF
  --bigtiff           write BigTIFF even when the file is small
  --binarize otsu|V   threshold by Otsu (pooled over --otsu-frames frames, default 10) or V
  --smooth PX         Gaussian smoothing before thresholding, render px (default 0)
  --connectivity C    26: structures in (x, y, t) (default); 8: per frame
  --mask-out FILE     binary movie (uint8)
  --labels-out FILE   label movie (uint16, or uint32 beyond 65535 structures)`,
  values: [
    'window',
    'step',
    'px',
    'out',
    'frames',
    'camera-px',
    'roi',
    'sigma',
    'precision-factor',
    'frame-interval',
    'binarize',
    'smooth',
    'otsu-frames',
    'connectivity',
    'mask-out',
    'labels-out',
    'dtype',
    'scale',
    'compress',
  ],
  booleans: ['bigtiff'],
  async run(p) {
    const input = p.positionals[0];
    if (!input || p.positionals.length > 1) throw new Error('give exactly one localization CSV (see --help)');
    const out = p.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out MOVIE.tif is required');
    await checkOutputs([out, stringFlag(p, 'mask-out'), stringFlag(p, 'labels-out')], [input]);
    const dtype = choice('dtype', p.flags.get('dtype'), ['float32', 'uint16', 'uint8'] as const, 'float32');
    const compression = choice(
      'compress',
      p.flags.get('compress'),
      ['none', 'deflate', 'lzw'] as const,
      'none',
    );
    const scale = numberFlag(p, 'scale');
    if (scale !== undefined && !(scale > 0 && Number.isFinite(scale)))
      throw new Error(`--scale must be a number > 0, got ${scale}`);
    if (scale !== undefined && dtype === 'float32')
      throw new Error('--scale is for integer movies: give --dtype uint16 or uint8 as well');
    const params = MovieParamsSchema.entries;
    const window = schemaFlag(p, 'window', params.window) ?? DEFAULT_MOVIE_PARAMS.window;
    const step = schemaFlag(p, 'step', params.step) ?? DEFAULT_MOVIE_PARAMS.step;
    const px = schemaFlag(p, 'px', params.renderPxNm) ?? DEFAULT_MOVIE_PARAMS.renderPxNm;
    const { table, warnings } = readThunderstormCsv(await readFile(input, 'utf8'), { fileName: input });
    for (const w of warnings) warnOnStderr(`${input}: ${w}`);
    const [precision, fixedSigma] = MovieSigmaSchema.options;
    const fixed = schemaFlag(p, 'sigma', fixedSigma.entries.nm);
    const factor = schemaFlag(p, 'precision-factor', precision.entries.factor);
    if (fixed !== undefined && factor !== undefined)
      throw new Error('give --sigma or --precision-factor, not both');
    let sigma: MovieSigma;
    if (fixed !== undefined) sigma = { kind: 'fixed', nm: fixed };
    else {
      if (!table.columns.precision)
        throw new Error(`${input} has no uncertainty column: give a fixed --sigma NM`);
      sigma = { kind: 'precision', factor: factor ?? 1, minNm: 0 };
    }
    const frame = table.columns.frame;
    let lastFrame = 0;
    let maxX = 0;
    let maxY = 0;
    for (let i = 0; i < table.length; i++) {
      lastFrame = Math.max(lastFrame, frame[i] + 1);
      maxX = Math.max(maxX, table.columns.x[i]);
      maxY = Math.max(maxY, table.columns.y[i]);
    }
    const rawFrames = numberFlag(p, 'frames') ?? lastFrame;
    const count = movieFrameCount(rawFrames, { window, step });
    if (count === 0) throw new Error(`the window (${window}) is longer than the ${rawFrames} raw frames`);
    const tooMany = movieFrameLimitError(rawFrames, { window, step });
    if (tooMany)
      throw new Error(
        `${tooMany}${numberFlag(p, 'frames') === undefined ? `; the raw frames run to the last frame in ${input}` : ''}: give --frames F to end it, or a larger --step; a frame number that large may be a damaged row`,
      );
    let grid: RenderGrid;
    const roiText = p.flags.get('roi');
    if (typeof roiText === 'string') {
      const cam = numberFlag(p, 'camera-px');
      if (!(cam && cam > 0)) throw new Error('--roi is in camera px: give --camera-px NM as well');
      const [x0, y0, x1, y1] = parseRoi(roiText);
      grid = {
        x0Nm: x0 * cam,
        y0Nm: y0 * cam,
        width: Math.round(((x1 - x0) * cam) / px),
        height: Math.round(((y1 - y0) * cam) / px),
        pixelNm: px,
      };
    } else {
      const cam = numberFlag(p, 'camera-px');
      // Without an ROI: from the origin to the last localization, whole camera pixels if known.
      const unit = cam && cam > 0 ? cam : px;
      grid = {
        x0Nm: 0,
        y0Nm: 0,
        width: Math.ceil((Math.ceil((maxX + 1e-9) / unit) * unit) / px),
        height: Math.ceil((Math.ceil((maxY + 1e-9) / unit) * unit) / px),
        pixelNm: px,
      };
    }
    if (grid.width > MAX_MOVIE_SIDE || grid.height > MAX_MOVIE_SIDE)
      throw new Error(
        `movie frames would be ${grid.width}×${grid.height} px (limit ${MAX_MOVIE_SIDE}²): give a smaller --roi or a larger --px`,
      );
    const movie = SlidingMovie.fromTable(
      withinFrames(table, rawFrames, input),
      { window, step, grid, sigma },
      rawFrames,
    );
    const bin = p.flags.get('binarize');
    const maskOut = p.flags.get('mask-out');
    const labelsOut = p.flags.get('labels-out');
    if ((typeof maskOut === 'string' || typeof labelsOut === 'string') && typeof bin !== 'string')
      throw new Error('--mask-out and --labels-out need --binarize otsu|VALUE');
    const binarize = BinarizeSchema.entries;
    const smooth = schemaFlag(p, 'smooth', binarize.smoothSigmaPx) ?? 0;
    let threshold: number | undefined;
    if (typeof bin === 'string') {
      if (bin === 'otsu') {
        const k = schemaFlag(p, 'otsu-frames', binarize.sampleFrames) ?? DEFAULT_BINARIZE.sampleFrames;
        threshold = pooledOtsuThreshold(
          movie.frameCount,
          (n) =>
            smooth > 0
              ? gaussianSmooth(movie.getFrame(n), grid.width, grid.height, smooth)
              : movie.getFrame(n),
          { sampleFrames: k },
        );
        if (!Number.isFinite(threshold))
          throw new Error('Otsu found no split (the sampled frames are flat): give --binarize VALUE');
      } else {
        threshold = Number(bin);
        if (!(threshold > 0)) throw new Error(`--binarize must be "otsu" or a number > 0, got "${bin}"`);
      }
    }
    const connectivity =
      schemaFlag(p, 'connectivity', binarize.connectivity) ?? DEFAULT_BINARIZE.connectivity;
    const sinks = {
      movie: await outputSink(out),
      mask: typeof maskOut === 'string' ? await outputSink(maskOut) : null,
      labels: typeof labelsOut === 'string' ? await outputSink(labelsOut) : null,
    };
    let ok = false;
    try {
      const r = await writeMovieTiffs(movie, {
        movie: sinks.movie.sink,
        mask: sinks.mask?.sink,
        labels: sinks.labels?.sink,
        threshold,
        smoothSigmaPx: smooth,
        connectivity,
        rawFrameIntervalMs: numberFlag(p, 'frame-interval') ?? 5,
        dtype,
        scale,
        compression,
        bigTiff: p.flags.get('bigtiff') === true ? true : undefined,
        deflate: (bytes, level) => deflateSync(bytes, { level }),
      });
      ok = true;
      console.log(
        `${out}: ${r.frames} movie frames of ${grid.width}×${grid.height} px at ${px} nm from ${movie.localizationCount} localizations (W ${window}, S ${step})`,
      );
      if (threshold !== undefined)
        console.log(`threshold ${threshold.toPrecision(4)} (${bin === 'otsu' ? 'Otsu' : 'given'})`);
      if (r.structures) console.log(`${r.structures.count} structures (${connectivity}-connected)`);
      for (const line of storageLines(out, r, r.bytes.movie, compression)) console.log(line);
    } finally {
      await sinks.movie.finish(ok);
      await sinks.mask?.finish(ok);
      await sinks.labels?.finish(ok);
    }
    return 0;
  },
});
