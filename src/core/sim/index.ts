// Public surface of the simulator.
export {
  bleachFactor,
  CALCIUM_TRUTH_COLUMNS,
  type CalciumTruth,
  calciumTruthCsv,
  trueDff,
} from './calcium';
export { type CameraExposure, makeScmosMaps, type ScmosMaps } from './camera';
export { eventRange, type TruthEventColumns, type TruthEvents } from './events';
export { type Affine2D, IDENTITY_AFFINE, invertAffine, similarityAffine } from './geometry';
export { type MaskGrid, rasterizeStructureMask, structuresAt } from './masks';
export type * from './params';
export { sceneSources } from './params';
export { CAMERA_PRESETS, PRESET_DESCRIPTIONS, PRESET_NAMES, presetParams } from './presets';
export { type Simulation, simulate } from './simulate';
export { SimulatedStack } from './stack';
export * from './truth';
export {
  truthEventsCsv,
  truthEventsTable,
  truthEvsCsv,
  truthStructuresCsv,
  truthTrajectoriesCsv,
} from './truthCsv';
export { validateSimulationParams } from './validate';
