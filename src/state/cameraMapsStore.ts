// sCMOS per-pixel calibration maps per stack: the three images the user loaded (offset in ADU,
// gain in e⁻/ADU, read-noise variance in ADU²), each read and checked in a worker, or — for a
// simulated sCMOS stack — the simulation's own maps, which the localize workers derive from the
// recipe themselves. The run plan names which maps it uses (`MapsRef`, small, so the plan's
// signature stays cheap); the arrays are attached only when the request is sent.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ScmosMaps } from '../core/camera/camera';
import { MAP_ROLES, type MapRole } from '../core/camera/scmosMaps';
import type { LocalizeParamsInput } from '../core/localize/params';
import { localizeService, type ReadMapResult } from '../engine/localizeService';
import { type InputFile, inputFiles } from '../engine/stackService';
import { dataStore, effectiveCameraKind, type LoadedStack } from './dataStore';

export interface MapSlot extends ReadMapResult {
  file: string;
  /** Increases with every map loaded: a run made with an older map is stale. */
  seq: number;
}

export interface StackMaps {
  slots: Partial<Record<MapRole, MapSlot>>;
  /** File being read per role. */
  pending: Partial<Record<MapRole, string>>;
  /** Why the last file chosen for a role was refused. */
  errors: Partial<Record<MapRole, string>>;
}

/** Which maps a run uses. */
export type MapsRef = { source: 'simulation' } | { source: 'files'; files: string[]; seq: number[] };

export interface CameraMapsState {
  byStack: Record<number, StackMaps>;
  update(stackId: number, change: (m: StackMaps) => StackMaps): void;
  /** Forgets one map of a stack. */
  remove(stackId: number, role: MapRole): void;
  clear(stackId: number): void;
}

const EMPTY: StackMaps = { slots: {}, pending: {}, errors: {} };

export const cameraMapsStore = createStore<CameraMapsState>()((set) => ({
  byStack: {},
  update: (stackId, change) =>
    set((s) => ({ byStack: { ...s.byStack, [stackId]: change(s.byStack[stackId] ?? EMPTY) } })),
  remove: (stackId, role) =>
    set((s) => {
      const m = s.byStack[stackId];
      if (!m?.slots[role] && !m?.errors[role]) return s;
      const slots = { ...m.slots };
      const errors = { ...m.errors };
      delete slots[role];
      delete errors[role];
      return { byStack: { ...s.byStack, [stackId]: { ...m, slots, errors } } };
    }),
  clear: (stackId) =>
    set((s) => {
      if (!(stackId in s.byStack)) return s;
      const byStack = { ...s.byStack };
      delete byStack[stackId];
      return { byStack };
    }),
}));

export const useCameraMaps = <T>(sel: (s: CameraMapsState) => T): T => useStore(cameraMapsStore, sel);

// A closed stack's maps go with it.
dataStore.subscribe((d, prev) => {
  if (d.stacks === prev.stacks) return;
  const open = new Set(d.stacks.map((s) => s.info.id));
  for (const id of Object.keys(cameraMapsStore.getState().byStack).map(Number))
    if (!open.has(id)) cameraMapsStore.getState().clear(id);
});

export function stackMaps(stackId: number): StackMaps {
  return cameraMapsStore.getState().byStack[stackId] ?? EMPTY;
}

/** A simulated sCMOS stack: its maps are known exactly. */
export function simulationHasMaps(st: LoadedStack): boolean {
  const r = st.info.recipe;
  return r.kind === 'simulated' && r.params.camera.kind === 'scmos';
}

export type MapsChoice = { ok: true; ref: MapsRef | undefined } | { ok: false; error: string };

/**
 * Which maps a run of this stack uses: none unless the camera is sCMOS; the loaded files when all
 * three are there; else the simulation's. One or two maps alone are an error to fix.
 */
export function chooseMaps(st: LoadedStack, m: StackMaps = stackMaps(st.info.id)): MapsChoice {
  if (effectiveCameraKind(st) !== 'scmos') return { ok: true, ref: undefined };
  const loaded = MAP_ROLES.filter((r) => m.slots[r]);
  if (loaded.length === 3) {
    const slots = MAP_ROLES.map((r) => m.slots[r]!);
    return {
      ok: true,
      ref: { source: 'files', files: slots.map((s) => s.file), seq: slots.map((s) => s.seq) },
    };
  }
  if (loaded.length > 0) {
    const missing = MAP_ROLES.filter((r) => !m.slots[r]);
    return {
      ok: false,
      error: `sCMOS calibration needs all three maps: load the ${missing.join(' and ')} map${missing.length > 1 ? 's' : ''}, or remove the ${loaded.join(' and ')} map${loaded.length > 1 ? 's' : ''}.`,
    };
  }
  return { ok: true, ref: simulationHasMaps(st) ? { source: 'simulation' } : undefined };
}

/**
 * The engine's view of a plan's maps: file maps (full frame) put into the camera parameters, or
 * the flag that makes the workers take the simulation's. Throws if the maps changed since.
 */
export function attachMaps(
  params: LocalizeParamsInput,
  ref: MapsRef | undefined,
  stackId: number,
): { params: LocalizeParamsInput; scmosMapsFromSimulation: boolean } {
  if (!ref) return { params, scmosMapsFromSimulation: false };
  if (ref.source === 'simulation') return { params, scmosMapsFromSimulation: true };
  const { slots } = stackMaps(stackId);
  const maps = MAP_ROLES.map((r) => slots[r]);
  if (maps.some((s, i) => s?.seq !== ref.seq[i]))
    throw new Error('the sCMOS calibration maps changed or were removed: run again');
  const [offset, gain, variance] = maps as MapSlot[];
  const scmosMaps: ScmosMaps = {
    offsetAdu: offset.map,
    electronsPerAdu: gain.map,
    varianceAdu2: variance.map,
  };
  return {
    params: { ...params, camera: { ...params.camera, kind: 'scmos', emGain: 1, scmosMaps } },
    scmosMapsFromSimulation: false,
  };
}

/** Reads one map image in a worker (a LocalizeService satisfies it; tests substitute a fake). */
export interface MapReader {
  readScmosMap(role: MapRole, file: InputFile, width: number, height: number): Promise<ReadMapResult>;
}

let seq = 0;

/**
 * Loads `file` as the `role` map of a stack: read and checked against the stack's size in a
 * worker; shown as pending meanwhile; on failure the reason is kept for the panel and the
 * previous map of that role stays. Resolves true when the map was loaded.
 */
export async function loadCameraMap(
  stackId: number,
  role: MapRole,
  file: File,
  reader: MapReader = localizeService,
): Promise<boolean> {
  const st = dataStore.getState().stacks.find((s) => s.info.id === stackId);
  if (!st) return false;
  const store = cameraMapsStore.getState();
  store.update(stackId, (m) => ({ ...m, pending: { ...m.pending, [role]: file.name } }));
  const done = (m: StackMaps): Partial<Record<MapRole, string>> => {
    const pending = { ...m.pending };
    // A newer file chosen meanwhile keeps its own pending mark.
    if (pending[role] === file.name) delete pending[role];
    return pending;
  };
  try {
    const res = await reader.readScmosMap(role, inputFiles([file])[0], st.info.width, st.info.height);
    const slot: MapSlot = { ...res, file: file.name, seq: ++seq };
    store.update(stackId, (m) => {
      const errors = { ...m.errors };
      delete errors[role];
      return { slots: { ...m.slots, [role]: slot }, pending: done(m), errors };
    });
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    store.update(stackId, (m) => ({ ...m, pending: done(m), errors: { ...m.errors, [role]: msg } }));
    return false;
  }
}
