// A batch queue: the inputs run one at a time (or k at a time in k lanes), each through a caller's
// `run`. A failed input is reported and the queue goes on; cancelling stops taking inputs and
// tells the running ones to stop (they report `cancelled`, not `failed`). No state of its own:
// the caller records every event (and persists it, which is how a batch resumes after a reload).

export interface BatchEvents<R> {
  start(id: string, lane: number): void;
  done(id: string, result: R): void | Promise<void>;
  failed(id: string, message: string): void | Promise<void>;
  cancelled(id: string): void | Promise<void>;
}

export interface BatchOptions<R> extends BatchEvents<R> {
  /** Parallel lanes (≥ 1); each lane runs one input at a time. */
  lanes: number;
  /** Analyses one input; rejects with `isCancel(e)` true when `signal` stopped it. */
  run(id: string, lane: number, signal: AbortSignal): Promise<R>;
  isCancel(e: unknown): boolean;
  signal: AbortSignal;
}

export interface BatchOutcome {
  done: number;
  failed: number;
  /** Inputs not finished because the batch was cancelled (running ones included). */
  notRun: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function runBatch<R>(ids: readonly string[], o: BatchOptions<R>): Promise<BatchOutcome> {
  const out: BatchOutcome = { done: 0, failed: 0, notRun: 0 };
  let next = 0;
  const lane = async (k: number) => {
    while (next < ids.length && !o.signal.aborted) {
      const id = ids[next++];
      o.start(id, k);
      let result: R;
      try {
        result = await o.run(id, k, o.signal);
      } catch (e) {
        if (o.signal.aborted || o.isCancel(e)) {
          out.notRun++;
          await o.cancelled(id);
        } else {
          out.failed++;
          await o.failed(id, message(e));
        }
        continue;
      }
      out.done++;
      await o.done(id, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.lanes, ids.length)) }, (_, k) => lane(k)));
  out.notRun += ids.length - next;
  return out;
}
