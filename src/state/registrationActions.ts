// From "fit the registration of this stack from those beads" to the worker's request: frames,
// localizer settings from the bead stack's (corrected) metadata, the PSF σ per channel where the
// stack knows it, and the checks that make the fit meaningful (same channel layout, same pixels).
import {
  REGISTRATION_FIT_UNITS,
  type RegistrationFitInput,
  RegistrationFitSchema,
  RegistrationFrameSchema,
} from '../core/registration/schema';
import { fieldAt, issueLine, rangeNote, v } from '../core/schema';
import type { RegistrationFitRequest } from '../engine/registrationService';
import { activeStack, dataStore, effectiveMeta, type LoadedStack } from './dataStore';
import { DEFAULT_SETTINGS, localizeInput, stackSigmaNm } from './localizeParamsStore';
import { type ChannelRegistration, type RegistrationSource, registrationStore } from './registrationStore';

/**
 * The fit's options (RegistrationFitSchema): frames 1-based and inclusive, default the first 200
 * (or all); a separate bead stack, default the stack's own frames; the detection threshold, × the
 * noise σ of the wavelet level (beads are bright: default 2).
 */
export type FitOptions = RegistrationFitInput;

/** The options' problems by the schema, each naming the field, its range and unit. */
function optionProblems(opts: unknown): string[] {
  const r = v.safeParse(RegistrationFitSchema, opts ?? {});
  if (r.success) return [];
  return r.issues.map((issue) => {
    const keys = (issue.path ?? []).map((x) => x.key as PropertyKey);
    const field = keys[0] === 'frames' ? RegistrationFrameSchema : fieldAt(RegistrationFitSchema, keys);
    const unit = REGISTRATION_FIT_UNITS[String(keys[0])] ?? '';
    return `${issueLine(issue, '')}${field ? rangeNote(issue, field, unit) : ''}`;
  });
}

/** Frames used when none are given: enough emitters for a good fit, quick to localize. */
export const DEFAULT_FIT_FRAMES = 200;

export type FitPlan =
  | { ok: true; req: RegistrationFitRequest; source: RegistrationSource }
  | { ok: false; errors: string[] };

export function planFit(target: LoadedStack, beads: LoadedStack, opts: FitOptions = {}): FitPlan {
  const errors: string[] = [];
  const t = target.info;
  const b = beads.info;
  if (t.channels < 2) errors.push(`${t.name} has one channel: there is nothing to register.`);
  if (b.channels < t.channels)
    errors.push(
      `The bead stack ${b.name} has ${b.channels} channel(s) but ${t.name} has ${t.channels}: open beads imaged in the same channels.`,
    );
  const tPx = effectiveMeta(target).pixelSizeNm;
  const bPx = effectiveMeta(beads).pixelSizeNm;
  if (b !== t && tPx !== undefined && bPx !== undefined && Math.abs(tPx - bPx) > 1e-6 * tPx)
    errors.push(
      `The bead stack's pixels are ${bPx} nm but ${t.name}'s are ${tPx} nm: the registration in nm would not transfer. Correct the pixel size in the metadata.`,
    );
  const bad = optionProblems(opts);
  if (bad.length) return { ok: false, errors: [...errors, ...bad] };
  const first = opts.frames?.[0] ?? 1;
  const last = opts.frames?.[1] ?? Math.min(b.frameCount, first - 1 + DEFAULT_FIT_FRAMES);
  if (
    !(
      Number.isInteger(first) &&
      Number.isInteger(last) &&
      first >= 1 &&
      last >= first &&
      last <= b.frameCount
    )
  )
    errors.push(
      `Frames must be whole numbers with 1 ≤ first ≤ last ≤ ${b.frameCount} (got ${first}–${last}).`,
    );
  const thresholdFactor = opts.thresholdFactor ?? 2;
  if (errors.length) return { ok: false, errors };
  const mode = opts.mode ?? 'frames';
  const frames = { start: first - 1, count: last - first + 1 };
  const localize = { ...localizeInput(DEFAULT_SETTINGS, beads), thresholdFactor };
  const req: RegistrationFitRequest = {
    recipe: b.recipe,
    channels: Array.from({ length: t.channels - 1 }, (_, i) => i + 1),
    frames,
    mode,
    localize,
    sigmaNm: Array.from({ length: b.channels }, (_, c) => stackSigmaNm(b, c)),
  };
  const source: RegistrationSource =
    b.id === t.id
      ? { kind: 'frames', stackName: b.name, frames, mode }
      : { kind: 'beads', stackName: b.name, beadStackId: b.id, frames, mode };
  return { ok: true, req, source };
}

/** Fits the active stack's registration; throws with every reason it cannot. */
export async function fitRegistration(opts: FitOptions = {}): Promise<ChannelRegistration[]> {
  const data = dataStore.getState();
  const target = activeStack(data);
  if (!target) throw new Error('No stack is open: open a multi-channel stack first.');
  const beads =
    opts.beadStackId === undefined ? target : data.stacks.find((s) => s.info.id === opts.beadStackId);
  if (!beads) throw new Error(`No open stack has id ${opts.beadStackId}: open the bead stack first.`);
  const plan = planFit(target, beads, opts);
  if (!plan.ok) throw new Error(plan.errors.join('\n'));
  const regs = await registrationStore.getState().runFit(target.info.id, plan.req, plan.source);
  if (!regs) {
    const f = registrationStore.getState().fit;
    throw new Error(f.error ?? `registration fit ${f.status}`);
  }
  return regs;
}
