// Movie parameters as the user types them, checked against the open stack: window W and step S
// in raw frames, render pixel (nm), splat σ, and the region of interest in camera pixels. Pure,
// so the panel, the scripting API and the tests share one set of rules and messages. The schemas
// check each value on its own (session files, links, scripts, CLI flags); `checkMovieParams`
// checks them against the open stack. The Movie panel's fields are checked by these schemas.

import { COLORMAPS } from '../display/colormaps';
import { above, intIn, numIn, v } from '../schema';
import type { RenderGrid } from './grid';
import { type FramesPastEnd, type MovieWindow, movieFrameCount, movieFrameLimitError } from './window';

/** Camera-pixel rectangle, x1/y1 exclusive (like `evscope convert --crop`). */
export const CameraRoiSchema = v.object({
  x0: intIn(-1e9, 1e9),
  y0: intIn(-1e9, 1e9),
  x1: intIn(-1e9, 1e9),
  y1: intIn(-1e9, 1e9),
});
export type CameraRoi = v.InferOutput<typeof CameraRoiSchema>;

/** Splat σ: a multiple of each localization's precision (at least minNm), or fixed. */
export const MovieSigmaSchema = v.variant('kind', [
  v.object({ kind: v.literal('precision'), factor: above(0, 20), minNm: v.optional(numIn(0, 1e6)) }),
  // 0: each localization is one pixel (a histogram).
  v.object({ kind: v.literal('fixed'), nm: numIn(0, 1000) }),
]);

export const MovieSourceSchema = v.picklist(['raw', 'post']);
export type MovieSource = v.InferOutput<typeof MovieSourceSchema>;

/** What the window and the frame bounds are checked against lives in `checkMovieParams`. */
export const MovieParamsSchema = v.object({
  /** Raw frames per movie frame (W). */
  window: intIn(1),
  /** Raw frames the window advances (S). */
  step: intIn(1),
  renderPxNm: above(0, 1000),
  sigma: MovieSigmaSchema,
  /** null: the whole camera field (centre-cropped when it would be too large). */
  roi: v.nullable(CameraRoiSchema),
  /**
   * The table the movie is built from: the raw localizations, or what Post-process leaves.
   * Unset: the post-processed table when post-processing steps exist, else the raw one.
   */
  source: v.optional(MovieSourceSchema),
});
export type MovieParams = v.InferOutput<typeof MovieParamsSchema>;

/** The Movie step's structure analysis (binarization). */
export const BinarizeSchema = v.object({
  method: v.picklist(['otsu', 'manual']),
  sampleFrames: intIn(1, 1000),
  manualThreshold: numIn(0),
  smoothSigmaPx: numIn(0, 20),
  connectivity: v.picklist([8, 26]),
});
export type BinarizeParams = v.InferOutput<typeof BinarizeSchema>;

export const DEFAULT_BINARIZE: BinarizeParams = {
  method: 'otsu',
  sampleFrames: 10,
  manualThreshold: 0,
  smoothSigmaPx: 1,
  connectivity: 26,
};

export const ContrastModeSchema = v.picklist(['pooled', 'frame', 'manual']);
export type ContrastMode = v.InferOutput<typeof ContrastModeSchema>;

/** How the movie is shown: colours, contrast window, layers. */
export const MovieDisplaySchema = v.object({
  colormap: v.picklist(COLORMAPS),
  contrastMode: ContrastModeSchema,
  window: v.object({ min: numIn(), max: numIn() }),
  showEv: v.boolean(),
  evColormap: v.picklist(COLORMAPS),
  showOutlines: v.boolean(),
});
export type MovieDisplay = v.InferOutput<typeof MovieDisplaySchema>;

export const DEFAULT_MOVIE_DISPLAY: MovieDisplay = {
  colormap: 'hot',
  contrastMode: 'pooled',
  window: { min: 0, max: 1 },
  showEv: true,
  evColormap: 'magenta',
  showOutlines: true,
};

/** The reference study (SCIENCE.md §1): 5008 frames, W = 1002, S = 6 → 668 movie frames at 10 nm. */
export const REFERENCE_MOVIE = { frames: 5008, window: 1002, step: 6, renderPxNm: 10, movieFrames: 668 };

export const DEFAULT_MOVIE_PARAMS: MovieParams = {
  window: 1002,
  step: 6,
  renderPxNm: 10,
  sigma: { kind: 'precision', factor: 1, minNm: 5 },
  roi: null,
};

/** Largest movie frame side, px: 2560² Float32 is 26 MB per frame and accumulator. */
export const MAX_MOVIE_SIDE = 2560;

export interface MovieContext {
  rawFrames: number;
  cameraWidth: number;
  cameraHeight: number;
  /** Camera pixel size after the user's corrections; needed to place the grid. */
  cameraPixelNm: number | undefined;
}

export type MovieParamErrors = Partial<
  Record<'window' | 'step' | 'renderPxNm' | 'sigma' | 'roi' | 'pixel', string>
>;

export type CheckedMovieParams =
  | { ok: true; grid: RenderGrid; roi: CameraRoi; frameCount: number; notes: string[] }
  | { ok: false; errors: MovieParamErrors };

const isPosInt = (v: number) => Number.isInteger(v) && v >= 1;

/** The ROI text "x0,y0,x1,y1" (camera px, end exclusive) → a rectangle, or a reason. */
export function parseRoi(text: string): CameraRoi | null | string {
  const t = text.trim();
  if (t === '') return null;
  const v = t.split(/[\s,]+/).map(Number);
  if (v.length !== 4 || !v.every(Number.isInteger))
    return 'ROI must be four integers x0,y0,x1,y1 (camera px, x1/y1 exclusive)';
  return { x0: v[0], y0: v[1], x1: v[2], y1: v[3] };
}

export function formatRoi(r: CameraRoi | null): string {
  return r ? `${r.x0},${r.y0},${r.x1},${r.y1}` : '';
}

export function checkMovieParams(p: MovieParams, ctx: MovieContext): CheckedMovieParams {
  const errors: MovieParamErrors = {};
  if (!isPosInt(p.window)) errors.window = 'Window must be a whole number of raw frames ≥ 1';
  else if (p.window > ctx.rawFrames)
    errors.window = `Window (${p.window}) is longer than the stack (${ctx.rawFrames} frames): no movie frame fits`;
  if (!isPosInt(p.step)) errors.step = 'Step must be a whole number of raw frames ≥ 1';
  else if (!errors.window) {
    const tooMany = movieFrameLimitError(ctx.rawFrames, p);
    if (tooMany) errors.step = `${tooMany[0].toUpperCase()}${tooMany.slice(1)}: choose a larger step S`;
  }
  if (!(p.renderPxNm > 0 && p.renderPxNm <= 1000)) errors.renderPxNm = 'Render pixel must be in (0, 1000] nm';
  if (p.sigma.kind === 'precision') {
    if (!(p.sigma.factor > 0 && p.sigma.factor <= 20)) errors.sigma = 'Precision factor must be in (0, 20]';
  } else if (!(p.sigma.nm >= 0 && p.sigma.nm <= 1000)) errors.sigma = 'Fixed σ must be in [0, 1000] nm';
  const cam = ctx.cameraPixelNm;
  if (!(cam && cam > 0))
    errors.pixel = 'The camera pixel size is unknown: set it in Data → Metadata (nm per camera pixel)';
  let roi = p.roi;
  const notes: string[] = [];
  if (roi) {
    const { x0, y0, x1, y1 } = roi;
    if (x0 < 0 || y0 < 0 || x1 > ctx.cameraWidth || y1 > ctx.cameraHeight || x1 <= x0 || y1 <= y0)
      errors.roi = `ROI ${formatRoi(roi)} is not inside the ${ctx.cameraWidth}×${ctx.cameraHeight} px field (x1, y1 exclusive)`;
  }
  if (!errors.pixel && !errors.renderPxNm && cam) {
    const scale = cam / p.renderPxNm;
    const maxCam = Math.floor(MAX_MOVIE_SIDE / scale);
    if (roi && !errors.roi) {
      const w = Math.round((roi.x1 - roi.x0) * scale);
      const h = Math.round((roi.y1 - roi.y0) * scale);
      if (w > MAX_MOVIE_SIDE || h > MAX_MOVIE_SIDE)
        errors.roi = `This ROI makes ${w}×${h} px movie frames (limit ${MAX_MOVIE_SIDE}²): choose at most ${maxCam}×${maxCam} camera px or a coarser render pixel`;
    } else if (!roi) {
      const w = Math.min(ctx.cameraWidth, maxCam);
      const h = Math.min(ctx.cameraHeight, maxCam);
      const x0 = Math.floor((ctx.cameraWidth - w) / 2);
      const y0 = Math.floor((ctx.cameraHeight - h) / 2);
      roi = { x0, y0, x1: x0 + w, y1: y0 + h };
      if (w < ctx.cameraWidth || h < ctx.cameraHeight)
        notes.push(
          `The whole ${ctx.cameraWidth}×${ctx.cameraHeight} px field at ${p.renderPxNm} nm exceeds ${MAX_MOVIE_SIDE}² px: the central ${w}×${h} px (${formatRoi(roi)}) is used. Type an ROI to choose another region.`,
        );
    }
  }
  if (Object.keys(errors).length > 0 || !roi || !cam) return { ok: false, errors };
  const grid: RenderGrid = {
    x0Nm: roi.x0 * cam,
    y0Nm: roi.y0 * cam,
    width: Math.max(1, Math.round(((roi.x1 - roi.x0) * cam) / p.renderPxNm)),
    height: Math.max(1, Math.round(((roi.y1 - roi.y0) * cam) / p.renderPxNm)),
    pixelNm: p.renderPxNm,
  };
  const frameCount = movieFrameCount(ctx.rawFrames, p);
  return { ok: true, grid, roi, frameCount, notes };
}

/** Live count shown beside W and S; null while either is invalid. */
export function liveFrameCount(rawFrames: number, window: number, step: number): number | null {
  if (!isPosInt(window) || !isPosInt(step)) return null;
  return movieFrameCount(rawFrames, { window, step });
}

/**
 * Localizations after the stack's last frame are in no movie frame. Said in the panel, since a
 * frame number that large (10⁹) is usually a damaged row, and a movie running to it would be
 * refused (more than MAX_MOVIE_FRAMES) — the frames follow the stack, not the table.
 */
export function pastEndNote(past: FramesPastEnd, rawFrames: number, w: MovieWindow): string | null {
  if (past.count === 0) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  const which =
    past.count === 1
      ? `1 localization lies in raw frame ${n(past.last + 1)}`
      : `${n(past.count)} localizations lie in raw frames ${n(rawFrames + 1)}…${n(past.last + 1)}`;
  const tooMany = movieFrameLimitError(past.last + 1, w);
  const refused = tooMany ? ` A movie running to it would be refused: ${tooMany}.` : '';
  return `${which}, after the stack's ${n(rawFrames)} frames: left out of the movie.${refused} A frame number that large may be a damaged row: add the filter \`frame < ${rawFrames}\` in Post-process to drop it, or check the acquisition's frame count.`;
}
