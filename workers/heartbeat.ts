// Workers of a pool with a stall deadline (src/engine/workerPool.ts) post this while they compute,
// so a worker busy with a long chunk is told apart from one that is gone. comlink ignores
// messages without an id, so the heartbeat never disturbs a call.
export const HEARTBEAT = { evscopeHeartbeat: 1 } as const;

/** A heartbeat sender for compute loops: at most one message per `everyMs`. */
export function heartbeat(post: (message: unknown) => void, everyMs = 1000): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    post(HEARTBEAT);
  };
}

/**
 * Beats every `everyMs` whenever the worker's event loop is free: for workers whose long calls
 * yield between steps (frames, chunks). A worker stuck in one synchronous step, or gone, is silent.
 */
export function beatWhileAlive(post: (message: unknown) => void, everyMs = 1000): void {
  setInterval(() => post(HEARTBEAT), everyMs);
}
