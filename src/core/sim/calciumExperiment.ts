// A simulated two-condition Ca²⁺ experiment with a known answer (issue 16 inside an experiment):
// condition "A" (responder probability 0.7) vs "B" (0.2), 4 experiment cells — coverslips, the
// biological replicates — per condition, one small Ca²⁺-indicator movie of ~14 segmented
// recipient cells each. Coverslips differ: each draws its own responder probability around its
// condition's (sd REPLICATE_SD), as real dishes do, which is why the recipient cells of one
// coverslip are not independent and the coverslip is the unit of the test. With `null: true`
// both conditions share one probability: any difference is chance.
//
// Each input is a calcium-preset simulation (core/sim/presets.ts) made smaller; the browser runs
// them from their parameters, the CLI writes them as TIFFs.
import type { Experiment, ExperimentSteps } from '../experiment/model';
import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION } from '../experiment/model';
import { Rng } from '../random';
import { buildCalciumScene } from './calcium';
import type { CalciumScene, SimulationParams } from './params';
import { presetParams } from './presets';

export interface CalciumExperimentOptions {
  seed?: number;
  /** Experiment cells (coverslips) per condition. */
  cellsPerCondition?: number;
  /** Movies (fields) per coverslip. */
  inputsPerCell?: number;
  /** Both conditions with the same responder probability: the null experiment. */
  null?: boolean;
}

export interface CalciumExperimentTruth {
  conditions: { name: string; responderProbability: number }[];
  /** Between-coverslip sd of the responder probability. */
  replicateSd: number;
  /** Per input: its coverslip's responder probability and the true responders among its cells. */
  inputs: { id: string; responderProbability: number; cells: number; responders: number }[];
  expected: string;
  seed: number;
}

export interface SimulatedCalciumExperiment {
  experiment: Experiment;
  /** Input id → the simulation that makes its movie. */
  simulations: Record<string, SimulationParams>;
  truth: CalciumExperimentTruth;
}

export const CALCIUM_EXPERIMENT_PROBABILITIES = { A: 0.7, B: 0.2, null: 0.45 } as const;
const REPLICATE_SD = 0.08;
const ADD_FRAME = 30;
const FRAMES = 120;

/** One small field of recipient cells (128² px of 325 nm, 120 frames at 2 fps). */
export function calciumInputParams(seed: number, responderProbability: number): SimulationParams {
  const p = presetParams('calcium');
  p.seed = seed;
  p.width = 128;
  p.height = 128;
  p.frames = FRAMES;
  if (p.scene.kind !== 'calcium') throw new Error('the calcium preset lost its scene');
  Object.assign(p.scene, {
    cellCount: 14,
    cellRadiusMinNm: 2000,
    cellRadiusMaxNm: 3000,
    addFrame: ADD_FRAME,
    responderFraction: responderProbability,
    latencyMinFrames: 4,
    latencyMaxFrames: 40,
    amplitudeMin: 0.4,
    amplitudeMax: 1.5,
  });
  return p;
}

/**
 * The step's parameters for these movies (frames 0-based: EVs added at frame index 30). No bleach
 * correction: the indicator loses 3 % over the movie, while an exponential fitted to 30 baseline
 * frames and extrapolated 90 frames drifts by more than the noise and makes late false responders.
 */
export function calciumExperimentSteps(): ExperimentSteps {
  return {
    calcium: {
      addFrame: ADD_FRAME,
      baselineStart: 0,
      baselineEnd: ADD_FRAME,
      k: 3,
      minFrames: 3,
      bleach: 'none',
    },
  };
}

/** The experiment, each input's simulation and the truth; pure and deterministic in the seed. */
export function simulateCalciumExperiment(o: CalciumExperimentOptions = {}): SimulatedCalciumExperiment {
  const seed = o.seed ?? 16;
  const cells = o.cellsPerCondition ?? 4;
  const perCell = o.inputsPerCell ?? 1;
  const P = CALCIUM_EXPERIMENT_PROBABILITIES;
  const conditions = o.null
    ? [
        { name: 'A', responderProbability: P.null },
        { name: 'B', responderProbability: P.null },
      ]
    : [
        { name: 'A', responderProbability: P.A },
        { name: 'B', responderProbability: P.B },
      ];
  const rng = new Rng(seed, 16);
  const inputs: Experiment['inputs'] = [];
  const simulations: Record<string, SimulationParams> = {};
  const truthInputs: CalciumExperimentTruth['inputs'] = [];
  conditions.forEach((cond, ci) => {
    for (let c = 0; c < cells; c++) {
      const p = Math.min(0.98, Math.max(0.02, cond.responderProbability + REPLICATE_SD * rng.normal()));
      for (let k = 0; k < perCell; k++) {
        const id = `${cond.name}-coverslip${c + 1}-${k + 1}`;
        const sim = calciumInputParams(seed * 1000 + ci * 100 + c * 10 + k, p);
        simulations[id] = sim;
        // The scene alone (no frames) says which cells respond.
        const scene = buildCalciumScene(sim, sim.scene as CalciumScene);
        inputs.push({
          id,
          path: `${cond.name}/coverslip${c + 1}_${k + 1}.tif`,
          cell: `${cond.name}/coverslip${c + 1}`,
          condition: cond.name,
          kind: 'stack',
        });
        truthInputs.push({
          id,
          responderProbability: p,
          cells: scene.length,
          responders: scene.responder.reduce((x, y) => x + y, 0),
        });
      }
    }
  });
  const [a, b] = conditions.map((c) => c.responderProbability);
  const truth: CalciumExperimentTruth = {
    conditions,
    replicateSd: REPLICATE_SD,
    inputs: truthInputs,
    expected: o.null
      ? `no difference: both conditions respond with probability ${a} (a coverslip-level test rejects at its nominal rate)`
      : `responder fraction per coverslip higher in A (${a}) than in B (${b}): calcium.responderFraction A − B ≈ ${(a - b).toFixed(1)}`,
    seed,
  };
  const experiment: Experiment = {
    format: EXPERIMENT_FORMAT,
    version: EXPERIMENT_VERSION,
    title: o.null
      ? 'Simulated null Ca²⁺ experiment (A and B alike)'
      : `Simulated Ca²⁺ experiment: responder fraction ${a} (A) vs ${b} (B)`,
    frameIntervalMs: 500,
    pixelSizeNm: 325,
    inputs,
    steps: calciumExperimentSteps(),
  };
  return { experiment, simulations, truth };
}
