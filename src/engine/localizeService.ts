// Localization in the browser: a pool of localize workers (one per core) that each open the
// stack from its recipe and read their own frames, plus one separate worker for the live preview
// so that moving a slider stays responsive while a run keeps the pool busy.
import type { LocalizeApi, PixelRect, PreviewResult, ReadMapResult } from '../../workers/localize.api';
import type { InputFile, StackRecipe } from '../../workers/stackRecipe';
import type { GainUnit, MapRole } from '../core/camera/scmosMaps';
import type { LocalizeParamsInput } from '../core/localize/params';
import type { SigmaEstimate } from '../core/localize/sigmaFromData';
import type { LocTable } from '../core/locs/table';
import { localizeWorkerFactory } from './browserWorker';
import {
  type LocalizeChunkInfo,
  type LocalizeProgress,
  type LocalizeRunResult,
  localizeRun,
  type RegionOfInterest,
} from './localizeRun';
import { SILENCE_DEADLINE_MS, type WorkerService, workerService } from './workerCalls';
import { defaultPoolSize, type WorkerFactory, WorkerPool } from './workerPool';

export type { PreviewResult, ReadMapResult } from '../../workers/localize.api';
export type { SigmaEstimate } from '../core/localize/sigmaFromData';
export type { LocalizeProgress, LocalizeRunResult, RegionOfInterest } from './localizeRun';

/** What a run or a preview needs to know about the stack (a StackInfo satisfies it). */
export interface LocalizeStack {
  width: number;
  height: number;
  frameCount: number;
  recipe: StackRecipe;
}

export interface LocalizeRequest {
  stack: LocalizeStack;
  channel: number;
  /** sCMOS maps from files are in `params.camera.scmosMaps`, for the full frame. */
  params: LocalizeParamsInput;
  /** Workers take the sCMOS maps from the stack's simulation instead. */
  scmosMapsFromSimulation?: boolean;
  /** 0-based, end exclusive; default all frames. */
  frames?: { start: number; end: number };
  roi?: RegionOfInterest;
  onChunk?: (table: LocTable, info: LocalizeChunkInfo) => void;
  onProgress?: (p: LocalizeProgress) => void;
  signal?: AbortSignal;
}

export interface PreviewRequest {
  stack: LocalizeStack;
  channel: number;
  frame: number;
  params: LocalizeParamsInput;
  roi?: PixelRect;
  scmosMapsFromSimulation?: boolean;
}

export interface SigmaRequest {
  stack: LocalizeStack;
  channel: number;
  params: LocalizeParamsInput;
  /** 0-based, end exclusive: σ is measured on the first frames of this range. */
  frames: { start: number; end: number };
  roi?: PixelRect;
  scmosMapsFromSimulation?: boolean;
}

/** Frames read for σ from data at most (it stops earlier once 400 spots are fitted). */
export const SIGMA_FRAMES = 200;

/** The engine as the stores see it; tests substitute a fake. */
export interface LocalizeEngine {
  run(req: LocalizeRequest): Promise<LocalizeRunResult>;
  preview(req: PreviewRequest): Promise<PreviewResult>;
  /** Workers the run pool has now. */
  readonly workers: number;
}

export interface LocalizeServiceOptions {
  factory?: WorkerFactory<LocalizeApi>;
  size?: number;
  chunkSize?: number;
  /** A busy worker silent this long (ms) is presumed dead (killed by the browser, closed). */
  stallTimeoutMs?: number;
}

/** Workers beat every second while they read and fit; 30 s of silence is no slow frame. */
export const STALL_TIMEOUT_MS = SILENCE_DEADLINE_MS;

export class LocalizeService implements LocalizeEngine {
  private pool: WorkerPool<LocalizeApi> | null = null;
  private previewPool: WorkerService<LocalizeApi> | null = null;
  private readonly keys = new WeakMap<StackRecipe, string>();
  private nextKey = 1;

  constructor(private readonly options: LocalizeServiceOptions = {}) {}

  private factory(): WorkerFactory<LocalizeApi> {
    return this.options.factory ?? localizeWorkerFactory<LocalizeApi>();
  }

  /** A name per recipe object, so workers keep a stack open across runs and previews. */
  private key(recipe: StackRecipe): string {
    let k = this.keys.get(recipe);
    if (!k) {
      k = `stack-${this.nextKey++}`;
      this.keys.set(recipe, k);
    }
    return k;
  }

  get workers(): number {
    return this.pool?.liveWorkers ?? 0;
  }

  private runPool(): WorkerPool<LocalizeApi> {
    // Idle workers go after a while: each holds an open stack and its scratch buffers.
    this.pool ??= new WorkerPool<LocalizeApi>(this.factory(), {
      size: this.options.size ?? defaultPoolSize(),
      idleTtlMs: 120_000,
      stallTimeoutMs: this.options.stallTimeoutMs ?? STALL_TIMEOUT_MS,
      // A run's openSource, init and first chunks go out at once (the worker orders them): the
      // page is busy drawing the run's start just then, and each answer would wait for it.
      pipelineSetup: true,
    });
    return this.pool;
  }

  /** Starts the run workers ahead of the first run (they load their modules meanwhile). */
  warm(): void {
    this.runPool().warm();
  }

  run(req: LocalizeRequest): Promise<LocalizeRunResult> {
    const pool = this.runPool();
    return localizeRun({
      source: {
        width: req.stack.width,
        height: req.stack.height,
        frameCount: req.stack.frameCount,
        recipe: req.stack.recipe,
        channel: req.channel,
        key: this.key(req.stack.recipe),
        scmosMapsFromSimulation: req.scmosMapsFromSimulation,
      },
      params: req.params,
      pool,
      frames: req.frames,
      roi: req.roi,
      // The CLI's chunk: one block read and one table transfer per 32 frames per worker.
      chunkSize: this.options.chunkSize ?? 32,
      onChunk: req.onChunk,
      onProgress: req.onProgress,
      progressIntervalMs: 250,
      signal: req.signal,
    });
  }

  /** The run pool spreads chunks over many workers (localizeRun); the preview is one service. */
  private previewWorkers(): WorkerService<LocalizeApi> {
    // A preview opens its stack by recipe in the call itself, so a dead worker's call is redone.
    this.previewPool ??= workerService(this.factory(), {
      name: 'the preview worker',
      redo: true,
      deadlineMs: this.options.stallTimeoutMs ?? STALL_TIMEOUT_MS,
    });
    return this.previewPool;
  }

  preview(req: PreviewRequest): Promise<PreviewResult> {
    const key = this.key(req.stack.recipe);
    return this.previewWorkers().call(async (api) => {
      await api.openSource(req.stack.recipe, req.channel, key);
      return api.previewFrame(req.frame, req.params, req.roi, req.scmosMapsFromSimulation ?? false);
    });
  }

  /** PSF σ from the data (free-σ fits of isolated spots), in the preview worker. */
  estimateSigma(req: SigmaRequest): Promise<SigmaEstimate> {
    const key = this.key(req.stack.recipe);
    const count = Math.min(req.frames.end - req.frames.start, SIGMA_FRAMES);
    return this.previewWorkers().call(async (api) => {
      await api.openSource(req.stack.recipe, req.channel, key);
      return api.estimateSigma(
        req.params,
        req.frames.start,
        count,
        req.roi,
        req.scmosMapsFromSimulation ?? false,
      );
    });
  }

  /** Reads one sCMOS calibration map image (frame 0) for a width × height stack, in a worker. */
  readScmosMap(
    role: MapRole,
    file: InputFile,
    width: number,
    height: number,
    gainUnit?: GainUnit,
  ): Promise<ReadMapResult> {
    return this.previewWorkers().call((api) => api.readScmosMap(role, file, width, height, gainUnit));
  }

  terminate(): void {
    this.pool?.terminate();
    this.previewPool?.terminate();
    this.pool = null;
    this.previewPool = null;
  }
}

/** The app's localization engine. */
export const localizeService = new LocalizeService();
