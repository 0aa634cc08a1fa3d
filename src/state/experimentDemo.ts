// The demo's two-condition experiment (core/sim/experiment.ts): EVs bound beside structures vs
// placed at random, 4 cells each, with a known answer. Its files are made in the tab from the
// seed, so a reload makes them again instead of asking for a folder.
import { simulateCalciumExperiment } from '../core/sim/calciumExperiment';
import { simulateExperiment } from '../core/sim/experiment';
import type { SavedExperiment } from './experimentActions';

export const DEMO_SEED = 14;

export interface DemoTruth {
  demo: { seed: number; null: boolean };
  expected: string;
}

/** The demo's files as Files with their paths in the experiment. */
export function demoFiles(seed: number, nullExperiment = false): File[] {
  const sim = simulateExperiment({ seed, null: nullExperiment });
  return sim.files
    .filter((f) => f.path !== 'truth.json')
    .map((f) => {
      const file = new File([f.text], f.path.split('/').pop()!, { type: 'text/csv' });
      Object.defineProperty(file, 'relPath', { value: f.path });
      return file;
    });
}

export function demoExperiment(seed = DEMO_SEED, nullExperiment = false) {
  const sim = simulateExperiment({ seed, null: nullExperiment });
  return { experiment: sim.experiment, truth: { ...sim.truth, demo: { seed, null: nullExperiment } } };
}

export function regenerateDemo(saved: SavedExperiment): File[] {
  const d = (saved.truth as Partial<DemoTruth> | null)?.demo;
  return d && typeof d.seed === 'number' ? demoFiles(d.seed, d.null === true) : [];
}

export const CALCIUM_DEMO_SEED = 16;

/**
 * The Ca²⁺ two-condition experiment (responder fraction 0.7 vs 0.2, 4 coverslips each): its
 * inputs are simulations, so the batch's workers make each movie from its parameters and a
 * reload needs no file.
 */
export function calciumDemoExperiment(seed = CALCIUM_DEMO_SEED, nullExperiment = false) {
  const sim = simulateCalciumExperiment({ seed, null: nullExperiment });
  return { experiment: sim.experiment, simulated: sim.simulations, truth: sim.truth };
}
