// Orchestrates a localization run: splits the frame range into chunks, localizes the chunks on a
// worker pool and streams the resulting tables back in frame order — so the output is identical
// whatever the number of workers. Frames reach the workers one of two ways:
//  - a `FrameReader` (the CLI): frames are read here, packed and transferred to a worker;
//  - a `WorkerSource` (the browser): every worker opens the stack itself from its recipe and
//    reads its chunk's frames locally; only frame numbers go out and tables come back.
// Cancelling stops dispatching; chunks already being localized are finished and delivered, so
// nothing done is thrown away. A frame that cannot be read (a damaged page) or localized stops the
// run there: the frames before it — also those of its own chunk, redone frame by frame — are
// delivered, and the result names the frame; only a run that got nothing done throws.
import * as Comlink from 'comlink';
import type { LocalizeApi } from '../../workers/localize.api';
import type { StackRecipe } from '../../workers/stackRecipe';
import { cropCamera } from '../core/camera/camera';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../core/localize/params';
import { concatLocTables, type LocTable } from '../core/locs/table';
import type { FrameSource, PixelArray } from '../core/stack/types';
import { WorkerDiedError } from './workerPool';

/** The stack's frame size and length, as a FrameSource states them. */
type StackShape = Pick<FrameSource, 'width' | 'height' | 'frameCount'>;

export interface FrameReader extends StackShape {
  readFrame(index: number, signal?: AbortSignal): Promise<PixelArray>;
  /** Frames [first, first + count) back to back in one call (few large reads); optional. */
  readFrames?(first: number, count: number, signal?: AbortSignal): Promise<PixelArray>;
}

/** A stack each worker opens for itself (browser runs): no pixels cross threads. */
export interface WorkerSource extends StackShape {
  readonly recipe: StackRecipe;
  /** 0-based channel to localize; default 0. */
  readonly channel?: number;
  /** Names the stack, so workers that already opened it keep it open across runs. */
  readonly key?: string;
  /** Each worker takes the sCMOS calibration maps from the stack's simulation. */
  readonly scmosMapsFromSimulation?: boolean;
}

export function isWorkerSource(s: FrameReader | WorkerSource): s is WorkerSource {
  return 'recipe' in s;
}

/** The part of a pool a run needs (WorkerPool<LocalizeApi> satisfies it). */
export interface LocalizePool {
  readonly size: number;
  configure(setup: (api: Comlink.Remote<LocalizeApi>) => Promise<void>): void;
  run<R>(task: (api: Comlink.Remote<LocalizeApi>) => Promise<R>): Promise<R>;
}

export interface RegionOfInterest {
  /** Top-left corner and size, in camera pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LocalizeProgress {
  framesDone: number;
  framesTotal: number;
  localizations: number;
  framesPerSecond: number;
  /** Seconds left at the current rate; NaN before the first chunk. */
  etaSeconds: number;
}

export interface LocalizeChunkInfo {
  chunkIndex: number;
  firstFrame: number;
  frameCount: number;
}

export interface LocalizeRunOptions {
  source: FrameReader | WorkerSource;
  params: LocalizeParamsInput;
  pool: LocalizePool;
  /** Frames [start, end), 0-based; default all. */
  frames?: { start: number; end: number };
  /** Only this part of each frame is localized; positions stay in full-frame coordinates. */
  roi?: RegionOfInterest;
  /** Frames per chunk sent to a worker; default 32. */
  chunkSize?: number;
  /** Each chunk's table, in frame order; x/y in nm of the full frame. */
  onChunk?: (table: LocTable, info: LocalizeChunkInfo) => void;
  onProgress?: (p: LocalizeProgress) => void;
  /** Minimum time between progress reports (ms); default 250. The final report is always sent. */
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export interface LocalizeRunResult {
  /** Frames whose localizations were delivered (contiguous from the first frame). */
  framesDone: number;
  localizations: number;
  seconds: number;
  framesPerSecond: number;
  cancelled: boolean;
  /** Set when the run stopped at a frame it could not read or localize (0-based). */
  failedFrame?: { frame: number; message: string };
}

/** The first frames of a chunk that could be read before `error`; none when `count` is 0. */
interface ChunkRead {
  block: PixelArray | null;
  count: number;
  error: unknown;
}

interface Done {
  table: LocTable;
  /** Frames the table covers, from the chunk's first frame. */
  count: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function validateRange(o: LocalizeRunOptions): { start: number; end: number; roi: RegionOfInterest } {
  const { width, height, frameCount } = o.source;
  const start = o.frames?.start ?? 0;
  const end = o.frames?.end ?? frameCount;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= frameCount && start <= end))
    throw new Error(`frame range ${start}:${end} is outside the stack's ${frameCount} frames`);
  const roi = o.roi ?? { x: 0, y: 0, width, height };
  if (
    !(
      Number.isInteger(roi.x) &&
      Number.isInteger(roi.y) &&
      Number.isInteger(roi.width) &&
      Number.isInteger(roi.height)
    ) ||
    roi.x < 0 ||
    roi.y < 0 ||
    roi.width < 1 ||
    roi.height < 1 ||
    roi.x + roi.width > width ||
    roi.y + roi.height > height
  ) {
    throw new Error(
      `region of interest ${roi.x},${roi.y} ${roi.width}×${roi.height} px must be whole pixels inside the ${width}×${height} px frame`,
    );
  }
  return { start, end, roi };
}

function allocLike(frame: PixelArray, length: number): PixelArray {
  const Ctor = frame.constructor as new (n: number) => PixelArray;
  return new Ctor(length);
}

export async function localizeRun(o: LocalizeRunOptions): Promise<LocalizeRunResult> {
  const { start, end, roi } = validateRange(o);
  const params = resolveLocalizeParams(o.params);
  const full = o.source;
  const cropped = roi.x !== 0 || roi.y !== 0 || roi.width !== full.width || roi.height !== full.height;
  const workerParams: LocalizeParamsInput = {
    ...params,
    camera: cropCamera(params.camera, full.width, roi.x, roi.y, roi.width, roi.height),
  };
  const ws = isWorkerSource(full) ? full : null;
  o.pool.configure(async (api) => {
    // Sent together: the worker inits after it opened the stack (see localize.api.ts).
    const opened = ws ? api.openSource(ws.recipe, ws.channel ?? 0, ws.key ?? '') : null;
    const init = api.init({
      width: roi.width,
      height: roi.height,
      params: workerParams,
      mapsFromSource: ws?.scmosMapsFromSimulation ? roi : undefined,
    });
    init.catch(() => {});
    const shape = await opened;
    if (ws && shape && (shape.width !== ws.width || shape.height !== ws.height || shape.frameCount < end))
      throw new Error(
        `the worker opened a ${shape.width}×${shape.height} px stack of ${shape.frameCount} frames, expected ${ws.width}×${ws.height} px with ${ws.frameCount}`,
      );
    await init;
  });
  const chunkSize = Math.max(1, Math.floor(o.chunkSize ?? 32));
  const chunkCount = Math.ceil((end - start) / chunkSize);
  // Two chunks per worker keep every worker busy while the next chunk is being read; chunks done
  // ahead of a slow one wait for it, but never more than a few per worker (bounded memory).
  // Workers that read their own frames hold three: only frame numbers wait here, and a worker's
  // next chunk is handed out by this thread, which in the browser also draws the live results —
  // a worker should not sit idle through one redraw.
  const perWorker = ws ? 3 : 2;
  const maxInFlight = perWorker * o.pool.size;
  const maxAhead = 2 * perWorker * o.pool.size;
  const offsetX = roi.x * params.pixelSizeNm;
  const offsetY = roi.y * params.pixelSizeNm;
  const interval = o.progressIntervalMs ?? 250;
  const t0 = performance.now();
  let lastProgress = Number.NEGATIVE_INFINITY;

  const finished = new Map<number, Done>();
  let nextToEmit = 0;
  let framesDone = 0;
  let localizations = 0;
  let failure: { frame: number; error: unknown } | null = null;
  /** No chunk after this one is delivered: the run stopped inside it or before the next. */
  let lastChunk = Number.POSITIVE_INFINITY;
  const running = new Set<Promise<void>>();

  const report = (force: boolean) => {
    if (!o.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    const seconds = (now - t0) / 1000;
    const fps = seconds > 0 ? framesDone / seconds : 0;
    const left = end - start - framesDone;
    o.onProgress({
      framesDone,
      framesTotal: end - start,
      localizations,
      framesPerSecond: fps,
      etaSeconds: fps > 0 ? left / fps : Number.NaN,
    });
  };

  const emitReady = () => {
    for (let d = finished.get(nextToEmit); d && nextToEmit <= lastChunk; d = finished.get(nextToEmit)) {
      finished.delete(nextToEmit);
      const first = start + nextToEmit * chunkSize;
      const { table: t, count } = d;
      if (offsetX !== 0 || offsetY !== 0) {
        const x = t.columns.x;
        const y = t.columns.y;
        for (let i = 0; i < t.length; i++) {
          x[i] += offsetX;
          y[i] += offsetY;
        }
      }
      o.onChunk?.(t, { chunkIndex: nextToEmit, firstFrame: first, frameCount: count });
      framesDone += count;
      localizations += t.length;
      nextToEmit++;
      report(false);
    }
  };

  const readChunk = async (reader: FrameReader, first: number, count: number): Promise<ChunkRead> => {
    const w = roi.width;
    const h = roi.height;
    if (reader.readFrames) {
      try {
        const frames = await reader.readFrames(first, count, o.signal);
        if (frames.length === count * reader.width * reader.height)
          return { block: cropped ? cropBlock(frames, reader.width, count) : frames, count, error: null };
      } catch {
        // Read again frame by frame below: that finds the good frames before a damaged one.
      }
    }
    let block: PixelArray | null = null;
    for (let f = 0; f < count; f++) {
      let frame: PixelArray;
      try {
        frame = await reader.readFrame(first + f, o.signal);
        if (frame.length !== reader.width * reader.height)
          throw new Error(
            `frame ${first + f + 1} has ${frame.length} pixels, expected ${reader.width}×${reader.height}`,
          );
      } catch (error) {
        return { block: block?.subarray(0, f * w * h) ?? null, count: f, error };
      }
      block ??= allocLike(frame, count * w * h);
      if (!cropped) {
        block.set(frame, f * w * h);
      } else {
        for (let y = 0; y < h; y++) {
          const src = (roi.y + y) * reader.width + roi.x;
          block.set(frame.subarray(src, src + w), f * w * h + y * w);
        }
      }
    }
    return { block, count, error: null };
  };

  const cropBlock = (frames: PixelArray, fullWidth: number, count: number): PixelArray => {
    const size = roi.width * roi.height;
    const full = frames.length / count;
    const out = allocLike(frames, count * size);
    for (let f = 0; f < count; f++)
      for (let y = 0; y < roi.height; y++) {
        const src = f * full + (roi.y + y) * fullWidth + roi.x;
        out.set(frames.subarray(src, src + roi.width), f * size + y * roi.width);
      }
    return out;
  };

  /** Records where the run stops; `partial` holds the frames of `chunk` done before `frame`. */
  const stopAt = (chunk: number, frame: number, error: unknown, partial: Done | null) => {
    if (failure !== null && failure.frame <= frame) return;
    failure = { frame, error };
    lastChunk = partial && partial.count > 0 ? chunk : chunk - 1;
    if (partial && partial.count > 0) finished.set(chunk, partial);
  };

  const pixelTask =
    (block: PixelArray, first: number, count: number) => (api: Comlink.Remote<LocalizeApi>) => {
      // Each attempt transfers its own copy: a retried chunk's first buffer went to the dead worker.
      const pixels = block.slice();
      return api.localizeFrames(Comlink.transfer(pixels, [pixels.buffer as ArrayBuffer]), count, first);
    };

  /** A chunk that failed, redone one frame at a time up to the frame that fails again. */
  const salvage = async (chunk: number, first: number, count: number, block: PixelArray | null) => {
    const tables: LocTable[] = [];
    const size = roi.width * roi.height;
    for (let f = 0; f < count; f++) {
      try {
        tables.push(
          await o.pool.run(
            block
              ? pixelTask(block.subarray(f * size, (f + 1) * size), first + f, 1)
              : (api) => api.localizeRange(first + f, 1, roi),
          ),
        );
      } catch (error) {
        stopAt(chunk, first + f, error, f > 0 ? { table: concatLocTables(tables), count: f } : null);
        return;
      }
    }
    finished.set(chunk, { table: concatLocTables(tables), count });
  };

  for (let c = 0; c < chunkCount && !o.signal?.aborted && failure === null; c++) {
    while (running.size >= maxInFlight || (running.size > 0 && c - nextToEmit >= maxAhead)) {
      await Promise.race(running);
    }
    if (o.signal?.aborted || failure !== null) break;
    const first = start + c * chunkSize;
    let count = Math.min(chunkSize, end - first);
    let block: PixelArray | null = null;
    if (!ws) {
      const read = await readChunk(full as FrameReader, first, count);
      if (read.error !== null) {
        if (o.signal?.aborted) break;
        // The frames read before the bad one still go out, as a shorter last chunk.
        stopAt(c, first + read.count, read.error, null);
        if (read.count === 0) break;
        lastChunk = c;
        count = read.count;
      }
      block = read.block;
    }
    const task = block
      ? pixelTask(block, first, count)
      : (api: Comlink.Remote<LocalizeApi>) => api.localizeRange(first, count, roi);
    const chunkIndex = c;
    const n = count;
    const job = o.pool
      .run(task)
      .then(
        (table) => finished.set(chunkIndex, { table, count: n }),
        // Workers that keep dying are not asked again frame by frame; anything else is.
        (e) =>
          e instanceof WorkerDiedError
            ? stopAt(chunkIndex, first, e, null)
            : salvage(chunkIndex, first, n, block),
      )
      .then(emitReady)
      .finally(() => {
        running.delete(job);
      });
    running.add(job);
  }
  while (running.size > 0) await Promise.race(running);
  emitReady();
  report(true);
  const failed = failure as { frame: number; error: unknown } | null;
  if (failed !== null && framesDone === 0) throw failed.error;
  const seconds = (performance.now() - t0) / 1000;
  return {
    framesDone,
    localizations,
    seconds,
    framesPerSecond: seconds > 0 ? framesDone / seconds : 0,
    cancelled: failed === null && framesDone < end - start,
    ...(failed !== null ? { failedFrame: { frame: failed.frame, message: message(failed.error) } } : {}),
  };
}
