// window.evscope.newExperiment / runExperiment / experimentResults: the Experiment step from a
// script (and the browser tests).
import { type Experiment, validateExperiment } from '../../core/experiment/model';
import type { SimulationParams } from '../../core/sim/params';
import { registerScripting } from '../../scripting/api';
import { experimentActions, openCalciumDemoExperiment, openDemoExperiment } from '../../state/experiment';
import { emptyExperiment, experimentStore } from '../../state/experimentStore';
import { resultsOf } from './results';

export interface NewExperimentSpec {
  /** A whole experiment document (EXPERIMENT.json's content); default an empty one. */
  experiment?: Experiment;
  title?: string;
  /** Simulated inputs: the simulation of each input id (they need no file). */
  simulated?: Record<string, SimulationParams>;
  truth?: unknown;
}

registerScripting('newExperiment', (spec: NewExperimentSpec = {}) => {
  let experiment = emptyExperiment(spec.title ?? '');
  if (spec.experiment) {
    const v = validateExperiment(spec.experiment);
    if (!v.ok) throw new Error(`not a valid experiment:\n  ${v.errors.join('\n  ')}`);
    experiment = v.experiment;
  }
  experimentActions.load({
    experiment,
    pattern: experimentStore.getState().pattern,
    simulated: spec.simulated ?? {},
    truth: spec.truth ?? null,
    fileMeta: {},
    runs: {},
    wanted: false,
  });
  return experimentStore.getState().experiment;
});

registerScripting('openExperimentDemo', (seed?: number, nullExperiment = false) => {
  openDemoExperiment(seed, nullExperiment);
  return experimentStore.getState().experiment;
});

registerScripting('openCalciumExperimentDemo', (seed?: number, nullExperiment = false) => {
  openCalciumDemoExperiment(seed, nullExperiment);
  return experimentStore.getState().experiment;
});

registerScripting('addExperimentFiles', (files: File[]) => experimentActions.addFiles(files));

registerScripting('runExperiment', () => experimentActions.start());

registerScripting('excludeExperimentInput', (id: string) => experimentActions.setExcluded(id, true));
registerScripting('includeExperimentInput', (id: string) => experimentActions.setExcluded(id, false));
registerScripting('rerunExperimentInput', (id: string) => experimentActions.rerun(id));

registerScripting('setExperimentTested', (metrics: string[] | null) => experimentActions.setTested(metrics));

registerScripting('cancelExperiment', () => experimentActions.cancel());

registerScripting('experimentResults', (tested?: string[]) => {
  const s = experimentStore.getState();
  const { summaries, stats } = resultsOf(s, tested);
  const runs = Object.fromEntries(
    Object.entries(s.runs).map(([id, r]) => [id, { status: r.status, error: r.error ?? null }]),
  );
  return JSON.parse(JSON.stringify({ queue: s.queue, runs, summaries, stats, truth: s.truth })) as unknown;
});
