// Loaded stacks, which one is shown, and the user's corrections to their metadata.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CameraKind } from '../core/camera/camera';
import type { MetaOverrides } from '../core/stack/metaOverrides';
import type { StackInfo } from '../engine/stackService';
import { forgetInputs, switchInput } from './inputResults';

/** Metadata the user can correct; undefined means "use what the file says". */
export type { MetaOverrides } from '../core/stack/metaOverrides';
export type OverrideKey = keyof MetaOverrides;
/** The numeric corrections (all but the camera type). */
export type NumericOverrideKey = Exclude<OverrideKey, 'cameraKind'>;

export interface LoadedStack {
  info: StackInfo;
  overrides: MetaOverrides;
}

/** A localization table opened on its own (no stack): an input like a stack, with a negative id. */
export interface LoadedTable {
  id: number;
  name: string;
  /** Rows when it was opened (post-processing never changes it). */
  count: number;
  format: string;
}

export interface Loading {
  requestId: number;
  label: string;
}

export interface DataState {
  stacks: LoadedStack[];
  tables: LoadedTable[];
  /** The active input: a stack id, or an imported table's (negative) id. */
  activeId: number | null;
  loading: Loading | null;
  addStack(info: StackInfo): void;
  /** Adds an imported table as an input and makes it active; returns its id. */
  addTable(t: Omit<LoadedTable, 'id'>): number;
  removeStack(id: number): void;
  removeTable(id: number): void;
  setActive(id: number): void;
  setOverride<K extends OverrideKey>(id: number, key: K, value: MetaOverrides[K]): void;
  setLoading(l: Loading | null): void;
}

let tableSeq = 0;

/** The input shown after `id` closed: the last stack, else the last table, else none. */
function nextActive(s: Pick<DataState, 'stacks' | 'tables'>): number | null {
  return s.stacks.at(-1)?.info.id ?? s.tables.at(-1)?.id ?? null;
}

export const dataStore = createStore<DataState>()((set) => ({
  stacks: [],
  tables: [],
  activeId: null,
  loading: null,
  addStack: (info) => set((s) => ({ stacks: [...s.stacks, { info, overrides: {} }], activeId: info.id })),
  addTable: (t) => {
    const id = -++tableSeq;
    set((s) => ({ tables: [...s.tables, { ...t, id }], activeId: id }));
    return id;
  },
  removeStack: (id) =>
    set((s) => {
      const stacks = s.stacks.filter((x) => x.info.id !== id);
      const activeId = s.activeId === id ? nextActive({ stacks, tables: s.tables }) : s.activeId;
      return { stacks, activeId };
    }),
  removeTable: (id) =>
    set((s) => {
      const tables = s.tables.filter((x) => x.id !== id);
      const activeId = s.activeId === id ? nextActive({ stacks: s.stacks, tables }) : s.activeId;
      return { tables, activeId };
    }),
  setActive: (id) =>
    set((s) =>
      s.stacks.some((x) => x.info.id === id) || s.tables.some((x) => x.id === id) ? { activeId: id } : s,
    ),
  setOverride: (id, key, value) =>
    set((s) => ({
      stacks: s.stacks.map((x) => {
        if (x.info.id !== id) return x;
        const overrides = { ...x.overrides };
        if (value === undefined) delete overrides[key];
        else overrides[key] = value;
        return { ...x, overrides };
      }),
    })),
  setLoading: (loading) => set({ loading }),
}));

// The first subscriber, so every other one (frames, overlays, ground truth) already sees the
// new input's results when it hears of the switch.
dataStore.subscribe((s, prev) => {
  if (s.activeId !== prev.activeId) switchInput(s.activeId);
  if (s.stacks !== prev.stacks || s.tables !== prev.tables)
    forgetInputs((id) => s.stacks.some((x) => x.info.id === id) || s.tables.some((x) => x.id === id));
});

export const useData = <T>(sel: (s: DataState) => T): T => useStore(dataStore, sel);

export function activeTable(s: Pick<DataState, 'tables' | 'activeId'>): LoadedTable | null {
  return s.tables.find((x) => x.id === s.activeId) ?? null;
}

/** The name of an input (stack or table), for notices and labels. */
export function inputName(s: Pick<DataState, 'stacks' | 'tables'>, id: number | null): string {
  if (id === null) return 'nothing';
  return (
    s.stacks.find((x) => x.info.id === id)?.info.name ??
    s.tables.find((x) => x.id === id)?.name ??
    `input ${id}`
  );
}

export function activeStack(s: Pick<DataState, 'stacks' | 'activeId'>): LoadedStack | null {
  return s.stacks.find((x) => x.info.id === s.activeId) ?? null;
}

/** The file's value, unless the user corrected it. */
export function effectiveMeta(st: LoadedStack): Required<{ [K in NumericOverrideKey]: number | undefined }> {
  const { meta } = st.info;
  const o = st.overrides;
  return {
    pixelSizeNm: o.pixelSizeNm ?? meta.pixelSizeNm,
    frameIntervalMs: o.frameIntervalMs ?? meta.frameIntervalMs,
    offsetAdu: o.offsetAdu ?? meta.camera?.offsetAdu,
    electronsPerAdu: o.electronsPerAdu ?? meta.camera?.electronsPerAdu,
    emGain: o.emGain ?? meta.camera?.emGain,
  };
}

/** The camera type: the user's choice, else the file's, else CCD. */
export function effectiveCameraKind(st: LoadedStack): CameraKind {
  return st.overrides.cameraKind ?? st.info.meta.camera?.kind ?? 'ccd';
}
