// Keeps the render worker's copy of the localizations in step with locsStore and re-runs the
// post-processing pipeline whenever the raw data or the step list changes. While a localization
// run streams chunks in, the pipeline re-runs at most every `throttleMs` and only the newest
// request is kept (latestOnly), so a fast run never queues up stale work.
import type { LocTable } from '../core/locs/table';
import { latestOnly } from '../engine/latestOnly';
import type { ProcessSummary, RenderBackend } from '../engine/renderService';
import { locsStore } from './locsStore';
import { postStore } from './postStore';

export interface PostEngine {
  /** Resolves with the summary of a pipeline run that started after this call. */
  settled(): Promise<ProcessSummary>;
  computeNena(): Promise<void>;
  computeFrc(): Promise<void>;
  /** The worker lost its data (crash): send everything again. */
  resync(): void;
  stop(): void;
}

export function startPostEngine(backend: RenderBackend, opts: { throttleMs?: number } = {}): PostEngine {
  const throttleMs = opts.throttleMs ?? 400;
  // null: the worker's copy is unknown (start, crash) and must be replaced, even by nothing.
  let sent: LocTable[] | null = null;
  let seq = 0;
  let lastStart = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const waiters: { after: number; resolve(s: ProcessSummary): void; reject(e: unknown): void }[] = [];

  const syncData = async () => {
    const chunks = locsStore.getState().chunks;
    const prev = sent;
    const isPrefix = prev !== null && prev.length <= chunks.length && prev.every((c, i) => c === chunks[i]);
    if (isPrefix && prev.length === chunks.length) return;
    if (isPrefix) await backend.append(chunks.slice(prev.length));
    else await backend.reset(chunks);
    sent = chunks;
  };

  const runner = latestOnly<number, ProcessSummary>(
    async () => {
      lastStart = performance.now();
      postStore.getState().setRunning();
      await syncData();
      return backend.process(postStore.getState().steps);
    },
    (summary, id) => {
      postStore.getState().setResult(summary);
      for (const w of waiters.splice(0)) {
        if (w.after <= id) w.resolve(summary);
        else waiters.push(w);
      }
    },
    (err, id) => {
      const msg = err instanceof Error ? err.message : String(err);
      postStore.getState().setFailed(msg);
      for (const w of waiters.splice(0)) {
        if (w.after <= id) w.reject(err);
        else waiters.push(w);
      }
    },
  );

  const request = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    runner.request(++seq);
  };
  const throttled = () => {
    if (timer) return;
    const wait = Math.max(0, lastStart + throttleMs - performance.now());
    timer = setTimeout(request, wait);
  };

  const unsubLocs = locsStore.subscribe((s, prev) => {
    if (s.version === prev.version) return;
    // A whole new table (import, new run) shows at once; streamed chunks are throttled.
    if (s.status === 'running' && s.chunks.length > 0) throttled();
    else request();
  });
  const unsubSteps = postStore.subscribe((s, prev) => {
    if (s.steps !== prev.steps) request();
  });
  request();

  const compute = async <K extends 'nena' | 'frc'>(key: K) => {
    const set = key === 'nena' ? postStore.getState().setNena : postStore.getState().setFrc;
    set({ status: 'running' });
    try {
      // Compute on the table the current steps give, not one a pending run is about to replace.
      await settledNow();
      const version = postStore.getState().processedVersion;
      const result = key === 'nena' ? await backend.nena({}) : await backend.frc({});
      (set as (c: unknown) => void)({ status: 'done', result, forVersion: version });
    } catch (e) {
      set({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  };

  const settledNow = () =>
    new Promise<ProcessSummary>((resolve, reject) => {
      waiters.push({ after: seq, resolve, reject });
      if (!runner.busy && !timer) request();
    });

  return {
    settled: settledNow,
    computeNena: () => compute('nena'),
    computeFrc: () => compute('frc'),
    resync: () => {
      sent = null;
      request();
    },
    stop: () => {
      if (timer) clearTimeout(timer);
      unsubLocs();
      unsubSteps();
    },
  };
}
