// Human-readable checks of SimulationParams, one message per problem with the value, its range
// and its unit, so the dialog can show them next to the field and the CLI can print them. The
// limits are the schema's (schema.ts); here its issues become sentences, and the rules that need
// the whole parameter set (field of view, frames, the scene's sources) are added.
import { issueLine, v } from '../schema';
import { type SimulationParams, sceneSources } from './params';
import { SimulationFieldsSchema } from './schema';

const fin = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** "channel 1 (GFP): …" for a channel's issue, "subtype CD63+: …" for a subtype's own numbers. */
function sentence(issue: v.BaseIssue<unknown>, p: SimulationParams): string {
  // Only reached for the path of an issue, so channels[i] is the object the issue is about.
  const path = issue.path ?? [];
  // valibot's own wording ("Invalid key: …") only where the schema has none: a missing field.
  let text = issue.message.startsWith('Invalid ') ? issueLine(issue, '') : issue.message;
  const sub = path.findIndex((x) => x.key === 'subtypes');
  const at = path[sub + 1];
  if (sub >= 0 && at && path.length > sub + 2 && isObj(at.value))
    text = `subtype ${String(at.value.name)}: ${text}`;
  if (path[0]?.key === 'channels' && typeof path[1]?.key === 'number')
    text = `channel ${path[1].key} (${String(p.channels[path[1].key]?.name)}): ${text}`;
  return text;
}

/**
 * Returns the list of problems; empty means the parameters can be simulated. Takes anything (a
 * session's recipe, a script's argument): isSimulationParams is the same check as a type guard.
 */
export function validateSimulationParams(p: unknown): string[] {
  const out = new Set<string>();
  const r = v.safeParse(SimulationFieldsSchema, p);
  const loose = p as SimulationParams;
  if (!r.success) for (const issue of r.issues) out.add(sentence(issue, loose));
  if (isObj(p)) for (const m of acrossSections(loose)) out.add(m);
  return [...out];
}

/** Whether `p` is a SimulationParams the simulator accepts. */
export function isSimulationParams(p: unknown): p is SimulationParams {
  return validateSimulationParams(p).length === 0;
}

/** The rules between sections, each only once the values it compares are numbers. */
function acrossSections(p: SimulationParams): string[] {
  const out: string[] = [];
  const s = isObj(p.scene) ? p.scene : null;
  const fieldW = p.width * p.pixelSizeNm;
  const fieldH = p.height * p.pixelSizeNm;
  if (s && (s.kind === 'isolated' || s.kind === 'evsOnGlass') && fin(s.marginNm) && s.marginNm >= 0) {
    if (fin(fieldW) && fin(fieldH) && !(2 * s.marginNm < Math.min(fieldW, fieldH)))
      out.push(
        `margin must be ≥ 0 nm and leave room in the ${fieldW}×${fieldH} nm field (got ${s.marginNm} nm)`,
      );
  }
  if (s?.kind === 'calcium' && Number.isInteger(s.addFrame) && s.addFrame >= 3 && fin(p.frames))
    if (s.addFrame >= p.frames)
      out.push(`addition frame must be a whole number in 3–${p.frames - 1} (got ${s.addFrame})`);
  const kinds = ['isolated', 'evsOnGlass', 'uptake', 'calcium'];
  const sources = s && kinds.includes(s.kind) ? sceneSources(s) : null;
  if (!Array.isArray(p.channels)) return out;
  p.channels.forEach((ch, i) => {
    if (!isObj(ch)) return;
    const at = `channel ${i} (${ch.name})`;
    if (sources && !sources.includes(ch.source))
      out.push(`${at}: source "${ch.source}" is not one of ${sources.join(', ')}`);
    if (fin(ch.psfSigmaNm) && ch.psfSigmaNm > 0 && fin(p.pixelSizeNm) && p.pixelSizeNm > 0)
      if (ch.psfSigmaNm / p.pixelSizeNm > 10)
        out.push(`${at}: PSF σ must be > 0 nm and at most 10 px (got ${ch.psfSigmaNm} nm)`);
    const ph = isObj(ch.photophysics) ? ch.photophysics.kind : undefined;
    if (s && ph !== undefined && (s.kind === 'isolated') !== (ph === 'single'))
      out.push(`${at}: "single" photophysics goes with the isolated scene, and the isolated scene needs it`);
  });
  return out;
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
    const p: unknown = dataset.value;
    if (isSimulationParams(p) && !simulationBudgetProblems(p).length) return p;
    const problems = isSimulationParams(p) ? simulationBudgetProblems(p) : validateSimulationParams(p);
    addIssue({ message: problems.slice(0, 3).join('; ') });
    return NEVER;
  }),
);
