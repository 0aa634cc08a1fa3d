// Every worker service in src/engine goes through the one helper (workerCalls.ts); this proves
// the wiring of each: a crashed worker is restarted and the call redone (idempotent services) or
// failed with code 'crashed'; a silent worker fails with code 'silent' after the (small, injected)
// deadline; an abort rejects with CancelledError at once, although the worker never answers.
import type * as Comlink from 'comlink';
import { describe, expect, test } from 'vitest';
import { calciumBackend } from '../../src/engine/calciumService';
import { LocalizeService } from '../../src/engine/localizeService';
import { locsQueryService } from '../../src/engine/locsQuery';
import { markersBackend } from '../../src/engine/markersService';
import { MovieService } from '../../src/engine/movieService';
import { registrationBackend } from '../../src/engine/registrationService';
import { RenderService } from '../../src/engine/renderService';
import { sessionCalls } from '../../src/engine/sessionService';
import { StackService } from '../../src/engine/stackService';
import { tracksBackend } from '../../src/engine/tracksService';
import { CancelledError, WorkerError, type WorkerErrorCode } from '../../src/engine/workerCalls';
import type { WorkerFactory } from '../../src/engine/workerPool';

/** How each fake worker behaves on every call: the i-th worker started takes modes[i] (the last repeats). */
type Mode = 'answer' | 'crash' | 'silent';
const ANSWER = { answered: true };

interface Script {
  factory: WorkerFactory<never>;
  started: () => number;
  cancels: string[];
}

function scripted(modes: Mode[]): Script {
  let started = 0;
  const cancels: string[] = [];
  const factory = () => {
    const mode = modes[Math.min(started, modes.length - 1)];
    started++;
    const deaths: ((e: Error) => void)[] = [];
    let dead = false;
    const api = new Proxy(
      {},
      {
        get: (_, key) => {
          if (key === 'then' || typeof key !== 'string') return undefined;
          return () => {
            // A cancel reaches the worker but a silent or hung worker never acts on it.
            if (key === 'cancel') {
              cancels.push(key);
              return Promise.resolve();
            }
            if (mode === 'answer') return Promise.resolve(ANSWER);
            if (mode === 'crash' && !dead) {
              dead = true;
              setTimeout(() => {
                for (const l of deaths.splice(0)) l(new Error('worker exited with code 1'));
              }, 0);
            }
            return new Promise(() => {});
          };
        },
      },
    );
    return {
      api: api as Comlink.Remote<never>,
      onDeath: (l: (e: Error) => void) => void deaths.push(l),
      terminate: () => {},
    };
  };
  return { factory: factory as WorkerFactory<never>, started: () => started, cancels };
}

interface Case {
  name: string;
  /** Idempotent: a dead worker's call is redone on a fresh one. */
  redo: boolean;
  /**
   * Builds the service on `factory` with silence deadline `deadlineMs` (0: none) and makes one
   * call; `abort` cancels it where the service has cancellation.
   */
  make(
    factory: WorkerFactory<never>,
    deadlineMs: number,
  ): { call(): { promise: Promise<unknown>; abort?: () => void }; onCrash?: () => number; stop(): void };
}

/** A call taking an AbortSignal, as a promise and its abort. */
function withSignal(f: (signal: AbortSignal) => Promise<unknown>) {
  const ctl = new AbortController();
  return { promise: f(ctl.signal), abort: () => ctl.abort() };
}

/** Counts onCrash calls of a service that has the hook. */
function crashCounter(s: { onCrash: ((m: string) => void) | null }) {
  let n = 0;
  s.onCrash = () => n++;
  return () => n;
}

const req = {} as never;
const noop = () => {};

const cases: Case[] = [
  {
    name: 'stack',
    redo: false,
    make: (f, deadlineMs) => {
      const s = new StackService(f, { deadlineMs });
      return { call: () => ({ promise: s.render(req) }), onCrash: crashCounter(s), stop: noop };
    },
  },
  {
    name: 'render',
    redo: false,
    make: (f, deadlineMs) => {
      const s = new RenderService(f, { deadlineMs });
      return {
        call: () => ({ promise: s.backend.processedTable() }),
        onCrash: crashCounter(s),
        stop: () => s.terminate(),
      };
    },
  },
  {
    name: 'movie',
    redo: false,
    make: (f, deadlineMs) => {
      const s = new MovieService(f, { deadlineMs });
      return {
        call: () => {
          const job = s.analyse(req, noop);
          return { promise: job.promise, abort: job.cancel };
        },
        onCrash: crashCounter(s),
        stop: noop,
      };
    },
  },
  {
    name: 'markers',
    redo: false,
    make: (f, deadlineMs) => {
      const b = markersBackend(f, { deadlineMs });
      return { call: () => withSignal((sig) => b.run(req, noop, sig)), stop: () => b.terminate() };
    },
  },
  {
    name: 'tracks',
    redo: true,
    make: (f, deadlineMs) => {
      const b = tracksBackend(f, { deadlineMs });
      return { call: () => withSignal((sig) => b.distances(req, noop, sig)), stop: () => b.terminate() };
    },
  },
  {
    name: 'registration',
    redo: true,
    make: (f, deadlineMs) => {
      const b = registrationBackend(f, { deadlineMs });
      return { call: () => withSignal((sig) => b.fit(req, noop, sig)), stop: () => b.terminate() };
    },
  },
  {
    name: 'calcium',
    redo: true,
    make: (f, deadlineMs) => {
      const b = calciumBackend(f, deadlineMs);
      return { call: () => withSignal((sig) => b.run(req, noop, sig)), stop: () => b.terminate() };
    },
  },
  {
    name: 'session',
    redo: true,
    make: (f, deadlineMs) => {
      const c = sessionCalls(f, { deadlineMs });
      return { call: () => ({ promise: c.fingerprint(new Blob([])) }), stop: noop };
    },
  },
  {
    name: 'locsQuery',
    redo: true,
    make: (f, deadlineMs) => {
      const s = locsQueryService(f, { deadlineMs });
      return { call: () => ({ promise: s.call((api) => api.query(req, {})) }), stop: () => s.terminate() };
    },
  },
  {
    name: 'localize preview',
    redo: true,
    make: (f, deadlineMs) => {
      const s = new LocalizeService({ factory: f, stallTimeoutMs: deadlineMs });
      const stack = { width: 8, height: 8, frameCount: 1, recipe: {} as never };
      return {
        call: () => ({ promise: s.preview({ stack, channel: 0, frame: 0, params: {} }) }),
        stop: () => s.terminate(),
      };
    },
  },
];

async function failure(p: Promise<unknown>): Promise<WorkerError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkerError);
  return e as WorkerError;
}

describe.each(cases)('$name service', (c) => {
  test(c.redo
    ? 'a crashed worker is restarted and the call redone'
    : 'a crash fails the call with code crashed; the next call restarts the worker', async () => {
    const s = scripted(['crash', 'answer']);
    const svc = c.make(s.factory, 0);
    if (c.redo) {
      await expect(svc.call().promise).resolves.toBe(ANSWER);
    } else {
      expect((await failure(svc.call().promise)).code).toBe<WorkerErrorCode>('crashed');
      if (svc.onCrash) expect(svc.onCrash()).toBe(1);
      await expect(svc.call().promise).resolves.toBe(ANSWER);
    }
    expect(s.started()).toBe(2);
    svc.stop();
  }, 30_000);

  if (c.redo) {
    test('a worker that crashes again on the redo fails the call with code crashed', async () => {
      const s = scripted(['crash']);
      const svc = c.make(s.factory, 0);
      expect((await failure(svc.call().promise)).code).toBe<WorkerErrorCode>('crashed');
      // The call ran on two workers (a third may already stand by for the next call).
      expect(s.started()).toBeGreaterThanOrEqual(2);
      svc.stop();
    }, 30_000);
  }

  test('a silent worker fails the call with code silent after the deadline', async () => {
    const s = scripted(['silent']);
    const svc = c.make(s.factory, 20);
    expect((await failure(svc.call().promise)).code).toBe<WorkerErrorCode>('silent');
    // Where the service is idempotent the call was redone on a replacement, silent again.
    if (c.redo) expect(s.started()).toBeGreaterThanOrEqual(2);
    svc.stop();
  }, 30_000);
});

// The services whose calls take an AbortSignal (or hand back a job with cancel()).
const cancellable = cases.filter((c) =>
  ['movie', 'markers', 'tracks', 'registration', 'calcium'].includes(c.name),
);

describe.each(cancellable)('$name service', (c) => {
  test('a cancel rejects with CancelledError at once, though the worker never answers', async () => {
    // No deadline: the call can only settle through the cancel.
    const s = scripted(['silent']);
    const svc = c.make(s.factory, 0);
    const { promise, abort } = svc.call();
    expect(abort).toBeTypeOf('function');
    // Let the call reach the worker, then cancel.
    await new Promise((r) => setTimeout(r, 0));
    abort?.();
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(s.cancels).toEqual(['cancel']);
    svc.stop();
  }, 30_000);
});
