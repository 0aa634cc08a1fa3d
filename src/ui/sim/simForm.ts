// The "New simulation" dialog's model, kept apart from React so it is unit-tested: which fields
// each section shows (label with unit, hover hint, where the value lives in SimulationParams),
// what switching preset / camera / photophysics does, and which field each of
// validateSimulationParams's messages belongs to.

import type {
  CameraKind,
  ChannelParams,
  Photophysics,
  PresetName,
  SimulationParams,
} from '../../core/sim/params';
import { CAMERA_PRESETS, presetParams } from '../../core/sim/presets';
import { validateSimulationParams } from '../../core/sim/validate';

export interface NumField {
  /** Unique within the dialog; also the input's DOM id suffix. */
  id: string;
  label: string;
  hint: string;
  integer?: boolean;
  /** Input step (spinner), not a constraint. */
  step?: number;
  get(p: SimulationParams): number;
  /** Writes into `p` (a fresh copy the caller owns). */
  set(p: SimulationParams, v: number): void;
  /** Whether a validator message is about this field. */
  owns(message: string): boolean;
}

const starts = (prefix: string) => (m: string) => m.startsWith(prefix);

export const SIZE_FIELDS: NumField[] = [
  {
    id: 'width',
    label: 'Width (px)',
    hint: 'Camera frame width in pixels (8–4096)',
    integer: true,
    get: (p) => p.width,
    set: (p, v) => {
      p.width = v;
    },
    owns: starts('width'),
  },
  {
    id: 'height',
    label: 'Height (px)',
    hint: 'Camera frame height in pixels (8–4096)',
    integer: true,
    get: (p) => p.height,
    set: (p, v) => {
      p.height = v;
    },
    owns: starts('height'),
  },
  {
    id: 'frames',
    label: 'Frames',
    hint: 'Number of frames (1–1,000,000); frames are generated on demand, the emission events up front',
    integer: true,
    get: (p) => p.frames,
    set: (p, v) => {
      p.frames = v;
    },
    owns: starts('frames'),
  },
  {
    id: 'frameIntervalMs',
    label: 'Frame interval (ms)',
    hint: 'Time from one frame to the next (exposure + readout); sets the frame rate',
    step: 1,
    get: (p) => p.frameIntervalMs,
    set: (p, v) => {
      p.frameIntervalMs = v;
    },
    owns: starts('frame interval'),
  },
];

export const OPTICS_FIELDS: NumField[] = [
  {
    id: 'pixelSizeNm',
    label: 'Pixel size (nm)',
    hint: 'Camera pixel size in the sample plane (after magnification)',
    get: (p) => p.pixelSizeNm,
    set: (p, v) => {
      p.pixelSizeNm = v;
    },
    owns: starts('pixel size'),
  },
];

export function cameraFields(kind: CameraKind): NumField[] {
  const f: NumField[] = [
    {
      id: 'offsetAdu',
      label: 'Offset (ADU)',
      hint: 'Baseline counts the camera adds to every pixel',
      get: (p) => p.camera.offsetAdu,
      set: (p, v) => {
        p.camera.offsetAdu = v;
      },
      owns: starts('camera offset'),
    },
    {
      id: 'electronsPerAdu',
      label: 'Conversion (e⁻/ADU)',
      hint: 'Photoelectrons per count after any EM gain (the camera gain’s inverse)',
      step: 0.1,
      get: (p) => p.camera.electronsPerAdu,
      set: (p, v) => {
        p.camera.electronsPerAdu = v;
      },
      owns: starts('conversion factor'),
    },
  ];
  if (kind === 'emccd') {
    f.push({
      id: 'emGain',
      label: 'EM gain (×)',
      hint: 'Electron-multiplying gain; its excess noise doubles the shot-noise variance',
      get: (p) => p.camera.emGain,
      set: (p, v) => {
        p.camera.emGain = v;
      },
      owns: starts('EM gain'),
    });
  }
  f.push(
    {
      id: 'readNoiseE',
      label: kind === 'scmos' ? 'Read noise, median (e⁻ rms)' : 'Read noise (e⁻ rms)',
      hint:
        kind === 'scmos'
          ? 'Median of the per-pixel read-noise map, electrons rms'
          : 'Gaussian read noise, electrons rms (0: an ideal camera)',
      step: 0.1,
      get: (p) => p.camera.readNoiseE,
      set: (p, v) => {
        p.camera.readNoiseE = v;
      },
      owns: starts('read noise'),
    },
    {
      id: 'saturationAdu',
      label: 'Saturation (ADU)',
      hint: 'Largest value the camera writes; brighter pixels clip (≤ 65535 for 16-bit)',
      integer: true,
      get: (p) => p.camera.saturationAdu,
      set: (p, v) => {
        p.camera.saturationAdu = v;
      },
      owns: starts('saturation'),
    },
  );
  return f;
}

export const DRIFT_FIELDS: NumField[] = [
  {
    id: 'driftX',
    label: 'Drift x (nm/s)',
    hint: 'Steady stage drift along x',
    get: (p) => p.drift.speedXNmPerS,
    set: (p, v) => {
      p.drift.speedXNmPerS = v;
    },
    owns: starts('drift speeds'),
  },
  {
    id: 'driftY',
    label: 'Drift y (nm/s)',
    hint: 'Steady stage drift along y',
    get: (p) => p.drift.speedYNmPerS,
    set: (p, v) => {
      p.drift.speedYNmPerS = v;
    },
    owns: starts('drift speeds'),
  },
  {
    id: 'wobble',
    label: 'Wobble (nm)',
    hint: 'Amplitude of a slow periodic stage wobble on top of the steady drift',
    get: (p) => p.drift.wobbleAmplitudeNm,
    set: (p, v) => {
      p.drift.wobbleAmplitudeNm = v;
    },
    owns: (m) => m.startsWith('drift wobble must'),
  },
  {
    id: 'wobblePeriod',
    label: 'Wobble period (s)',
    hint: 'Period of the stage wobble',
    get: (p) => p.drift.wobblePeriodS,
    set: (p, v) => {
      p.drift.wobblePeriodS = v;
    },
    owns: starts('drift wobble period'),
  },
];

/** The scene's headline count, where it has one. */
export function sceneFields(p: SimulationParams): NumField[] {
  const seed: NumField = {
    id: 'seed',
    label: 'Seed',
    hint: 'Random seed: the same parameters and seed always give the same dataset',
    integer: true,
    get: (q) => q.seed,
    set: (q, v) => {
      q.seed = v;
    },
    owns: starts('seed'),
  };
  switch (p.scene.kind) {
    case 'isolated':
      return [
        seed,
        {
          id: 'emittersPerFrame',
          label: 'Emitters per frame',
          hint: 'Isolated emitters placed in each frame (each shows in one frame only)',
          integer: true,
          get: (q) => (q.scene.kind === 'isolated' ? q.scene.emittersPerFrame : 0),
          set: (q, v) => {
            if (q.scene.kind === 'isolated') q.scene.emittersPerFrame = v;
          },
          owns: starts('emitters per frame'),
        },
      ];
    case 'evsOnGlass':
    case 'uptake':
      return [
        seed,
        {
          id: 'evCount',
          label: 'EVs',
          hint:
            p.scene.kind === 'uptake'
              ? 'EVs that arrive at the cell, diffuse, bind to structures and get internalised'
              : 'EVs on the glass, each with its subtype’s marker molecules',
          integer: true,
          get: (q) => (q.scene.kind === 'evsOnGlass' || q.scene.kind === 'uptake' ? q.scene.evCount : 0),
          set: (q, v) => {
            if (q.scene.kind === 'evsOnGlass' || q.scene.kind === 'uptake') q.scene.evCount = v;
          },
          owns: starts('EV count'),
        },
      ];
    case 'calcium':
      return [
        seed,
        {
          id: 'cellCount',
          label: 'Cells',
          hint: 'Indicator-loaded cells in the field',
          integer: true,
          get: (q) => (q.scene.kind === 'calcium' ? q.scene.cellCount : 0),
          set: (q, v) => {
            if (q.scene.kind === 'calcium') q.scene.cellCount = v;
          },
          owns: starts('cell count'),
        },
        {
          id: 'responderFraction',
          label: 'Responder fraction',
          hint: 'Probability that a cell responds to the EVs (0: a control)',
          integer: false,
          get: (q) => (q.scene.kind === 'calcium' ? q.scene.responderFraction : 0),
          set: (q, v) => {
            if (q.scene.kind === 'calcium') q.scene.responderFraction = v;
          },
          owns: starts('responder fraction'),
        },
      ];
  }
}

/**
 * Whether the scene draws molecules through the channel's PSF and photophysics. The calcium
 * scene's light is the cells' own indicator (a label map, no molecules, no drift): photons per
 * molecule, PSF, photophysics, photon variability and drift do nothing there, so the dialog hides them.
 */
export function sceneUsesMolecules(p: SimulationParams): boolean {
  return p.scene.kind !== 'calcium';
}

/** Fields of channel `i`: brightness, background, PSF, and its photophysics' own parameters. */
export function channelFields(p: SimulationParams, i: number): NumField[] {
  const at = `channel ${i} (`;
  const ch = (q: SimulationParams) => q.channels[i];
  const mine = (what: string) => (m: string) => m.startsWith(at) && m.includes(`: ${what}`);
  const f: NumField[] = [
    {
      id: `ch${i}-photons`,
      label: 'Photons / frame',
      hint: 'Mean detected photons per frame of one molecule while it is on',
      get: (q) => ch(q).photonsPerFrame,
      set: (q, v) => {
        ch(q).photonsPerFrame = v;
      },
      owns: mine('photons per frame'),
    },
    {
      id: `ch${i}-bg`,
      label: 'Background (photons/px)',
      hint: 'Mean background photons per pixel per frame',
      get: (q) => ch(q).backgroundPhotons,
      set: (q, v) => {
        ch(q).backgroundPhotons = v;
      },
      owns: mine('background'),
    },
    {
      id: `ch${i}-psf`,
      label: 'PSF σ (nm)',
      hint: 'Standard deviation of the Gaussian PSF in the sample plane (≈ 0.21 λ / NA)',
      get: (q) => ch(q).psfSigmaNm,
      set: (q, v) => {
        ch(q).psfSigmaNm = v;
      },
      owns: mine('PSF σ'),
    },
  ];
  if (!sceneUsesMolecules(p)) return f.filter((x) => x.id === `ch${i}-bg`);
  const ph = p.channels[i].photophysics;
  // The photophysics of channel i, checked to be of the kind whose fields are shown.
  const phys =
    <K extends Photophysics['kind']>(kind: K) =>
    (q: SimulationParams): Extract<Photophysics, { kind: K }> => {
      const x = ch(q).photophysics;
      if (x.kind !== kind) throw new Error(`channel ${i} has ${x.kind} photophysics, not ${kind}`);
      return x as Extract<Photophysics, { kind: K }>;
    };
  switch (ph.kind) {
    case 'palm':
      f.push({
        id: `ch${i}-meanOn`,
        label: 'Mean on-time (frames)',
        hint: 'PALM: each molecule activates once, stays on a geometric number of frames with this mean, then bleaches',
        step: 0.1,
        get: (q) => phys('palm')(q).meanOnFrames,
        set: (q, v) => {
          phys('palm')(q).meanOnFrames = v;
        },
        owns: mine('PALM mean on-time'),
      });
      break;
    case 'dstorm':
      f.push(
        {
          id: `ch${i}-kOn`,
          label: 'k_on (per frame)',
          hint: 'dSTORM: probability per frame that an off dye switches on',
          step: 0.001,
          get: (q) => phys('dstorm')(q).kOn,
          set: (q, v) => {
            phys('dstorm')(q).kOn = v;
          },
          owns: mine('dSTORM k_on'),
        },
        {
          id: `ch${i}-kOff`,
          label: 'k_off (per frame)',
          hint: 'dSTORM: probability per frame that an on dye switches off (blinks)',
          step: 0.01,
          get: (q) => phys('dstorm')(q).kOff,
          set: (q, v) => {
            phys('dstorm')(q).kOff = v;
          },
          owns: (m) => mine('dSTORM k_off')(m) || mine('k_off + k_bleach')(m),
        },
        {
          id: `ch${i}-kBleach`,
          label: 'k_bleach (per frame)',
          hint: 'dSTORM: probability per frame that an on dye bleaches for good',
          step: 0.01,
          get: (q) => phys('dstorm')(q).kBleach,
          set: (q, v) => {
            phys('dstorm')(q).kBleach = v;
          },
          owns: (m) => mine('dSTORM k_bleach')(m) || mine('k_off + k_bleach')(m),
        },
        {
          id: `ch${i}-onFraction`,
          label: 'Initially on (fraction)',
          hint: 'dSTORM: fraction of dyes on in the first frame (0–1)',
          step: 0.01,
          get: (q) => phys('dstorm')(q).initialOnFraction,
          set: (q, v) => {
            phys('dstorm')(q).initialOnFraction = v;
          },
          owns: mine('initial on-fraction'),
        },
      );
      break;
    case 'stepBleach':
      f.push({
        id: `ch${i}-lifetime`,
        label: 'Dye lifetime (frames)',
        hint: 'On from the first frame; each dye bleaches after an exponential time with this mean',
        get: (q) => phys('stepBleach')(q).meanLifetimeFrames,
        set: (q, v) => {
          phys('stepBleach')(q).meanLifetimeFrames = v;
        },
        owns: mine('mean dye lifetime'),
      });
      break;
    default:
      break;
  }
  return f;
}

export const PHOTOPHYSICS_LABELS: Record<Photophysics['kind'], string> = {
  single: 'single frame (isolated)',
  palm: 'PALM (activate once, bleach)',
  dstorm: 'dSTORM (blinking)',
  stepBleach: 'step bleaching',
  continuous: 'continuous (always on)',
};

/** Photophysics a channel of this scene may use: "single" is the isolated scene's, and only its. */
export function photophysicsChoices(p: SimulationParams): Photophysics['kind'][] {
  // The calcium scene's indicator is diffuse dye, not molecules: its light is the scene's own.
  if (p.scene.kind === 'calcium') return ['continuous'];
  return p.scene.kind === 'isolated' ? ['single'] : ['palm', 'dstorm', 'stepBleach', 'continuous'];
}

/** Typical parameters of a photophysics kind, for switching a channel to it. */
export function defaultPhotophysics(kind: Photophysics['kind']): Photophysics {
  switch (kind) {
    case 'single':
      return { kind };
    case 'palm':
      return { kind, meanOnFrames: 2.5 };
    case 'dstorm':
      return { kind, kOn: 0.002, kOff: 0.33, kBleach: 0.03, initialOnFraction: 0.02 };
    case 'stepBleach':
      return { kind, meanLifetimeFrames: 60 };
    case 'continuous':
      return { kind };
  }
}

function copy(p: SimulationParams): SimulationParams {
  return structuredClone(p);
}

/** A copy of `p` with `f` set to `v`. */
export function withField(p: SimulationParams, f: NumField, v: number): SimulationParams {
  const q = copy(p);
  f.set(q, v);
  return q;
}

/** Switching the camera takes that camera's typical settings (an EMCCD's conversion is not an sCMOS's). */
export function withCamera(p: SimulationParams, kind: CameraKind): SimulationParams {
  const q = copy(p);
  q.camera = structuredClone(CAMERA_PRESETS[kind]);
  return q;
}

export function withPhotophysics(
  p: SimulationParams,
  i: number,
  kind: Photophysics['kind'],
): SimulationParams {
  const q = copy(p);
  q.channels[i].photophysics = defaultPhotophysics(kind);
  return q;
}

export function withChannel(p: SimulationParams, i: number, patch: Partial<ChannelParams>): SimulationParams {
  const q = copy(p);
  Object.assign(q.channels[i], patch);
  return q;
}

/** Choosing a preset starts over from its parameters: a preset is a whole consistent scene. */
export function withPreset(name: PresetName): SimulationParams {
  return presetParams(name);
}

export interface FormErrors {
  /** Validator messages per field id. */
  byField: Record<string, string[]>;
  /** Messages no shown field owns (shown in the dialog's summary). */
  other: string[];
  count: number;
}

/** Every field the dialog shows for `p`. */
export function allFields(p: SimulationParams): NumField[] {
  return [
    ...sceneFields(p),
    ...SIZE_FIELDS,
    ...OPTICS_FIELDS,
    ...cameraFields(p.camera.kind),
    ...(sceneUsesMolecules(p) ? DRIFT_FIELDS : []),
    ...p.channels.flatMap((_, i) => channelFields(p, i)),
  ];
}

/** validateSimulationParams's messages, placed next to the fields they are about. */
export function formErrors(p: SimulationParams): FormErrors {
  const messages = validateSimulationParams(p);
  const fields = allFields(p);
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const m of messages) {
    const owners = fields.filter((f) => f.owns(m));
    if (owners.length === 0) other.push(m);
    for (const f of owners) {
      byField[f.id] ??= [];
      byField[f.id].push(m);
    }
  }
  return { byField, other, count: messages.length };
}

/** Size of the raw data, for the dialog's summary line. */
export function datasetSummary(p: SimulationParams): string {
  if (formErrors(p).count) return '';
  const seconds = (p.frames * p.frameIntervalMs) / 1000;
  const bytes = p.width * p.height * p.frames * p.channels.length * 2;
  const mb = bytes / 2 ** 20;
  const size = mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(mb < 10 ? 1 : 0)} MB`;
  const fov = `${((p.width * p.pixelSizeNm) / 1000).toFixed(1)} × ${((p.height * p.pixelSizeNm) / 1000).toFixed(1)} µm`;
  return `${fov} field · ${seconds.toFixed(seconds < 10 ? 2 : 1)} s at ${(1000 / p.frameIntervalMs).toFixed(0)} fps · ${size} as 16-bit TIFF (frames are generated on demand)`;
}
