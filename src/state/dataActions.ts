// Loading flows: open files, add a channel, split a dual-view stack. Failures become notices
// naming the file; whatever was loaded before stays loaded.
import {
  inputFiles,
  type OpenOutcome,
  type StackRecipe,
  type StackService,
  stackService,
} from '../engine/stackService';
import { activeStack, dataStore, type MetaOverrides, type OverrideKey } from './dataStore';
import { uiStore } from './uiStore';
import { viewerStore } from './viewerStore';

let requestSeq = 0;

function describe(files: File[]): string {
  if (files.length === 0) return '';
  return files.length === 1 ? files[0].name : `${files[0].name} and ${files.length - 1} more`;
}

/**
 * Runs one open request and adds its stack. `inherit` carries the user's metadata corrections
 * over to a stack derived from another (added channel, dual-view split): same camera, same optics.
 */
async function load(
  label: string,
  run: (requestId: number) => Promise<OpenOutcome>,
  inherit?: MetaOverrides,
): Promise<boolean> {
  const requestId = ++requestSeq;
  dataStore.getState().setLoading({ requestId, label });
  let outcome: OpenOutcome;
  try {
    outcome = await run(requestId);
  } catch (e) {
    outcome = { ok: false, fileName: label, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    if (dataStore.getState().loading?.requestId === requestId) dataStore.getState().setLoading(null);
  }
  if (!outcome.ok) {
    if (!outcome.cancelled)
      uiStore
        .getState()
        .notify(
          'error',
          `Could not open ${outcome.fileName}`,
          outcome.reason,
          'Data already loaded are unchanged. Choose another file, or re-export this one as TIFF.',
        );
    return false;
  }
  const { info } = outcome;
  for (const w of info.meta.warnings ?? []) {
    uiStore
      .getState()
      .notify(
        'warning',
        `Opened ${info.name} with a problem`,
        w,
        'Check the file; what was readable is loaded.',
      );
  }
  dataStore.getState().addStack(info);
  for (const [key, value] of Object.entries(inherit ?? {})) {
    dataStore.getState().setOverride(info.id, key as OverrideKey, value);
  }
  viewerStore.getState().resetForStack(info.frameCount, info.channels);
  return true;
}

export function makeDataActions(service: StackService) {
  return {
    openFiles(files: File[]): Promise<boolean> {
      if (files.length === 0) return Promise.resolve(false);
      const input = inputFiles(files);
      return load(`Opening ${describe(files)}`, (id) => service.open(input, id));
    },

    /** Opens a recipe the app makes itself, e.g. a simulation. */
    openRecipe(recipe: StackRecipe, label: string): Promise<boolean> {
      return load(label, (id) => service.openRecipe(recipe, id, label));
    },

    addChannel(files: File[]): Promise<boolean> {
      const base = activeStack(dataStore.getState());
      if (!base || files.length === 0) return Promise.resolve(false);
      const input = inputFiles(files);
      return load(
        `Adding ${describe(files)} as a channel`,
        (id) => service.addChannel(base.info.id, input, id),
        base.overrides,
      );
    },

    splitDualView(layout: 'left-right' | 'top-bottom'): Promise<boolean> {
      const base = activeStack(dataStore.getState());
      if (!base) return Promise.resolve(false);
      return load(
        `Splitting ${base.info.name}`,
        () => service.splitDualView(base.info.id, layout),
        base.overrides,
      );
    },

    cancelLoading(): void {
      const l = dataStore.getState().loading;
      if (l) service.cancel(l.requestId);
    },

    select(id: number): void {
      const s = dataStore.getState();
      if (s.activeId === id) return;
      s.setActive(id);
      const st = activeStack(dataStore.getState());
      if (st) viewerStore.getState().resetForStack(st.info.frameCount, st.info.channels);
      else viewerStore.getState().resetForStack(0, 1);
    },

    /** The worker died and took every stack with it: forget them so nothing asks for their frames. */
    forgetAll(): void {
      // Imported tables never lived in the worker: they stay.
      dataStore.setState((s) => ({ stacks: [], activeId: s.tables.at(-1)?.id ?? null, loading: null }));
      viewerStore.getState().resetForStack(0, 1);
    },

    /** Closes a stack or an imported table, with the results that belong to it. */
    close(id: number): void {
      const wasActive = dataStore.getState().activeId === id;
      if (dataStore.getState().tables.some((t) => t.id === id)) {
        dataStore.getState().removeTable(id);
      } else {
        dataStore.getState().removeStack(id);
        service.close(id);
      }
      const st = activeStack(dataStore.getState());
      if (wasActive && st) viewerStore.getState().resetForStack(st.info.frameCount, st.info.channels);
      if (!st) viewerStore.getState().resetForStack(0, 1);
    },
  };
}

export const dataActions = makeDataActions(stackService);
