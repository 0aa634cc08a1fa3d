// The experiment inside a session file: `steps.experiment` is the experiment document itself
// (checked by core/experiment's experimentSectionSchema, as an EXPERIMENT.json is) and
// `steps.experimentRuns` what the browser adds — the name pattern, simulated inputs, the known
// answer, file names and sizes, and every finished input's summary — so a reviewer reopening
// the session sees the same cell-level results without the files.
import '../../workers/sessionSections';
import { v } from '../core/schema';
import type { Json } from '../core/session/index';
import { experimentActions } from './experiment';
import { parseSaved, savedState } from './experimentActions';
import { experimentStore } from './experimentStore';
import { registerSessionPart } from './sessionPart';

export interface ExperimentSections {
  experiment: unknown;
  experimentRuns: unknown;
}

export function captureExperiment(): ExperimentSections | null {
  const saved = savedState(experimentStore.getState());
  if (!saved) return null;
  const { experiment, ...runs } = saved;
  // A reviewer opens the session to read results, not to run the batch on their machine.
  return { experiment, experimentRuns: { ...runs, wanted: false } };
}

export async function restoreExperiment(
  steps: Record<string, unknown>,
  warnings: string[],
  sameSession = false,
): Promise<void> {
  // The session on screen again (a reload, raw files re-attached): the batch queue's own record
  // is newer than this copy, and loading the copy would stop the batch it resumed.
  if (sameSession && (await experimentActions.ownState())) return;
  if (steps.experiment === undefined || steps.experiment === null) {
    if (experimentStore.getState().experiment) experimentActions.close();
    return;
  }
  const runs = (steps.experimentRuns ?? {}) as Record<string, unknown>;
  try {
    experimentActions.load(parseSaved({ ...runs, experiment: steps.experiment, wanted: false }));
  } catch (e) {
    warnings.push(`experiment: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// Two keys (the batch and its runs); restoreExperiment reads both and checks them itself.
registerSessionPart({
  key: 'experiment',
  scope: 'workbench',
  schema: v.custom<Json>(() => true),
  defaults: () => null,
  capture(ctx) {
    const saved = captureExperiment();
    if (!saved) return undefined;
    ctx.steps.experimentRuns = JSON.parse(JSON.stringify(saved.experimentRuns)) as Json;
    return JSON.parse(JSON.stringify(saved.experiment)) as Json;
  },
  async restore(_section, ctx) {
    const warnings: string[] = [];
    await restoreExperiment(ctx.steps, warnings, ctx.options.sameSession);
    for (const w of warnings) ctx.warn(w);
  },
});
