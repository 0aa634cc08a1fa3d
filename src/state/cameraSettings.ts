// Camera and geometry settings of the active stack as one scriptable object: what the file said,
// what the user set, and what is only assumed (the defaults of core/physicalDefaults). Setting a
// value records a metadata override, exactly as editing it in the Data panel does.
import type { CameraKind } from '../core/camera/camera';
import { PHYSICAL_DEFAULTS, type PhysicalKey } from '../core/physicalDefaults';
import { activeStack, dataStore, effectiveCameraKind, type NumericOverrideKey } from './dataStore';

export interface CameraSettingsPatch {
  pixelNm?: number | null;
  frameIntervalMs?: number | null;
  offset?: number | null;
  gain?: number | null;
  emGain?: number | null;
  kind?: CameraKind | null;
}

export type ValueSource = 'set' | 'file' | 'assumed';

export interface CameraReport {
  stack: string;
  kind: { value: CameraKind; source: ValueSource };
  pixelNm: { value: number; source: ValueSource };
  frameIntervalMs: { value: number; source: ValueSource };
  offset: { value: number; source: ValueSource };
  gain: { value: number; source: ValueSource };
  emGain: { value: number; source: ValueSource };
  /** Names of the values that are defaults nobody gave. */
  assumed: string[];
}

const KEYS: Record<Exclude<keyof CameraSettingsPatch, 'kind'>, NumericOverrideKey & PhysicalKey> = {
  pixelNm: 'pixelSizeNm',
  frameIntervalMs: 'frameIntervalMs',
  offset: 'offsetAdu',
  gain: 'electronsPerAdu',
  emGain: 'emGain',
};

const KINDS: CameraKind[] = ['ccd', 'emccd', 'scmos'];

function check(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a finite number`);
  if (name === 'offset') return;
  if (name === 'emGain' ? v < 1 : v <= 0)
    throw new Error(`${name} must be ${name === 'emGain' ? '≥ 1' : '> 0'}, got ${v}`);
}

/**
 * Applies a patch to the active stack (null clears a setting back to the file's value). The whole
 * patch is checked before anything changes, so a bad field leaves every setting as it was.
 */
export function setCamera(patch: CameraSettingsPatch): CameraReport {
  const st = activeStack(dataStore.getState());
  if (!st) throw new Error('no stack is open: open one before setting its camera');
  if (typeof patch !== 'object' || patch === null) throw new Error('setCamera needs an object');
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'kind') {
      if (v !== null && !KINDS.includes(v as CameraKind))
        throw new Error(`kind must be ${KINDS.join(', ')} or null, got ${JSON.stringify(v)}`);
      continue;
    }
    if (!(k in KEYS))
      throw new Error(`unknown camera setting "${k}" (use ${[...Object.keys(KEYS), 'kind'].join(', ')})`);
    if (v !== null && v !== undefined) check(k, v as number);
  }
  const set = dataStore.getState().setOverride;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (k === 'kind') set(st.info.id, 'cameraKind', (v ?? undefined) as CameraKind | undefined);
    else set(st.info.id, KEYS[k as keyof typeof KEYS], (v ?? undefined) as number | undefined);
  }
  return cameraReport() as CameraReport;
}

/** The active stack's settings and where each comes from, or null without a stack. */
export function cameraReport(): CameraReport | null {
  const st = activeStack(dataStore.getState());
  if (!st) return null;
  const meta = st.info.meta;
  const fromFile: Record<PhysicalKey, number | undefined> = {
    pixelSizeNm: meta.pixelSizeNm,
    frameIntervalMs: meta.frameIntervalMs,
    offsetAdu: meta.camera?.offsetAdu,
    electronsPerAdu: meta.camera?.electronsPerAdu,
    emGain: meta.camera?.emGain,
  };
  const assumed: string[] = [];
  const entry = (name: keyof typeof KEYS) => {
    const key = KEYS[name];
    const set = st.overrides[key];
    if (set !== undefined) return { value: set, source: 'set' as const };
    const file = fromFile[key];
    if (file !== undefined) return { value: file, source: 'file' as const };
    assumed.push(name);
    return { value: PHYSICAL_DEFAULTS[key] as number, source: 'assumed' as const };
  };
  const kindSource: ValueSource =
    st.overrides.cameraKind !== undefined ? 'set' : meta.camera?.kind !== undefined ? 'file' : 'assumed';
  if (kindSource === 'assumed') assumed.push('kind');
  const report: CameraReport = {
    stack: st.info.name,
    kind: { value: effectiveCameraKind(st), source: kindSource },
    pixelNm: entry('pixelNm'),
    frameIntervalMs: entry('frameIntervalMs'),
    offset: entry('offset'),
    gain: entry('gain'),
    emGain: entry('emGain'),
    assumed,
  };
  return report;
}
