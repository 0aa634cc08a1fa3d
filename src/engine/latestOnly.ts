// Request coalescing for scrubbing: at most one request runs at a time, and while it runs only
// the most recent new request is kept. Intermediate requests are dropped unrun, so dragging the
// slider across 1000 frames decodes a handful, and the last frame asked for is always shown.

export interface LatestOnly<Req> {
  /** Queue `req`; replaces any request still waiting. */
  request(req: Req): void;
  /** True while a request runs. */
  readonly busy: boolean;
  /** Forget the waiting request (e.g. the stack was closed); a running one still completes. */
  clear(): void;
}

export function latestOnly<Req, Res>(
  run: (req: Req) => Promise<Res>,
  onResult: (res: Res, req: Req) => void,
  onError: (err: unknown, req: Req) => void,
  onDrop?: (req: Req) => void,
): LatestOnly<Req> {
  let running = false;
  let waiting: { req: Req } | null = null;

  const pump = () => {
    if (running || !waiting) return;
    const { req } = waiting;
    waiting = null;
    running = true;
    run(req).then(
      (res) => {
        running = false;
        onResult(res, req);
        pump();
      },
      (err) => {
        running = false;
        onError(err, req);
        pump();
      },
    );
  };

  return {
    request(req) {
      if (waiting) onDrop?.(waiting.req);
      waiting = { req };
      pump();
    },
    get busy() {
      return running;
    },
    clear() {
      if (waiting) onDrop?.(waiting.req);
      waiting = null;
    },
  };
}
