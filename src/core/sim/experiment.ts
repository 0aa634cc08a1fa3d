// A simulated two-condition experiment with a known answer (issue 14): in condition "near" EVs
// bind beside structures and enter them (the uptake scene's capture), in condition "random" the
// same scene's EVs only diffuse (capture switched off), so they sit where chance puts them.
// Each cell is one simulation with its own seed; each input is written as what an experiment
// reads: the structure channel's localizations (ThunderSTORM CSV, the truth's sample positions
// plus Gaussian localization error with its precision column) and the EV tracks (track CSV, with
// tracking error). Structures are simulated identically in both conditions for a given cell
// index, so only the EVs' behaviour differs. With `null: true` both conditions are "random":
// any difference is chance, and a cell-level test must reject at its nominal rate.
import type { Experiment, ExperimentSteps } from '../experiment/model';
import { EXPERIMENT_FORMAT, EXPERIMENT_VERSION } from '../experiment/model';
import { writeThunderstormCsv } from '../io/thunderstormCsv';
import { Rng } from '../random';
import { tracksToCsv } from '../spt/io';
import { sortTrackTable, type TrackTable } from '../spt/types';
import type { UptakeScene } from './params';
import { presetParams } from './presets';
import { simulate } from './simulate';

export interface ExperimentSimOptions {
  seed?: number;
  cellsPerCondition?: number;
  inputsPerCell?: number;
  /** Raw frames per input (5 ms each). */
  frames?: number;
  /** Camera field, px (100 nm). */
  sizePx?: number;
  /** Both conditions random: the null experiment. */
  null?: boolean;
}

export interface SimulatedExperiment {
  experiment: Experiment;
  /** Relative path → file text (the paths the experiment names, plus truth.json). */
  files: { path: string; text: string }[];
  truth: ExperimentTruth;
}

export interface ExperimentTruth {
  conditions: { name: string; bindProbabilityPerFrame: number }[];
  /** The answer the cell-level tests must give. */
  expected: string;
  seed: number;
  localizationErrorNm: number;
  trackingErrorNm: number;
}

const LOC_ERROR_NM = 15;
const TRACK_ERROR_NM = 20;
const BIND = 0.2;

/** Steps and parameters for the simulated inputs (movie windows sized to their short stacks). */
export function simulatedExperimentSteps(): ExperimentSteps {
  return {
    movie: {
      window: 300,
      step: 30,
      renderPxNm: 20,
      sigma: { kind: 'precision', factor: 1, minNm: 5 },
      smoothSigmaPx: 1,
      threshold: { kind: 'otsu', sampleFrames: 10 },
      connectivity: 26,
    },
    tracks: {
      localize: {},
      link: { maxLinkDistance: 200, maxGap: 2 },
      filter: { minLength: 10, minMeanIntensity: 0 },
      frameBase: 1,
    },
    coloc: { cutoff: 240, controlPerFrame: 50, controlTracksPerTrack: 20, permutations: 999, controlSeed: 1 },
  };
}

function cellParams(seed: number, bind: number, frames: number, size: number) {
  const p = presetParams('demo');
  p.seed = seed;
  p.width = size;
  p.height = size;
  p.frames = frames;
  // No drift: the inputs are tables already corrected; the test is about placement.
  p.drift = { speedXNmPerS: 0, speedYNmPerS: 0, wobbleAmplitudeNm: 0, wobblePeriodS: 20 };
  const scene = p.scene as UptakeScene;
  scene.evCount = 12;
  scene.evArrivalFraction = 0;
  scene.caveolaBirthsPerUm2PerS = 0.15;
  scene.caveolaMeanLifetimeS = 10;
  scene.insideDwellS = 20;
  scene.bindProbabilityPerFrame = bind;
  return p;
}

function structureLocsCsv(sim: ReturnType<typeof simulate>, rng: Rng): string {
  const e = sim.truth.events;
  const rows: number[] = [];
  for (let i = 0; i < e.length; i++) if (e.columns.channel[i] === 0) rows.push(i);
  const n = rows.length;
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const precision = new Float32Array(n).fill(LOC_ERROR_NM);
  rows.forEach((i, k) => {
    frame[k] = e.columns.frame[i];
    x[k] = e.columns.xSample[i] + LOC_ERROR_NM * rng.normal();
    y[k] = e.columns.ySample[i] + LOC_ERROR_NM * rng.normal();
  });
  return writeThunderstormCsv({ length: n, columns: { frame, x, y, precision } });
}

function tracksCsv(sim: ReturnType<typeof simulate>, rng: Rng): string {
  const t = sim.truth.trajectories;
  const n = t.length;
  const table: TrackTable = {
    length: n,
    columns: {
      track: Uint32Array.from(t.ev),
      frame: Uint32Array.from(t.frame),
      x: Float64Array.from(t.x, (v) => v + TRACK_ERROR_NM * rng.normal()),
      y: Float64Array.from(t.y, (v) => v + TRACK_ERROR_NM * rng.normal()),
      intensity: new Float64Array(n).fill(1500),
    },
  };
  return tracksToCsv(sortTrackTable(table));
}

/** The experiment, its files and its truth; pure and deterministic in the seed. */
export function simulateExperiment(o: ExperimentSimOptions = {}): SimulatedExperiment {
  const seed = o.seed ?? 14;
  const cells = o.cellsPerCondition ?? 4;
  const perCell = o.inputsPerCell ?? 1;
  const frames = o.frames ?? 1200;
  const size = o.sizePx ?? 64;
  const conditions = o.null
    ? [
        { name: 'random-1', bindProbabilityPerFrame: 0 },
        { name: 'random-2', bindProbabilityPerFrame: 0 },
      ]
    : [
        { name: 'near', bindProbabilityPerFrame: BIND },
        { name: 'random', bindProbabilityPerFrame: 0 },
      ];
  const files: { path: string; text: string }[] = [];
  const inputs: Experiment['inputs'] = [];
  conditions.forEach((cond, ci) => {
    for (let c = 0; c < cells; c++)
      for (let k = 0; k < perCell; k++) {
        // Structures depend on the cell and input index only; null conditions differ by seed.
        const simSeed = seed * 1000 + (o.null ? ci * 100 : 0) + c * 10 + k;
        const sim = simulate(cellParams(simSeed, cond.bindProbabilityPerFrame, frames, size));
        const rng = new Rng(simSeed, 14);
        const stem = `${cond.name}/cell${c + 1}_${k + 1}`;
        files.push({ path: `${stem}_locs.csv`, text: structureLocsCsv(sim, rng) });
        files.push({ path: `${stem}_tracks.csv`, text: tracksCsv(sim, rng) });
        inputs.push({
          id: `${cond.name}-cell${c + 1}-${k + 1}`,
          path: `${stem}_locs.csv`,
          cell: `${cond.name}/cell${c + 1}`,
          condition: cond.name,
          kind: 'localizations',
          files: { tracks: `${stem}_tracks.csv` },
          frames,
          fieldPx: { width: size, height: size },
        });
      }
  });
  const truth: ExperimentTruth = {
    conditions,
    expected: o.null
      ? 'no difference: both conditions place EVs at random (a cell-level test rejects at its nominal rate)'
      : 'EVs of "near" lie closer to structures and spend more time within the cut-off than those of "random"',
    seed,
    localizationErrorNm: LOC_ERROR_NM,
    trackingErrorNm: TRACK_ERROR_NM,
  };
  files.push({ path: 'truth.json', text: `${JSON.stringify(truth, null, 2)}\n` });
  const experiment: Experiment = {
    format: EXPERIMENT_FORMAT,
    version: EXPERIMENT_VERSION,
    title: o.null
      ? 'Simulated null experiment (random vs random)'
      : 'Simulated experiment: EVs near structures vs random',
    frameIntervalMs: 5,
    pixelSizeNm: 100,
    inputs,
    steps: simulatedExperimentSteps(),
  };
  return { experiment, files, truth };
}
