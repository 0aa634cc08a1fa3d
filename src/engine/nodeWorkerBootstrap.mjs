// Entry of every Node pool worker whose code is TypeScript: Node 20 cannot run .ts, and
// `execArgv: ['--import', 'tsx']` is not honoured by worker threads, so register tsx's loader
// here and then import the real entry (workerData.entry, a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
