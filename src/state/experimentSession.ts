// The experiment inside a session file (steps.experiment): the inputs grouped cell → condition,
// the steps' parameters and every finished input's summary, so a reviewer reopening the session
// sees the same cell-level results without the files. Simulated inputs keep their recipe.
import { experimentActions } from './experiment';
import { parseSaved, savedState } from './experimentActions';
import { experimentStore, resetExperiment } from './experimentStore';

export function captureExperiment(): unknown {
  const saved = savedState(experimentStore.getState());
  // A reviewer opens the session to read results, not to run the batch on their machine.
  return saved ? { ...saved, wanted: false } : null;
}

export function restoreExperiment(j: unknown, warnings: string[]): void {
  if (j === undefined || j === null) {
    if (experimentStore.getState().experiment) {
      experimentActions.cancel();
      resetExperiment();
    }
    return;
  }
  try {
    experimentActions.load(parseSaved(j));
  } catch (e) {
    warnings.push(`experiment: ${e instanceof Error ? e.message : String(e)}`);
  }
}
