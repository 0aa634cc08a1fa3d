// The one way services talk to a worker, because comlink has neither crash handling nor
// cancellation: a worker started on first use and restarted after it dies; a call that rejects
// (WorkerError 'crashed') instead of hanging when its worker dies, and is redone on a fresh worker
// where the service says the work is idempotent; a silence deadline (workers beat while they
// compute, see workers/heartbeat.ts), past which the worker is presumed dead ('silent'); and an
// AbortSignal that rejects the call at once with CancelledError and forwards `cancel` to the
// worker, so a cancel never waits on a silent worker's deadline.
import * as Comlink from 'comlink';
import { CancelledError } from './workerErrors';
import { callsVia, type PoolCalls, type WorkerFactory, WorkerPool } from './workerPool';

export type { WorkerErrorCode } from './workerErrors';
export { CancelledError, isCancelled, isWorkerError, WorkerError } from './workerErrors';

/** Workers beat every second while they compute; this much silence is no slow step. */
export const SILENCE_DEADLINE_MS = 30_000;

export interface WorkerServiceOptions {
  /** Names the worker in errors: "the stack worker". */
  name?: string;
  /**
   * A busy worker silent this long (ms) is presumed dead. Default SILENCE_DEADLINE_MS; a new
   * worker gets `setupDeadlineMs` (default 4×) until it first speaks, for module loading.
   */
  deadlineMs?: number;
  setupDeadlineMs?: number;
  /**
   * Calls are idempotent and the worker keeps nothing a redo would miss: a call whose worker
   * died is redone once on a fresh worker. Otherwise it rejects with code 'crashed' / 'silent'.
   */
  redo?: boolean;
  /** Terminate the worker after this long idle (ms); 0 keeps it. */
  idleTtlMs?: number;
}

export interface CallOptions<Api> {
  /** An abort rejects the call at once with CancelledError naming `what`. */
  signal?: AbortSignal;
  /** Sentence subject for the cancel message ("Tracking"); default "The call". */
  what?: string;
  /** What tells the worker to stop; default `api.cancel()`. */
  cancel?: (api: Comlink.Remote<Api>) => unknown;
}

export interface WorkerService<Api> {
  call<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>, options?: CallOptions<Api>): Promise<T>;
  /** Sends a message to the running worker (a cancel, a close), starting none. */
  notify(fn: (api: Comlink.Remote<Api>) => unknown): void;
  /** Told when a worker died (crash or silence); what it held is gone. */
  onDeath(listener: (error: Error) => void): void;
  /** Workers started so far, replacements included. */
  readonly started: number;
  terminate(): void;
}

export function workerService<Api>(
  factory: WorkerFactory<Api>,
  options: WorkerServiceOptions = {},
): WorkerService<Api> {
  const deathListeners: ((e: Error) => void)[] = [];
  const deadlineMs = options.deadlineMs ?? SILENCE_DEADLINE_MS;
  const pool = new WorkerPool<Api>(factory, {
    size: 1,
    name: options.name,
    maxRetries: options.redo ? 1 : 0,
    stallTimeoutMs: deadlineMs,
    setupTimeoutMs: options.setupDeadlineMs ?? 4 * deadlineMs,
    idleTtlMs: options.idleTtlMs ?? 0,
    onWorkerDeath: (e) => {
      for (const l of deathListeners) l(e);
    },
  });
  return {
    call(fn, o = {}) {
      const { signal } = o;
      const what = o.what ?? 'The call';
      if (signal?.aborted) return Promise.reject(new CancelledError(what));
      let running: Comlink.Remote<Api> | null = null;
      const work = pool.run((api) => {
        running = api;
        return fn(api);
      });
      if (!signal) return work;
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          reject(new CancelledError(what));
          if (running) void Promise.resolve((o.cancel ?? defaultCancel)(running)).catch(() => {});
        };
        signal.addEventListener('abort', onAbort, { once: true });
        work
          .then(resolve, (e: unknown) => reject(signal.aborted ? new CancelledError(what) : e))
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    notify: (fn) => pool.ifRunning(fn),
    onDeath: (l) => void deathListeners.push(l),
    get started() {
      return pool.workersStarted;
    },
    terminate: () => pool.terminate(),
  };
}

/** A backend call that reports progress and stops when `signal` aborts. */
export type ProgressCall<Req, P, R> = (
  req: Req,
  onProgress: (p: P) => void,
  signal?: AbortSignal,
) => Promise<R>;

/**
 * A call that reports progress, as backends expose it: the callback proxied to the worker, the
 * call cancellable by `signal` (CancelledError naming `what`).
 */
export function progressCall<Api, Req, P, R>(
  worker: Pick<WorkerService<Api>, 'call'>,
  run: (api: Comlink.Remote<Api>, req: Req, onProgress: (p: P) => void) => Promise<R>,
  what: string,
): ProgressCall<Req, P, R> {
  return (req, onProgress, signal) =>
    worker.call((api) => run(api, req, Comlink.proxy(onProgress)), { signal, what });
}

/** The app's one instance of a service, made on first use: importing its module starts no worker. */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** The service's API methods as plain async calls (no cancellation: use `call` for that). */
export function serviceCalls<Api>(service: Pick<WorkerService<Api>, 'call'>): PoolCalls<Api> {
  return callsVia<Api>((task) => service.call(task));
}

function defaultCancel(api: unknown): unknown {
  return (api as { cancel(): unknown }).cancel();
}
