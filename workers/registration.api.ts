// The registration worker: opens a stack from its recipe (the bead stack, or the stack being
// analysed), localizes the chosen frames of the reference channel (0) and of every moving
// channel with the project's localizer, and registers each moving channel onto channel 0 from
// localizations paired frame by frame and averaged per bead (src/core/registration/beads.ts).
// Only the fitted numbers and the per-bead residuals travel back.
import { LocalizeScratch, localizeFrames } from '../src/core/localize/localize';
import { type LocalizeParamsInput, resolveLocalizeParams } from '../src/core/localize/params';
import { type Affine6, toAffine6 } from '../src/core/registration/affine6';
import { type BeadRegistrationParams, registerBeads } from '../src/core/registration/beads';
import type { FrameSource, PixelArray } from '../src/core/stack/types';
import { openRecipe, type StackRecipe } from './stackRecipe';

export type RegistrationMode = 'frames' | 'mean';

export interface RegistrationFitRequest {
  recipe: StackRecipe;
  /** Moving channels registered onto channel 0 (default: every channel ≥ 1). */
  channels?: number[];
  /** 0-based first frame and number of frames. */
  frames: { start: number; count: number };
  /**
   * 'frames': localize every frame and average per bead (works for beads and for emitters that
   * change from frame to frame); 'mean': localize the mean of the frames once (dim beads).
   */
  mode: RegistrationMode;
  /** Localizer settings (pixel size, camera, threshold) shared by the channels. */
  localize: LocalizeParamsInput;
  /** PSF σ per channel (nm), where known; else `localize.sigmaNm`. */
  sigmaNm?: (number | undefined)[];
  registration?: BeadRegistrationParams;
}

export interface RegistrationProgress {
  done: number;
  total: number;
  /** Seconds since the fit started. */
  elapsed: number;
}

/** Per-bead data of one channel, for the residual plot and the overlay (nm). */
export interface BeadData {
  refX: Float64Array;
  refY: Float64Array;
  /** The bead in the moving channel's own camera coordinates. */
  movX: Float64Array;
  movY: Float64Array;
  residualX: Float64Array;
  residualY: Float64Array;
  frames: Uint32Array;
  firstFrame: Uint32Array;
}

export interface ChannelFit {
  channel: number;
  /** Channel-c camera nm → channel-0 camera nm, and back. */
  toReference: Affine6;
  fromReference: Affine6;
  rmsX: number;
  rmsY: number;
  rms: number;
  looRmsX: number;
  looRmsY: number;
  looRms: number;
  /** Beads (pairs after averaging over frames) used, and rejected. */
  pairs: number;
  outliers: number;
  pairedLocalizations: number;
  /** Localizations found in channel 0 and in this channel. */
  localizations: [number, number];
  beads: BeadData;
  outlierBeads: { refX: Float64Array; refY: Float64Array; movX: Float64Array; movY: Float64Array };
}

export interface ChannelFitError {
  channel: number;
  error: string;
}

export interface RegistrationFitResult {
  stackName: string;
  channels: (ChannelFit | ChannelFitError)[];
  frames: { start: number; count: number };
  mode: RegistrationMode;
  elapsedMs: number;
}

interface Points {
  frame: number[];
  x: number[];
  y: number[];
}

const PROGRESS_INTERVAL_MS = 150;
/** Frames localized per call: enough to amortise the scratch, few enough to yield for a cancel. */
const BLOCK = 8;

export function createRegistrationApi(
  open: (recipe: StackRecipe, signal?: AbortSignal) => Promise<FrameSource> = openRecipe,
) {
  let current: AbortController | null = null;

  return {
    async fit(
      req: RegistrationFitRequest,
      onProgress?: (p: RegistrationProgress) => void,
    ): Promise<RegistrationFitResult> {
      current?.abort();
      const ctl = new AbortController();
      current = ctl;
      const { signal } = ctl;
      const t0 = performance.now();
      try {
        const src = await open(req.recipe, signal);
        if (src.channels < 2)
          throw new Error(
            `${src.name} has one channel: registration needs the reference channel and at least one more.`,
          );
        const moving = req.channels ?? Array.from({ length: src.channels - 1 }, (_, i) => i + 1);
        for (const c of moving)
          if (!(Number.isInteger(c) && c >= 1 && c < src.channels))
            throw new Error(
              `Channel ${c + 1} cannot be registered onto channel 1: ${src.name} has channels 1–${src.channels}.`,
            );
        const { start, count } = req.frames;
        if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 1))
          throw new Error(
            `The frames must be whole numbers with at least one frame (got ${start}, ${count}).`,
          );
        if (start + count > src.frameCount)
          throw new Error(
            `Frames ${start + 1}–${start + count} are past the end of ${src.name} (${src.frameCount} frames).`,
          );
        const all = [0, ...moving];
        const total = all.length * count;
        let done = 0;
        let lastSent = 0;
        let lastYield = performance.now();
        const tick = async (n: number) => {
          done += n;
          const now = performance.now();
          if (now - lastSent >= PROGRESS_INTERVAL_MS || done === total) {
            lastSent = now;
            onProgress?.({ done, total, elapsed: (now - t0) / 1000 });
          }
          // A simulated source answers synchronously: let a cancel call in.
          if (now - lastYield > 40) {
            lastYield = now;
            await new Promise((r) => setTimeout(r, 0));
          }
          signal.throwIfAborted();
        };
        const points: Points[] = [];
        for (const c of all) {
          const params = resolveLocalizeParams({
            ...req.localize,
            ...(req.sigmaNm?.[c] !== undefined ? { sigmaNm: req.sigmaNm[c] } : {}),
          });
          points[c] = await localizeChannel(src, c, start, count, req.mode, params, tick, signal);
        }
        const channels: (ChannelFit | ChannelFitError)[] = moving.map((c) => {
          const ref = points[0];
          const mov = points[c];
          try {
            if (ref.x.length === 0) throw new Error('no beads were found in channel 1');
            if (mov.x.length === 0) throw new Error(`no beads were found in channel ${c + 1}`);
            const r = registerBeads(ref, mov, req.registration);
            return {
              channel: c,
              toReference: toAffine6(r.transform),
              fromReference: toAffine6(r.inverse),
              rmsX: r.rmsX,
              rmsY: r.rmsY,
              rms: r.rms,
              looRmsX: r.looRmsX,
              looRmsY: r.looRmsY,
              looRms: r.looRms,
              pairs: r.beads.refX.length,
              outliers: r.outliers,
              pairedLocalizations: r.pairedLocalizations,
              localizations: [ref.x.length, mov.x.length],
              beads: { ...r.beads, residualX: r.residualX, residualY: r.residualY },
              outlierBeads: {
                refX: r.outlierBeads.refX,
                refY: r.outlierBeads.refY,
                movX: r.outlierBeads.movX,
                movY: r.outlierBeads.movY,
              },
            };
          } catch (e) {
            return { channel: c, error: e instanceof Error ? e.message : String(e) };
          }
        });
        return {
          stackName: src.name,
          channels,
          frames: { start, count },
          mode: req.mode,
          elapsedMs: performance.now() - t0,
        };
      } finally {
        if (current === ctl) current = null;
      }
    },

    /** Stops the running fit; its promise rejects with an AbortError. */
    cancel(): void {
      current?.abort();
    },
  };
}

async function localizeChannel(
  src: FrameSource,
  channel: number,
  start: number,
  count: number,
  mode: RegistrationMode,
  params: ReturnType<typeof resolveLocalizeParams>,
  tick: (n: number) => Promise<void>,
  signal: AbortSignal,
): Promise<Points> {
  const size = src.width * src.height;
  const scratch = new LocalizeScratch(src.width, src.height, params);
  const out: Points = { frame: [], x: [], y: [] };
  const collect = (t: { length: number; columns: Record<string, ArrayLike<number>> }) => {
    const { frame, x, y } = t.columns;
    for (let i = 0; i < t.length; i++) {
      out.frame.push(frame[i]);
      out.x.push(x[i]);
      out.y.push(y[i]);
    }
  };
  if (mode === 'mean') {
    // The mean of the frames, fitted once: its noise is not Poisson any more, but the position
    // estimate of a bright, static bead is unbiased and far more precise than one frame's.
    const sum = new Float32Array(size);
    for (let f = 0; f < count; f++) {
      const frame = await src.readFrame(start + f, { channel, signal });
      for (let i = 0; i < size; i++) sum[i] += frame[i];
      await tick(1);
    }
    for (let i = 0; i < size; i++) sum[i] /= count;
    collect(localizeFrames(sum, 1, start, scratch));
    return out;
  }
  let block: PixelArray | null = null;
  for (let f = 0; f < count; f += BLOCK) {
    const n = Math.min(BLOCK, count - f);
    for (let k = 0; k < n; k++) {
      const frame = await src.readFrame(start + f + k, { channel, signal });
      if (!block || block.length < BLOCK * size || block.constructor !== frame.constructor)
        block = new (frame.constructor as new (len: number) => PixelArray)(BLOCK * size);
      block.set(frame, k * size);
    }
    collect(localizeFrames(block!.subarray(0, n * size) as PixelArray, n, start + f, scratch));
    await tick(n);
  }
  return out;
}

export type RegistrationApi = ReturnType<typeof createRegistrationApi>;
