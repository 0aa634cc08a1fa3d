// Human-readable checks of SimulationParams, one message per problem with the value and its unit,
// so the dialog can show them next to the field and the CLI can print them.
import { v } from '../schema';
import { type CalciumScene, type SimulationParams, sceneSources } from './params';

type Check = (ok: boolean, message: string) => void;

function checker(out: string[]): Check {
  return (ok, message) => {
    if (!ok) out.push(message);
  };
}

const fin = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const pos = (v: unknown) => fin(v) && v > 0;
const nonNeg = (v: unknown) => fin(v) && v >= 0;
const prob = (v: unknown) => fin(v) && v >= 0 && v <= 1;
const int = (v: unknown) => fin(v) && Number.isInteger(v);

/** Returns the list of problems; empty means the parameters can be simulated. */
export function validateSimulationParams(p: SimulationParams): string[] {
  const errors: string[] = [];
  const check = checker(errors);
  check(int(p.seed), `seed must be an integer (got ${p.seed})`);
  check(
    int(p.width) && p.width >= 8 && p.width <= 4096,
    `width must be an integer of 8–4096 px (got ${p.width})`,
  );
  check(
    int(p.height) && p.height >= 8 && p.height <= 4096,
    `height must be an integer of 8–4096 px (got ${p.height})`,
  );
  check(
    int(p.frames) && p.frames >= 1 && p.frames <= 1_000_000,
    `frames must be an integer of 1–1000000 (got ${p.frames})`,
  );
  check(
    pos(p.pixelSizeNm) && p.pixelSizeNm <= 10_000,
    `pixel size must be 0–10000 nm (got ${p.pixelSizeNm} nm)`,
  );
  check(pos(p.frameIntervalMs), `frame interval must be > 0 ms (got ${p.frameIntervalMs} ms)`);

  const c = p.camera;
  check(
    ['ccd', 'emccd', 'scmos'].includes(c.kind),
    `camera kind must be ccd, emccd or scmos (got "${c.kind}")`,
  );
  check(nonNeg(c.offsetAdu), `camera offset must be ≥ 0 ADU (got ${c.offsetAdu} ADU)`);
  check(pos(c.electronsPerAdu), `conversion factor must be > 0 e⁻/ADU (got ${c.electronsPerAdu} e⁻/ADU)`);
  if (c.kind === 'emccd') check(fin(c.emGain) && c.emGain >= 1, `EM gain must be ≥ 1 (got ${c.emGain})`);
  check(nonNeg(c.readNoiseE), `read noise must be ≥ 0 e⁻ rms (got ${c.readNoiseE} e⁻)`);
  check(c.quantisation === 'round' || c.quantisation === 'floor', `quantisation must be "round" or "floor"`);
  check(
    int(c.saturationAdu) && c.saturationAdu > c.offsetAdu && c.saturationAdu <= 65535,
    `saturation must be an integer above the offset and ≤ 65535 ADU (got ${c.saturationAdu} ADU)`,
  );
  if (c.kind === 'scmos') {
    check(nonNeg(c.scmosOffsetSdAdu), `sCMOS offset spread must be ≥ 0 ADU (got ${c.scmosOffsetSdAdu} ADU)`);
    check(
      fin(c.scmosGainCv) && c.scmosGainCv >= 0 && c.scmosGainCv < 0.5,
      `sCMOS gain spread must be 0–0.5 (relative; got ${c.scmosGainCv})`,
    );
    check(
      fin(c.scmosReadNoiseLogSd) && c.scmosReadNoiseLogSd >= 0 && c.scmosReadNoiseLogSd <= 2,
      `sCMOS read-noise spread must be 0–2 (σ of ln; got ${c.scmosReadNoiseLogSd})`,
    );
  }

  check(
    fin(p.background.amplitude) && p.background.amplitude >= 0 && p.background.amplitude < 1,
    `background pattern amplitude must be 0 to < 1 (relative; got ${p.background.amplitude})`,
  );
  check(
    pos(p.background.scaleNm),
    `background pattern scale must be > 0 nm (got ${p.background.scaleNm} nm)`,
  );
  const d = p.drift;
  check(fin(d.speedXNmPerS) && fin(d.speedYNmPerS), 'drift speeds must be finite numbers (nm/s)');
  check(nonNeg(d.wobbleAmplitudeNm), `drift wobble must be ≥ 0 nm (got ${d.wobbleAmplitudeNm} nm)`);
  check(pos(d.wobblePeriodS), `drift wobble period must be > 0 s (got ${d.wobblePeriodS} s)`);

  validateScene(p, check);

  check(
    Array.isArray(p.channels) && p.channels.length >= 1 && p.channels.length <= 8,
    'there must be 1–8 channels',
  );
  const sources = sceneSources(p.scene);
  (p.channels ?? []).forEach((ch, i) => {
    const at = `channel ${i} (${ch.name})`;
    check(sources.includes(ch.source), `${at}: source "${ch.source}" is not one of ${sources.join(', ')}`);
    check(
      nonNeg(ch.photonsPerFrame),
      `${at}: photons per frame must be ≥ 0 (got ${ch.photonsPerFrame} photons)`,
    );
    check(
      ['none', 'poisson', 'exponential'].includes(ch.photonVariability),
      `${at}: photon variability must be none, poisson or exponential`,
    );
    check(
      nonNeg(ch.backgroundPhotons),
      `${at}: background must be ≥ 0 photons/px (got ${ch.backgroundPhotons} photons/px)`,
    );
    check(
      pos(ch.psfSigmaNm) && ch.psfSigmaNm / p.pixelSizeNm <= 10,
      `${at}: PSF σ must be > 0 nm and at most 10 px (got ${ch.psfSigmaNm} nm)`,
    );
    const t = ch.transform;
    check(
      [t.a, t.b, t.c, t.d, t.tx, t.ty].every(fin) && Math.abs(t.a * t.d - t.b * t.c) > 1e-6,
      `${at}: channel transform must be finite and invertible`,
    );
    const ph = ch.photophysics;
    check(
      (p.scene.kind === 'isolated') === (ph.kind === 'single'),
      `${at}: "single" photophysics goes with the isolated scene, and the isolated scene needs it`,
    );
    switch (ph.kind) {
      case 'single':
      case 'continuous':
        break;
      case 'palm':
        check(fin(ph.meanOnFrames) && ph.meanOnFrames >= 1, `${at}: PALM mean on-time must be ≥ 1 frame`);
        break;
      case 'dstorm':
        check(prob(ph.kOn) && ph.kOn > 0, `${at}: dSTORM k_on must be a probability per frame in (0, 1]`);
        check(prob(ph.kOff), `${at}: dSTORM k_off must be a probability per frame in [0, 1]`);
        check(prob(ph.kBleach), `${at}: dSTORM k_bleach must be a probability per frame in [0, 1]`);
        check(
          fin(ph.kOff + ph.kBleach) && ph.kOff + ph.kBleach <= 1,
          `${at}: k_off + k_bleach must not exceed 1 per frame`,
        );
        check(prob(ph.initialOnFraction), `${at}: initial on-fraction must be 0–1`);
        break;
      case 'stepBleach':
        check(pos(ph.meanLifetimeFrames), `${at}: mean dye lifetime must be > 0 frames`);
        break;
      default:
        errors.push(`${at}: unknown photophysics "${(ph as { kind: string }).kind}"`);
    }
  });
  return errors;
}

function validateScene(p: SimulationParams, check: Check): void {
  const s = p.scene;
  const fieldW = p.width * p.pixelSizeNm;
  const fieldH = p.height * p.pixelSizeNm;
  switch (s.kind) {
    case 'isolated':
      check(
        int(s.emittersPerFrame) && s.emittersPerFrame >= 0,
        `emitters per frame must be a whole number ≥ 0 (got ${s.emittersPerFrame})`,
      );
      check(s.layout === 'grid' || s.layout === 'random', 'layout must be "grid" or "random"');
      check(nonNeg(s.minSeparationNm), `minimum separation must be ≥ 0 nm (got ${s.minSeparationNm} nm)`);
      check(
        nonNeg(s.marginNm) && 2 * s.marginNm < Math.min(fieldW, fieldH),
        `margin must be ≥ 0 nm and leave room in the ${fieldW}×${fieldH} nm field (got ${s.marginNm} nm)`,
      );
      break;
    case 'evsOnGlass': {
      check(int(s.evCount) && s.evCount >= 0, `EV count must be a whole number ≥ 0 (got ${s.evCount})`);
      check(
        pos(s.diameterMinNm) && s.diameterMinNm <= s.diameterMaxNm,
        `EV diameters: 0 < minimum ≤ maximum nm (got ${s.diameterMinNm}–${s.diameterMaxNm} nm)`,
      );
      check(
        fin(s.diameterMeanNm) && s.diameterMeanNm >= s.diameterMinNm && s.diameterMeanNm <= s.diameterMaxNm,
        `EV mean diameter must lie between the minimum and maximum (got ${s.diameterMeanNm} nm)`,
      );
      check(nonNeg(s.diameterSdNm), `EV diameter spread must be ≥ 0 nm (got ${s.diameterSdNm} nm)`);
      check(
        s.markers.length >= 1 && new Set(s.markers).size === s.markers.length,
        'markers must be distinct and ≥ 1',
      );
      check(!s.markers.includes('probe'), '"probe" is reserved for the fluidity probe, not a marker name');
      check(s.subtypes.length >= 1, 'at least one EV subtype is needed');
      check(
        s.subtypes.every((t) => nonNeg(t.fraction)) && s.subtypes.some((t) => t.fraction > 0),
        'subtype fractions must be ≥ 0 and not all 0',
      );
      for (const t of s.subtypes) {
        check(nonNeg(t.probeMean), `subtype ${t.name}: probe mean must be ≥ 0 molecules`);
        for (const m of s.markers) {
          check(nonNeg(t.markerMeans[m] ?? 0), `subtype ${t.name}: mean ${m} count must be ≥ 0 molecules`);
        }
      }
      check(prob(s.labellingEfficiency), `labelling efficiency must be 0–1 (got ${s.labellingEfficiency})`);
      check(nonNeg(s.minSeparationNm), `minimum EV separation must be ≥ 0 nm`);
      check(
        nonNeg(s.marginNm) && 2 * s.marginNm < Math.min(fieldW, fieldH),
        `margin must be ≥ 0 nm and leave room in the ${fieldW}×${fieldH} nm field (got ${s.marginNm} nm)`,
      );
      break;
    }
    case 'uptake':
      check(
        fin(s.cellFraction) && s.cellFraction > 0 && s.cellFraction <= 1,
        'cell fraction must be in (0, 1]',
      );
      for (const [k, v] of Object.entries(s)) {
        if (k === 'kind' || k === 'structureLabelling') continue;
        check(nonNeg(v), `${k} must be a number ≥ 0 (got ${v})`);
      }
      check(
        pos(s.caveolaDiameterMinNm) && s.caveolaDiameterMinNm <= s.caveolaDiameterMaxNm,
        `caveola diameters: 0 < minimum ≤ maximum nm (got ${s.caveolaDiameterMinNm}–${s.caveolaDiameterMaxNm} nm)`,
      );
      check(
        pos(s.patchDiameterMinNm) && s.patchDiameterMinNm <= s.patchDiameterMaxNm,
        `patch diameters: 0 < minimum ≤ maximum nm (got ${s.patchDiameterMinNm}–${s.patchDiameterMaxNm} nm)`,
      );
      check(pos(s.caveolaMeanLifetimeS), 'caveola mean lifetime must be > 0 s');
      check(pos(s.patchMeanLifetimeS), 'patch mean lifetime must be > 0 s');
      check(
        fin(s.rampFraction) && s.rampFraction <= 0.5,
        `ramp fraction must be 0–0.5 (got ${s.rampFraction})`,
      );
      check(
        s.structureLabelling === undefined ||
          s.structureLabelling === 'perLifetime' ||
          s.structureLabelling === 'perTime',
        `structure labelling must be "perLifetime" or "perTime" (got ${String(s.structureLabelling)})`,
      );
      check(int(s.evCount), `EV count must be a whole number (got ${s.evCount})`);
      check(prob(s.bindProbabilityPerFrame), 'bind probability must be 0–1 per frame');
      check(s.evArrivalFraction <= 1, 'EV arrival fraction must be 0–1');
      break;
    case 'calcium':
      validateCalcium(p, s, check);
      break;
    default:
      check(false, `unknown scene "${(s as { kind: string }).kind}"`);
  }
}

function validateCalcium(p: SimulationParams, s: CalciumScene, check: Check): void {
  check(int(s.cellCount) && s.cellCount >= 1, `cell count must be a whole number ≥ 1 (got ${s.cellCount})`);
  check(
    pos(s.cellRadiusMinNm) && s.cellRadiusMinNm <= s.cellRadiusMaxNm,
    `cell radii: 0 < minimum ≤ maximum nm (got ${s.cellRadiusMinNm}–${s.cellRadiusMaxNm} nm)`,
  );
  check(
    fin(s.cellAspectMax) && s.cellAspectMax >= 1,
    `cell aspect ratio must be ≥ 1 (got ${s.cellAspectMax})`,
  );
  check(fin(s.cellGapNm), `cell gap must be a number of nm (got ${s.cellGapNm})`);
  check(nonNeg(s.marginNm), `margin must be ≥ 0 nm (got ${s.marginNm} nm)`);
  check(pos(s.restingPhotons), `resting photons must be > 0 per px (got ${s.restingPhotons})`);
  check(nonNeg(s.restingCv) && s.restingCv <= 2, `resting brightness CV must be 0–2 (got ${s.restingCv})`);
  check(
    int(s.addFrame) && s.addFrame >= 3 && s.addFrame < p.frames,
    `addition frame must be a whole number in 3–${p.frames - 1} (got ${s.addFrame})`,
  );
  check(prob(s.responderFraction), `responder fraction must be 0–1 (got ${s.responderFraction})`);
  check(
    int(s.latencyMinFrames) &&
      int(s.latencyMaxFrames) &&
      s.latencyMinFrames >= 0 &&
      s.latencyMinFrames <= s.latencyMaxFrames,
    `latency: whole frames, 0 ≤ minimum ≤ maximum (got ${s.latencyMinFrames}–${s.latencyMaxFrames})`,
  );
  check(
    fin(s.amplitudeMin) && s.amplitudeMin > 0 && s.amplitudeMin <= s.amplitudeMax,
    `amplitude (peak ΔF/F₀): 0 < minimum ≤ maximum (got ${s.amplitudeMin}–${s.amplitudeMax})`,
  );
  check(
    int(s.riseFrames) && s.riseFrames >= 1,
    `rise must be a whole number ≥ 1 frame (got ${s.riseFrames})`,
  );
  check(pos(s.decayFrames), `decay time constant must be > 0 frames (got ${s.decayFrames})`);
  check(
    nonNeg(s.bleachTauFrames),
    `bleach time constant must be ≥ 0 frames, 0 for none (got ${s.bleachTauFrames})`,
  );
}

/**
 * What a simulation read from an untrusted file (a session, a link) may ask for. The dialog's own
 * limits allow far more; a 7 KB session must not make the tab allocate gigabytes on open.
 */
export const UNTRUSTED_SIMULATION_LIMITS = {
  /** width × height × frames: bounds the work of every later run over the stack. */
  pixelFrames: 2 ** 32,
  /** width × height × channels: background and calibration maps are held per pixel. */
  framePixels: 2 ** 24,
  /** Emitters drawn per frame × frames × channels in the isolated scene (events held in memory). */
  emitterFrames: 20_000_000,
  /** EVs in the EV and uptake scenes. */
  evs: 100_000,
} as const;

/** Problems with the size of `p` against `limits`; empty when it may be re-created. */
export function simulationBudgetProblems(
  p: SimulationParams,
  limits: typeof UNTRUSTED_SIMULATION_LIMITS = UNTRUSTED_SIMULATION_LIMITS,
): string[] {
  const out: string[] = [];
  const channels = Array.isArray(p.channels) ? p.channels.length : 1;
  const pixelFrames = p.width * p.height * p.frames;
  const fmt = (n: number) => n.toExponential(2);
  if (pixelFrames > limits.pixelFrames)
    out.push(
      `${p.width}×${p.height} px × ${p.frames} frames is ${fmt(pixelFrames)} pixel-frames, more than the ${fmt(limits.pixelFrames)} a session may ask to re-create`,
    );
  if (p.width * p.height * channels > limits.framePixels)
    out.push(
      `${p.width}×${p.height} px × ${channels} channel(s) is more than the ${fmt(limits.framePixels)} pixels a session may ask to re-create`,
    );
  const s = p.scene;
  if (s.kind === 'isolated' && s.emittersPerFrame * p.frames * channels > limits.emitterFrames)
    out.push(
      `${s.emittersPerFrame} emitters per frame × ${p.frames} frames × ${channels} channel(s) is more than the ${fmt(limits.emitterFrames)} emissions a session may ask to re-create`,
    );
  if (s.kind === 'calcium' && s.cellCount > limits.evs)
    out.push(`${s.cellCount} cells is more than the ${limits.evs} a session may ask to re-create`);
  if ((s.kind === 'evsOnGlass' || s.kind === 'uptake') && s.evCount > limits.evs)
    out.push(`${s.evCount} EVs is more than the ${limits.evs} a session may ask to re-create`);
  return out;
}

/**
 * Simulation parameters from outside (session recipes, scripts) as a schema: a plain object
 * that validateSimulationParams accepts, within the untrusted budget.
 */
export const SimulationParamsSchema = v.pipe(
  v.looseObject({ channels: v.array(v.looseObject({})) }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const p = dataset.value as unknown as SimulationParams;
    let problems: string[];
    try {
      problems = [...validateSimulationParams(p), ...simulationBudgetProblems(p)];
    } catch {
      problems = ['simulation parameters are incomplete or malformed'];
    }
    if (!problems.length) return p;
    addIssue({ message: problems.slice(0, 3).join('; ') });
    return NEVER;
  }),
);
