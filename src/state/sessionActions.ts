// Saving, opening, re-attaching raw files, autosave and review-mode forking. The heavy parts
// (serialising, parsing, hashing, IndexedDB) run in the session worker; a file that fails to
// open changes nothing here, the current session stays as it was.
import {
  describeTables,
  matchInput,
  type OpenSessionResult,
  type Session,
  STORAGE_UNAVAILABLE,
} from '../core/session/index';
import type { PresetName } from '../core/sim/params';
import { fingerprintBlob, sessionWorker } from '../engine/sessionService';
import { dataActions } from './dataActions';
import { activeStack, dataStore } from './dataStore';
import { experimentStore } from './experimentStore';
import { isSwitchingInput, onPutAsideChange, putAsideVersion } from './inputResults';
import { DEFAULT_SETTINGS, localizeParamsStore } from './localizeParamsStore';
import { locsStore } from './locsStore';
import { markersStore } from './markersStore';
import { DEFAULT_MOVIE_PARAMS } from './movieParams';
import { cancelBuild, movieStore } from './movieStore';
import { postStore } from './postStore';
import { reconStore } from './reconStore';
import { type Captured, captureSession, type RestoreReport, restoreSession } from './sessionCapture';
import { applyLink, linkNotice, parseLinkHash, parseSessionFileLink } from './sessionLink';
import { freshSession, newSessionId, sessionStore } from './sessionStore';
import { tracksStore } from './tracksStore';
import { uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

export const APP_VERSION = __APP_VERSION__;
type OkResult = Extract<OpenSessionResult, { ok: true }>;
/** The start-up "Restored your last session" notice, dismissed when another session replaces it. */
const RESTORED_NOTICE = 'session-restored';

const notify = (...a: Parameters<ReturnType<typeof uiStore.getState>['notify']>) =>
  uiStore.getState().notify(...a);

/**
 * Sessions being put back (a count: the start-up restore and a file the user opens may overlap):
 * store changes then are not the user's edits.
 */
let restoring = 0;
/** Bumped when a restore starts: an autosave captured across it would mix two sessions. */
let restoreGen = 0;
/** Bumped when the user opens a session: the start-up restore then stands aside. */
let userOpens = 0;
/** Restores run one after another, in the order they were asked for. */
let restoreQueue: Promise<unknown> = Promise.resolve();
/** The last opened session and the raw files re-attached to it so far, by input id. */
let opened: { result: OkResult; files: Map<string, File> } | null = null;

export async function captureNow(): Promise<Captured> {
  const s = sessionStore.getState();
  const c = await captureSession({
    appVersion: APP_VERSION,
    fingerprint: fingerprintBlob,
    base: { created: s.created, title: s.title, notes: s.notes },
  });
  // Under review the summary describes the file as received (its app version, its times).
  if (sessionStore.getState().mode === 'edit')
    sessionStore.getState().set({ doc: { ...c.session, tables: describeTables(c.tables) } });
  return c;
}

/** The session as .smlm bytes, serialised in the worker. */
export async function saveSessionBytes(): Promise<Uint8Array> {
  const { session, tables } = await captureNow();
  return sessionWorker().save(session, tables);
}

export function sessionFileName(): string {
  const s = sessionStore.getState();
  const base = (s.title || s.doc?.stacks[0]?.label || 'evscope-session')
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 80);
  return `${base.replace(/\.smlm$/i, '')}.smlm`;
}

/** Saves the session file (a download); resolves with its size in bytes, 0 when it failed. */
export async function downloadSession(): Promise<number> {
  try {
    const bytes = await saveSessionBytes();
    const url = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = sessionFileName();
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return bytes.byteLength;
  } catch (e) {
    notify(
      'error',
      'Could not save the session',
      e instanceof Error ? e.message : String(e),
      'Nothing was lost: the workbench is unchanged. Try again, or export the localizations as CSV.',
    );
    return 0;
  }
}

type SessionIdentity = Pick<
  ReturnType<typeof sessionStore.getState>,
  'id' | 'restoredAt' | 'autosave' | 'title' | 'notes' | 'created' | 'mode' | 'sourceName' | 'doc' | 'missing'
>;

function identityOf(s: ReturnType<typeof sessionStore.getState>): SessionIdentity {
  const { id, restoredAt, autosave, title, notes, created, mode, sourceName, doc, missing } = s;
  return { id, restoredAt, autosave, title, notes, created, mode, sourceName, doc, missing };
}

function apply(
  result: OkResult,
  mode: 'edit' | 'review',
  sourceName: string | null,
  files = new Map<string, File>(),
  before?: () => boolean,
  keepIdentity = false,
  sameSession = keepIdentity,
): Promise<RestoreReport | null> {
  const run = restoreQueue.then(() => {
    // Taken before `before` sets the new id: a session that fails to open puts all of it back.
    const previous = identityOf(sessionStore.getState());
    if (before && !before()) return null;
    return applyNow(result, mode, sourceName, files, { keepIdentity, sameSession }, previous);
  });
  restoreQueue = run.catch(() => undefined);
  return run;
}

async function applyNow(
  result: OkResult,
  mode: 'edit' | 'review',
  sourceName: string | null,
  files: Map<string, File>,
  { keepIdentity, sameSession }: { keepIdentity: boolean; sameSession: boolean },
  previous: SessionIdentity,
): Promise<RestoreReport | null> {
  restoring++;
  restoreGen++;
  const opens = userOpens;
  const stepPicks = uiStore.getState().stepPicks;
  try {
    // Who the session is comes first: an autosave or a reload during a long restore (the movie
    // rebuild) must find the title, notes and creation time as saved, not the previous session's.
    // Re-attaching raw files keeps the title and notes the user may have edited since.
    if (!keepIdentity)
      sessionStore.getState().set({
        title: result.session.title,
        notes: result.session.notes,
        created: result.session.created,
        mode,
        sourceName,
        doc: result.session,
      });
    let report: RestoreReport;
    try {
      report = await restoreSession(result, { files, stepPicks, sameSession });
    } catch (e) {
      // restoreSession stages the stacks before it clears anything: the work is as it was, and
      // the identity goes back too, so autosave never files the user's work under this session.
      sessionStore.getState().set(previous);
      if (userOpens === opens)
        notify(
          'error',
          `Could not open ${sourceName ?? 'the session'}`,
          e instanceof Error ? e.message : String(e),
          'Your current work is unchanged.',
        );
      return null;
    }
    opened = { result, files };
    sessionStore.getState().set({ missing: report.missing });
    // Superseded by a file the user opened meanwhile: its problems no longer concern anyone.
    if (userOpens === opens)
      for (const w of report.warnings)
        notify('warning', `Opened ${sourceName ?? 'the session'} with a problem`, w);
    return report;
  } finally {
    // Store subscribers run synchronously; late ones (movie build) are covered by the count too.
    setTimeout(() => {
      restoring--;
    }, 0);
  }
}

/**
 * Opens a session file (.smlm from evscope or any ShareLoc file) for review. A malformed or
 * hostile file gives a notice and leaves the workbench untouched.
 */
export async function openSession(input: Blob | Uint8Array, fileName?: string): Promise<boolean> {
  const name = fileName ?? (input instanceof File ? input.name : 'session file');
  let r: OpenSessionResult;
  try {
    r =
      input instanceof Uint8Array
        ? await sessionWorker().open(input, name, APP_VERSION)
        : await sessionWorker().openBlob(input, APP_VERSION);
  } catch (e) {
    r = { ok: false, errors: [`${name}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (!r.ok) {
    const more = r.errors.length > 3 ? ` (and ${r.errors.length - 3} more problems)` : '';
    notify(
      'error',
      `Could not open ${name}`,
      r.errors.slice(0, 3).join('; ') + more,
      'Your current session is unchanged. Ask for the file again, or save it again from evscope.',
    );
    return false;
  }
  userOpens++;
  // The start-up notice would say the last session is back while this one replaces it.
  uiStore.getState().dismissKey(RESTORED_NOTICE);
  // A restore still rebuilding its movie would make this file wait for a movie nobody will see.
  if (restoring) cancelBuild();
  const picks = uiStore.getState().stepPicks;
  const report = await apply(r, 'review', name, new Map(), () => {
    sessionStore.getState().set({ id: newSessionId(), restoredAt: null });
    return true;
  });
  if (!report) return false;
  // The reviewer sees the provenance first, unless they already chose a step while it opened (the
  // review badge shows from the start); the centre shows what the sender was looking at.
  if (uiStore.getState().stepPicks === picks) uiStore.getState().setActiveStep('session');
  const n = report.missing.length;
  notify(
    'info',
    `Opened ${name} for review`,
    `${r.session.stacks.length} stack(s), ${r.tables.reduce((a, t) => a + (t.kind === 'localizations' ? t.length : 0), 0).toLocaleString('en-US')} localizations.` +
      (n ? ` Raw data of ${n} stack(s) not attached: drop the files to re-attach them.` : ''),
    'Views change freely; changing an analysis parameter forks an editable copy.',
  );
  return true;
}

/**
 * Raw files dropped while a session misses its stacks: those whose fingerprint matches an input
 * re-attach (the session is put back with them); the others are returned to open as usual.
 */
export async function reattachFiles(files: File[]): Promise<File[]> {
  const missing = sessionStore.getState().missing;
  if (!opened || missing.length === 0) return files;
  const rest: File[] = [];
  let matched = 0;
  for (const f of files) {
    const fp = await fingerprintBlob(f);
    const m = fp ? matchInput(opened.result.session, { name: f.name, size: f.size, fingerprint: fp }) : null;
    if (m && m.status !== 'mismatch') {
      opened.files.set(m.input.id, f);
      matched++;
    } else if (m) {
      notify(
        'warning',
        `${f.name} is not the file this session was made from`,
        `Its content differs from the session's "${m.input.name}" (${m.input.size.toLocaleString('en-US')} bytes).`,
        'Drop the original acquisition; this file was opened as a new stack instead.',
      );
      rest.push(f);
    } else rest.push(f);
  }
  if (matched) {
    const s = sessionStore.getState();
    const report = await apply(opened.result, s.mode, s.sourceName, opened.files, undefined, true);
    if (!report) return rest;
    notify(
      'info',
      `Re-attached ${matched} raw file(s)`,
      report.missing.length
        ? `${report.missing.length} stack(s) still miss their raw data.`
        : 'Every stack has its raw data again.',
    );
  }
  return rest;
}

/** Review mode → an editable copy with a new identity; the received file is never changed. */
export function forkSession(reason?: string): void {
  const s = sessionStore.getState();
  if (s.mode !== 'review') return;
  const base = s.title || s.sourceName?.replace(/\.smlm$/i, '') || 'session';
  sessionStore.getState().set({
    mode: 'edit',
    id: newSessionId(),
    title: `${base} (copy)`.slice(0, 200),
    created: new Date().toISOString(),
  });
  notify(
    'info',
    'Forked an editable copy',
    reason ?? 'The received session is kept as it was; your changes go to the copy.',
  );
}

// ------------------------------------------------------------------------------- autosave

/** Quiet time after the last change before autosaving, and the longest a change waits. */
export const AUTOSAVE_DEBOUNCE_MS = 2000;
export const AUTOSAVE_MAX_WAIT_MS = 10_000;
/**
 * A run's start is checkpointed this soon (a reload finds the session, its inputs and settings),
 * while its table is still small: each save concatenates, copies to the session worker and hashes
 * the whole table on the cores the run's workers need. After that a run is not saved while it
 * streams; its end is saved at once, complete.
 */
export const AUTOSAVE_FIRST_CHECKPOINT_MS = 100;

function worthSaving(c: Captured): boolean {
  const s = c.session;
  return (
    c.tables.length > 0 ||
    s.inputs.length > 0 ||
    s.notes !== '' ||
    s.title !== '' ||
    s.steps.post !== undefined ||
    s.steps.experiment !== undefined ||
    (s.others?.length ?? 0) > 0 ||
    JSON.stringify(localizeParamsStore.getState().settings) !== JSON.stringify(DEFAULT_SETTINGS)
  );
}

/** What autosave watches: a change in any of these means the session changed. */
function watchedKey(): unknown[] {
  const m = movieStore.getState();
  const v = viewerStore.getState();
  const r = reconStore.getState();
  const u = uiStore.getState();
  const s = sessionStore.getState();
  return [
    dataStore.getState().stacks,
    locsStore.getState().version,
    putAsideVersion(),
    postStore.getState().steps,
    localizeParamsStore.getState().settings,
    m.params,
    m.threshold,
    m.built,
    markersStore.getState().params,
    u.activeStep,
    u.centreView,
    v.frame,
    v.zoom,
    v.panX,
    v.panY,
    v.channels,
    r.settings,
    r.pixelNm,
    r.cx,
    r.cy,
    r.nmPerPx,
    s.title,
    s.notes,
    s.id,
    // The experiment's inputs and steps, and each finished input (not every progress tick).
    experimentStore.getState().experiment,
    Object.values(experimentStore.getState().runs).filter((x) => x.status === 'done' || x.status === 'failed')
      .length,
  ];
}

let stopAutosave: (() => void) | null = null;
let saveNow: (() => Promise<void>) | null = null;

/** Watches the stores and autosaves to IndexedDB (in the session worker). */
export function startAutosave(): () => void {
  if (stopAutosave) return stopAutosave;
  let key = watchedKey();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstPending = 0;
  let lastSig = '';
  let running = false;
  let again = false;
  let runStatus = locsStore.getState().status;
  let checkpointAt = 0;

  const run = async () => {
    timer = null;
    firstPending = 0;
    checkpointAt = 0;
    if (running || restoring) {
      again = true;
      return;
    }
    running = true;
    const id = sessionStore.getState().id;
    const gen = restoreGen;
    try {
      const c = await captureNow();
      // A restore began while capturing: this capture mixes two sessions and must not land in
      // either's slot (it would overwrite the restored session's title, notes and results).
      if (restoring || gen !== restoreGen || id !== sessionStore.getState().id) {
        again = true;
        return;
      }
      if (!worthSaving(c)) return;
      const { created: _c, modified: _m, ...rest } = c.session;
      const sig = `${sessionStore.getState().id}|${locsStore.getState().version}|${putAsideVersion()}|${JSON.stringify(rest)}`;
      if (sig === lastSig) return;
      const set = sessionStore.getState().set;
      set({ autosave: { ...sessionStore.getState().autosave, state: 'saving' } });
      const r = await sessionWorker().autosave(id, c.session, c.tables, sessionStore.getState().mode);
      lastSig = sig;
      set({
        autosave: {
          state: 'saved',
          at: new Date().toISOString(),
          bytes: r.stored,
          written: r.written,
          error: null,
        },
      });
      void refreshRecent();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      sessionStore.getState().set({
        autosave: {
          ...sessionStore.getState().autosave,
          state: e instanceof Error && e.name === STORAGE_UNAVAILABLE ? 'unavailable' : 'failed',
          error: msg,
        },
      });
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  // The run's start checkpoint is taken; later changes wait for the run to end.
  let deferred = false;
  const schedule = () => {
    if (runStatus === 'running' && !checkpointAt) {
      deferred = true;
      if (timer) clearTimeout(timer);
      timer = null;
      return;
    }
    const now = Date.now();
    if (!firstPending) firstPending = now;
    if (timer) clearTimeout(timer);
    const due = Math.min(firstPending + AUTOSAVE_MAX_WAIT_MS, checkpointAt || Number.POSITIVE_INFINITY);
    const wait = Math.min(AUTOSAVE_DEBOUNCE_MS, Math.max(0, due - now));
    timer = setTimeout(() => void run(), wait);
  };

  const onChange = () => {
    const status = locsStore.getState().status;
    if (status === 'running' && runStatus !== 'running' && !restoring)
      checkpointAt = Date.now() + AUTOSAVE_FIRST_CHECKPOINT_MS;
    const ended = runStatus === 'running' && status !== 'running';
    runStatus = status;
    if (ended && (deferred || timer)) {
      deferred = false;
      key = watchedKey();
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), 0);
      return;
    }
    const next = watchedKey();
    if (next.length === key.length && next.every((x, i) => x === key[i])) return;
    key = next;
    schedule();
  };
  const stores = [
    dataStore,
    locsStore,
    postStore,
    localizeParamsStore,
    movieStore,
    markersStore,
    uiStore,
    viewerStore,
    reconStore,
    sessionStore,
  ];
  const unsubs = stores.map((s) => (s as { subscribe(l: () => void): () => void }).subscribe(onChange));
  unsubs.push(onPutAsideChange(onChange));

  // Analysis parameters changed under review: fork before the change is saved anywhere.
  const params = () => [
    localizeParamsStore.getState().settings,
    postStore.getState().steps,
    movieStore.getState().params,
    markersStore.getState().params,
  ];
  let prevParams = params();
  let prevMarkersStack = markersStore.getState().stackId;
  const onParams = () => {
    const next = params();
    const markersStack = markersStore.getState().stackId;
    // Choosing another input shows its own parameters: looking around is not an edit.
    const switched = isSwitchingInput();
    // Not edits: a panel filling in defaults (null → defaults when a reviewer merely opens the
    // EV markers step), clearing, or the marker parameters following another stack.
    const changed = next.some(
      (x, i) =>
        x !== prevParams[i] &&
        x !== null &&
        prevParams[i] !== null &&
        !(i === 3 && markersStack !== prevMarkersStack),
    );
    prevParams = next;
    prevMarkersStack = markersStack;
    if (changed && !switched && !restoring && sessionStore.getState().mode === 'review')
      forkSession(
        'You changed an analysis parameter: the received session is kept as it was, your changes go to this copy.',
      );
  };
  const unsubParams = [localizeParamsStore, postStore, movieStore, markersStore].map((s) =>
    (s as { subscribe(l: () => void): () => void }).subscribe(onParams),
  );
  // Running a step in review replaces the received results: fork first, as a parameter edit does.
  const forkOnRun = (step: string) => () => {
    if (!restoring && sessionStore.getState().mode === 'review')
      forkSession(
        `You ran ${step}: the received session is kept as it was, the new results go to this copy.`,
      );
  };
  const onLocalize = forkOnRun('Localize');
  const onTracks = forkOnRun('Tracks & distances');
  const onMarkers = forkOnRun('EV markers');
  unsubParams.push(
    locsStore.subscribe((l, prev) => {
      if (l.status === 'running' && prev.status !== 'running') onLocalize();
    }),
    tracksStore.subscribe((t, prev) => {
      const started = (k: 'trackStatus' | 'distanceStatus') => t[k] === 'running' && prev[k] !== 'running';
      if (started('trackStatus') || started('distanceStatus')) onTracks();
    }),
    markersStore.subscribe((m, prev) => {
      if (m.status === 'running' && prev.status !== 'running') onMarkers();
    }),
  );

  saveNow = async () => {
    if (timer) clearTimeout(timer);
    await run();
  };
  stopAutosave = () => {
    if (timer) clearTimeout(timer);
    for (const u of [...unsubs, ...unsubParams]) u();
    stopAutosave = null;
    saveNow = null;
  };
  return stopAutosave;
}

/** Autosaves at once (scripting, tests); resolves when stored. */
export async function flushAutosave(): Promise<void> {
  await saveNow?.();
}

export async function refreshRecent(): Promise<void> {
  try {
    sessionStore.getState().set({ recent: await sessionWorker().listAutosaves() });
  } catch {
    sessionStore.getState().set({ recent: [] });
  }
}

/** Reopens an autosaved session to continue working on it. */
export async function openRecent(id: string): Promise<boolean> {
  const r = await sessionWorker().openAutosave(id, APP_VERSION);
  if (!r.ok) {
    notify(
      'error',
      'Could not reopen the autosaved session',
      r.errors.slice(0, 3).join('; '),
      'Your current session is unchanged.',
    );
    return false;
  }
  userOpens++;
  uiStore.getState().dismissKey(RESTORED_NOTICE);
  const entry = sessionStore.getState().recent.find((e) => e.id === id);
  const report = await apply(r, entry?.mode === 'review' ? 'review' : 'edit', null, new Map(), () => {
    sessionStore.getState().set({ id, restoredAt: null });
    return true;
  });
  return report !== null;
}

export async function deleteRecent(id: string): Promise<void> {
  await sessionWorker().deleteAutosave(id);
  await refreshRecent();
}

/** Leaves the restored session (it stays in Recent sessions) for a new one on the demo. */
export async function startFresh(demo: PresetName | null = 'demo'): Promise<void> {
  restoring++;
  restoreGen++;
  try {
    for (const st of [...dataStore.getState().stacks]) dataActions.close(st.info.id);
    for (const t of [...dataStore.getState().tables]) dataStore.getState().removeTable(t.id);
    locsStore.getState().clear();
    markersStore.getState().clear();
    postStore.setState({ steps: [], past: [], future: [] });
    localizeParamsStore.getState().load(DEFAULT_SETTINGS);
    movieStore.getState().setParams(DEFAULT_MOVIE_PARAMS);
    movieStore.setState({ threshold: null });
    uiStore.getState().setActiveStep('data');
    uiStore.getState().setCentreView('raw');
    sessionStore.getState().set(freshSession());
  } finally {
    restoring--;
  }
  if (demo) {
    const { openDemo } = await import('./simulationActions');
    await openDemo(demo);
  }
}

/**
 * Start-up: a shared link's parameters, else the last autosaved session, restored as it was
 * (a notice and the status bar offer "Start fresh"; the friendlier default, since a reload or
 * crash should cost nothing, and starting over is one click that deletes nothing).
 */
export async function bootSession(
  location: Pick<Location, 'hash' | 'search' | 'href' | 'origin'>,
): Promise<void> {
  const opensAtBoot = userOpens;
  const fileLink = new URLSearchParams(location.search).get('session');
  if (fileLink) {
    await openSessionUrl(fileLink, location);
    return;
  }
  const link = parseLinkHash(location.hash);
  if (link) {
    await waitForStack();
    if (link.ok) {
      restoring++;
      try {
        applyLink(link.state);
      } finally {
        restoring--;
      }
      const open = activeStack(dataStore.getState())?.info.name ?? null;
      const what = linkNotice(link.state, open);
      // Stays until dismissed: without it the reviewer lands on empty views saying "not run".
      if (what) notify('info', what.title, what.message, undefined, { timeoutMs: 0 });
    } else
      notify(
        'error',
        'This link could not be applied',
        link.error,
        'The workbench opened with its defaults; ask for the link again.',
      );
    return;
  }
  let recent: Awaited<ReturnType<ReturnType<typeof sessionWorker>['listAutosaves']>>;
  try {
    recent = await sessionWorker().listAutosaves();
  } catch (e) {
    sessionStore.getState().set({
      autosave: {
        state: 'unavailable',
        at: null,
        bytes: 0,
        error: e instanceof Error ? e.message : String(e),
      },
    });
    return;
  }
  sessionStore.getState().set({ recent });
  const last = recent[0];
  if (!last) return;
  const r = await sessionWorker().openAutosave(last.id, APP_VERSION);
  if (!r.ok) {
    notify(
      'warning',
      'The last session could not be restored',
      r.errors.slice(0, 2).join('; '),
      'It stays in Recent sessions (Session step).',
    );
    return;
  }
  // A session autosaved under review comes back under review: a reload is no licence to edit it.
  const review = last.mode === 'review';
  const report = await apply(
    r,
    review ? 'review' : 'edit',
    review ? last.title || null : null,
    new Map(),
    () => {
      // A file the user opened meanwhile wins: the last session stays in Recent sessions.
      if (userOpens !== opensAtBoot) return false;
      sessionStore.getState().set({
        id: last.id,
        restoredAt: last.saved,
        autosave: { state: 'saved', at: last.saved, bytes: last.bytes, error: null },
      });
      return true;
    },
    false,
    // The tab's own last session: what it saved for reloads itself (the experiment queue) wins.
    true,
  );
  if (!report || userOpens !== opensAtBoot) return;
  notify(
    'info',
    `Restored your last session (saved ${new Date(last.saved).toLocaleTimeString()})`,
    'Everything is as you left it.',
    '“Start fresh” in the status bar begins a new session; this one stays in Recent sessions.',
    { key: RESTORED_NOTICE },
  );
}

/**
 * `?session=<url>`: a session file the page links to, opened for review. Only this site's own
 * files (the CSP's connect-src 'self' would refuse others anyway; the notice says why).
 */
export async function openSessionUrl(
  link: string,
  location: Pick<Location, 'href' | 'origin'>,
): Promise<boolean> {
  const parsed = parseSessionFileLink(link, location);
  if (!parsed.ok) {
    notify('error', parsed.title, parsed.message, parsed.hint);
    return false;
  }
  const { url, name } = parsed;
  let bytes: Uint8Array;
  try {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    notify(
      'error',
      `Could not open ${name}`,
      e instanceof Error ? e.message : String(e),
      'Check the link, or download the file and drop it on the window.',
    );
    return false;
  }
  await waitForStack();
  return openSession(bytes, name);
}

async function waitForStack(): Promise<void> {
  while (dataStore.getState().loading) await new Promise((r) => setTimeout(r, 50));
}

export function sessionDoc(): Session | null {
  return sessionStore.getState().doc;
}
