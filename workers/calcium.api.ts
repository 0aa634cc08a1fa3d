// The Ca²⁺-response worker: opens the stack from its recipe (frames never cross threads), makes
// the baseline mean image and the segmentation, and runs the one streaming pass that turns the
// movie into per-cell traces — sending partial ΔF/F₀ and the responses decided so far while it
// reads, so the heat map, responder fraction and latencies fill in —
// then the per-cell responses. It beats a heartbeat while it computes so the service's silence
// deadline tells a slow stack from a dead worker.
import * as Comlink from 'comlink';
import {
  analyseCalcium,
  type CalciumParams,
  type CalciumResult,
  type CellResponse,
  meanOfFrames,
  partialCalcium,
  type ResponseSummary,
  resolveResponseParams,
  type Segmentation,
  type SegmentOptions,
  segmentCells,
} from '../src/core/calcium';
import { readFrameBlock } from '../src/core/stack/frameBlock';
import type { FrameSource, ReadOptions } from '../src/core/stack/types';
import { openRecipe, type StackRecipe } from './stackRecipe';

export interface CalciumStackRef {
  recipe: StackRecipe;
  channel: number;
}

export interface CalciumRunRequest extends CalciumStackRef {
  params: CalciumParams;
  /** Cells as edited in the panel (0 = none, 1…n); default: segment the mean image. */
  labels?: Int32Array;
  backgroundMask?: Uint8Array;
  meanImage?: Float32Array;
}

export interface CalciumProgressMessage {
  framesDone: number;
  frameCount: number;
  count: number;
  /** ΔF/F₀ so far (cell-major, NaN where not read yet), once the baseline is read. */
  dff: Float32Array | null;
  /** Responses decided on the frames read so far (see partialCalcium); null before the baseline is read. */
  cells: CellResponse[] | null;
  summary: ResponseSummary | null;
}

/** Progress at most this often: the heat map redraw costs the main thread. */
const PROGRESS_INTERVAL_MS = 300;
/** A synchronous frame source (the simulator) would never let a cancel message in. */
const YIELD_INTERVAL_MS = 40;

function yielding(src: FrameSource, beat?: () => void): FrameSource {
  let last = performance.now();
  return new Proxy(src, {
    get(target, prop) {
      if (prop !== 'readFrame' && prop !== 'readFrames') {
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      if (prop === 'readFrames' && !target.readFrames) return undefined;
      return async (index: number, ...rest: [ReadOptions?] | [number, ReadOptions?]) => {
        beat?.();
        const now = performance.now();
        if (now - last > YIELD_INTERVAL_MS) {
          last = now;
          await new Promise((r) => setTimeout(r, 0));
        }
        return prop === 'readFrame'
          ? target.readFrame(index, rest[0] as ReadOptions | undefined)
          : target.readFrames!(index, rest[0] as number, rest[1] as ReadOptions | undefined);
      };
    },
  });
}

export function createCalciumApi(
  beat?: () => void,
  open: (recipe: StackRecipe, signal?: AbortSignal) => Promise<FrameSource> = openRecipe,
  /** Tests pass 0: how many progress messages arrive must not depend on how fast the machine is. */
  progressIntervalMs = PROGRESS_INTERVAL_MS,
) {
  let current: AbortController | null = null;
  const start = () => {
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    return ctl;
  };
  // Readers that know their layout (TIFF) give blocks of frames in one ranged read: the pass
  // then reads a File in a slice per block, not per frame.
  const reader = async (ref: CalciumStackRef, signal: AbortSignal) => {
    const src = yielding(await open(ref.recipe, signal), beat);
    const options = { channel: ref.channel, signal };
    return {
      width: src.width,
      height: src.height,
      frameCount: src.frameCount,
      readFrame: (i: number) => src.readFrame(i, options),
      readFrames: src.readFrames
        ? (first: number, count: number) => readFrameBlock(src, first, count, options)
        : undefined,
    };
  };

  return {
    /** Mean of up to `count` frames spread over [start, end), the segmentation image. */
    async meanImage(
      ref: CalciumStackRef,
      startFrame: number,
      endFrame: number,
      count = 100,
    ): Promise<Float32Array> {
      const ctl = start();
      const src = await reader(ref, ctl.signal);
      const m = await meanOfFrames(src, startFrame, Math.min(endFrame, src.frameCount), count, ctl.signal);
      return Comlink.transfer(m, [m.buffer]);
    },

    segment(image: Float32Array, width: number, height: number, options: SegmentOptions): Segmentation {
      const s = segmentCells(image, width, height, options);
      return Comlink.transfer(s, [s.labels.buffer]);
    },

    async run(
      req: CalciumRunRequest,
      onProgress?: (p: CalciumProgressMessage) => void,
    ): Promise<CalciumResult> {
      const ctl = start();
      const src = await reader(req, ctl.signal);
      const p = resolveResponseParams(req.params, src.frameCount);
      let lastSent = 0;
      const result = await analyseCalcium(
        src,
        req.params,
        { labels: req.labels, backgroundMask: req.backgroundMask, meanImage: req.meanImage },
        (pr) => {
          const now = performance.now();
          if (now - lastSent < progressIntervalMs && pr.framesDone < pr.frameCount) return;
          lastSent = now;
          const part = partialCalcium(pr.accumulator, p, pr.framesDone);
          onProgress?.({
            framesDone: pr.framesDone,
            frameCount: pr.frameCount,
            count: pr.accumulator.count,
            dff: part?.dff ?? null,
            cells: part?.cells ?? null,
            summary: part?.summary ?? null,
          });
        },
        ctl.signal,
      );
      if (current === ctl) current = null;
      return Comlink.transfer(result, [
        result.labels.buffer,
        result.meanImage.buffer,
        result.dff.buffer,
        result.traces.buffer,
      ]);
    },

    cancel(): void {
      current?.abort();
      current = null;
    },
  };
}

export type CalciumApi = ReturnType<typeof createCalciumApi>;
