// Session capture by registration: each feature says what of its state a session file carries and
// how it comes back, so adding an analysis never touches the session hub (sessionCapture.ts).
// A part's section is checked by its schema before `restore` sees it: a bad field takes its
// default with a warning that names the field and the value, and the rest of the session opens.
//
//   registerSessionPart({ key: 'myStep', schema, defaults, capture: (c) => ..., restore: (s, c) => ... })
//
// in src/state/<feature>Session.ts, and one import line in src/state/sessionParts.ts.

import { type AnyObjectSchema, issueLine, parseFields, v } from '../core/schema';
import type { Json, SessionTable, ViewState } from '../core/session/index';
import type { StackInfo } from '../engine/stackService';

export interface CaptureContext {
  /** This input's state of a store: the live one for the input on screen, else its put-aside results. */
  read<S>(name: string, store: { getState(): S }): S;
  /** True for the input on screen (its stores are live). */
  readonly live: boolean;
  /** Session ids of the open stacks (workbench stack id → "s1"). */
  readonly stackIds: ReadonlyMap<number, string>;
  /** Adds a result table to the file (ids are per input; the hub prefixes other inputs'). */
  addTable(t: SessionTable): void;
  /** The sections captured so far (a part that predates this API writes a second key here). */
  readonly steps: Record<string, Json>;
  /** The view being saved: `view`-scope parts fill its frame, zoom, pan and colour maps. */
  readonly view: ViewState;
}

export interface RestoreOptions {
  /** Raw files the user supplied for the session's inputs, by input id (see matchInput). */
  files?: Map<string, File>;
  /** Rebuilds the movie when the session had one (default: the movie store's buildMovie). */
  buildMovie?: () => Promise<unknown>;
  analyseStructures?: () => Promise<unknown>;
  /**
   * The session restored is the one the workbench holds already: the tab's own last autosave at
   * start-up, or the open session again with raw files attached. State a part saves for reloads
   * on its own (the experiment's batch queue) is newer than this copy of it.
   */
  sameSession?: boolean;
}

export interface RestoreContext {
  /** This input's result tables (ids without the other-input prefix). */
  readonly tables: readonly SessionTable[];
  /** Stacks re-created, by session stack id. */
  readonly live: ReadonlyMap<string, StackInfo>;
  /** The table input made for localizations whose stack is not attached, or null. */
  readonly tableInput: number | null;
  /** True for the input on screen; the others' results are stored without running anything. */
  readonly onScreen: boolean;
  /** The input's name, for messages. */
  readonly label: string;
  /** All of this input's sections as saved (unchecked), for parts that read a sibling key. */
  readonly steps: Readonly<Record<string, Json>>;
  readonly options: RestoreOptions;
  warn(message: string): void;
  /** Shows the session's view (once): parts that rebuild something on screen call it first. */
  showView(): void;
  readonly view: ViewState;
}

/** `input`: one section per open input under `steps`; `workbench`: once under `steps`; `view`: under `view.settings`. */
export type PartScope = 'input' | 'workbench' | 'view';

export interface SessionPart<S extends v.GenericSchema = v.GenericSchema> {
  key: string;
  scope?: PartScope;
  schema: S;
  /** What a missing or bad field becomes. */
  defaults: () => v.InferOutput<S>;
  /** The section to save, or undefined to leave it out. */
  capture(ctx: CaptureContext): Json | undefined;
  /** Called for every input (section undefined when the file has none). */
  restore(section: v.InferOutput<S> | undefined, ctx: RestoreContext): void | Promise<void>;
  /** Whether a saved section is a result of its own (default: any section is); see captureOthers. */
  ownResult?(section: Json): boolean;
  /** Clears this feature's state before a session replaces the workbench. */
  reset?(): void;
}

const parts: SessionPart[] = [];

/** Restore runs parts in registration order (sessionParts.ts lists them: post steps before localizations). */
export function registerSessionPart<S extends v.GenericSchema>(part: SessionPart<S>): void {
  if (parts.some((p) => p.key === part.key && (p.scope ?? 'input') === (part.scope ?? 'input')))
    throw new Error(`session part "${part.key}" is registered twice`);
  parts.push(part);
}

export function sessionParts(scope: PartScope): readonly SessionPart[] {
  return parts.filter((p) => (p.scope ?? 'input') === scope);
}

/**
 * A saved section through its part's schema; undefined when the file has none. Object sections
 * keep every good field (a bad one takes its default, with a warning); others are all or nothing.
 */
export function checkSection(part: SessionPart, raw: Json | undefined, warn: (m: string) => void): unknown {
  if (raw === undefined) return undefined;
  if (part.schema.type === 'object') {
    const schema = part.schema as AnyObjectSchema;
    const dflt = part.defaults() as v.InferOutput<AnyObjectSchema>;
    const { value, warnings } = parseFields(schema, raw, dflt, part.key);
    for (const w of warnings) warn(w);
    return value;
  }
  const r = v.safeParse(part.schema, raw);
  if (r.success) return r.output;
  warn(`${issueLine(r.issues[0], part.key)}: left out`);
  return part.defaults();
}
