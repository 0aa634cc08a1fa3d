// The whole Ca²⁺-response analysis of a movie, streamed: a mean image of the baseline for the
// segmentation (unless cells are given), then one pass over all frames into per-cell traces,
// then per-cell ΔF/F₀ and responses. Frames are read one at a time through `readFrame`; the
// responses can be evaluated on the frames read so far (partialCalcium) for streamed plots.

import type { PixelArray } from '../stack/types';
import {
  analyseTrace,
  type CellResponse,
  nominalAlpha,
  type ResolvedResponseParams,
  type ResponseParams,
  type ResponseSummary,
  resolveResponseParams,
  summariseResponses,
} from './response';
import { type SegmentOptions, segmentCells } from './segment';
import {
  autoBackgroundMask,
  type BackgroundOptions,
  CellTraceAccumulator,
  cellGeometry,
  MeanImage,
} from './traces';

export interface FrameReader {
  width: number;
  height: number;
  frameCount: number;
  readFrame(index: number): Promise<ArrayLike<number>>;
  /**
   * Frames [first, first + count) back to back, for readers that fetch a block in one ranged read
   * (a contiguous TIFF from a browser File: one slice per block, not per frame).
   */
  readFrames?(first: number, count: number): Promise<PixelArray>;
}

/** Pixels per block read in the streaming pass (32 frames of 512², 16 MB as uint16). */
const BLOCK_PIXELS = 32 * 512 * 512;

export interface CalciumParams extends ResponseParams {
  segment?: SegmentOptions;
  background?: BackgroundOptions;
  /** Frames averaged for the segmentation image, spread over the baseline (default 100). */
  meanFrames?: number;
}

export interface CalciumInputs {
  /** Cells given (ROIs, edited segmentation): 0 = none, 1…count. */
  labels?: Int32Array;
  /** Background region given by the user; default automatic. */
  backgroundMask?: Uint8Array;
  /** Segmentation image given (skips the first pass). */
  meanImage?: Float32Array;
}

export interface CalciumProgress {
  framesDone: number;
  frameCount: number;
  accumulator: CellTraceAccumulator;
}

export interface CalciumResult {
  width: number;
  height: number;
  frames: number;
  params: ResolvedResponseParams;
  meanImage: Float32Array;
  labels: Int32Array;
  count: number;
  backgroundMask: Uint8Array;
  /** Background-corrected F, cell-major (count × frames). */
  traces: Float64Array;
  background: Float64Array;
  /** ΔF/F₀, cell-major. */
  dff: Float32Array;
  cells: CellRow[];
  summary: ResponseSummary;
  /** Nominal false-responder probability per non-responding cell (see nominalAlpha). */
  alpha: number;
  segmentationThreshold: number | null;
}

export interface CellRow extends CellResponse {
  cell: number;
  xPx: number;
  yPx: number;
  areaPx: number;
}

/** Mean of up to `count` frames spread evenly over [a, b). */
export async function meanOfFrames(
  src: FrameReader,
  a: number,
  b: number,
  count: number,
  signal?: AbortSignal,
) {
  const m = new MeanImage(src.width * src.height);
  const n = Math.min(count, b - a);
  for (let i = 0; i < n; i++) {
    signal?.throwIfAborted();
    m.add(await src.readFrame(a + Math.floor(((b - a) * i) / n)));
  }
  return m.mean();
}

export async function analyseCalcium(
  src: FrameReader,
  params: CalciumParams,
  inputs: CalciumInputs = {},
  onProgress?: (p: CalciumProgress) => void,
  signal?: AbortSignal,
): Promise<CalciumResult> {
  const { width, height, frameCount } = src;
  const p = resolveResponseParams(params, frameCount);
  const meanImage =
    inputs.meanImage ??
    (await meanOfFrames(src, p.baselineStart, p.baselineEnd, params.meanFrames ?? 100, signal));
  let labels = inputs.labels;
  let count: number;
  let segmentationThreshold: number | null = null;
  if (labels) {
    count = 0;
    for (const l of labels) if (l > count) count = l;
  } else {
    const seg = segmentCells(meanImage, width, height, params.segment);
    labels = seg.labels;
    count = seg.count;
    segmentationThreshold = seg.threshold;
  }
  if (!count) throw new Error('no cells: the segmentation found none (lower the threshold or import ROIs)');
  const backgroundMask =
    inputs.backgroundMask ?? autoBackgroundMask(meanImage, labels, width, height, params.background);
  const acc = new CellTraceAccumulator(labels, count, backgroundMask, frameCount);
  const every = Math.max(1, Math.floor(frameCount / 50));
  const n = width * height;
  const perBlock = src.readFrames ? Math.max(1, Math.floor(BLOCK_PIXELS / n)) : 1;
  for (let f = 0; f < frameCount; ) {
    signal?.throwIfAborted();
    const count = Math.min(perBlock, frameCount - f);
    const block = count > 1 && src.readFrames ? await src.readFrames(f, count) : null;
    for (let k = 0; k < count; k++, f++) {
      acc.addFrame(f, block ? block.subarray(k * n, (k + 1) * n) : await src.readFrame(f));
      if (onProgress && ((f + 1) % every === 0 || f + 1 === frameCount))
        onProgress({ framesDone: f + 1, frameCount, accumulator: acc });
    }
  }
  return finishCalcium(acc, p, { width, height, meanImage, labels, backgroundMask, segmentationThreshold });
}

export function finishCalcium(
  acc: CellTraceAccumulator,
  p: ResolvedResponseParams,
  rest: Pick<
    CalciumResult,
    'width' | 'height' | 'meanImage' | 'labels' | 'backgroundMask' | 'segmentationThreshold'
  >,
): CalciumResult {
  const { count, frames } = acc;
  const geo = cellGeometry(rest.labels, count, rest.width);
  const dff = new Float32Array(count * frames);
  const buf = new Float64Array(frames);
  const cells: CellRow[] = [];
  for (let c = 0; c < count; c++) {
    const r = analyseTrace(acc.trace(c), p, buf);
    dff.set(buf, c * frames);
    cells.push({ cell: c + 1, xPx: geo.x[c], yPx: geo.y[c], areaPx: geo.area[c], ...r });
  }
  return {
    ...rest,
    frames,
    params: p,
    count,
    traces: acc.traces,
    background: acc.background,
    dff,
    cells,
    summary: summariseResponses(cells),
    alpha: nominalAlpha(p.k, p.minFrames, frames - p.addFrame),
  };
}

/** What the frames read so far say: ΔF/F₀ and each cell's response, decided on those frames only. */
export interface PartialCalcium {
  framesDone: number;
  /** Cell-major, NaN where not read yet. */
  dff: Float32Array;
  /** Per cell (index = label − 1), as analyseTrace gives on the frames read. */
  cells: CellResponse[];
  summary: ResponseSummary;
}

/**
 * The responses on the frames read so far, with the same F₀, bleach fit and threshold as the
 * final result (they depend on the baseline only, read first): a cell counts as a responder once
 * the frame completing its m-frame run above threshold has been read, and its latency is then
 * final. Peaks, AUC and transients are "so far". Null until the baseline has been read.
 */
export function partialCalcium(
  acc: CellTraceAccumulator,
  p: ResolvedResponseParams,
  framesDone: number,
): PartialCalcium | null {
  if (framesDone < p.baselineEnd) return null;
  const { count, frames } = acc;
  const dff = new Float32Array(count * frames).fill(Number.NaN);
  const buf = new Float64Array(framesDone);
  const cells: CellResponse[] = [];
  for (let c = 0; c < count; c++) {
    const r = analyseTrace(acc.trace(c).subarray(0, framesDone), p, buf);
    dff.set(buf, c * frames);
    cells.push(r);
  }
  return { framesDone, dff, cells, summary: summariseResponses(cells) };
}
