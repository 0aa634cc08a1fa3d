// The stack worker: owns every opened FrameSource, decodes frames off the main thread, keeps a
// small cache of decoded frames, and turns frames into display-ready RGBA.
import { type ColormapName, colormapLut, paintFrame } from '../src/core/display/colormaps';
import { type FrameStats, frameStats, percentileWindow } from '../src/core/display/contrast';
import { SIDE_GAP } from '../src/core/display/tiles';
import { meanOfFrames } from '../src/core/movie/evFrames';
import type { FrameSource, PixelArray, PixelType, StackMeta } from '../src/core/stack/types';
import { StackError } from '../src/core/stack/types';
import { LruCache } from './frameCache';
import { splitDualView } from './stackReaders';
import { type InputFile, openRecipe, recipeFiles, type StackRecipe, simulationOf } from './stackRecipe';
import { groundTruthApi } from './truth.api';

export type { InputFile, StackRecipe } from './stackRecipe';
export type { TruthCompareOptions, TruthEventColumns, TruthFrames } from './truth.api';

export interface StackInfo {
  id: number;
  name: string;
  files: string[];
  width: number;
  height: number;
  frameCount: number;
  channels: number;
  dtype: PixelType;
  meta: StackMeta;
  /** How to open this stack again in another worker (localization, sessions). */
  recipe: StackRecipe;
}

export type ContrastSpec =
  | { mode: 'auto'; lowPct: number; highPct: number }
  | { mode: 'manual'; min: number; max: number };

export interface ChannelView {
  channel: number;
  contrast: ContrastSpec;
  colormap: ColormapName;
}

export type ChannelLayout = 'single' | 'side-by-side' | 'overlay';

export interface RenderRequest {
  stackId: number;
  frame: number;
  layout: ChannelLayout;
  /** One entry for 'single'; one per shown channel otherwise. */
  views: ChannelView[];
  /**
   * Show the mean of raw frames [frame, frame + meanOf) instead of the single frame (the movie's
   * EV layer averaged over S frames); clipped to the stack's end. Default 1.
   */
  meanOf?: number;
}

export interface RenderedTile {
  channel: number;
  /** Where this channel sits in the output image (side by side puts channels next to each other). */
  x0: number;
  y0: number;
  width: number;
  height: number;
  window: { min: number; max: number };
  stats: FrameStats;
  /** The raw frame, for the cursor readout. */
  values: PixelArray;
}

export interface RenderResult {
  stackId: number;
  frame: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  tiles: RenderedTile[];
  decodeMs: number;
}

/** Errors cross the worker boundary as plain data so the UI can name the file. */
export interface OpenFailure {
  ok: false;
  fileName: string;
  reason: string;
  cancelled?: boolean;
}
export type OpenOutcome = { ok: true; info: StackInfo } | OpenFailure;

export interface StackApiOptions {
  cacheBytes?: number;
  /** Hook so tests and the engine can apply transfer semantics (Comlink.transfer). */
  transfer?: <T>(value: T, transferables: Transferable[]) => T;
}

export function createStackApi(options: StackApiOptions = {}) {
  const stacks = new Map<number, { src: FrameSource; files: string[]; recipe: StackRecipe }>();
  const pending = new Map<number, AbortController>();
  const cache = new LruCache<string, PixelArray>(options.cacheBytes ?? 128 * 2 ** 20, (a) => a.byteLength);
  const inflight = new Map<string, Promise<PixelArray>>();
  const transfer = options.transfer ?? (<T>(v: T) => v);
  let nextId = 1;

  function register(src: FrameSource, recipe: StackRecipe): StackInfo {
    const id = nextId++;
    const files = recipeFiles(recipe);
    stacks.set(id, { src, files, recipe });
    return {
      id,
      recipe,
      name: src.name,
      files,
      width: src.width,
      height: src.height,
      frameCount: src.frameCount,
      channels: src.channels,
      dtype: src.dtype,
      meta: src.meta,
    };
  }

  function get(id: number) {
    const s = stacks.get(id);
    if (!s) throw new Error(`stack ${id} is not open`);
    return s;
  }

  function failure(e: unknown, files: string[]): OpenFailure {
    if (e instanceof StackError) return { ok: false, fileName: e.fileName, reason: e.reason };
    if (e instanceof DOMException && e.name === 'AbortError') {
      return { ok: false, fileName: files.join(', '), reason: 'opening was cancelled', cancelled: true };
    }
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, fileName: files.join(', '), reason };
  }

  /** Mean of raw frames [frame, frame + count), cached like a frame (the player revisits it). */
  async function readMean(stackId: number, frame: number, count: number, channel: number) {
    const key = `${stackId}:mean:${channel}:${frame}:${count}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const frames: PixelArray[] = [];
    // One at a time: a block of frames read together would evict each other from a small cache.
    for (let f = frame; f < frame + count; f++) frames.push(await readCached(stackId, f, channel));
    const mean = meanOfFrames(frames);
    cache.set(key, mean);
    return mean;
  }

  function readCached(stackId: number, frame: number, channel: number): Promise<PixelArray> {
    const key = `${stackId}:${channel}:${frame}`;
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    let p = inflight.get(key);
    if (!p) {
      p = get(stackId)
        .src.readFrame(frame, { channel })
        .then((a) => {
          cache.set(key, a);
          return a;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  }

  async function withCancel(requestId: number, recipe: StackRecipe) {
    const ctl = new AbortController();
    pending.set(requestId, ctl);
    try {
      const src = await openRecipe(recipe, ctl.signal);
      ctl.signal.throwIfAborted();
      return { ok: true, info: register(src, recipe) } as OpenOutcome;
    } catch (e) {
      return failure(e, recipeFiles(recipe));
    } finally {
      pending.delete(requestId);
    }
  }

  return {
    // Ground truth of simulated stacks (workers/truth.api.ts): events and scoring stay here.
    ...groundTruthApi((id) => simulationOf(get(id).src), transfer),

    /** Several files chosen together (pages, or a movie and its sidecar) become one stack. */
    open(files: InputFile[], requestId = 0): Promise<OpenOutcome> {
      return withCancel(requestId, { kind: 'files', files });
    },

    /** Opens any recipe, e.g. a simulation. */
    openRecipe(recipe: StackRecipe, requestId = 0): Promise<OpenOutcome> {
      return withCancel(requestId, recipe);
    },

    /** Adds `files` as further channel(s) of stack `baseId`, as a new stack. */
    addChannel(baseId: number, files: InputFile[], requestId = 0): Promise<OpenOutcome> {
      const base = get(baseId);
      return withCancel(requestId, { kind: 'channels', inputs: [base.recipe, { kind: 'files', files }] });
    },

    async splitDualView(id: number, layout: 'left-right' | 'top-bottom'): Promise<OpenOutcome> {
      const base = get(id);
      try {
        return {
          ok: true,
          info: register(splitDualView(base.src, layout), { kind: 'dualView', base: base.recipe, layout }),
        };
      } catch (e) {
        return failure(e, base.files);
      }
    },

    cancel(requestId: number): void {
      pending.get(requestId)?.abort();
    },

    close(id: number): void {
      stacks.delete(id);
      cache.deleteWhere((k) => k.startsWith(`${id}:`));
    },

    async render(req: RenderRequest): Promise<RenderResult> {
      const { src } = get(req.stackId);
      const frame = Math.max(0, Math.min(src.frameCount - 1, Math.round(req.frame)));
      const t0 = performance.now();
      const meanOf = Math.max(1, Math.min(src.frameCount - frame, Math.round(req.meanOf ?? 1)));
      const frames = await Promise.all(
        req.views.map((v) =>
          meanOf > 1
            ? readMean(req.stackId, frame, meanOf, v.channel)
            : readCached(req.stackId, frame, v.channel),
        ),
      );
      const decodeMs = performance.now() - t0;
      const w = src.width;
      const h = src.height;
      const n = req.layout === 'side-by-side' ? req.views.length : 1;
      const outW = n * w + (n - 1) * SIDE_GAP;
      const rgba = new Uint8ClampedArray(outW * h * 4);
      const tiles: RenderedTile[] = req.views.map((v, i) => {
        const values = frames[i];
        const win =
          v.contrast.mode === 'auto'
            ? percentileWindow(values, v.contrast.lowPct, v.contrast.highPct)
            : { min: v.contrast.min, max: v.contrast.max };
        const x0 = req.layout === 'side-by-side' ? i * (w + SIDE_GAP) : 0;
        paintFrame(
          values,
          w,
          h,
          win,
          colormapLut(v.colormap),
          rgba,
          outW,
          x0,
          0,
          req.layout === 'overlay' && i > 0,
        );
        // The cache keeps its own array; the copy is what crosses to the main thread.
        return {
          channel: v.channel,
          x0,
          y0: 0,
          width: w,
          height: h,
          window: win,
          stats: frameStats(values),
          values: values.slice(),
        };
      });
      // Prefetch the next frame while the user is likely playing or stepping forward.
      if (meanOf === 1 && frame + 1 < src.frameCount) {
        for (const v of req.views) readCached(req.stackId, frame + 1, v.channel).catch(() => {});
      } else if (meanOf > 1 && frame + 2 * meanOf <= src.frameCount) {
        for (const v of req.views) readMean(req.stackId, frame + meanOf, meanOf, v.channel).catch(() => {});
      }
      return transfer({ stackId: req.stackId, frame, width: outW, height: h, rgba, tiles, decodeMs }, [
        rgba.buffer,
        ...tiles.map((t) => t.values.buffer),
      ]);
    },
  };
}

export type StackApi = ReturnType<typeof createStackApi>;
