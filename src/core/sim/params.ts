// Everything a simulation depends on, as one plain JSON-serialisable object: the UI's "New
// simulation" dialog edits it, sessions store it, and the same params + seed always give the
// same dataset. Units are in the names (Nm, Ms, S, PerFrame…) so nobody guesses.
import type { CameraKind } from '../camera/camera';
import type { Affine2D, DriftParams } from './geometry';

// One camera-kind vocabulary for the simulator and the localizer's camera model.
export type { CameraKind };

export interface CameraParams {
  /** ccd: Poisson + Gaussian read noise (readNoiseE 0 gives an ideal camera); emccd: Gamma gain register; scmos: per-pixel maps. */
  kind: CameraKind;
  offsetAdu: number;
  /** Photoelectrons per ADU after any EM gain (the conversion factor). */
  electronsPerAdu: number;
  /** EM gain (emccd only). */
  emGain: number;
  /** Read noise, rms electrons (for scmos: the median of the per-pixel map). */
  readNoiseE: number;
  quantisation: 'round' | 'floor';
  /** Largest value the camera writes; higher values clip (≤ 65535 for uint16). */
  saturationAdu: number;
  /** sCMOS maps: standard deviation of the per-pixel offset (ADU). */
  scmosOffsetSdAdu: number;
  /** sCMOS maps: relative standard deviation of the per-pixel conversion factor. */
  scmosGainCv: number;
  /** sCMOS maps: log-normal spread (σ of ln) of the per-pixel read noise around readNoiseE. */
  scmosReadNoiseLogSd: number;
}

/** Frame-to-frame variability of the photons a molecule emits while on (shot noise comes on top). */
export type PhotonVariability = 'none' | 'poisson' | 'exponential';

export type Photophysics =
  /** One frame per emitter (isolated-emitter precision tests). */
  | { kind: 'single' }
  /** Activates once at a uniformly random time, stays on a geometric number of frames, bleaches. */
  | { kind: 'palm'; meanOnFrames: number }
  /** Two-state blinking with per-frame transition probabilities and bleaching from the on state. */
  | { kind: 'dstorm'; kOn: number; kOff: number; kBleach: number; initialOnFraction: number }
  /** On from frame 0, bleaches after an exponential lifetime (photobleaching-step traces). */
  | { kind: 'stepBleach'; meanLifetimeFrames: number }
  /** On whenever present (a densely labelled EV seen as one spot). */
  | { kind: 'continuous' };

export interface ChannelParams {
  name: string;
  /**
   * What the channel images, from the scene: isolated → "emitters"; evsOnGlass → a marker name
   * or "probe"; uptake → "structures" or "evs".
   */
  source: string;
  photophysics: Photophysics;
  /** Mean detected photons per frame of one molecule while on. */
  photonsPerFrame: number;
  photonVariability: PhotonVariability;
  /** Mean background photons per pixel per frame. */
  backgroundPhotons: number;
  psfSigmaNm: number;
  /** Maps channel-0 camera coordinates (nm) to this channel's (two-camera misregistration). */
  transform: Affine2D;
}

export interface BackgroundPattern {
  /** Relative amplitude of a smooth spatial pattern, 0 (flat) … < 1. */
  amplitude: number;
  /** Typical length scale of the pattern, nm. */
  scaleNm: number;
}

export interface IsolatedScene {
  kind: 'isolated';
  emittersPerFrame: number;
  layout: 'grid' | 'random';
  /** Random layout: smallest distance between emitters of one frame, nm. Grid: the jitter stays inside the cell. */
  minSeparationNm: number;
  /** Keeps emitters away from the frame edges so their PSFs are whole. */
  marginNm: number;
}

export interface EvSubtype {
  name: string;
  /** Relative abundance (normalised over subtypes). */
  fraction: number;
  /** Mean molecules per EV per marker; a marker with mean > 0 always has at least one (zero-truncated Poisson). */
  markerMeans: Record<string, number>;
  /** Mean bound fluidity-probe molecules per EV (Poisson); stiffer membranes bind fewer. */
  probeMean: number;
}

export interface EvsOnGlassScene {
  kind: 'evsOnGlass';
  evCount: number;
  diameterMeanNm: number;
  diameterSdNm: number;
  diameterMinNm: number;
  diameterMaxNm: number;
  markers: string[];
  subtypes: EvSubtype[];
  /** Probability that a marker molecule carries a dye (binomial thinning of the counts). */
  labellingEfficiency: number;
  minSeparationNm: number;
  marginNm: number;
}

export interface UptakeScene {
  kind: 'uptake';
  /** The cell is an ellipse centred in the field with semi-axes = fraction × half the field. */
  cellFraction: number;
  caveolaBirthsPerUm2PerS: number;
  caveolaDiameterMinNm: number;
  caveolaDiameterMaxNm: number;
  caveolaMeanLifetimeS: number;
  /** Mean PALM-labelled molecules per caveola over its life (Poisson). */
  caveolaMolecules: number;
  patchBirthsPerUm2PerS: number;
  patchDiameterMinNm: number;
  patchDiameterMaxNm: number;
  patchMeanLifetimeS: number;
  /** Labelled molecules per µm² of an endocytic patch over its life. */
  patchMoleculesPerUm2: number;
  /** Fraction of a structure's life spent assembling (and again disassembling): density ramps. */
  rampFraction: number;
  /**
   * How a structure's labelled molecules relate to its lifetime. 'perLifetime' (default): the counts
   * above are recruited over the whole life, so a long-lived structure is fainter per frame.
   * 'perTime': the counts are those of a structure living the mean lifetime and scale with its
   * life, so every structure emits at the same density per unit area and time (a pit that keeps
   * recruiting caveolin while it exists).
   */
  structureLabelling?: 'perLifetime' | 'perTime';
  /** Diffuse, unstructured labelled molecules in the cell membrane over the whole movie, per µm². */
  freeMoleculesPerUm2: number;
  evCount: number;
  evDiffusionUm2PerS: number;
  /** EVs arrive at uniformly random frames within this fraction of the movie (0: all at the start). */
  evArrivalFraction: number;
  /** An EV closer than this to an active structure's edge may bind, nm. */
  captureDistanceNm: number;
  bindProbabilityPerFrame: number;
  /** Mean time bound beside a structure before entering it, s. */
  boundDwellS: number;
  /** Mean time inside a structure before internalisation (disappearance), s. */
  insideDwellS: number;
  /** Residual motion of a bound/inside EV, µm²/s (0: pinned). */
  boundDiffusionUm2PerS: number;
}

/**
 * Recipient cells loaded with a Ca²⁺ indicator (Fluo-4, Cal-520, GCaMP), imaged as a wide-field
 * time-lapse; EVs are added at `addFrame` and a known fraction of cells responds. Cells are
 * uniformly bright ellipses; a response is ΔF/F₀ rising linearly over `riseFrames` to
 * `amplitude`, then decaying exponentially; the indicator bleaches mono-exponentially.
 */
export interface CalciumScene {
  kind: 'calcium';
  cellCount: number;
  /** Semi-axes are drawn uniformly in [min, max], nm. */
  cellRadiusMinNm: number;
  cellRadiusMaxNm: number;
  /** Largest long/short semi-axis ratio. */
  cellAspectMax: number;
  /** Smallest gap between the circles bounding two cells, nm (≤ 0: cells may touch). */
  cellGapNm: number;
  marginNm: number;
  /** Mean resting indicator photons per pixel per frame inside a cell. */
  restingPhotons: number;
  /** Cell-to-cell spread of the resting brightness (coefficient of variation). */
  restingCv: number;
  /** Frame at which EVs are added (0-based; ImageJ's frame addFrame + 1). */
  addFrame: number;
  /** Probability that a cell responds. */
  responderFraction: number;
  /** Response onset after the addition, frames, uniform in [min, max]. */
  latencyMinFrames: number;
  latencyMaxFrames: number;
  /** Peak ΔF/F₀ of a response, uniform in [min, max]. */
  amplitudeMin: number;
  amplitudeMax: number;
  riseFrames: number;
  /** Exponential decay time constant after the peak, frames. */
  decayFrames: number;
  /** Mono-exponential bleaching time constant of the indicator, frames (0: none). */
  bleachTauFrames: number;
}

export type SceneParams = IsolatedScene | EvsOnGlassScene | UptakeScene | CalciumScene;

export type PresetName = 'demo' | 'isolated' | 'evMarkers' | 'dstorm' | 'dense' | 'calcium' | 'calciumNull';

export interface SimulationParams {
  preset: PresetName;
  seed: number;
  width: number;
  height: number;
  frames: number;
  pixelSizeNm: number;
  frameIntervalMs: number;
  camera: CameraParams;
  background: BackgroundPattern;
  drift: DriftParams;
  scene: SceneParams;
  channels: ChannelParams[];
}

/** Which `source` values a scene offers to its channels. */
export function sceneSources(scene: SceneParams): string[] {
  switch (scene.kind) {
    case 'isolated':
      return ['emitters'];
    case 'evsOnGlass':
      return [...scene.markers, 'probe'];
    case 'uptake':
      return ['structures', 'evs'];
    case 'calcium':
      return ['indicator'];
  }
}
