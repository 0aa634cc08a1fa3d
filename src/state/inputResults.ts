// Results belong to the input (stack or imported table) they were computed from. Every result
// store keeps showing the active input's results; switching the active input puts each store's
// results aside under the input they belong to and brings back the new input's (or nothing).
// Views therefore never need to know about inputs: they read their store as before, and nothing
// computed on one input can be offered for another.
//
// This module imports no store (dataStore drives it, each result store registers itself), so it
// sits below all of them without import cycles.
import type { StoreApi } from 'zustand/vanilla';

/** A stack id (positive), an imported-table id (negative), or null when nothing is open. */
export type InputId = number | null;

export interface ResultSlice<S> {
  store: StoreApi<S>;
  /** The fields that belong to the input being left (in-flight work is stopped or detached here). */
  capture(s: S): Partial<S>;
  /** The state to show for the input switched to; `saved` is undefined for an input with no results yet. */
  restore(saved: Partial<S> | undefined, s: S): Partial<S>;
}

// biome-ignore lint/suspicious/noExplicitAny: slices of different stores live in one list.
type AnySlice = ResultSlice<any>;

const slices = new Map<string, AnySlice>();
const stash = new Map<number, Map<string, object>>();
let active: InputId = null;
let switching = false;
// Work landing on an input not on screen changes no store: autosave listens here instead.
let asideVersion = 0;
const asideListeners = new Set<() => void>();

export function registerResults<S>(name: string, slice: ResultSlice<S>): void {
  slices.set(name, slice);
}

export function activeInput(): InputId {
  return active;
}

/** Puts the active input's results aside and shows `next`'s. Results made with nothing open are not kept. */
export function switchInput(next: InputId): void {
  if (next === active) return;
  const saved = new Map<string, object>();
  for (const [name, sl] of slices) saved.set(name, sl.capture(sl.store.getState()));
  if (active !== null) stash.set(active, saved);
  active = next;
  const mine = next === null ? undefined : stash.get(next);
  if (next !== null) stash.delete(next);
  switching = true;
  try {
    for (const [name, sl] of slices) sl.store.setState(sl.restore(mine?.get(name), sl.store.getState()));
  } finally {
    switching = false;
  }
}

/** True while a switch puts the next input's results in the stores (their subscribers see no edit). */
export function isSwitchingInput(): boolean {
  return switching;
}

/** Drops the results of inputs that are no longer open. */
export function forgetInputs(open: (id: number) => boolean): void {
  for (const id of [...stash.keys()]) if (!open(id)) stash.delete(id);
}

/**
 * `id`'s results in store `name`: the live state when it is the active input, its put-aside copy
 * otherwise, undefined when the input has none (or is closed).
 */
export function readResults<S>(id: InputId, name: string): Partial<S> | undefined {
  const sl = slices.get(name);
  if (!sl) return undefined;
  if (id === active) return sl.store.getState() as S;
  return id === null ? undefined : (stash.get(id)?.get(name) as Partial<S> | undefined);
}

/**
 * Updates `id`'s results in store `name` wherever they are: long work (a localization run) keeps
 * writing into its own input's results while the user looks at another. No-op for a closed input.
 */
export function updateResults<S>(id: InputId, name: string, change: (s: S) => Partial<S>): void {
  const sl = slices.get(name);
  if (!sl) return;
  if (id === active) {
    sl.store.setState(change(sl.store.getState() as S));
    return;
  }
  const saved = id === null ? undefined : stash.get(id);
  const cur = saved?.get(name);
  if (!saved || !cur) return;
  saved.set(name, { ...cur, ...change({ ...sl.store.getState(), ...cur } as S) });
  asideVersion++;
  for (const l of asideListeners) l();
}

/** Grows whenever results put aside change (a run filling a stack that is not on screen). */
export function putAsideVersion(): number {
  return asideVersion;
}

/** Calls `listener` after every change to put-aside results; returns the unsubscribe. */
export function onPutAsideChange(listener: () => void): () => void {
  asideListeners.add(listener);
  return () => void asideListeners.delete(listener);
}

/** Whether `id` has results put aside (tests and the Data list). */
export function hasStashed(id: number): boolean {
  return stash.has(id);
}

/** Test helper: forget every input and slice state (slices stay registered). */
export function resetInputResults(): void {
  stash.clear();
  active = null;
}
