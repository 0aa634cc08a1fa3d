// The session document: everything needed to reproduce what is on screen — inputs (by name, size
// and fingerprint, never their bytes), how stacks were assembled from them (or simulated), every
// step's parameters, the result tables' descriptions, the view state and notes. Plain JSON, so it
// autosaves, travels in a .smlm file and validates against the versioned schema in validate.ts.
import { type ColumnArray, type ColumnType, columnType } from '../locs/table';
import { bytesPerPixel, PIXEL_ARRAYS } from '../stack/pixels';
import type { Json } from './schema';

export const SESSION_FORMAT = 'evscope-session';
/** Bumped on any incompatible change; migrate.ts lifts older documents. */
export const SESSION_VERSION = 2;

export type InputRole = 'stack' | 'localizations' | 'tracks' | 'other';

/** A file the analysis read. The bytes stay with the user; the fingerprint recognises them later. */
export interface SessionInput {
  /** Stable id referenced by stack recipes, e.g. "in1". */
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  /** `evfp1:…` (see fingerprint.ts), or null when it was not computed. */
  fingerprint: string | null;
  role: InputRole;
}

/** How a stack was made: the JSON form of workers/stackRecipe.ts's StackRecipe. */
export type RecipeJson =
  | { kind: 'files'; inputs: string[] }
  | { kind: 'channels'; parts: RecipeJson[] }
  | { kind: 'dualView'; base: RecipeJson; layout: 'left-right' | 'top-bottom' }
  /** Simulation parameters in full: opening the session re-creates the stack exactly. */
  | { kind: 'simulated'; params: Json };

export interface SessionStack {
  id: string;
  label: string;
  recipe: RecipeJson;
  /** Pixel size, frame interval, camera offset/gain… as corrected by the user (dataStore overrides). */
  meta: Record<string, number>;
  width?: number;
  height?: number;
  frameCount?: number;
}

export type TableKind =
  | 'localizations'
  | 'localizations-post'
  | 'tracks'
  | 'structures'
  | 'ev-counts'
  | 'distances'
  | 'other';

export const TABLE_KINDS: readonly TableKind[] = [
  'localizations',
  'localizations-post',
  'tracks',
  'structures',
  'ev-counts',
  'distances',
  'other',
];

/** Column dtypes a session stores (LocTable's, spelled as in NumPy/ShareLoc). */
export type Dtype = 'float64' | 'float32' | 'uint32' | 'int32' | 'uint16' | 'uint8';
export const DTYPES: readonly Dtype[] = ['float64', 'float32', 'uint32', 'int32', 'uint16', 'uint8'];

export interface TableColumnInfo {
  name: string;
  dtype: Dtype;
  unit: string;
}

/** A result table as described in session.json; its columns travel as binary entries. */
export interface TableInfo {
  id: string;
  name: string;
  kind: TableKind;
  rows: number;
  columns: TableColumnInfo[];
  /** Stack the table derives from, if any. */
  stack?: string;
  /** Table this one was computed from (e.g. post-processed ← raw). */
  source?: string;
}

/** A result table in memory: columns of equal length plus their units. */
export interface SessionTable {
  id: string;
  name: string;
  kind: TableKind;
  length: number;
  columns: Record<string, ColumnArray>;
  /** Unit per column ("" for counts and ids). */
  units: Record<string, string>;
  stack?: string;
  source?: string;
}

export interface ViewState {
  /** Pipeline step shown on the left (uiStore's StepId). */
  step: string;
  /** What the centre shows (uiStore's CentreViewId). */
  centreView: string;
  activeStack?: string;
  /** 0-based frame. */
  frame: number;
  zoom: number;
  pan: { x: number; y: number };
  /** Colour map per channel or view, e.g. { "raw:0": "gray", reconstruction: "hot" }. */
  colormaps: Record<string, string>;
  /** Anything else a view keeps (contrast limits, plot axes, bin sizes…), as plain JSON. */
  settings: Record<string, Json>;
}

/** Results of an input that was open beside the one on screen (whose results are `steps`). */
export interface SessionInputResults {
  /** Its stack; absent for an imported table, which comes back as a table input of its own. */
  stack?: string;
  label: string;
  /** The same per-input sections as `steps` (localize, localizeRun, post, movie, markers, tracks). */
  steps: Record<string, Json>;
}

export interface Session {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  app: { name: string; version: string };
  /** ISO 8601 times. */
  created: string;
  modified: string;
  title: string;
  /** Free text from the user; shown as text, never as HTML. */
  notes: string;
  inputs: SessionInput[];
  stacks: SessionStack[];
  /**
   * Parameters per step as plain JSON: localize (LocalizeParamsInput), post (PostStep[]), movie,
   * binarize, tracking, coloc, markers… Known steps are checked by their own schema (steps.ts),
   * unknown ones are kept as bounded JSON so a newer file still opens.
   */
  steps: Record<string, Json>;
  tables: TableInfo[];
  view: ViewState;
  /**
   * Since version 2: every other open input's results, so no input's work is lost on reload.
   * Their tables' ids start with `o<k>.` (k = 1-based position here).
   */
  others?: SessionInputResults[];
}

export const DEFAULT_VIEW: ViewState = {
  step: 'data',
  centreView: 'raw',
  frame: 0,
  zoom: 1,
  pan: { x: 0, y: 0 },
  colormaps: {},
  settings: {},
};

export interface CreateSessionOptions {
  appVersion: string;
  title?: string;
  notes?: string;
  inputs?: SessionInput[];
  stacks?: SessionStack[];
  steps?: Record<string, Json>;
  view?: Partial<ViewState>;
  others?: SessionInputResults[];
  /** Defaults to now. */
  now?: Date;
}

/** A new session document (no tables yet; saveSessionFile describes the tables it writes). */
export function createSession(o: CreateSessionOptions): Session {
  const t = (o.now ?? new Date()).toISOString();
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    app: { name: 'evscope', version: o.appVersion },
    created: t,
    modified: t,
    title: o.title ?? '',
    notes: o.notes ?? '',
    inputs: o.inputs ?? [],
    stacks: o.stacks ?? [],
    steps: o.steps ?? {},
    tables: [],
    view: { ...DEFAULT_VIEW, ...o.view },
    ...(o.others?.length ? { others: o.others } : {}),
  };
}

const DTYPE_OF: Record<ColumnType, Dtype> = {
  f64: 'float64',
  f32: 'float32',
  u32: 'uint32',
  i32: 'int32',
  u16: 'uint16',
  u8: 'uint8',
};

export function dtypeOf(a: ColumnArray): Dtype {
  return DTYPE_OF[columnType(a)];
}

export function bytesPerElement(d: Dtype): number {
  return bytesPerPixel(d);
}

/** A column of `dtype` over (a copy of) `bytes`, little-endian. */
export function columnFromBytes(dtype: Dtype, bytes: Uint8Array): ColumnArray {
  const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const n = b.byteLength / bytesPerElement(dtype);
  return new PIXEL_ARRAYS[dtype](b.buffer, b.byteOffset, n) as ColumnArray;
}

/** A table from its session.json description and its decoded columns. */
export function tableFromInfo(
  info: TableInfo,
  columns: Record<string, ColumnArray>,
  units: Record<string, string>,
): SessionTable {
  return {
    id: info.id,
    name: info.name,
    kind: info.kind,
    length: info.rows,
    columns,
    units,
    ...(info.stack !== undefined ? { stack: info.stack } : {}),
    ...(info.source !== undefined ? { source: info.source } : {}),
  };
}

/** Descriptions of in-memory tables, as written into session.json. */
export function describeTables(tables: readonly SessionTable[]): TableInfo[] {
  return tables.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    rows: t.length,
    columns: Object.entries(t.columns).map(([name, c]) => ({
      name,
      dtype: dtypeOf(c),
      unit: t.units[name] ?? '',
    })),
    ...(t.stack !== undefined ? { stack: t.stack } : {}),
    ...(t.source !== undefined ? { source: t.source } : {}),
  }));
}

export interface FingerprintMatch {
  input: SessionInput;
  /** 'match' = same fingerprint and size; 'size-only' = no fingerprint stored, sizes agree. */
  status: 'match' | 'mismatch' | 'size-only';
}

/**
 * Which session input a supplied raw file is: first by fingerprint, then (for inputs saved
 * without one) by name and size. Returns null when nothing fits, so the UI can say so.
 */
export function matchInput(
  session: Pick<Session, 'inputs'>,
  file: { name: string; size: number; fingerprint: string },
): FingerprintMatch | null {
  const exact = session.inputs.find((i) => i.fingerprint === file.fingerprint && i.size === file.size);
  if (exact) return { input: exact, status: 'match' };
  const byName = session.inputs.find((i) => i.name === file.name);
  if (byName) {
    if (byName.fingerprint === null && byName.size === file.size)
      return { input: byName, status: 'size-only' };
    return { input: byName, status: 'mismatch' };
  }
  return null;
}
