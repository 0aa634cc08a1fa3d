// SimulationParams as a valibot schema: every parameter's type, limits and message in one place.
// The New-simulation dialog shows these messages next to its fields, `evscope simulate` checks
// its flags with the field schemas (schemaFlag), and sessions and links check a simulated stack's
// recipe with the whole schema. A message names the parameter, the value, the allowed range and
// the unit. Rules between parameters sit on the object they concern; the few that need the whole
// parameter set (the field of view, the number of frames, the scene's sources) are in
// validate.ts, which also turns issues into the dialog's sentences.
import { text, v } from '../schema';
import type { SimulationParams } from './params';

type Say = (got: string) => string;
type Issue = v.BaseIssue<unknown>;

/** The issue's message: the sentence with the value as typed (`${value}`). */
const say = (text: Say) => (issue: Issue) => text(String(issue.input));

/** A finite number in [lo, hi] (> lo with `gt`, < hi with `lt`), one message for every way it fails. */
function real(text: Say, lo = -Infinity, hi = Infinity, o: { gt?: boolean; lt?: boolean } = {}) {
  const m = say(text);
  return v.pipe(
    v.number(m),
    v.finite(m),
    o.gt ? v.gtValue(lo, m) : v.minValue(lo, m),
    o.lt ? v.ltValue(hi, m) : v.maxValue(hi, m),
  );
}

/** A whole number in [lo, hi]. */
function whole(text: Say, lo = -Number.MAX_SAFE_INTEGER, hi = Number.MAX_SAFE_INTEGER) {
  const m = say(text);
  return v.pipe(v.number(m), v.integer(m), v.minValue(lo, m), v.maxValue(hi, m));
}

// biome-ignore lint/suspicious/noExplicitAny: a rule between fields follows any object schema in its pipe
type AnyObject = any;

/** A rule between an object's fields, placed after the object (whose fields are then valid) in its pipe. */
function rule<T>(ok: (o: T) => boolean, message: (o: T) => string) {
  return v.check<AnyObject, (issue: v.CheckIssue<AnyObject>) => string>(
    (o) => ok(o as T),
    (issue) => message(issue.input as T),
  );
}

const prob = (what: string) => real((g) => `${what} must be 0–1 (got ${g})`, 0, 1);

/** Frame size, length and timing. */
export const SimSizeFields = {
  seed: whole((g) => `seed must be an integer (got ${g})`),
  width: whole((g) => `width must be an integer of 8–4096 px (got ${g})`, 8, 4096),
  height: whole((g) => `height must be an integer of 8–4096 px (got ${g})`, 8, 4096),
  frames: whole((g) => `frames must be an integer of 1–1000000 (got ${g})`, 1, 1_000_000),
  pixelSizeNm: real((g) => `pixel size must be 0–10000 nm (got ${g} nm)`, 0, 10_000, { gt: true }),
  frameIntervalMs: real((g) => `frame interval must be > 0 ms (got ${g} ms)`, 0, Infinity, { gt: true }),
};

export const SimCameraFields = {
  offsetAdu: real((g) => `camera offset must be ≥ 0 ADU (got ${g} ADU)`, 0),
  electronsPerAdu: real((g) => `conversion factor must be > 0 e⁻/ADU (got ${g} e⁻/ADU)`, 0, Infinity, {
    gt: true,
  }),
  emGain: real((g) => `EM gain must be ≥ 1 (got ${g})`, 1),
  readNoiseE: real((g) => `read noise must be ≥ 0 e⁻ rms (got ${g} e⁻)`, 0),
  quantisation: v.picklist(['round', 'floor'], 'quantisation must be "round" or "floor"'),
  saturationAdu: whole(
    (g) => `saturation must be an integer above the offset and ≤ 65535 ADU (got ${g} ADU)`,
    0,
    65535,
  ),
  scmosOffsetSdAdu: real((g) => `sCMOS offset spread must be ≥ 0 ADU (got ${g} ADU)`, 0),
  scmosGainCv: real((g) => `sCMOS gain spread must be 0–0.5 (relative; got ${g})`, 0, 0.5, { lt: true }),
  scmosReadNoiseLogSd: real((g) => `sCMOS read-noise spread must be 0–2 (σ of ln; got ${g})`, 0, 2),
};

const C = SimCameraFields;
const cameraCommon = {
  offsetAdu: C.offsetAdu,
  electronsPerAdu: C.electronsPerAdu,
  readNoiseE: C.readNoiseE,
  quantisation: C.quantisation,
  saturationAdu: C.saturationAdu,
};
const scmosFields = {
  scmosOffsetSdAdu: C.scmosOffsetSdAdu,
  scmosGainCv: C.scmosGainCv,
  scmosReadNoiseLogSd: C.scmosReadNoiseLogSd,
};
type CameraValue = { offsetAdu: number; saturationAdu: number };

export const SimCameraSchema = v.pipe(
  v.variant(
    'kind',
    [
      v.object({ kind: v.literal('ccd'), ...cameraCommon }),
      v.object({ kind: v.literal('emccd'), ...cameraCommon, emGain: C.emGain }),
      v.object({ kind: v.literal('scmos'), ...cameraCommon, ...scmosFields }),
    ],
    say((g) => `camera kind must be ccd, emccd or scmos (got "${g}")`),
  ),
  rule<CameraValue>(
    (c) => c.saturationAdu > c.offsetAdu,
    (c) => `saturation must be an integer above the offset and ≤ 65535 ADU (got ${c.saturationAdu} ADU)`,
  ),
);

export const SimBackgroundSchema = v.object({
  amplitude: real((g) => `background pattern amplitude must be 0 to < 1 (relative; got ${g})`, 0, 1, {
    lt: true,
  }),
  scaleNm: real((g) => `background pattern scale must be > 0 nm (got ${g} nm)`, 0, Infinity, { gt: true }),
});

const driftSpeed = real(() => 'drift speeds must be finite numbers (nm/s)');
export const SimDriftSchema = v.object({
  speedXNmPerS: driftSpeed,
  speedYNmPerS: driftSpeed,
  wobbleAmplitudeNm: real((g) => `drift wobble must be ≥ 0 nm (got ${g} nm)`, 0),
  wobblePeriodS: real((g) => `drift wobble period must be > 0 s (got ${g} s)`, 0, Infinity, { gt: true }),
});

type Rates = { kind: string; kOff: number; kBleach: number };
export const PhotophysicsSchema = v.pipe(
  v.variant(
    'kind',
    [
      v.object({ kind: v.literal('single') }),
      v.object({ kind: v.literal('continuous') }),
      v.object({
        kind: v.literal('palm'),
        meanOnFrames: real(() => 'PALM mean on-time must be ≥ 1 frame', 1),
      }),
      v.object({
        kind: v.literal('dstorm'),
        kOn: real(() => 'dSTORM k_on must be a probability per frame in (0, 1]', 0, 1, { gt: true }),
        kOff: real(() => 'dSTORM k_off must be a probability per frame in [0, 1]', 0, 1),
        kBleach: real(() => 'dSTORM k_bleach must be a probability per frame in [0, 1]', 0, 1),
        initialOnFraction: real(() => 'initial on-fraction must be 0–1', 0, 1),
      }),
      v.object({
        kind: v.literal('stepBleach'),
        meanLifetimeFrames: real(() => 'mean dye lifetime must be > 0 frames', 0, Infinity, { gt: true }),
      }),
    ],
    say((g) => `unknown photophysics "${g}"`),
  ),
  rule<Rates>(
    (p) => p.kind !== 'dstorm' || p.kOff + p.kBleach <= 1,
    () => 'k_off + k_bleach must not exceed 1 per frame',
  ),
);

const invertible = 'channel transform must be finite and invertible';
const coefficient = real(() => invertible);
type Affine = { a: number; b: number; c: number; d: number };

/** One channel; `source` against the scene and σ against the pixel are checked in validate.ts. */
export const SimChannelFields = {
  photonsPerFrame: real((g) => `photons per frame must be ≥ 0 (got ${g} photons)`, 0),
  photonVariability: v.picklist(
    ['none', 'poisson', 'exponential'],
    'photon variability must be none, poisson or exponential',
  ),
  backgroundPhotons: real((g) => `background must be ≥ 0 photons/px (got ${g} photons/px)`, 0),
  psfSigmaNm: real((g) => `PSF σ must be > 0 nm and at most 10 px (got ${g} nm)`, 0, Infinity, { gt: true }),
};

export const SimChannelSchema = v.object({
  name: text(200),
  /** Checked against the scene's sources in validate.ts. */
  source: text(64),
  photophysics: PhotophysicsSchema,
  ...SimChannelFields,
  transform: v.pipe(
    v.object({
      a: coefficient,
      b: coefficient,
      c: coefficient,
      d: coefficient,
      tx: coefficient,
      ty: coefficient,
    }),
    rule<Affine>(
      (t) => Math.abs(t.a * t.d - t.b * t.c) > 1e-6,
      () => invertible,
    ),
  ),
});

const nonNeg = (what: string, unit = '') =>
  real((g) => `${what} must be ≥ 0${unit ? ` ${unit}` : ''} (got ${g}${unit ? ` ${unit}` : ''})`, 0);
const margin = nonNeg('margin', 'nm');

/** Both ends of a [min, max] range: "EV diameters: 0 < minimum ≤ maximum nm (got 80–40 nm)". */
function ordered(kind: string, lo: string, hi: string, what: string, unit: string, strict = true) {
  type R = Record<string, number> & { kind: string };
  return rule<R>(
    (s) => s.kind !== kind || ((strict ? s[lo] > 0 : s[lo] >= 0) && s[lo] <= s[hi]),
    (s) => `${what} ${strict ? '0 <' : '0 ≤'} minimum ≤ maximum${unit} (got ${s[lo]}–${s[hi]}${unit})`,
  );
}

export const IsolatedSceneSchema = v.object({
  kind: v.literal('isolated'),
  emittersPerFrame: whole((g) => `emitters per frame must be a whole number ≥ 0 (got ${g})`, 0),
  layout: v.picklist(['grid', 'random'], 'layout must be "grid" or "random"'),
  minSeparationNm: nonNeg('minimum separation', 'nm'),
  marginNm: margin,
});

const markerMean = real(() => 'mean marker counts must be ≥ 0 molecules', 0);
type EvScene = { kind: string; diameterMinNm: number; diameterMaxNm: number; diameterMeanNm: number };

export const EvsOnGlassSceneSchema = v.object({
  kind: v.literal('evsOnGlass'),
  evCount: whole((g) => `EV count must be a whole number ≥ 0 (got ${g})`, 0),
  diameterMeanNm: real((g) => `EV mean diameter must lie between the minimum and maximum (got ${g} nm)`),
  diameterSdNm: nonNeg('EV diameter spread', 'nm'),
  diameterMinNm: real((g) => `EV diameters: 0 < minimum ≤ maximum nm (got ${g} nm)`),
  diameterMaxNm: real((g) => `EV diameters: 0 < minimum ≤ maximum nm (got maximum ${g} nm)`),
  markers: v.pipe(
    v.array(v.string(), 'markers must be distinct and ≥ 1'),
    v.minLength(1, 'markers must be distinct and ≥ 1'),
    v.check((m) => new Set(m).size === m.length, 'markers must be distinct and ≥ 1'),
    v.check((m) => !m.includes('probe'), '"probe" is reserved for the fluidity probe, not a marker name'),
  ),
  subtypes: v.pipe(
    v.array(
      v.object({
        name: v.string(),
        fraction: real(() => 'subtype fractions must be ≥ 0 and not all 0', 0),
        markerMeans: v.record(v.string(), markerMean),
        probeMean: real(() => 'probe mean must be ≥ 0 molecules', 0),
      }),
    ),
    v.minLength(1, 'at least one EV subtype is needed'),
    v.check((t) => t.some((x) => x.fraction > 0), 'subtype fractions must be ≥ 0 and not all 0'),
  ),
  labellingEfficiency: real((g) => `labelling efficiency must be 0–1 (got ${g})`, 0, 1),
  minSeparationNm: real(() => 'minimum EV separation must be ≥ 0 nm', 0),
  marginNm: margin,
});

/** Every other number of the uptake scene is a count, rate, size or time ≥ 0. */
const upNum = (key: string) => real((g) => `${key} must be a number ≥ 0 (got ${g})`, 0);
const upKeys = [
  'caveolaBirthsPerUm2PerS',
  'caveolaDiameterMinNm',
  'caveolaDiameterMaxNm',
  'caveolaMolecules',
  'patchBirthsPerUm2PerS',
  'patchDiameterMinNm',
  'patchDiameterMaxNm',
  'patchMoleculesPerUm2',
  'freeMoleculesPerUm2',
  'evDiffusionUm2PerS',
  'captureDistanceNm',
  'boundDwellS',
  'insideDwellS',
  'boundDiffusionUm2PerS',
] as const;

export const UptakeSceneSchema = v.object({
  kind: v.literal('uptake'),
  ...(Object.fromEntries(upKeys.map((k) => [k, upNum(k)])) as Record<
    (typeof upKeys)[number],
    ReturnType<typeof upNum>
  >),
  cellFraction: real(() => 'cell fraction must be in (0, 1]', 0, 1, { gt: true }),
  caveolaMeanLifetimeS: real(() => 'caveola mean lifetime must be > 0 s', 0, Infinity, { gt: true }),
  patchMeanLifetimeS: real(() => 'patch mean lifetime must be > 0 s', 0, Infinity, { gt: true }),
  rampFraction: real((g) => `ramp fraction must be 0–0.5 (got ${g})`, 0, 0.5),
  structureLabelling: v.optional(
    v.picklist(
      ['perLifetime', 'perTime'],
      say((g) => `structure labelling must be "perLifetime" or "perTime" (got ${g})`),
    ),
  ),
  evCount: whole((g) => `EV count must be a whole number (got ${g})`, 0),
  evArrivalFraction: real(() => 'EV arrival fraction must be 0–1', 0, 1),
  bindProbabilityPerFrame: real(() => 'bind probability must be 0–1 per frame', 0, 1),
});

/** The Ca²⁺ scene; the addition frame against the number of frames is checked in validate.ts. */
export const CalciumSceneFields = {
  cellCount: whole((g) => `cell count must be a whole number ≥ 1 (got ${g})`, 1),
  cellRadiusMinNm: real((g) => `cell radii: 0 < minimum ≤ maximum nm (got minimum ${g} nm)`, 0, Infinity, {
    gt: true,
  }),
  cellRadiusMaxNm: real((g) => `cell radii: 0 < minimum ≤ maximum nm (got maximum ${g} nm)`, 0, Infinity, {
    gt: true,
  }),
  cellAspectMax: real((g) => `cell aspect ratio must be ≥ 1 (got ${g})`, 1),
  cellGapNm: real((g) => `cell gap must be a number of nm (got ${g})`),
  marginNm: margin,
  restingPhotons: real((g) => `resting photons must be > 0 per px (got ${g})`, 0, Infinity, { gt: true }),
  restingCv: real((g) => `resting brightness CV must be 0–2 (got ${g})`, 0, 2),
  /** 0-based; at least 3 frames of baseline before it. */
  addFrame: whole((g) => `addition frame must be a whole number ≥ 3 (got ${g})`, 3),
  responderFraction: prob('responder fraction'),
  latencyMinFrames: whole((g) => `latency: whole frames, 0 ≤ minimum ≤ maximum (got minimum ${g})`, 0),
  latencyMaxFrames: whole((g) => `latency: whole frames, 0 ≤ minimum ≤ maximum (got maximum ${g})`, 0),
  amplitudeMin: real((g) => `amplitude (peak ΔF/F₀): 0 < minimum ≤ maximum (got minimum ${g})`, 0, Infinity, {
    gt: true,
  }),
  amplitudeMax: real((g) => `amplitude (peak ΔF/F₀): 0 < minimum ≤ maximum (got maximum ${g})`),
  riseFrames: whole((g) => `rise must be a whole number ≥ 1 frame (got ${g})`, 1),
  decayFrames: real((g) => `decay time constant must be > 0 frames (got ${g})`, 0, Infinity, { gt: true }),
  bleachTauFrames: real((g) => `bleach time constant must be ≥ 0 frames, 0 for none (got ${g})`, 0),
};

export const CalciumSceneSchema = v.object({ kind: v.literal('calcium'), ...CalciumSceneFields });

/** The scene, then the ranges whose two ends are both given (they are checked once each end is). */
export const SceneSchema = v.pipe(
  v.variant(
    'kind',
    [IsolatedSceneSchema, EvsOnGlassSceneSchema, UptakeSceneSchema, CalciumSceneSchema],
    say((g) => `unknown scene "${g}"`),
  ),
  ordered('evsOnGlass', 'diameterMinNm', 'diameterMaxNm', 'EV diameters:', ' nm'),
  rule<EvScene>(
    (s) =>
      s.kind !== 'evsOnGlass' || (s.diameterMeanNm >= s.diameterMinNm && s.diameterMeanNm <= s.diameterMaxNm),
    (s) => `EV mean diameter must lie between the minimum and maximum (got ${s.diameterMeanNm} nm)`,
  ),
  ordered('uptake', 'caveolaDiameterMinNm', 'caveolaDiameterMaxNm', 'caveola diameters:', ' nm'),
  ordered('uptake', 'patchDiameterMinNm', 'patchDiameterMaxNm', 'patch diameters:', ' nm'),
  ordered('calcium', 'cellRadiusMinNm', 'cellRadiusMaxNm', 'cell radii:', ' nm'),
  ordered('calcium', 'latencyMinFrames', 'latencyMaxFrames', 'latency: whole frames,', '', false),
  ordered('calcium', 'amplitudeMin', 'amplitudeMax', 'amplitude (peak ΔF/F₀):', ''),
);

const channelCount = 'there must be 1–8 channels';

/** The parameter set, field by field (the rules across sections are in validate.ts). */
export const SimulationFieldsSchema = v.object({
  preset: v.picklist(
    ['demo', 'isolated', 'evMarkers', 'dstorm', 'dense', 'calcium', 'calciumNull'],
    say(
      (g) =>
        `preset must be one of demo, isolated, evMarkers, dstorm, dense, calcium, calciumNull (got "${g}")`,
    ),
  ),
  ...SimSizeFields,
  camera: SimCameraSchema,
  background: SimBackgroundSchema,
  drift: SimDriftSchema,
  scene: SceneSchema,
  channels: v.pipe(
    v.array(SimChannelSchema, channelCount),
    v.minLength(1, channelCount),
    v.maxLength(8, channelCount),
  ),
}) satisfies v.GenericSchema<unknown, SimulationParams>;
