// window.evscope.runCalcium / calciumResults: the Ca²⁺-response step from a script (and the
// browser tests). Frames are 0-based here, as everywhere in the scripting API.
import type { CellRow, ResponseSummary } from '../../core/calcium';
import { registerScripting } from '../../scripting/api';
import { type CalciumUiParams, calciumStore } from '../../state/calciumStore';
import { activeStack, dataStore } from '../../state/dataStore';

export interface ScriptedCalcium {
  cells: CellRow[];
  summary: ResponseSummary;
  alpha: number;
  frames: number;
  /** ΔF/F₀ per cell (cell-major rows), when the run is in this page (not restored). */
  dff: number[][] | null;
}

function plain(): ScriptedCalcium | null {
  const r = calciumStore.getState().result;
  if (!r) return null;
  const dff = r.dff
    ? Array.from({ length: r.count }, (_, c) => Array.from(r.dff!.subarray(c * r.frames, (c + 1) * r.frames)))
    : null;
  return {
    cells: r.cells.map((c) => ({ ...c })),
    summary: { ...r.summary },
    alpha: r.alpha,
    frames: r.frames,
    dff,
  };
}

let registered = false;

export function registerCalciumScripting(): void {
  if (registered) return;
  registered = true;
  registerScripting('runCalcium', async (patch: Partial<CalciumUiParams> = {}): Promise<ScriptedCalcium> => {
    const st = activeStack(dataStore.getState());
    if (!st) throw new Error('No stack is open: open a Ca²⁺ time-lapse (or the calcium simulation) first.');
    const store = calciumStore.getState();
    store.forStack(st.info);
    calciumStore.getState().setParams(patch);
    const result = await calciumStore.getState().run(st.info);
    if (!result)
      throw new Error(calciumStore.getState().error ?? `Ca²⁺ analysis ${calciumStore.getState().status}`);
    return plain()!;
  });
  registerScripting('calciumResults', (): ScriptedCalcium | null => plain());
}

registerCalciumScripting();
