// A pool of comlink workers, for browser Workers and Node worker_threads alike (the factory hides
// which). comlink has neither pools nor crash handling: a call to a worker that died never
// settles. So every task races its worker's death; a dead worker is replaced and the tasks it
// held are retried on another, up to `maxRetries` times each, then rejected.
// A worker can also stop answering without any event (the browser kills it, it calls
// `self.close()`): with `stallTimeoutMs` set, a busy worker that sends no message at all for that
// long is presumed dead and handled the same way. Workers of such pools send heartbeats while
// they compute, so only a worker that is really gone stays silent.
import type * as Comlink from 'comlink';
import { WorkerDiedError, WorkerError, WorkerStalledError } from './workerErrors';

export { WorkerDiedError, WorkerStalledError } from './workerErrors';

/** One live worker as the pool sees it. */
export interface PoolWorker<Api> {
  readonly api: Comlink.Remote<Api>;
  /** Called at most once, when the worker can no longer answer (error event, exit, crash). */
  onDeath(listener: (error: Error) => void): void;
  /** Called on every message the worker sends (answers and heartbeats alike). */
  onActivity?(listener: () => void): void;
  terminate(): void;
}

export type WorkerFactory<Api> = () => PoolWorker<Api>;

export interface WorkerPoolOptions {
  /** Workers at most; default `navigator.hardwareConcurrency` (or 2 where unknown). */
  size?: number;
  /** Times one task may be re-run after its worker died; default 2. */
  maxRetries?: number;
  /** Terminate workers idle for this long (ms); 0 keeps them. Default 0. */
  idleTtlMs?: number;
  /**
   * A busy worker silent for this long (ms) is presumed dead: replaced, its tasks retried.
   * 0 (default) waits for ever — only for workers that send no heartbeats.
   */
  stallTimeoutMs?: number;
  /**
   * The same for a worker's setup and for a new worker until its first message (loading modules,
   * opening a stack can take longer than a chunk); default 4 × stall.
   */
  setupTimeoutMs?: number;
  /**
   * Send a task right behind its worker's setup instead of after the setup's answer: for worker
   * APIs that run each call after the calls sent before it (a setup failure fails the task too).
   * Saves a round trip through the main thread, which may be busy drawing, per worker and run.
   */
  pipelineSetup?: boolean;
  /** Names the worker in errors ("the stack worker"); default "the worker". */
  name?: string;
  /** Told of every worker death (crash or silence), e.g. to drop state the worker held. */
  onWorkerDeath?: (error: Error) => void;
}

export interface RunOptions {
  /** Overrides the pool's `maxRetries` for this task (0 for work that must not run twice). */
  maxRetries?: number;
}

interface Slot<Api> {
  worker: PoolWorker<Api>;
  busy: number;
  dead: boolean;
  death: Promise<never>;
  setupGeneration: number;
  setupPromise: Promise<void> | null;
  idleTimer: ReturnType<typeof setTimeout> | null;
  /** Fires when a busy worker stayed silent too long. */
  stallTimer: ReturnType<typeof setTimeout> | null;
  /** Setting up: the longer deadline applies. */
  settingUp: number;
  /** The worker has sent something: it finished loading, so the short deadline applies. */
  heard: boolean;
  declareDead: (error: Error) => void;
}

export function defaultPoolSize(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n && n > 0 ? n : 2;
}

export class WorkerPool<Api> {
  readonly size: number;
  private readonly maxRetries: number;
  private readonly idleTtlMs: number;
  private readonly stallTimeoutMs: number;
  private readonly setupTimeoutMs: number;
  private readonly onWorkerDeath: ((error: Error) => void) | undefined;
  private readonly name: string;
  private readonly pipelineSetup: boolean;
  private readonly slots: Slot<Api>[] = [];
  private setup: ((api: Comlink.Remote<Api>) => Promise<void>) | null = null;
  private setupGeneration = 0;
  private closed = false;
  /** Workers created over the pool's life, replacements included (for diagnostics and tests). */
  workersStarted = 0;

  constructor(
    private readonly factory: WorkerFactory<Api>,
    options: WorkerPoolOptions = {},
  ) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    this.maxRetries = options.maxRetries ?? 2;
    this.idleTtlMs = options.idleTtlMs ?? 0;
    this.stallTimeoutMs = Math.max(0, options.stallTimeoutMs ?? 0);
    this.setupTimeoutMs = Math.max(0, options.setupTimeoutMs ?? 4 * this.stallTimeoutMs);
    this.onWorkerDeath = options.onWorkerDeath;
    this.name = options.name ?? 'the worker';
    this.pipelineSetup = options.pipelineSetup ?? false;
  }

  /**
   * Configures every worker before its next task (e.g. a run's parameters); also applied to
   * replacements. Workers set up for an earlier configuration are set up again.
   */
  configure(setup: (api: Comlink.Remote<Api>) => Promise<void>): void {
    this.setup = setup;
    this.setupGeneration++;
  }

  /** Runs `task` on the least busy worker; retried on another worker if this one dies. */
  async run<R>(task: (api: Comlink.Remote<Api>) => Promise<R>, options: RunOptions = {}): Promise<R> {
    const maxRetries = options.maxRetries ?? this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new WorkerError('terminated', 'worker pool was terminated');
      const slot = this.pick();
      slot.busy++;
      if (slot.idleTimer) {
        clearTimeout(slot.idleTimer);
        slot.idleTimer = null;
      }
      this.watch(slot);
      try {
        if (!this.pipelineSetup) {
          await this.setUp(slot);
          return await Promise.race([task(slot.worker.api), slot.death]);
        }
        const setUp = this.setUp(slot);
        const result = Promise.race([task(slot.worker.api), slot.death]);
        // The setup's own error says what went wrong; the task only failed after it.
        result.catch(() => {});
        await setUp;
        return await result;
      } catch (e) {
        if (!slot.dead) throw e;
        if (attempt >= maxRetries) {
          const why = e instanceof Error ? e.message : String(e);
          throw new WorkerDiedError(
            attempt === 0
              ? `${this.name} stopped: ${why}`
              : `a worker died ${attempt + 1} times running the same task: ${why}`,
            attempt + 1,
            e instanceof WorkerStalledError ? 'silent' : 'crashed',
          );
        }
      } finally {
        slot.busy--;
        if (slot.busy === 0 && slot.stallTimer) {
          clearTimeout(slot.stallTimer);
          slot.stallTimer = null;
        }
        if (slot.busy === 0 && !slot.dead && this.idleTtlMs > 0) {
          slot.idleTimer = setTimeout(() => this.retire(slot), this.idleTtlMs);
        }
      }
    }
  }

  /**
   * Runs `task` on a live worker now (e.g. a cancel or close message), starting none: work for a
   * worker that is gone has nothing to act on.
   */
  ifRunning(task: (api: Comlink.Remote<Api>) => unknown): void {
    const slot = this.slots.find((s) => !s.dead);
    if (slot) void Promise.resolve(task(slot.worker.api)).catch(() => {});
  }

  /**
   * Starts the pool's workers now, before any task, so that their module loading overlaps what
   * the user does first (opening a file, looking at the preview) instead of the first run.
   */
  warm(): void {
    while (!this.closed && this.slots.length < this.size) {
      const slot = this.spawn();
      if (this.idleTtlMs > 0) slot.idleTimer = setTimeout(() => this.retire(slot), this.idleTtlMs);
    }
  }

  /** Live workers right now. */
  get liveWorkers(): number {
    return this.slots.length;
  }

  terminate(): void {
    this.closed = true;
    for (const s of this.slots.splice(0)) this.kill(s);
  }

  private pick(): Slot<Api> {
    let best: Slot<Api> | null = null;
    for (const s of this.slots) if (!best || s.busy < best.busy) best = s;
    if (best && (best.busy === 0 || this.slots.length >= this.size)) return best;
    return this.spawn();
  }

  private spawn(): Slot<Api> {
    const worker = this.factory();
    this.workersStarted++;
    let die!: (e: Error) => void;
    const death = new Promise<never>((_, reject) => {
      die = reject;
    });
    // Nobody may be awaiting the death of an idle worker: keep that from being "unhandled".
    death.catch(() => {});
    const slot: Slot<Api> = {
      worker,
      busy: 0,
      dead: false,
      death,
      setupGeneration: 0,
      setupPromise: null,
      idleTimer: null,
      stallTimer: null,
      settingUp: 0,
      heard: false,
      declareDead: () => {},
    };
    slot.declareDead = (error) => {
      if (slot.dead) return;
      slot.dead = true;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      this.kill(slot);
      // Replace at once: the tasks it held are about to be retried, and a replacement takes a
      // while to start (module loading), so start it before they need it.
      const retrying = slot.busy > 0;
      die(error);
      if (retrying && !this.closed) this.spawn();
      this.onWorkerDeath?.(error);
    };
    worker.onDeath(slot.declareDead);
    worker.onActivity?.(() => {
      slot.heard = true;
      this.watch(slot);
    });
    this.slots.push(slot);
    return slot;
  }

  /** (Re)starts the silence deadline of a busy worker; any message from it calls this. */
  private watch(slot: Slot<Api>): void {
    if (slot.stallTimer) clearTimeout(slot.stallTimer);
    slot.stallTimer = null;
    // A worker not heard from yet may still be loading its modules: that is set-up time too.
    const ms = slot.settingUp > 0 || !slot.heard ? this.setupTimeoutMs : this.stallTimeoutMs;
    if (ms <= 0 || slot.busy === 0 || slot.dead) return;
    slot.stallTimer = setTimeout(() => {
      slot.stallTimer = null;
      slot.declareDead(
        new WorkerStalledError(`a worker sent nothing for ${(ms / 1000).toFixed(1)} s and is presumed dead`),
      );
    }, ms);
  }

  private async setUp(slot: Slot<Api>): Promise<void> {
    slot.settingUp++;
    this.watch(slot);
    try {
      await Promise.race([this.ensureSetup(slot), slot.death]);
    } finally {
      slot.settingUp--;
      this.watch(slot);
    }
  }

  private ensureSetup(slot: Slot<Api>): Promise<void> {
    const setup = this.setup;
    if (!setup) return Promise.resolve();
    if (slot.setupGeneration !== this.setupGeneration || !slot.setupPromise) {
      slot.setupGeneration = this.setupGeneration;
      slot.setupPromise = setup(slot.worker.api);
    }
    return slot.setupPromise;
  }

  private retire(slot: Slot<Api>): void {
    if (slot.busy > 0 || slot.dead) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.dead = true;
    this.kill(slot);
  }

  private kill(slot: Slot<Api>): void {
    slot.dead = true;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (slot.stallTimer) clearTimeout(slot.stallTimer);
    slot.idleTimer = null;
    slot.stallTimer = null;
    try {
      slot.worker.terminate();
    } catch {
      // Already gone: nothing left to release.
    }
  }
}

/** A worker API's methods as plain async calls, each run on the pool (death, stall and retry handled). */
export type PoolCalls<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export function poolCalls<Api>(pool: Pick<WorkerPool<Api>, 'run'>): PoolCalls<Api> {
  return callsVia<Api>((task) => pool.run(task));
}

/** A worker API's methods as plain async calls, each one made through `run`. */
export function callsVia<Api>(
  run: (task: (api: Comlink.Remote<Api>) => Promise<unknown>) => Promise<unknown>,
) {
  return new Proxy({} as PoolCalls<Api>, {
    get(_, key) {
      // Not a thenable: awaiting the object itself must not call a worker method named "then".
      if (key === 'then' || typeof key !== 'string') return undefined;
      return (...args: unknown[]) =>
        run((api) => (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[key](...args));
    },
  });
}
