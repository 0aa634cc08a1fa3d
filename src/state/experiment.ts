// The app's experiment actions: the batch on the browser's workers, persisted in IndexedDB.
import { indexedDbPersistence } from '../engine/experimentPersist';
import { localizeService } from '../engine/localizeService';
import { fingerprintBlob } from '../engine/sessionService';
import { makeExperimentActions } from './experimentActions';
import {
  CALCIUM_DEMO_SEED,
  calciumDemoExperiment,
  DEMO_SEED,
  demoExperiment,
  demoFiles,
  regenerateDemo,
} from './experimentDemo';
import { analyseInput, browserLane, InputCancelled, type Lane } from './experimentPipeline';
import { experimentStore } from './experimentStore';
import { uiStore } from './uiStore';

const lanes: Lane[] = [];

/**
 * Two inputs at once only where memory and cores allow it: each lane holds one input's stack,
 * localizations and movie while it runs (Chrome reports deviceMemory in GB, capped at 8).
 */
export function batchLanes(): number {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  const cores = nav?.hardwareConcurrency ?? 1;
  const memory = (nav as { deviceMemory?: number } | undefined)?.deviceMemory ?? 4;
  return cores >= 4 && memory >= 8 ? 2 : 1;
}

export const experimentActions = makeExperimentActions({
  analyse: (input, source, steps, hash, lane, signal, progress) => {
    lanes[lane] ??= browserLane();
    const e = experimentStore.getState().experiment;
    return analyseInput(input, source, steps, hash, {
      lane: lanes[lane],
      localizer: localizeService,
      frameIntervalMs: e?.frameIntervalMs,
      pixelSizeNm: e?.pixelSizeNm,
      signal,
      progress,
    });
  },
  // In the session worker, as the session's own input fingerprints (a stack may be 20 GB).
  fingerprint: fingerprintBlob,
  isCancel: (e) => e instanceof InputCancelled,
  lanes: batchLanes,
  persistence: indexedDbPersistence(),
  regenerate: regenerateDemo,
  notify: (...a) => uiStore.getState().notify(...a),
});

/** Opens the simulated two-condition experiment (its files made here) and, if asked, runs it. */
export function openDemoExperiment(seed = DEMO_SEED, nullExperiment = false): void {
  const { experiment, truth } = demoExperiment(seed, nullExperiment);
  experimentActions.load({
    experiment,
    pattern: experimentStore.getState().pattern,
    simulated: {},
    truth,
    fileMeta: {},
    runs: {},
    wanted: false,
  });
  experimentActions.addFiles(demoFiles(seed, nullExperiment));
}

/** Opens the simulated two-condition Ca²⁺ experiment (its movies made by the batch's workers). */
export function openCalciumDemoExperiment(seed = CALCIUM_DEMO_SEED, nullExperiment = false): void {
  const { experiment, simulated, truth } = calciumDemoExperiment(seed, nullExperiment);
  experimentActions.load({
    experiment,
    pattern: experimentStore.getState().pattern,
    simulated,
    truth,
    fileMeta: {},
    runs: {},
    wanted: false,
  });
}
