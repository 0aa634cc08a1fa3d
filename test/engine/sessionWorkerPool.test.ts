// The session worker runs in a one-worker pool (src/engine/sessionService.ts): a worker that goes
// silent mid-call is presumed dead after the deadline, replaced, and the call redone — the caller
// (autosave) gets its answer instead of waiting for ever. Same pool code, on worker_threads.
import { afterAll, expect, test } from 'vitest';
import { openSessionFile } from '../../src/core/session/file';
import { nodeWorkerFactory } from '../../src/engine/nodeWorker';
import { poolCalls, WorkerPool } from '../../src/engine/workerPool';
import type { SessionApi } from '../../workers/session.api';
import { demoSession, demoTables } from '../core/session/fixtures';

const flag = new SharedArrayBuffer(4);
const pool = new WorkerPool<SessionApi>(
  nodeWorkerFactory<SessionApi>(new URL('./fixtures/sessionSilent.worker.ts', import.meta.url), {
    data: { flag },
  }),
  // A new worker gets the long deadline until it first answers (module loading on a busy machine).
  { size: 1, maxRetries: 1, stallTimeoutMs: 2000, setupTimeoutMs: 60_000 },
);
afterAll(() => pool.terminate());

test('a silent session worker is replaced and the save redone; the file is complete', async () => {
  const calls = poolCalls(pool);
  const tables = demoTables(200);
  // The worker answers once (so it is known to be up), then goes silent on the save.
  expect(await calls.fingerprint(new Blob([new Uint8Array(1000)]))).toMatch(/\w/);
  const bytes = await calls.save(demoSession(), tables);
  expect(new Int32Array(flag)[0]).toBe(1);
  expect(pool.workersStarted).toBe(2);
  const back = openSessionFile(bytes, { fileName: 's.smlm', appVersion: 't' });
  expect(back.ok).toBe(true);
  if (back.ok) expect(back.tables.find((t) => t.kind === 'localizations')?.length).toBe(200);
  // The facade is no thenable: awaiting it does not call a worker method.
  expect(await Promise.resolve(calls).then((c) => typeof c.save)).toBe('function');
}, 60_000);
