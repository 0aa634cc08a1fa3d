// What is on screen as a session document, and back. Capture reads every store (stacks and how
// they were made, the localizations and the run that made them, post-processing steps, movie and
// marker parameters, view state) into `createSession` + result tables; restore replaces the
// workbench with a session. Cheap derived results (post-processed table, reconstruction, movie
// frames) are not stored: they are recomputed from the raw localizations and the parameters,
// deterministically, so a reviewer sees the same pixels without the file carrying them twice.
// Costly ones the file carries (movie structures, tracks, distances, EV markers) come back as
// saved and are never recomputed on open.

import type { InputFile } from '../../workers/stackRecipe';
import { parsePipeline } from '../core/locs/pipeline';
import { type ColumnArray, concatLocTables, type LocTable, STANDARD_COLUMNS } from '../core/locs/table';
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
import type { SimulationParams } from '../core/sim/params';
import type { StackInfo, StackRecipe } from '../engine/stackService';
import { captureCalciumStep, restoreCalciumStep } from './calciumSession';
import { type CalciumState, calciumStore } from './calciumStore';
import { dataActions } from './dataActions';
import { activeStack, dataStore, effectiveMeta, type MetaOverrides, type OverrideKey } from './dataStore';
import { captureExperiment, restoreExperiment } from './experimentSession';
import { activeInput, hasStashed, readResults } from './inputResults';
import { isLocalizeRecord, type LocalizeRunRecord, localizeActions } from './localizeActions';
import { DEFAULT_SETTINGS, type LocalizeSettings, localizeParamsStore } from './localizeParamsStore';
import { type LocsState, locsStore, locsTable } from './locsStore';
import type { MarkersParams } from './markersParams';
import { type MarkersStore, markersStore } from './markersStore';
import type { MovieParams } from './movieParams';
import { cancelBuild, type MovieState, movieStore } from './movieStore';
import { type PostState, postStore } from './postStore';
import { reconStore } from './reconStore';
import {
  captureMarkersResult,
  captureStructures,
  captureTracks,
  restoreMarkersResult,
  restoreStructures,
  restoreTracks,
} from './sessionResults';
import { type TracksStore, tracksStore } from './tracksStore';
import { type CentreViewId, type StepId, uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

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

const STEP_IDS: StepId[] = [
  'data',
  'localize',
  'post',
  'movie',
  'tracks',
  'markers',
  'calcium',
  'experiment',
  'session',
];
const VIEW_IDS: CentreViewId[] = ['raw', 'reconstruction', 'movie', 'tracks', 'markers', 'calcium'];

/** Movie state worth keeping: parameters, binarization and display, not the worker's buffers. */
const MOVIE_KEYS = [
  'method',
  'sampleFrames',
  'manualThreshold',
  'smoothSigmaPx',
  'connectivity',
  'threshold',
  'colormap',
  'contrastMode',
  'window',
  'showEv',
  'evColormap',
  'showOutlines',
  'frame',
] as const;

/** EV table columns whose CSV header (evTableCsv) differs from the key: positions in nm. */
const EV_CSV_NAMES: Record<string, string> = { x: 'x [nm]', y: 'y [nm]' };

function json<T>(v: T): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

function unitsOf(t: LocTable): Record<string, string> {
  const units: Record<string, string> = {};
  for (const k of Object.keys(t.columns))
    units[k] = (STANDARD_COLUMNS as Record<string, { unit: string }>)[k]?.unit ?? '';
  return units;
}

/** One input's result stores: the live ones for the input on screen, the put-aside ones for another. */
interface InputStates {
  locs: LocsState;
  table: () => LocTable;
  post: PostState;
  movie: MovieState;
  markers: MarkersStore;
  tracks: TracksStore;
  calcium: CalciumState;
}

const LIVE: () => InputStates = () => ({
  locs: locsStore.getState(),
  table: locsTable,
  post: postStore.getState(),
  movie: movieStore.getState(),
  markers: markersStore.getState(),
  tracks: tracksStore.getState(),
  calcium: calciumStore.getState(),
});

/** An input that is not on screen, read from its put-aside results (nothing is switched or stopped). */
function putAside(id: number): InputStates {
  const of = <S>(name: string, store: { getState(): S }): S =>
    ({ ...store.getState(), ...(readResults<S>(id, name) ?? {}) }) as S;
  const locs = of<LocsState>('locs', locsStore);
  return {
    locs,
    table: () => concatLocTables(locs.chunks),
    post: of<PostState>('post', postStore),
    movie: of<MovieState>('movie', movieStore),
    markers: of<MarkersStore>('markers', markersStore),
    tracks: of<TracksStore>('tracks', tracksStore),
    calcium: of<CalciumState>('calcium', calciumStore),
  };
}

/** One input's steps (localizations, post-processing, movie, markers, tracks) and result tables. */
function captureInput(
  st: InputStates,
  stackIds: Map<number, string>,
): { steps: Record<string, Json>; tables: SessionTable[] } {
  const { locs, movie: mv, markers: mk } = st;
  const steps: Record<string, Json> = {};
  const tables: SessionTable[] = [];
  const locStack = locs.stackId !== null ? stackIds.get(locs.stackId) : undefined;
  if (locs.count > 0 || locs.status === 'done') {
    const t = st.table();
    tables.push({
      id: 'locs',
      name: 'localizations',
      kind: 'localizations',
      length: t.length,
      columns: { ...t.columns },
      units: unitsOf(t),
      ...(locStack ? { stack: locStack } : {}),
    });
    const run: Record<string, Json> = {
      status: locs.status === 'running' ? 'cancelled' : locs.status,
    };
    if (isLocalizeRecord(locs.params)) {
      const { plan } = locs.params;
      steps.localize = json(plan.params);
      run.channel = plan.channel;
      run.frames = json(plan.frames);
      run.roi = json(plan.roi ?? null);
    } else if (locs.params !== null && locs.params !== undefined) {
      run.source = json(locs.params);
    }
    steps.localizeRun = run;
  }

  const post = st.post.steps;
  if (post.length) steps.post = json(post);

  const movie: Record<string, Json> = {
    params: json(mv.params),
    built: mv.built !== null && (mv.status === 'ready' || mv.status === 'stale' || mv.status === 'streaming'),
    analysed: mv.result !== null,
  };
  // The structure analysis travels whole (tables + summary) and comes back as saved: labelling
  // every movie frame again takes a minute on a real acquisition.
  if (mv.result) {
    const packed = captureStructures(mv.result, locStack);
    movie.result = packed.json;
    tables.push(...packed.tables);
  }
  for (const k of MOVIE_KEYS) movie[k] = json(mv[k] ?? null);
  steps.movie = movie;

  if (mk.params && mk.stackId !== null && stackIds.has(mk.stackId)) {
    const counted = mk.result !== null && mk.resultStackId === mk.stackId;
    steps.markers = {
      stack: stackIds.get(mk.stackId)!,
      params: json(mk.params),
      counted,
      resultKey: mk.resultKey,
    };
    if (counted && mk.result) {
      const packed = captureMarkersResult(mk.result, stackIds.get(mk.stackId)!);
      steps.markers.result = packed.json;
      tables.push(...packed.tables);
      const columns: Record<string, ColumnArray> = {};
      const units: Record<string, string> = {};
      // Named as in the EV table CSV; within the schema's limits (64 columns, names ≤ 64 characters).
      for (const [k, c] of Object.entries(mk.result.columns).slice(0, 64)) {
        const name = EV_CSV_NAMES[k] ?? k;
        if (name.length > 64) continue;
        columns[name] = c;
        units[name] = EV_CSV_NAMES[k] ? 'nm' : '';
      }
      tables.push({
        id: 'evcounts',
        name: 'EV marker counts',
        kind: 'ev-counts',
        length: mk.result.length,
        columns,
        units,
        stack: stackIds.get(mk.stackId)!,
      });
    }
  }

  const tracks = captureTracks(stackIds, st.tracks);
  if (tracks) {
    steps.tracks = tracks.section;
    tables.push(...tracks.tables);
  }
  const calcium = captureCalciumStep(stackIds, st.calcium);
  if (calcium) {
    steps.calcium = calcium.section;
    tables.push(...calcium.tables);
  }
  return { steps, tables };
}

/** Table ids of the k-th input not on screen carry this prefix, so every input keeps its own tables. */
const otherPrefix = (k: number) => `o${k + 1}.`;

/**
 * Whether an input holds anything of its own. Movie settings alone are not: a new input starts
 * with the user's current ones; its region of interest, or a built movie, are.
 */
function hasOwnResults(steps: Record<string, Json>): boolean {
  const mv = obj(steps.movie);
  return (
    Object.keys(steps).some((k) => k !== 'movie') ||
    mv?.built === true ||
    mv?.analysed === true ||
    (obj(mv?.params)?.roi ?? null) !== null
  );
}

/**
 * The inputs open beside the one on screen, each with its put-aside results; their tables are
 * appended to `tables` under their own prefix.
 */
function captureOthers(
  data: ReturnType<typeof dataStore.getState>,
  stackIds: Map<number, string>,
  tables: SessionTable[],
): SessionInputResults[] {
  const open = [
    ...data.stacks.map((x) => ({ id: x.info.id, label: x.info.name })),
    ...data.tables.map((t) => ({ id: t.id, label: t.name })),
  ];
  const others: SessionInputResults[] = [];
  for (const { id, label } of open) {
    if (id === activeInput() || !hasStashed(id)) continue;
    const r = captureInput(putAside(id), stackIds);
    if (!hasOwnResults(r.steps)) continue;
    const prefix = otherPrefix(others.length);
    for (const t of r.tables) tables.push({ ...t, id: prefix + t.id });
    const stack = stackIds.get(id);
    others.push({ ...(stack ? { stack } : {}), label: label.slice(0, 200), steps: r.steps });
  }
  return others;
}

/** The whole workbench as a session document and its tables. */
export async function captureSession(o: CaptureOptions): Promise<Captured> {
  const data = dataStore.getState();
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
              fingerprint: await o.fingerprint(f.blob),
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
    for (const [k, v] of Object.entries(st.overrides))
      if (typeof v === 'number' && Number.isFinite(v)) meta[k] = v;
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

  const steps: Record<string, Json> = {};
  const settings = localizeParamsStore.getState().settings;
  steps.localizeSettings = json(settings);
  const experiment = captureExperiment();
  if (experiment) {
    steps.experiment = json(experiment.experiment);
    steps.experimentRuns = json(experiment.experimentRuns);
  }

  const own = captureInput(LIVE(), stackIds);
  Object.assign(steps, own.steps);
  const tables = own.tables;
  const others = captureOthers(data, stackIds, tables);

  const ui = uiStore.getState();
  const v = viewerStore.getState();
  const r = reconStore.getState();
  const colormaps: Record<string, string> = {};
  v.channels.forEach((c, i) => {
    colormaps[`raw:${i}`] = c.colormap;
  });
  colormaps.reconstruction = r.settings.colormap;
  const active = activeStack(data);
  const view: ViewState = {
    step: ui.activeStep,
    centreView: ui.centreView,
    ...(active ? { activeStack: stackIds.get(active.info.id) } : {}),
    frame: v.frame,
    zoom: v.zoom,
    pan: { x: v.panX, y: v.panY },
    colormaps,
    settings: {
      viewer: json({
        fit: v.fit,
        layout: v.layout,
        channel: v.channel,
        channels: v.channels,
        autoEveryFrame: v.autoEveryFrame,
        lowPct: v.lowPct,
        highPct: v.highPct,
      }),
      recon: json({
        settings: r.settings,
        pixelNm: r.pixelNm,
        scaleBar: r.scaleBar,
        cx: r.cx,
        cy: r.cy,
        nmPerPx: r.nmPerPx,
        fit: r.fit,
      }),
    },
  };

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

export interface RestoreOptions {
  /** Raw files the user supplied for the session's inputs, by input id (see matchInput). */
  files?: Map<string, File>;
  /** The data actions (tests pass a fake stack service's). */
  actions?: Pick<typeof dataActions, 'openRecipe' | 'close' | 'select'>;
  /** Rebuilds the movie when the session had one (default: the movie store's buildMovie). */
  buildMovie?: () => Promise<unknown>;
  analyseStructures?: () => Promise<unknown>;
}

export interface RestoreReport {
  /** Stacks re-created (simulations, or files re-attached). */
  opened: string[];
  /** Stacks whose raw files are not attached: their results show, their frames do not. */
  missing: { stack: string; label: string; inputs: SessionInput[] }[];
  warnings: string[];
}

type OkResult = Extract<OpenSessionResult, { ok: true }>;

function obj(j: Json | undefined): Record<string, Json> | null {
  return typeof j === 'object' && j !== null && !Array.isArray(j) ? j : null;
}

function num(j: Json | undefined): number | undefined {
  return typeof j === 'number' && Number.isFinite(j) ? j : undefined;
}

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
      return { kind: 'simulated', params: r.params as unknown as SimulationParams };
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
    for (const [k, value] of Object.entries(st.meta))
      dataStore.getState().setOverride(info.id, k as OverrideKey, value as MetaOverrides[OverrideKey]);
  }
  return live;
}

/**
 * Replaces the workbench with a session. Simulated stacks are re-simulated from their
 * parameters (the same images); stacks read from files come back when their files are supplied.
 */
export async function restoreSession(result: OkResult, o: RestoreOptions = {}): Promise<RestoreReport> {
  const { session, tables } = result;
  const report: RestoreReport = { opened: [], missing: [], warnings: [...result.warnings] };
  const actions = o.actions ?? dataActions;
  await idle();
  const live = await stageStacks(result, o, actions, report);
  // Everything the session needs is open: only now does the current work make way for it.
  // (A run may be filling a stack that is not on screen: its table is not in locsStore.)
  if (localizeActions.running) localizeActions.cancel();
  const staged = new Set([...live.values()].map((i) => i.id));
  for (const st of [...dataStore.getState().stacks]) if (!staged.has(st.info.id)) actions.close(st.info.id);
  for (const t of [...dataStore.getState().tables]) dataStore.getState().removeTable(t.id);
  locsStore.getState().clear();
  markersStore.getState().clear();
  calciumStore.getState().clear();

  const ls = obj(session.steps.localizeSettings);
  localizeParamsStore
    .getState()
    .load(
      ls
        ? ({ ...DEFAULT_SETTINGS, ...(ls as unknown as Partial<LocalizeSettings>) } as LocalizeSettings)
        : DEFAULT_SETTINGS,
    );
  restoreExperiment(session.steps, report.warnings);
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
      restoreView(session.view);
      return report;
    }
    dataStore.getState().setActive(landing);
  }
  await restoreInput(session.steps, mine, live, tableInput, o, report, () => restoreView(session.view));
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
    await restoreInput(other.steps, own, live, info ? null : input, o, report, null);
    if (obj(other.steps.movie)?.built === true) {
      movieStore.setState({
        notes: [
          'The session had a movie of this input: build it again (only the one on screen is rebuilt on open).',
        ],
      });
      report.warnings.push(`the movie of "${other.label}" was not rebuilt: build it again when you show it`);
    }
  }
  return claimed;
}

/**
 * One input's sections into the live stores (the active input's). `beforeMovie` is null for an
 * input not on screen: its movie is not rebuilt (the movie worker holds the one on screen).
 */
async function restoreInput(
  steps: Record<string, Json>,
  tables: readonly SessionTable[],
  live: Map<string, StackInfo>,
  tableInput: number | null,
  o: RestoreOptions,
  report: RestoreReport,
  beforeMovie: (() => void) | null,
): Promise<void> {
  const post = steps.post !== undefined ? parsePipeline(steps.post) : [];
  postStore.setState({ steps: post, past: [], future: [] });

  const locTable = tables.find((t) => t.kind === 'localizations');
  if (locTable) {
    const stackInfo = locTable.stack ? live.get(locTable.stack) : undefined;
    const run = obj(steps.localizeRun);
    let params: unknown = run?.source ?? { source: 'session' };
    if (steps.localize !== undefined && run && stackInfo) {
      const plan = {
        stackId: stackInfo.id,
        channel: num(run.channel) ?? 0,
        params: steps.localize,
        frames: run.frames,
        roi: run.roi ?? undefined,
      } as unknown as LocalizeRunRecord['plan'];
      params = { kind: 'localize', signature: JSON.stringify(plan), plan } satisfies LocalizeRunRecord;
    }
    const table: LocTable = { length: locTable.length, columns: locTable.columns };
    locsStore.getState().load(stackInfo?.id ?? tableInput, table, params);
    if (run?.status === 'cancelled' || run?.status === 'failed')
      locsStore.getState().finish(run.status as 'cancelled' | 'failed');
  }

  const mk = obj(steps.markers);
  const mkStack = typeof mk?.stack === 'string' ? live.get(mk.stack) : undefined;
  if (mk && obj(mk.params)) {
    const params = mk.params as unknown as MarkersParams;
    const counts = tables.find((t) => t.kind === 'ev-counts' && t.id === 'evcounts');
    if (mk.counted === true && mk.result !== undefined && counts) {
      // The saved result shows as it was, with or without the raw frames; Run counts again.
      try {
        restoreMarkersResult(
          mkStack?.id ?? null,
          params,
          mk.result,
          typeof mk.resultKey === 'string' ? mk.resultKey : null,
          counts,
          tables,
        );
      } catch (e) {
        report.warnings.push(
          `the EV-marker result could not be read: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    } else if (mkStack) {
      markersStore.getState().forStack(mkStack);
      markersStore.setState({ params });
      if (mk.counted === true) {
        const st = dataStore.getState().stacks.find((x) => x.info.id === mkStack.id);
        // An older session without the result: count again from the marker channels' frames.
        if (st) void markersStore.getState().run(mkStack, effectiveMeta(st).pixelSizeNm);
      }
    }
  }

  const tk = obj(steps.tracks);
  try {
    restoreTracks(
      tk ?? undefined,
      tables,
      typeof tk?.stack === 'string' ? (live.get(tk.stack)?.id ?? null) : null,
    );
  } catch (e) {
    tracksStore.getState().clear();
    report.warnings.push(
      `the tracks and distances could not be read: ${e instanceof Error ? e.message : String(e)}`,
    );
  }

  restoreCalciumStep(steps.calcium, live, report.warnings, tables);

  beforeMovie?.();

  const mv = obj(steps.movie);
  if (!(mv?.built === true && locTable)) {
    // This session has no movie: the previous one's frames and structures are not its own.
    cancelBuild();
    movieStore.setState({
      built: null,
      info: null,
      status: 'idle',
      result: null,
      resultFromSession: false,
      threshold: null,
      frame: 0,
      playing: false,
    });
  }
  if (mv) {
    const patch: Record<string, unknown> = {};
    for (const k of [
      'method',
      'sampleFrames',
      'manualThreshold',
      'smoothSigmaPx',
      'connectivity',
      'colormap',
      'contrastMode',
      'window',
      'showEv',
      'evColormap',
      'showOutlines',
    ] as const)
      if (mv[k] !== undefined && mv[k] !== null) patch[k] = mv[k];
    const params = obj(mv.params);
    movieStore.setState({ ...(params ? { params: params as unknown as MovieParams } : {}), ...patch });
    if (mv.built === true && locTable && beforeMovie) {
      try {
        await (o.buildMovie ?? (await import('./movieStore')).buildMovie)();
        const threshold = num(mv.threshold);
        if (threshold !== undefined) movieStore.setState({ threshold });
        const frame = num(mv.frame);
        if (frame !== undefined) movieStore.getState().setFrame(frame);
        if (mv.result !== undefined && mv.result !== null) {
          movieStore.setState({
            result: restoreStructures(mv.result, tables),
            threshold: threshold ?? null,
            resultFromSession: true,
          });
        } else if (mv.analysed === true) {
          // Sessions written before the analysis travelled whole: label the frames again.
          await (o.analyseStructures ?? (await import('./movieStore')).analyseStructures)();
        }
      } catch (e) {
        report.warnings.push(`the movie could not be rebuilt: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/** View state only (also what a shared link carries). */
export function restoreView(view: ViewState): void {
  const ui = uiStore.getState();
  if ((STEP_IDS as string[]).includes(view.step)) ui.setActiveStep(view.step as StepId);
  if ((VIEW_IDS as string[]).includes(view.centreView)) ui.setCentreView(view.centreView as CentreViewId);
  const v = viewerStore.getState();
  const vs = obj(view.settings.viewer);
  v.setFrame(view.frame);
  if (vs) {
    const channels = Array.isArray(vs.channels) ? vs.channels : null;
    viewerStore.setState((s) => ({
      layout: (vs.layout as typeof s.layout) ?? s.layout,
      channel: num(vs.channel) ?? s.channel,
      channels:
        channels && channels.length === s.channels.length
          ? (channels as unknown as typeof s.channels)
          : s.channels,
      pendingAuto: !(channels && channels.length === s.channels.length),
      autoEveryFrame: vs.autoEveryFrame === true,
      lowPct: num(vs.lowPct) ?? s.lowPct,
      highPct: num(vs.highPct) ?? s.highPct,
    }));
    if (vs.fit === false)
      viewerStore.setState({ fit: false, zoom: view.zoom, panX: view.pan.x, panY: view.pan.y });
  }
  const rs = obj(view.settings.recon);
  if (rs) {
    const r = reconStore.getState();
    const settings = obj(rs.settings);
    if (settings) r.setSettings(settings as unknown as Partial<typeof r.settings>);
    const px = num(rs.pixelNm);
    if (px !== undefined) r.setPixelNm(px);
    if (typeof rs.scaleBar === 'boolean') r.setScaleBar(rs.scaleBar);
    if (rs.fit === false) {
      const cx = num(rs.cx);
      const cy = num(rs.cy);
      const nm = num(rs.nmPerPx);
      if (cx !== undefined && cy !== undefined && nm !== undefined)
        reconStore.setState({ fit: false, cx, cy, nmPerPx: nm });
    }
  }
}
