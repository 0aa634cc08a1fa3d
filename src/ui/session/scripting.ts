// window.evscope: saveSession, openSession, sessionSummary (+ helpers the browser tests use).
import { registerScripting } from '../../scripting/api';
import {
  captureNow,
  downloadSession,
  flushAutosave,
  openSession,
  saveSessionBytes,
} from '../../state/sessionActions';
import { linkHash } from '../../state/sessionLink';
import { sessionStore } from '../../state/sessionStore';

registerScripting('saveSession', (): Promise<number> => downloadSession());
registerScripting('sessionBytes', (): Promise<Uint8Array> => saveSessionBytes());
registerScripting('openSession', (input: Uint8Array | ArrayBuffer | Blob, fileName?: string) =>
  openSession(input instanceof ArrayBuffer ? new Uint8Array(input) : input, fileName),
);
registerScripting('sessionSummary', async () => {
  const s = sessionStore.getState();
  const doc = s.mode === 'edit' ? (await captureNow()).session : s.doc;
  return {
    id: s.id,
    mode: s.mode,
    title: s.title,
    source: s.sourceName,
    app: doc?.app ?? null,
    created: doc?.created ?? null,
    modified: doc?.modified ?? null,
    inputs: doc?.inputs ?? [],
    stacks: (doc?.stacks ?? []).map((x) => ({ id: x.id, label: x.label, kind: x.recipe.kind })),
    steps: doc?.steps ?? {},
    // The other open inputs' results (the input on screen has `steps`).
    others: (doc?.others ?? []).map((x) => ({
      stack: x.stack ?? null,
      label: x.label,
      steps: Object.keys(x.steps),
    })),
    tables: (doc?.tables ?? []).map((t) => ({ id: t.id, kind: t.kind, rows: t.rows })),
    missing: s.missing.map((m) => m.label),
    autosave: s.autosave,
  };
});
registerScripting('flushAutosave', () => flushAutosave());
registerScripting('sessionLink', () => linkHash());
