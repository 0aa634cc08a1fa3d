// `window.evscope`: the page's scripting API. Researchers drive the workbench from the browser
// console (load data, run each analysis, read results), and the browser tests use the same
// calls. Each feature registers its own functions here; everything is documented in README.
import { readThunderstormCsv } from '../core/io/thunderstormCsv';
import type { LocTable } from '../core/locs/table';
import { presetParams } from '../core/sim/presets';
import type { StackRecipe } from '../engine/stackService';
import { type CameraSettingsPatch, cameraReport, setCamera } from '../state/cameraSettings';
import { dataActions } from '../state/dataActions';
import { activeStack, dataStore } from '../state/dataStore';
import { importTarget, noticeCsvWarnings } from '../state/locsActions';
import { locsStore, locsTable } from '../state/locsStore';

type ScriptFn = (...args: never[]) => unknown;

const registry: Record<string, ScriptFn> = {};

/** Adds a function to window.evscope; names are unique so features cannot shadow each other. */
export function registerScripting(name: string, fn: ScriptFn): void {
  if (name in registry) throw new Error(`window.evscope.${name} is registered twice`);
  registry[name] = fn;
}

function core() {
  registerScripting('openFiles', (files: File[]) => dataActions.openFiles(files));
  registerScripting('openRecipe', (recipe: StackRecipe, label = 'Opening') =>
    dataActions.openRecipe(recipe, label),
  );
  registerScripting('simulationPreset', (name: Parameters<typeof presetParams>[0]) => presetParams(name));
  registerScripting('activeStack', () => activeStack(dataStore.getState())?.info ?? null);
  registerScripting('setCamera', (patch: CameraSettingsPatch) => setCamera(patch));
  registerScripting('camera', () => cameraReport());
  registerScripting('loadLocalizationsCsv', (text: string, fileName = 'localizations.csv') => {
    const { table, warnings } = readThunderstormCsv(text, { fileName });
    locsStore.getState().load(importTarget(fileName, table.length, 'ThunderSTORM CSV'), table, {
      source: fileName,
    });
    noticeCsvWarnings(fileName, table.length, warnings);
    return { count: table.length, warnings };
  });
  registerScripting('localizations', (): { length: number; columns: Record<string, number[]> } => {
    const t: LocTable = locsTable();
    const columns: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(t.columns)) columns[k] = Array.from(v);
    return { length: t.length, columns };
  });
  registerScripting('runStatus', () => {
    const s = locsStore.getState();
    return { status: s.status, count: s.count, progress: s.progress, error: s.error };
  });
}

export function installScripting(
  target: Record<string, unknown> = window as unknown as Record<string, unknown>,
) {
  if (!('openFiles' in registry)) core();
  target.evscope = Object.freeze({ version: __APP_VERSION__, ...registry });
}
