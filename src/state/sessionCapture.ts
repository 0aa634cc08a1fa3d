// What is on screen as a session document, and back. The hub handles what every session has
// (stacks and how they were made, the inputs open beside the one on screen, the view); each
// feature registers what it saves and restores (src/state/sessionPart.ts, listed in
// sessionParts.ts), and its section passes its schema before it reaches a store. Cheap derived
// results (post-processed table, reconstruction, movie frames) are not stored: they are
// recomputed from the raw localizations and the parameters, deterministically, so a reviewer sees
// the same pixels without the file carrying them twice. Costly ones the file carries (movie
// structures, tracks, distances, EV markers) come back as saved and are never recomputed on open.

import type { InputFile } from '../../workers/stackRecipe';
import { parseFields, v } from '../core/schema';
import {
  createSession,
  type Json,
  type OpenSessionResult,
  type RecipeJson,
  type Session,
  type SessionInput,
  type SessionInputResults,
  type SessionStack,
  type SessionTable,
  type ViewState,
} from '../core/session/index';
import { SimulationParamsSchema } from '../core/sim/validate';
import { type MetaOverrides, MetaOverridesSchema } from '../core/stack/metaOverrides';
import type { StackInfo, StackRecipe } from '../engine/stackService';
import { dataActions } from './dataActions';
import { activeStack, dataStore, type OverrideKey } from './dataStore';
import { activeInput, hasStashed, readResults } from './inputResults';
import {
  type CaptureContext,
  checkSection,
  type RestoreOptions as PartOptions,
  type RestoreContext,
  sessionParts,
} from './sessionPart';
import './sessionParts';
import { CENTRE_VIEW_IDS, STEP_IDS, uiStore } from './uiStore';

export type Fingerprinter = (blob: Blob) => Promise<string | null>;

export interface Captured {
  session: Session;
  tables: SessionTable[];
}

export interface CaptureOptions {
  appVersion: string;
  /** Content fingerprint of an input file (computed in a worker in the app). */
  fingerprint: Fingerprinter;
  /** The session being continued: keeps its creation time, title and notes. */
  base?: Pick<Session, 'created' | 'title' | 'notes'> | null;
  now?: Date;
}

/** One input's sections and result tables: from the live stores, or its put-aside results. */
function captureInput(
  id: number | null,
  stackIds: Map<number, string>,
  view: ViewState,
): { steps: Record<string, Json>; tables: SessionTable[]; own: boolean } {
  const steps: Record<string, Json> = {};
  const tables: SessionTable[] = [];
  let own = false;
  const ctx: CaptureContext = {
    // An input that is not on screen: nothing is switched or stopped to read it.
    read: <S>(name: string, store: { getState(): S }): S =>
      id === null ? store.getState() : { ...store.getState(), ...(readResults<S>(id, name) ?? {}) },
    live: id === null,
    stackIds,
    addTable: (t) => tables.push(t),
    steps,
    view,
  };
  for (const part of sessionParts('input')) {
    const section = part.capture(ctx);
    if (section === undefined) continue;
    steps[part.key] = section;
    own ||= part.ownResult?.(section) ?? true;
  }
  return { steps, tables, own };
}

/** Table ids of the k-th input not on screen carry this prefix, so every input keeps its own tables. */
const otherPrefix = (k: number) => `o${k + 1}.`;

const json = (x: unknown): Json => JSON.parse(JSON.stringify(x)) as Json;

/**
 * The inputs open beside the one on screen, each with its put-aside results; their tables are
 * appended to `tables` under their own prefix.
 */
function captureOthers(
  data: ReturnType<typeof dataStore.getState>,
  stackIds: Map<number, string>,
  tables: SessionTable[],
  view: ViewState,
): SessionInputResults[] {
  const open = [
    ...data.stacks.map((x) => ({ id: x.info.id, label: x.info.name })),
    ...data.tables.map((t) => ({ id: t.id, label: t.name })),
  ];
  const others: SessionInputResults[] = [];
  for (const { id, label } of open) {
    if (id === activeInput() || !hasStashed(id)) continue;
    const r = captureInput(id, stackIds, view);
    if (!r.own) continue;
    const prefix = otherPrefix(others.length);
    for (const t of r.tables) tables.push({ ...t, id: prefix + t.id });
    const stack = stackIds.get(id);
    others.push({ ...(stack ? { stack } : {}), label: label.slice(0, 200), steps: r.steps });
  }
  return others;
}

/** How each stack was made, with its input files listed once (by blob) and fingerprinted. */
async function captureStacks(
  data: ReturnType<typeof dataStore.getState>,
  fingerprint: Fingerprinter,
): Promise<{ inputs: SessionInput[]; stacks: SessionStack[]; stackIds: Map<number, string> }> {
  const inputs: SessionInput[] = [];
  const inputIds = new Map<Blob, string>();
  const stackIds = new Map<number, string>();
  const stacks: SessionStack[] = [];

  const recipeJson = async (r: StackRecipe): Promise<RecipeJson> => {
    switch (r.kind) {
      case 'files': {
        const ids: string[] = [];
        for (const f of r.files) {
          let id = inputIds.get(f.blob);
          if (!id) {
            id = `in${inputs.length + 1}`;
            inputIds.set(f.blob, id);
            inputs.push({
              id,
              name: f.name,
              size: f.blob.size,
              fingerprint: await fingerprint(f.blob),
              role: 'stack',
            });
          }
          ids.push(id);
        }
        return { kind: 'files', inputs: ids };
      }
      case 'channels':
        return { kind: 'channels', parts: await Promise.all(r.inputs.map(recipeJson)) };
      case 'dualView':
        return { kind: 'dualView', base: await recipeJson(r.base), layout: r.layout };
      case 'simulated':
        return { kind: 'simulated', params: json(r.params) };
    }
  };

  for (const st of data.stacks) {
    const id = `s${stacks.length + 1}`;
    stackIds.set(st.info.id, id);
    const meta: Record<string, number> = {};
    for (const [k, x] of Object.entries(st.overrides))
      if (typeof x === 'number' && Number.isFinite(x)) meta[k] = x;
    stacks.push({
      id,
      label: st.info.name.slice(0, 512),
      recipe: await recipeJson(st.info.recipe),
      meta,
      width: st.info.width,
      height: st.info.height,
      frameCount: st.info.frameCount,
    });
  }
  return { inputs, stacks, stackIds };
}

/** The whole workbench as a session document and its tables. */
export async function captureSession(o: CaptureOptions): Promise<Captured> {
  const data = dataStore.getState();
  const { inputs, stacks, stackIds } = await captureStacks(data, o.fingerprint);
  const ui = uiStore.getState();
  const active = activeStack(data);
  const view: ViewState = {
    step: ui.activeStep,
    centreView: ui.centreView,
    ...(active ? { activeStack: stackIds.get(active.info.id) } : {}),
    frame: 0,
    zoom: 1,
    pan: { x: 0, y: 0 },
    colormaps: {},
    settings: {},
  };

  const steps: Record<string, Json> = {};
  const workbench = { read: <S>(_: string, st: { getState(): S }) => st.getState(), live: true };
  const noTables = () => {
    throw new Error('only input parts add tables');
  };
  const whole: CaptureContext = { ...workbench, stackIds, addTable: noTables, steps, view };
  for (const part of sessionParts('workbench')) {
    const section = part.capture(whole);
    if (section !== undefined) steps[part.key] = section;
  }
  const own = captureInput(null, stackIds, view);
  Object.assign(steps, own.steps);
  const tables = own.tables;
  const others = captureOthers(data, stackIds, tables, view);
  for (const part of sessionParts('view')) {
    const section = part.capture({ ...whole, steps: {} });
    if (section !== undefined) view.settings[part.key] = section;
  }

  const session = createSession({
    appVersion: o.appVersion,
    title: o.base?.title ?? '',
    notes: o.base?.notes ?? '',
    inputs,
    stacks,
    steps,
    view,
    others,
    now: o.now,
  });
  if (o.base) session.created = o.base.created;
  return { session, tables };
}

// ---------------------------------------------------------------------------------- restore

export interface RestoreOptions extends PartOptions {
  /** The user's step picks when the open began (default: now); a pick since keeps its step. */
  stepPicks?: number;
  /** The data actions (tests pass a fake stack service's). */
  actions?: Pick<typeof dataActions, 'openRecipe' | 'close' | 'select'>;
}

export interface RestoreReport {
  /** Stacks re-created (simulations, or files re-attached). */
  opened: string[];
  /** Stacks whose raw files are not attached: their results show, their frames do not. */
  missing: { stack: string; label: string; inputs: SessionInput[] }[];
  warnings: string[];
}

type OkResult = Extract<OpenSessionResult, { ok: true }>;

/** The worker recipe for a stored one, or null when a file it needs is not attached. */
function liveRecipe(
  r: RecipeJson,
  inputs: Map<string, SessionInput>,
  files: Map<string, File>,
): StackRecipe | null {
  switch (r.kind) {
    case 'files': {
      const out: InputFile[] = [];
      for (const id of r.inputs) {
        const f = files.get(id);
        if (!f) return null;
        out.push({ name: inputs.get(id)?.name ?? f.name, blob: f });
      }
      return { kind: 'files', files: out };
    }
    case 'channels': {
      const parts = r.parts.map((p) => liveRecipe(p, inputs, files));
      return parts.every((p) => p !== null) ? { kind: 'channels', inputs: parts as StackRecipe[] } : null;
    }
    case 'dualView': {
      const base = liveRecipe(r.base, inputs, files);
      return base ? { kind: 'dualView', base, layout: r.layout } : null;
    }
    case 'simulated':
      // The file's validator ran these checks already; the schema gives the type without a cast.
      return { kind: 'simulated', params: v.parse(SimulationParamsSchema, r.params) };
  }
}

function recipeInputIds(r: RecipeJson): string[] {
  switch (r.kind) {
    case 'files':
      return r.inputs;
    case 'channels':
      return r.parts.flatMap(recipeInputIds);
    case 'dualView':
      return recipeInputIds(r.base);
    case 'simulated':
      return [];
  }
}

async function idle(): Promise<void> {
  // A stack still opening (the demo at start-up) would land after the restore and take the screen.
  while (dataStore.getState().loading) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Opens the session's stacks beside the current ones (a staging area): if one cannot be
 * re-created, the ones opened so far are closed again and the open fails with the reason, so the
 * user's work is never cleared for a session that does not open.
 */
async function stageStacks(
  result: OkResult,
  o: RestoreOptions,
  actions: NonNullable<RestoreOptions['actions']>,
  report: RestoreReport,
): Promise<Map<string, StackInfo>> {
  const { session } = result;
  const inputs = new Map(session.inputs.map((i) => [i.id, i]));
  const files = o.files ?? new Map<string, File>();
  const live = new Map<string, StackInfo>();
  const previous = dataStore.getState().activeId;
  try {
    for (const st of session.stacks) {
      const recipe = liveRecipe(st.recipe, inputs, files);
      if (!recipe) {
        report.missing.push({
          stack: st.id,
          label: st.label,
          inputs: recipeInputIds(st.recipe).map((id) => inputs.get(id)!),
        });
        continue;
      }
      const ok = await actions.openRecipe(recipe, st.label);
      const info = ok ? activeStack(dataStore.getState())?.info : undefined;
      if (!info) throw new Error(`its stack "${st.label}" could not be re-created`);
      live.set(st.id, info);
      report.opened.push(st.label);
    }
  } catch (e) {
    for (const info of live.values()) actions.close(info.id);
    if (previous !== null && dataStore.getState().stacks.some((x) => x.info.id === previous))
      actions.select(previous);
    throw e;
  }
  for (const st of session.stacks) {
    const info = live.get(st.id);
    if (!info) continue;
    const meta = parseFields(MetaOverridesSchema, st.meta, {}, `stacks.${st.id}.meta`);
    report.warnings.push(...meta.warnings);
    for (const [k, value] of Object.entries(meta.value) as [OverrideKey, MetaOverrides[OverrideKey]][])
      if (value !== undefined) dataStore.getState().setOverride(info.id, k, value);
  }
  return live;
}

/**
 * Replaces the workbench with a session. Simulated stacks are re-simulated from their
 * parameters (the same images); stacks read from files come back when their files are supplied.
 */
/** The user's step picks when the restore in flight began (null: none in flight). */
let picksAtRestore: number | null = null;

export async function restoreSession(result: OkResult, o: RestoreOptions = {}): Promise<RestoreReport> {
  picksAtRestore = o.stepPicks ?? uiStore.getState().stepPicks;
  try {
    return await restoreSessionNow(result, o);
  } finally {
    picksAtRestore = null;
  }
}

async function restoreSessionNow(result: OkResult, o: RestoreOptions): Promise<RestoreReport> {
  const { session, tables } = result;
  const report: RestoreReport = { opened: [], missing: [], warnings: [...result.warnings] };
  const actions = o.actions ?? dataActions;
  await idle();
  const live = await stageStacks(result, o, actions, report);
  // Everything the session needs is open: only now does the current work make way for it.
  const warn = (m: string) => report.warnings.push(m);
  for (const part of [...sessionParts('workbench'), ...sessionParts('input')]) part.reset?.();
  const staged = new Set([...live.values()].map((i) => i.id));
  for (const st of [...dataStore.getState().stacks]) if (!staged.has(st.info.id)) actions.close(st.info.id);
  for (const t of [...dataStore.getState().tables]) dataStore.getState().removeTable(t.id);
  for (const part of sessionParts('workbench'))
    await part.restore(checkSection(part, session.steps[part.key], warn), {
      ...wholeContext(live, o, warn, session.view),
      steps: session.steps,
    });
  const landing = dataStore.getState().activeId;
  const claimed = await restoreOthers(session, tables, live, o, report);

  // The input on screen last: its results go into the live stores.
  const mine = tables.filter((t) => !OTHER_TABLE.test(t.id));
  const activeInfo = session.view.activeStack ? live.get(session.view.activeStack) : undefined;
  if (activeInfo) actions.select(activeInfo.id);
  // Localizations without their stack are an input of their own (made active before the steps
  // are set, so the steps go with them), so opening a file later does not drop them.
  const looseTable = mine.find((t) => t.kind === 'localizations' && !(t.stack && live.get(t.stack)));
  const tableInput = looseTable
    ? dataStore.getState().addTable({
        name: `${session.stacks.find((st) => st.id === looseTable.stack)?.label ?? 'localizations'} (table)`,
        count: looseTable.length,
        format: 'session table',
      })
    : null;
  if (!activeInfo && tableInput === null && landing !== null) {
    // The stack on screen is not attached and has no localizations to stand on their own: its
    // results go where they always went (the input shown after staging), unless that input has
    // results of its own from the session — then they would overwrite them.
    if (claimed.has(landing)) {
      report.warnings.push(
        'the results of the stack that was on screen need its files: attach them and open again',
      );
      restoreView(session.view, warn);
      return report;
    }
    dataStore.getState().setActive(landing);
  }
  const label = activeInfo?.name ?? looseTable?.name ?? 'the input on screen';
  const ctx = { tables: mine, live, tableInput, onScreen: true, label };
  await restoreInput(session.steps, ctx, o, report, session.view);
  return report;
}

const OTHER_TABLE = /^o\d+\./;

/**
 * The results of the inputs that were open beside the one on screen: each input is shown while its
 * sections go into the stores, so switching to it later brings them back (nothing runs yet).
 */
async function restoreOthers(
  session: OkResult['session'],
  tables: readonly SessionTable[],
  live: Map<string, StackInfo>,
  o: RestoreOptions,
  report: RestoreReport,
): Promise<Set<number>> {
  const claimed = new Set<number>();
  for (const [k, other] of (session.others ?? []).entries()) {
    const prefix = otherPrefix(k);
    const own = tables
      .filter((t) => t.id.startsWith(prefix))
      .map((t) => ({ ...t, id: t.id.slice(prefix.length) }));
    const info = other.stack ? live.get(other.stack) : undefined;
    const locs = own.find((t) => t.kind === 'localizations');
    let input: number | null = info?.id ?? null;
    // Localizations whose stack is not attached (or an imported table) become a table input.
    if (input === null && locs)
      input = dataStore.getState().addTable({
        name: other.stack ? `${other.label} (table)` : other.label,
        count: locs.length,
        format: 'session table',
      });
    if (input === null) {
      report.warnings.push(
        `the results of "${other.label}" need its stack's files: attach them and open again`,
      );
      continue;
    }
    claimed.add(input);
    dataStore.getState().setActive(input);
    const ctx = { tables: own, live, tableInput: info ? null : input, onScreen: false, label: other.label };
    await restoreInput(other.steps, ctx, o, report, null);
  }
  return claimed;
}

/** The context of a part that is not about one input (workbench settings, the view). */
function wholeContext(
  live: Map<string, StackInfo>,
  options: RestoreOptions,
  warn: (m: string) => void,
  view: ViewState,
): RestoreContext {
  return {
    tables: [],
    live,
    tableInput: null,
    onScreen: true,
    label: '',
    steps: {},
    options,
    warn,
    showView: () => {},
    view,
  };
}

/**
 * One input's sections into the live stores (the active input's), each through its part's schema.
 * `view` is null for an input not on screen: it is not shown and its movie is not rebuilt (the
 * movie worker holds the one on screen).
 */
async function restoreInput(
  steps: Record<string, Json>,
  input: Pick<RestoreContext, 'tables' | 'live' | 'tableInput' | 'onScreen' | 'label'>,
  options: RestoreOptions,
  report: RestoreReport,
  view: ViewState | null,
): Promise<void> {
  let shown = view === null;
  const showView = () => {
    if (shown || !view) return;
    shown = true;
    restoreView(view, warn);
  };
  const warn = (m: string) => report.warnings.push(m);
  const ctx: RestoreContext = {
    ...input,
    steps,
    options,
    warn,
    showView,
    view: view ?? {
      step: '',
      centreView: '',
      frame: 0,
      zoom: 1,
      pan: { x: 0, y: 0 },
      colormaps: {},
      settings: {},
    },
  };
  // A bad field of an input not on screen says whose it is.
  const fieldWarn = input.onScreen ? warn : (m: string) => warn(`"${input.label}": ${m}`);
  for (const part of sessionParts('input'))
    await part.restore(checkSection(part, steps[part.key], fieldWarn), ctx);
  showView();
}

/** View state only: the step and centre view on screen, and each view part's settings. */
export function restoreView(view: ViewState, warn: (m: string) => void = () => {}): void {
  const ui = uiStore.getState();
  const step = STEP_IDS.find((x) => x === view.step);
  // A step the user chose while the session was opening (stacks take seconds to re-create) stays.
  const userChose = picksAtRestore !== null && ui.stepPicks !== picksAtRestore;
  if (step && !userChose) ui.setActiveStep(step);
  const centre = CENTRE_VIEW_IDS.find((x) => x === view.centreView);
  if (centre) ui.setCentreView(centre);
  const ctx = wholeContext(new Map(), {}, warn, view);
  for (const part of sessionParts('view'))
    void part.restore(checkSection(part, view.settings[part.key], warn), ctx);
}
