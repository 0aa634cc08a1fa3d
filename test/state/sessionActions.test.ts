// Opening session files through the actions: the worker is replaced by the same core calls in
// this thread. A hostile file must leave every store exactly as it was and say why.
import { beforeEach, expect, test, vi } from 'vitest';

vi.mock('../../src/engine/sessionService', async () => {
  const core = await import('../../src/core/session/index');
  const api = {
    open: async (bytes: Uint8Array, fileName: string, appVersion: string) =>
      core.openSessionFile(bytes, { fileName, appVersion }),
    openBlob: async (blob: Blob, appVersion: string) =>
      core.openSessionFile(new Uint8Array(await blob.arrayBuffer()), {
        fileName: (blob as File).name,
        appVersion,
      }),
    save: async (s: never, t: never) => core.saveSessionFile(s, t),
  };
  return {
    sessionWorker: () => api,
    fingerprintBlob: async (b: Blob) => core.fingerprintBytes(new Uint8Array(await b.arrayBuffer())),
  };
});

const { allocColumn } = await import('../../src/core/locs/table');
const { createSession, saveSessionFile } = await import('../../src/core/session/index');
const { locsStore } = await import('../../src/state/locsStore');
const { postStore } = await import('../../src/state/postStore');
const { localizeParamsStore } = await import('../../src/state/localizeParamsStore');
const { openSession } = await import('../../src/state/sessionActions');
const { sessionStore } = await import('../../src/state/sessionStore');
const { uiStore } = await import('../../src/state/uiStore');
const { zipParts, concatParts } = await import('../../src/core/io/zip');

function snapshot() {
  return JSON.stringify({
    locs: [locsStore.getState().count, locsStore.getState().version],
    post: postStore.getState().steps,
    params: localizeParamsStore.getState().settings,
    session: { ...sessionStore.getState(), set: undefined },
  });
}

beforeEach(() => {
  const x = allocColumn('f64', 3);
  locsStore.getState().load(null, { length: 3, columns: { x, y: x } }, { source: 'test' });
  postStore.getState().setSteps([{ kind: 'filter', expression: 'x > 0' }]);
  uiStore.setState({ notices: [] });
});

test('malformed and hostile session files leave the session untouched, with a clear notice', async () => {
  const enc = new TextEncoder();
  const valid = saveSessionFile(createSession({ appVersion: 't' }), []);
  const hostileJson = (doc: unknown) =>
    concatParts(
      zipParts(
        [
          { name: 'manifest.json', data: enc.encode('{"format_version":"0.2","files":[]}'), level: 0 },
          { name: 'evscope/session.json', data: enc.encode(JSON.stringify(doc)), level: 0 },
        ],
        new Date(),
      ),
    );
  const base = createSession({ appVersion: 't' }) as unknown as Record<string, unknown>;
  const cases: [string, Uint8Array][] = [
    ['empty.smlm', new Uint8Array()],
    ['<script>alert(1)</script>.smlm', enc.encode('PK\u0003\u0004 not a zip')],
    ['truncated.smlm', valid.subarray(0, valid.length - 30)],
    ['types.smlm', hostileJson({ ...base, inputs: 'everything' })],
    [
      'huge.smlm',
      hostileJson({
        ...base,
        tables: [{ id: 't', name: 'x', kind: 'localizations', rows: 2 ** 40, columns: [] }],
      }),
    ],
    ['proto.smlm', hostileJson(JSON.parse(`{"__proto__": {"polluted": true}, "format": "evscope-session"}`))],
  ];
  const before = snapshot();
  for (const [name, bytes] of cases) {
    expect(await openSession(bytes, name), name).toBe(false);
    const n = uiStore.getState().notices.at(-1)!;
    expect(n.kind).toBe('error');
    expect(n.title).toBe(`Could not open ${name}`);
    expect(n.message.length).toBeGreaterThan(5);
    expect(n.hint).toMatch(/unchanged/);
    expect(snapshot(), name).toBe(before);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
