// Loaded stacks, which one is shown, and the user's corrections to their metadata.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CameraKind } from '../core/camera/camera';
import type { StackInfo } from '../engine/stackService';

/** Metadata the user can correct; undefined means "use what the file says". */
export interface MetaOverrides {
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  offsetAdu?: number;
  electronsPerAdu?: number;
  emGain?: number;
  /** The camera type, when the file does not say or says wrongly (decides e.g. sCMOS maps). */
  cameraKind?: CameraKind;
}
export type OverrideKey = keyof MetaOverrides;
/** The numeric corrections (all but the camera type). */
export type NumericOverrideKey = Exclude<OverrideKey, 'cameraKind'>;

export interface LoadedStack {
  info: StackInfo;
  overrides: MetaOverrides;
}

export interface Loading {
  requestId: number;
  label: string;
}

export interface DataState {
  stacks: LoadedStack[];
  activeId: number | null;
  loading: Loading | null;
  addStack(info: StackInfo): void;
  removeStack(id: number): void;
  setActive(id: number): void;
  setOverride<K extends OverrideKey>(id: number, key: K, value: MetaOverrides[K]): void;
  setLoading(l: Loading | null): void;
}

export const dataStore = createStore<DataState>()((set) => ({
  stacks: [],
  activeId: null,
  loading: null,
  addStack: (info) => set((s) => ({ stacks: [...s.stacks, { info, overrides: {} }], activeId: info.id })),
  removeStack: (id) =>
    set((s) => {
      const stacks = s.stacks.filter((x) => x.info.id !== id);
      const activeId = s.activeId === id ? (stacks.at(-1)?.info.id ?? null) : s.activeId;
      return { stacks, activeId };
    }),
  setActive: (id) => set((s) => (s.stacks.some((x) => x.info.id === id) ? { activeId: id } : s)),
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

export const useData = <T>(sel: (s: DataState) => T): T => useStore(dataStore, sel);

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
