// The same API for Node's worker_threads (CLI, bench, tests): only the endpoint differs.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { heartbeat } from './heartbeat';
import { createLocalizeApi } from './localize.api';

Comlink.expose(
  createLocalizeApi({ heartbeat: heartbeat((m) => parentPort!.postMessage(m)) }),
  nodeEndpoint(parentPort!),
);
