// Ready-made simulations. Each is a complete SimulationParams, so the dialog shows real numbers
// the user can edit, and each is sized to generate quickly in a browser.
import { IDENTITY_AFFINE, similarityAffine } from './geometry';
import type { CameraParams, ChannelParams, PresetName, SimulationParams } from './params';

const CCD_IDEAL: CameraParams = {
  kind: 'ccd',
  offsetAdu: 100,
  electronsPerAdu: 1,
  emGain: 1,
  readNoiseE: 0,
  quantisation: 'round',
  saturationAdu: 65535,
  scmosOffsetSdAdu: 0,
  scmosGainCv: 0,
  scmosReadNoiseLogSd: 0,
};

const EMCCD: CameraParams = {
  ...CCD_IDEAL,
  kind: 'emccd',
  electronsPerAdu: 12,
  emGain: 100,
  readNoiseE: 50,
};

const SCMOS: CameraParams = {
  ...CCD_IDEAL,
  kind: 'scmos',
  electronsPerAdu: 0.5,
  readNoiseE: 1.6,
  scmosOffsetSdAdu: 3,
  scmosGainCv: 0.05,
  scmosReadNoiseLogSd: 0.35,
};

/** Typical settings of each camera kind, for switching a preset's camera. */
export const CAMERA_PRESETS: Record<CameraParams['kind'], CameraParams> = {
  ccd: CCD_IDEAL,
  emccd: EMCCD,
  scmos: SCMOS,
};

const NO_DRIFT = { speedXNmPerS: 0, speedYNmPerS: 0, wobbleAmplitudeNm: 0, wobblePeriodS: 60 };

function channel(
  p: Partial<ChannelParams> & Pick<ChannelParams, 'name' | 'source' | 'photophysics'>,
): ChannelParams {
  return {
    photonsPerFrame: 1000,
    photonVariability: 'none',
    backgroundPhotons: 10,
    psfSigmaNm: 130,
    transform: IDENTITY_AFFINE,
    ...p,
  };
}

function demo(): SimulationParams {
  const width = 128;
  const height = 128;
  const pixelSizeNm = 100;
  return {
    preset: 'demo',
    seed: 20250301,
    width,
    height,
    // 2500 frames at 200 fps = 12.5 s: room for a few 1002-frame movie windows, as in the study.
    frames: 2500,
    pixelSizeNm,
    frameIntervalMs: 5,
    camera: EMCCD,
    background: { amplitude: 0.3, scaleNm: 4000 },
    drift: { speedXNmPerS: 8, speedYNmPerS: -5, wobbleAmplitudeNm: 10, wobblePeriodS: 20 },
    scene: {
      kind: 'uptake',
      cellFraction: 0.85,
      caveolaBirthsPerUm2PerS: 0.05,
      caveolaDiameterMinNm: 50,
      caveolaDiameterMaxNm: 90,
      caveolaMeanLifetimeS: 6,
      caveolaMolecules: 40,
      patchBirthsPerUm2PerS: 0.012,
      patchDiameterMinNm: 200,
      patchDiameterMaxNm: 500,
      patchMeanLifetimeS: 5,
      patchMoleculesPerUm2: 1500,
      rampFraction: 0.2,
      freeMoleculesPerUm2: 20,
      evCount: 8,
      evDiffusionUm2PerS: 0.05,
      evArrivalFraction: 0.3,
      captureDistanceNm: 250,
      bindProbabilityPerFrame: 0.05,
      boundDwellS: 1.5,
      insideDwellS: 2,
      boundDiffusionUm2PerS: 0.0005,
    },
    channels: [
      channel({
        name: 'caveolin-1 (PALM)',
        source: 'structures',
        photophysics: { kind: 'palm', meanOnFrames: 2.5 },
        photonsPerFrame: 400,
        photonVariability: 'poisson',
        backgroundPhotons: 8,
        psfSigmaNm: 130,
      }),
      channel({
        name: 'EV (CD63-Halo7-SF650T)',
        source: 'evs',
        photophysics: { kind: 'continuous' },
        photonsPerFrame: 1500,
        photonVariability: 'poisson',
        backgroundPhotons: 15,
        psfSigmaNm: 150,
        transform: similarityAffine(
          1.002,
          0.3,
          35,
          -20,
          (width * pixelSizeNm) / 2,
          (height * pixelSizeNm) / 2,
        ),
      }),
    ],
  };
}

function isolated(): SimulationParams {
  return {
    preset: 'isolated',
    seed: 1,
    width: 64,
    height: 64,
    frames: 200,
    pixelSizeNm: 100,
    frameIntervalMs: 10,
    camera: CCD_IDEAL,
    background: { amplitude: 0, scaleNm: 3000 },
    drift: NO_DRIFT,
    scene: { kind: 'isolated', emittersPerFrame: 16, layout: 'grid', minSeparationNm: 1200, marginNm: 600 },
    // SCIENCE.md's reference case: 1000 photons, 10 bg/px, σ 130 nm, 100 nm px → CRLB ≈ 5.6 nm.
    channels: [
      channel({
        name: 'emitters',
        source: 'emitters',
        photophysics: { kind: 'single' },
        photonsPerFrame: 1000,
        backgroundPhotons: 10,
        psfSigmaNm: 130,
      }),
    ],
  };
}

const EV_SUBTYPES = [
  { name: 'CD63-only', fraction: 0.4, markerMeans: { CD9: 0, CD63: 5, CD81: 0 }, probeMean: 3 },
  { name: 'CD9+CD63+CD81+', fraction: 0.6, markerMeans: { CD9: 3, CD63: 3, CD81: 3 }, probeMean: 9 },
];

function evMarkers(): SimulationParams {
  const markers = ['CD9', 'CD63', 'CD81'];
  const stepBleach = { kind: 'stepBleach' as const, meanLifetimeFrames: 60 };
  return {
    preset: 'evMarkers',
    seed: 7,
    width: 128,
    height: 128,
    frames: 300,
    pixelSizeNm: 100,
    frameIntervalMs: 50,
    camera: SCMOS,
    background: { amplitude: 0.2, scaleNm: 6000 },
    drift: NO_DRIFT,
    scene: {
      kind: 'evsOnGlass',
      evCount: 40,
      diameterMeanNm: 80,
      diameterSdNm: 15,
      diameterMinNm: 40,
      diameterMaxNm: 200,
      markers,
      subtypes: EV_SUBTYPES,
      labellingEfficiency: 0.9,
      minSeparationNm: 1000,
      marginNm: 600,
    },
    channels: [
      ...markers.map((m) =>
        channel({
          name: m,
          source: m,
          photophysics: stepBleach,
          photonsPerFrame: 400,
          backgroundPhotons: 20,
        }),
      ),
      channel({
        name: 'fluidity probe',
        source: 'probe',
        photophysics: stepBleach,
        photonsPerFrame: 400,
        backgroundPhotons: 20,
      }),
    ],
  };
}

function dstorm(): SimulationParams {
  return {
    preset: 'dstorm',
    seed: 11,
    width: 128,
    height: 128,
    frames: 2000,
    pixelSizeNm: 100,
    frameIntervalMs: 20,
    camera: EMCCD,
    background: { amplitude: 0.2, scaleNm: 5000 },
    drift: { speedXNmPerS: 2, speedYNmPerS: 1, wobbleAmplitudeNm: 8, wobblePeriodS: 30 },
    scene: {
      kind: 'evsOnGlass',
      evCount: 60,
      diameterMeanNm: 80,
      diameterSdNm: 15,
      diameterMinNm: 40,
      diameterMaxNm: 200,
      markers: ['CD9', 'CD63', 'CD81'],
      subtypes: EV_SUBTYPES,
      labellingEfficiency: 0.9,
      minSeparationNm: 800,
      marginNm: 600,
    },
    channels: [
      channel({
        name: 'CD63 (dSTORM)',
        source: 'CD63',
        photophysics: { kind: 'dstorm', kOn: 0.002, kOff: 0.33, kBleach: 0.03, initialOnFraction: 0.02 },
        photonsPerFrame: 2000,
        photonVariability: 'exponential',
        backgroundPhotons: 30,
        psfSigmaNm: 130,
      }),
    ],
  };
}

/**
 * Issue 17's crowded EV stack for multi-emitter fitting, at a quarter of its field: 40–60 nm
 * vesicles with ~14 dyes each blinking on ~5 % of frames, so about half the emissions share a
 * frame with another within 260 nm (most on the same vesicle, closer than σ/2).
 */
function dense(): SimulationParams {
  return {
    preset: 'dense',
    seed: 17,
    width: 128,
    height: 128,
    frames: 1000,
    pixelSizeNm: 100,
    frameIntervalMs: 10,
    camera: CCD_IDEAL,
    background: { amplitude: 0, scaleNm: 5000 },
    drift: NO_DRIFT,
    scene: {
      kind: 'evsOnGlass',
      evCount: 20,
      diameterMeanNm: 50,
      diameterSdNm: 6,
      diameterMinNm: 40,
      diameterMaxNm: 60,
      markers: ['CD63'],
      subtypes: [{ name: 'CD63+', fraction: 1, markerMeans: { CD63: 14 }, probeMean: 0 }],
      labellingEfficiency: 1,
      minSeparationNm: 0,
      marginNm: 400,
    },
    channels: [
      channel({
        name: 'CD63 (dense)',
        source: 'CD63',
        // On ~5 % of frames (kOn / (kOn + kOff)) in bursts of ~2 frames, no bleaching.
        photophysics: { kind: 'dstorm', kOn: 0.025, kOff: 0.5, kBleach: 0, initialOnFraction: 0.05 },
        photonsPerFrame: 1000,
        photonVariability: 'poisson',
        backgroundPhotons: 10,
        psfSigmaNm: 130,
      }),
    ],
  };
}

/** A Fluo-4/Cal-520-like time-lapse: 20× objective onto 6.5 µm camera pixels (325 nm). */
function calcium(): SimulationParams {
  return {
    preset: 'calcium',
    seed: 16,
    width: 256,
    height: 256,
    frames: 300,
    pixelSizeNm: 325,
    frameIntervalMs: 500,
    camera: { ...CCD_IDEAL, readNoiseE: 2 },
    background: { amplitude: 0.05, scaleNm: 40000 },
    drift: NO_DRIFT,
    scene: {
      kind: 'calcium',
      cellCount: 30,
      cellRadiusMinNm: 4000,
      cellRadiusMaxNm: 6000,
      cellAspectMax: 1.5,
      cellGapNm: 1000,
      marginNm: 1000,
      restingPhotons: 300,
      restingCv: 0.3,
      addFrame: 100,
      responderFraction: 0.5,
      latencyMinFrames: 4,
      latencyMaxFrames: 80,
      amplitudeMin: 0.3,
      amplitudeMax: 1.5,
      riseFrames: 3,
      decayFrames: 40,
      bleachTauFrames: 3000,
    },
    channels: [
      channel({
        name: 'Ca²⁺ indicator',
        source: 'indicator',
        photophysics: { kind: 'continuous' },
        photonsPerFrame: 0,
        backgroundPhotons: 20,
        psfSigmaNm: 300,
      }),
    ],
  };
}

/** The same cells with no responders: what a control (or the false-responder rate) looks like. */
function calciumNull(): SimulationParams {
  const p = calcium();
  p.preset = 'calciumNull';
  if (p.scene.kind === 'calcium') p.scene.responderFraction = 0;
  return p;
}

const BUILDERS: Record<PresetName, () => SimulationParams> = {
  demo,
  isolated,
  evMarkers,
  dstorm,
  dense,
  calcium,
  calciumNull,
};

export const PRESET_DESCRIPTIONS: Record<PresetName, string> = {
  demo: 'EV uptake: PALM of caveolin-1-like structures assembling and disassembling in a cell (channel 0) and EVs diffusing, binding and being internalised (channel 1); 128×128 px of 100 nm, 2500 frames at 200 fps, EMCCD.',
  isolated:
    'Isolated emitters on a jittered grid, one frame each, for precision tests against the CRLB; 1000 photons, 10 bg/px, σ 130 nm, 100 nm px.',
  evMarkers:
    'Single EVs on glass imaged for CD9, CD63, CD81 and a fluidity probe; dyes bleach in steps; subtypes CD63-only and CD9+CD63+CD81+; sCMOS.',
  dstorm: 'dSTORM of CD63 on single EVs on glass: blinking dyes, stage drift, EMCCD.',
  dense:
    'Crowded EVs for multi-emitter fitting (issue 17): 40–60 nm vesicles of ~14 blinking dyes, about half the emissions share a frame with another within 260 nm; σ 130 nm, 1000 photons, ideal CCD; localize with the fitter "MLE, multi-emitter".',
  calcium:
    'Ca²⁺ response (simulated): 30 indicator-loaded cells, EVs added at frame 101 (1-based), half the cells respond (latency 4–80 frames, peak ΔF/F₀ 0.3–1.5), bleaching; 256×256 px, 300 frames at 2 fps.',
  calciumNull:
    'Ca²⁺ control (simulated): the calcium preset with no responders, for the false-responder rate.',
};

export const PRESET_NAMES = Object.keys(BUILDERS) as PresetName[];

/** A fresh, editable copy of a preset's parameters. */
export function presetParams(name: PresetName): SimulationParams {
  const build = BUILDERS[name];
  if (!build) throw new Error(`unknown simulation preset "${name}" (choose ${PRESET_NAMES.join(', ')})`);
  return JSON.parse(JSON.stringify(build())) as SimulationParams;
}
