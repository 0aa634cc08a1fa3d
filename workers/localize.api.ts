// The localization worker's API. Two ways to feed it frames:
//  - pixels: `init` then `localizeFrames(transferred block)` — the Node CLI reads the file on the
//    main thread and transfers each chunk's pixels;
//  - source: `openSource(recipe)` then `init` then `localizeRange(first, count, roi)` — the
//    browser hands every worker the stack's recipe, each opens its own FrameSource and reads its
//    frames locally, so no pixels cross threads.
// Either way the LocTable's column buffers are transferred back, not copied. A caller need not
// wait for one call's answer before the next: openSource, init and the chunks run in the order
// they were sent, so a run starts its workers with one message each and no round trip. `previewFrame`
// localizes one frame of the open source with any parameters and also returns the detection
// candidates, for the live preview over the raw image.
import * as Comlink from 'comlink';
import { type CameraParams, cropCamera, type ScmosMaps } from '../src/core/camera/camera';
import { type GainUnit, type MapRole, readMap, scmosMapsFromSimulation } from '../src/core/camera/scmosMaps';
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import { type SigmaEstimate, SigmaEstimator } from '../src/core/localize/sigmaFromData';
import type { LocTable } from '../src/core/locs/table';
import { readFrameBlock } from '../src/core/stack/frameBlock';
import type { FrameSource, PixelArray } from '../src/core/stack/types';
import { type InputFile, openRecipe, type StackRecipe, simulationOf } from './stackRecipe';

export interface LocalizeInit {
  /** Frame size (of the region of interest, if any) in pixels. */
  width: number;
  height: number;
  /** Localization and camera parameters; sCMOS maps must already match width × height. */
  params: LocalizeParamsInput;
  /**
   * Take the sCMOS calibration maps from the open source's simulation (its truth maps), cut to
   * this region of the full frame. The simulator's maps are seeded, so every worker derives the
   * same maps without any crossing threads.
   */
  mapsFromSource?: PixelRect;
}

/** One calibration map read from an image, for the main thread to keep and pass to runs. */
export interface ReadMapResult {
  map: Float32Array;
  mean: number;
  min: number;
  max: number;
}

/** A rectangle of camera pixels: top-left corner and size. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SourceShape {
  width: number;
  height: number;
  frameCount: number;
  channels: number;
}

export interface PreviewResult {
  frame: number;
  /** Detection candidates (camera px, pixel centres at +0.5), after the minimum-distance rule. */
  candidatesX: Float32Array;
  candidatesY: Float32Array;
  /** Every fit of those candidates (x/y in nm of the full frame), failed ones kept with their `flags`. */
  fits: LocTable;
  /** Detection threshold in the filtered image (photons). */
  threshold: number;
  ms: number;
}

function transferTable(table: LocTable): LocTable {
  return Comlink.transfer(
    table,
    Object.values(table.columns).map((c) => c.buffer as ArrayBuffer),
  );
}

function allocLike(frame: PixelArray, length: number): PixelArray {
  const Ctor = frame.constructor as new (n: number) => PixelArray;
  return new Ctor(length);
}

/** Copies `rect` of a full frame into `out` at `offset` (row-major, rect.width wide). */
function copyRect(
  frame: PixelArray,
  fullWidth: number,
  rect: PixelRect,
  out: PixelArray,
  offset: number,
): void {
  if (rect.x === 0 && rect.width === fullWidth) {
    out.set(frame.subarray(rect.y * fullWidth, (rect.y + rect.height) * fullWidth), offset);
    return;
  }
  for (let y = 0; y < rect.height; y++) {
    const src = (rect.y + y) * fullWidth + rect.x;
    out.set(frame.subarray(src, src + rect.width), offset + y * rect.width);
  }
}

export interface LocalizeApiOptions {
  /** Called per frame read or fitted (throttled by the caller): tells the pool this worker lives. */
  heartbeat?: () => void;
}

interface OpenSource {
  key: string;
  src: FrameSource;
  channel: number;
}

/** What `init` prepared: the run's scratch, and the source open when it was made. */
interface Prepared {
  scratch: LocalizeScratch;
  source: OpenSource | null;
}

/**
 * Runs at most `limit` reads at a time, in call order, and starts the next one the moment one
 * ends — before its caller fits the frames — so a worker's next blocks arrive while it fits the
 * current one, and the first of several queued chunks is not slowed by reads of later ones. Two
 * at a time: a browser File answers each read after a round trip through the browser process,
 * and two reads in flight fetch a stack about twice as fast as one on a loaded machine.
 */
function readQueue(limit = 2) {
  const waiting: (() => void)[] = [];
  let running = 0;
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return <T>(read: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const go = () => {
        running++;
        read().then(
          (v) => {
            next();
            resolve(v);
          },
          (e) => {
            next();
            reject(e);
          },
        );
      };
      if (running >= limit) waiting.push(go);
      else go();
    });
}

export function createLocalizeApi(options: LocalizeApiOptions = {}) {
  const beat = options.heartbeat ?? (() => {});
  let source: OpenSource | null = null;
  // Calls are made in order without waiting for each other's answers (a run sends openSource,
  // init and its first chunks at once): each waits here for the one it depends on. `opening`
  // settles as the latest openSource does, `ready` as the latest init does.
  let opening: Promise<unknown> = Promise.resolve();
  let ready: Promise<Prepared> | null = null;
  const inTurn = readQueue();
  const simMaps = new WeakMap<FrameSource, ScmosMaps>();

  /** The open simulated source's sCMOS maps in camera units, cropped to `rect`, in `camera`. */
  function withSourceMaps(camera: CameraParams, rect: PixelRect): CameraParams {
    const { src } = openedSource();
    let maps = simMaps.get(src);
    if (!maps) {
      const truth = simulationOf(src)?.truth.scmosMaps;
      if (!truth)
        throw new Error(
          `${src.name} is not a simulated sCMOS stack: its calibration maps must be loaded from TIFF files`,
        );
      maps = scmosMapsFromSimulation(truth);
      simMaps.set(src, maps);
    }
    return cropCamera(
      { ...camera, kind: 'scmos', emGain: 1, scmosMaps: maps },
      src.width,
      rect.x,
      rect.y,
      rect.width,
      rect.height,
    );
  }

  function openedSource(): OpenSource {
    if (!source) throw new Error('localize worker: openSource() must be called first');
    return source;
  }

  /** The latest init's scratch and source, once init (and the open before it) has settled. */
  function prepared(method: string): Promise<Prepared> {
    if (!ready) throw new Error(`localize worker: init() must be called before ${method}()`);
    return ready;
  }

  function checkRect(src: FrameSource, r: PixelRect): void {
    if (
      !(
        Number.isInteger(r.x) &&
        Number.isInteger(r.y) &&
        Number.isInteger(r.width) &&
        Number.isInteger(r.height)
      ) ||
      r.x < 0 ||
      r.y < 0 ||
      r.width < 1 ||
      r.height < 1 ||
      r.x + r.width > src.width ||
      r.y + r.height > src.height
    )
      throw new Error(
        `region ${r.x},${r.y} ${r.width}×${r.height} px must be whole pixels inside the ${src.width}×${src.height} px frame`,
      );
  }

  /** Reads `count` frames from `from` (default the open source), cropped to `rect`, back to back. */
  async function readBlock(
    first: number,
    count: number,
    rect: PixelRect,
    from: OpenSource = openedSource(),
  ): Promise<PixelArray> {
    const { src, channel } = from;
    checkRect(src, rect);
    if (
      !(
        Number.isInteger(first) &&
        Number.isInteger(count) &&
        first >= 0 &&
        count >= 1 &&
        first + count <= src.frameCount
      )
    )
      throw new Error(
        `frames ${first}…${first + count - 1} are outside the stack's ${src.frameCount} frames`,
      );
    // One block read per chunk: a browser File costs an IPC round trip per read, so frames
    // read one by one (two or three reads each) were what made the browser slower than the CLI.
    const frames = await readFrameBlock(src, first, count, { channel });
    beat();
    if (rect.x === 0 && rect.y === 0 && rect.width === src.width && rect.height === src.height) return frames;
    const size = rect.width * rect.height;
    const full = src.width * src.height;
    const block = allocLike(frames, count * size);
    for (let f = 0; f < count; f++)
      copyRect(frames.subarray(f * full, (f + 1) * full), src.width, rect, block, f * size);
    return block;
  }

  /** `params` resolved for `rect` of the open source, with its sCMOS maps cropped to it. */
  function paramsFor(params: LocalizeParamsInput, rect: PixelRect, mapsFromSource: boolean) {
    const { src } = openedSource();
    const p = resolveLocalizeParams(params);
    p.camera = mapsFromSource
      ? withSourceMaps(p.camera, rect)
      : cropCamera(p.camera, src.width, rect.x, rect.y, rect.width, rect.height);
    return p;
  }

  return {
    /** Prepares a run; after the openSource called before it (maps may come from that source). */
    init(config: LocalizeInit): Promise<void> {
      const made = opening.then(() => {
        const p = resolveLocalizeParams(config.params);
        if (config.mapsFromSource) p.camera = withSourceMaps(p.camera, config.mapsFromSource);
        return { scratch: new LocalizeScratch(config.width, config.height, p), source };
      });
      ready = made;
      return made.then(() => undefined);
    },

    /**
     * Reads one sCMOS calibration map (frame 0 of an image, any pixel type) for a width × height
     * stack; refused with a reason naming the file when its size or values are wrong.
     */
    async readScmosMap(
      role: MapRole,
      file: InputFile,
      width: number,
      height: number,
      gainUnit: GainUnit = 'electronsPerAdu',
    ): Promise<ReadMapResult> {
      const src = await openRecipe({ kind: 'files', files: [file] });
      const map = await readMap(role, src, width, height, { gainUnit });
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < map.length; i++) {
        const v = map[i];
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return Comlink.transfer({ map, mean: sum / map.length, min, max }, [map.buffer as ArrayBuffer]);
    },

    /** Localizes `frameCount` frames packed back to back in `pixels`, numbered from `firstFrameIndex`. */
    async localizeFrames(pixels: PixelArray, frameCount: number, firstFrameIndex: number): Promise<LocTable> {
      const { scratch } = await prepared('localizeFrames');
      return transferTable(localizeFrames(pixels, frameCount, firstFrameIndex, scratch, beat));
    },

    /**
     * Opens the stack this worker reads from. `key` names the stack: a source already open under
     * the same key and channel is kept, so every run does not re-open (and re-index) the file.
     */
    openSource(recipe: StackRecipe, channel = 0, key = ''): Promise<SourceShape> {
      const open = async (): Promise<SourceShape> => {
        if (!(source && key !== '' && source.key === key && source.channel === channel)) {
          const src = await openRecipe(recipe);
          if (!(Number.isInteger(channel) && channel >= 0 && channel < src.channels))
            throw new Error(`channel ${channel + 1} does not exist: ${src.name} has ${src.channels}`);
          source = { key, src, channel };
        }
        const { src } = source;
        return { width: src.width, height: src.height, frameCount: src.frameCount, channels: src.channels };
      };
      // After the open before it, whether that one worked or not; an init sent after this call
      // fails with this call's error.
      const opened = opening.then(open, open);
      opening = opened;
      return opened;
    },

    /**
     * Reads frames [first, first + count) of the open source, crops them to `roi` (the region
     * `init` was given; default the whole frame) and localizes them. x/y come back in nm of the
     * region; the caller shifts them to the full frame.
     */
    async localizeRange(first: number, count: number, roi?: PixelRect): Promise<LocTable> {
      // The init sent before this call, even if another arrives while this one waits.
      const { scratch, source: from } = await prepared('localizeRange');
      if (!from) throw new Error('localize worker: openSource() must be called before init()');
      const { src } = from;
      const rect = roi ?? { x: 0, y: 0, width: src.width, height: src.height };
      if (rect.width !== scratch.width || rect.height !== scratch.height)
        throw new Error(
          `region ${rect.width}×${rect.height} px does not match init()'s ${scratch.width}×${scratch.height} px`,
        );
      // Read everything first, then localize in one synchronous step: a second call arriving
      // while this one awaits its reads must not interleave with it in the shared scratch.
      const block = await inTurn(() => readBlock(first, count, rect, from));
      return transferTable(localizeFrames(block, count, first, scratch, beat));
    },

    /**
     * Detection and fitting of one frame of the open source with `params`, inside `roi` (default
     * the whole frame). Failed fits are kept (flags ≠ 0) so the preview can show them. sCMOS maps
     * in `params` cover the full frame (they are cropped here), or come from the simulation.
     */
    async previewFrame(
      frame: number,
      params: LocalizeParamsInput,
      roi?: PixelRect,
      mapsFromSource = false,
    ): Promise<PreviewResult> {
      const t0 = performance.now();
      await opening;
      const { src } = openedSource();
      const rect = roi ?? { x: 0, y: 0, width: src.width, height: src.height };
      const p = paramsFor({ ...params, keepFailed: true }, rect, mapsFromSource);
      const block = await readBlock(frame, 1, rect);
      const s = new LocalizeScratch(rect.width, rect.height, p);
      const fits = localizeFrames(block, 1, frame, s);
      const n = s.candidates.count;
      const candidatesX = new Float32Array(n);
      const candidatesY = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        candidatesX[i] = s.candidates.x[i] + rect.x + 0.5;
        candidatesY[i] = s.candidates.y[i] + rect.y + 0.5;
      }
      const ox = rect.x * p.pixelSizeNm;
      const oy = rect.y * p.pixelSizeNm;
      for (let i = 0; i < fits.length; i++) {
        fits.columns.x[i] += ox;
        fits.columns.y[i] += oy;
      }
      const result: PreviewResult = {
        frame,
        candidatesX,
        candidatesY,
        fits,
        threshold: s.lastThreshold,
        ms: performance.now() - t0,
      };
      return Comlink.transfer(result, [
        candidatesX.buffer,
        candidatesY.buffer,
        ...Object.values(fits.columns).map((c) => c.buffer as ArrayBuffer),
      ]);
    },

    /**
     * PSF σ measured on frames [first, first + count) of the open source inside `roi`: free-σ
     * fits of isolated spots, frame by frame until 400 are collected; `params.sigmaNm` is the
     * start value. Throws, saying what is missing, when too few spots are found.
     */
    async estimateSigma(
      params: LocalizeParamsInput,
      first: number,
      count: number,
      roi?: PixelRect,
      mapsFromSource = false,
    ): Promise<SigmaEstimate> {
      await opening;
      const { src } = openedSource();
      const rect = roi ?? { x: 0, y: 0, width: src.width, height: src.height };
      const est = new SigmaEstimator(rect.width, rect.height, paramsFor(params, rect, mapsFromSource));
      for (let f = first; f < first + count && !est.done(); f++) est.addFrame(await readBlock(f, 1, rect));
      return est.result();
    },
  };
}

export type LocalizeApi = ReturnType<typeof createLocalizeApi>;
