// Main-thread side of the session worker (workers/session.api.ts), created on first use.
// Fingerprints are cached per Blob: a File does not change while the page holds it.
import * as Comlink from 'comlink';
import type { SessionApi } from '../../workers/session.api';

let api: Comlink.Remote<SessionApi> | null = null;

export function sessionWorker(): Comlink.Remote<SessionApi> {
  if (!api) {
    const worker = new Worker(new URL('../../workers/session.worker.ts', import.meta.url), {
      type: 'module',
    });
    api = Comlink.wrap<SessionApi>(worker);
  }
  return api;
}

const fingerprints = new WeakMap<Blob, Promise<string | null>>();

/** The input's content fingerprint, or null when the file can no longer be read. */
export function fingerprintBlob(blob: Blob): Promise<string | null> {
  let p = fingerprints.get(blob);
  if (!p) {
    p = sessionWorker()
      .fingerprint(blob)
      .catch(() => null);
    fingerprints.set(blob, p);
  }
  return p;
}
