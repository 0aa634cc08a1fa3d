// Errors of worker services, with a code to branch on: callers test `code` (or `isCancelled`)
// instead of matching message text, which changes with every rewording.

export type WorkerErrorCode =
  /** The caller aborted the call (AbortSignal, a job handle's cancel). */
  | 'cancelled'
  /** The worker died (error event, exit) and the call was not or could no longer be redone. */
  | 'crashed'
  /** The worker sent nothing for longer than its deadline and was presumed dead. */
  | 'silent'
  /** The service was shut down while the call waited. */
  | 'terminated';

export class WorkerError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export class CancelledError extends WorkerError {
  /** `what` reads as a sentence subject: "The EV count", "Tracking". */
  constructor(what: string) {
    super('cancelled', `${what} was cancelled.`);
    this.name = 'CancelledError';
  }
}

/** The error a task rejects with when its workers kept dying (`code` says how the last one went). */
export class WorkerDiedError extends WorkerError {
  constructor(
    message: string,
    readonly attempts: number,
    code: 'crashed' | 'silent' = 'crashed',
  ) {
    super(code, message);
    this.name = 'WorkerDiedError';
  }
}

/** A worker that stopped answering without dying visibly (see `stallTimeoutMs`). */
export class WorkerStalledError extends WorkerError {
  constructor(message: string) {
    super('silent', message);
    this.name = 'WorkerStalledError';
  }
}

export function isWorkerError(e: unknown, code?: WorkerErrorCode): e is WorkerError {
  return e instanceof WorkerError && (code === undefined || e.code === code);
}

/** A cancelled call: ours, or a DOM AbortError from a browser API (e.g. a save dialog dismissed). */
export function isCancelled(e: unknown): boolean {
  return isWorkerError(e, 'cancelled') || (e instanceof Error && e.name === 'AbortError');
}
