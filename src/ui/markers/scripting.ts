// window.evscope.countMarkers / markerResults / selectEv: the EV-marker step from a script (and
// the browser tests).
import { fractionRows } from '../../core/ev/classify';
import type { MarkersResult } from '../../engine/markersService';
import { registerScripting } from '../../scripting/api';
import { activeStack, dataStore, effectiveMeta } from '../../state/dataStore';
import type { MarkersParams } from '../../state/markersParams';
import { markersStore } from '../../state/markersStore';

export interface ScriptedMarkers {
  evs: { length: number; columns: Record<string, number[]> };
  subtypes: { name: string; count: number; fraction: number; lower: number; upper: number }[];
  comparisons: { groupA: string; groupB: string; statistic: number; p: number; pAdjusted: number }[];
  warnings: string[];
}

function plain(r: MarkersResult): ScriptedMarkers {
  const columns: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(r.columns)) columns[k] = Array.from(v);
  columns.subtype = Array.from(r.classification.subtype);
  const f = r.statistics.fractions;
  return {
    evs: { length: r.length, columns },
    subtypes: fractionRows(f),
    comparisons: r.statistics.comparisons.map((c) => ({ ...c })),
    warnings: [...r.warnings],
  };
}

let registered = false;

export function registerMarkersScripting(): void {
  if (registered) return;
  registered = true;
  registerScripting('countMarkers', async (patch: Partial<MarkersParams> = {}): Promise<ScriptedMarkers> => {
    const st = activeStack(dataStore.getState());
    if (!st) throw new Error('No stack is open: open one (openFiles / openRecipe) before counting markers.');
    const store = markersStore.getState();
    store.forStack(st.info);
    markersStore.getState().setParams(patch);
    const result = await markersStore.getState().run(st.info, effectiveMeta(st).pixelSizeNm);
    if (!result)
      throw new Error(markersStore.getState().error ?? `EV count ${markersStore.getState().status}`);
    return plain(markersStore.getState().result!);
  });
  registerScripting('markerResults', (): ScriptedMarkers | null => {
    const r = markersStore.getState().result;
    return r ? plain(r) : null;
  });
  registerScripting('selectEv', (row: number | null) => markersStore.getState().select(row));
}

registerMarkersScripting();
