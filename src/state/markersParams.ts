// The EV-marker step's parameters as plain data (sessions, undo, "stale" detection), their
// defaults from the stack (channel names, pixel size, frames), and the translation to the
// kernel's EvMarkerParamsInput. Validation is the kernel's own, so the panel refuses exactly
// what the worker would.
import { channelNature, defaultRole, roleProblems } from '../core/ev/channelRoles';
import {
  type EvMarkerParams,
  type EvMarkerParamsInput,
  resolveEvMarkerParams,
  validateEvMarkerParams,
} from '../core/ev/params';
import type { MarkerChannelConfig, MarkersParams } from '../core/ev/schema';
import type { FrameSource } from '../core/stack/types';
import type { StackInfo } from '../engine/stackService';

export type { ChannelRole, LocsCountConfig, MarkerChannelConfig, MarkersParams } from '../core/ev/schema';

/** What the panel knows of a stack; `recipe` tells what a simulated stack's channels image. */
export type MarkersStackInfo = Pick<
  StackInfo,
  'width' | 'height' | 'frameCount' | 'channels' | 'meta' | 'name'
> & {
  recipe?: StackInfo['recipe'];
};

/** Each channel's simulated source ("CD63", "probe", "structures", "evs"…), when simulated. */
export function simSources(info: MarkersStackInfo): (string | undefined)[] {
  const r = info.recipe;
  return Array.from({ length: info.channels }, (_, c) =>
    r?.kind === 'simulated' ? r.params.channels[c]?.source : undefined,
  );
}

/** What the kernel reads of a stack: enough of a FrameSource for defaults and validation. */
export function stackShape(info: MarkersStackInfo): FrameSource {
  return {
    name: info.name,
    width: info.width,
    height: info.height,
    frameCount: info.frameCount,
    channels: info.channels,
    dtype: 'uint16',
    meta: info.meta,
    readFrame: () => Promise.reject(new Error('stack shape only: frames are read in the worker')),
  };
}

/**
 * One row per stack channel: the kernel's defaults, structure and EV-tracking channels skipped
 * (for simulations, by what each channel really images).
 */
function defaultChannels(info: MarkersStackInfo, k: EvMarkerParams): MarkerChannelConfig[] {
  const sources = simSources(info);
  return Array.from({ length: info.channels }, (_, c) => {
    const ev = k.channels.find((x) => x.channel === c);
    const name = ev?.name ?? info.meta.channelNames?.[c] ?? `channel ${c + 1}`;
    const src = sources[c];
    const role = src !== undefined ? defaultRole(channelNature(name, src)) : (ev?.role ?? 'skip');
    return { channel: c, name, role, threshold: ev?.threshold ?? 1 };
  });
}

export function defaultMarkersParams(info: MarkersStackInfo): MarkersParams {
  const k: EvMarkerParams = resolveEvMarkerParams({}, stackShape(info));
  const channels = defaultChannels(info, k);
  return {
    channels,
    reference: k.detection.reference,
    thresholdK: k.detection.thresholdK,
    projectionFrames: k.detection.projectionFrames,
    projection: k.detection.projection,
    minSeparationPx: k.detection.minSeparationPx,
    radiusPx: k.roi.radiusPx,
    annulusInnerPx: k.roi.annulusInnerPx,
    annulusOuterPx: k.roi.annulusOuterPx,
    penaltyFactor: k.steps.penaltyFactor,
    minSegment: k.steps.minSegment,
    frameStart: k.frameStart,
    frameCount: k.frameCount,
    method: k.counting.method,
    disagreementZ: k.counting.disagreementZ,
    locs: {
      use: false,
      channel: channels.find((c) => c.role === 'marker')?.channel ?? 0,
      radiusNm: k.roi.radiusPx * k.pixelSizeNm,
      mergeRadiusNm: 50,
      maxDarkFrames: 3,
      burstsPerMolecule: 1,
    },
    rename: {},
    test: 'welch',
  };
}

/** The kernel's parameters; `pixelSizeNm` is the stack's after the user's corrections. */
export function toEvParams(p: MarkersParams, pixelSizeNm: number | undefined): EvMarkerParamsInput {
  return {
    channels: p.channels
      .filter((c) => c.role !== 'skip')
      .map((c) => ({
        channel: c.channel,
        name: c.name.trim(),
        role: c.role as 'marker' | 'probe',
        threshold: c.threshold,
        ...(c.unitIntensity !== undefined ? { unitIntensity: c.unitIntensity } : {}),
      })),
    ...(pixelSizeNm !== undefined ? { pixelSizeNm } : {}),
    frameStart: p.frameStart,
    frameCount: p.frameCount,
    detection: {
      reference: p.reference,
      thresholdK: p.thresholdK,
      projectionFrames: p.projectionFrames,
      projection: p.projection,
      minSeparationPx: p.minSeparationPx,
    },
    roi: { radiusPx: p.radiusPx, annulusInnerPx: p.annulusInnerPx, annulusOuterPx: p.annulusOuterPx },
    steps: { penaltyFactor: p.penaltyFactor, minSegment: p.minSegment },
    // 'locs' types from localizations after the run; the stack's own counts still come from steps.
    counting: { method: p.method === 'locs' ? 'steps' : p.method, disagreementZ: p.disagreementZ },
    subtypeNames: p.rename,
  };
}

/** Every reason the parameters cannot run on this stack, in the kernel's words. */
export function markersParamErrors(
  p: MarkersParams,
  info: MarkersStackInfo,
  pixelSizeNm: number | undefined,
): string[] {
  const src = stackShape(info);
  const sources = simSources(info);
  // What simulated channels image is known: refuse by it (the kernel sees names only).
  const extra: string[] = roleProblems(
    p.channels.map((c) => ({ ...c, simSource: sources[c.channel] })),
  ).filter((m) => !kernelSays(m, p));
  if (!p.channels.some((c) => c.role === 'marker'))
    extra.push('Mark at least one channel as a marker: subtypes are defined by markers.');
  if (p.channels.filter((c) => c.role === 'probe').length > 1)
    extra.push('Only one channel can be the fluidity probe.');
  const l = p.locs;
  if (p.method === 'locs' && !l.use)
    extra.push('Counting from localizations needs “Count localizations” on.');
  if (l.use) {
    const ch = p.channels.find((c) => c.channel === l.channel);
    if (!ch || ch.role === 'skip')
      extra.push('The localizations’ channel must be one of the counted channels.');
    if (!(l.burstsPerMolecule >= 1))
      extra.push(
        `Bursts per molecule must be ≥ 1, from a calibration of the dye (got ${l.burstsPerMolecule}).`,
      );
    if (!(l.radiusNm > 0)) extra.push(`The EV radius for localizations must be > 0 nm (got ${l.radiusNm}).`);
    if (!(l.mergeRadiusNm >= 0))
      extra.push(`The blink merge radius must be ≥ 0 nm (got ${l.mergeRadiusNm}).`);
    if (!(Number.isInteger(l.maxDarkFrames) && l.maxDarkFrames >= 0))
      extra.push(`Dark frames within a blink must be a whole number ≥ 0 (got ${l.maxDarkFrames}).`);
  }
  return [...extra, ...validateEvMarkerParams(resolveEvMarkerParams(toEvParams(p, pixelSizeNm), src), src)];
}

/** Whether the kernel's validation (names only) already reports this role problem. */
function kernelSays(message: string, p: MarkersParams): boolean {
  return roleProblems(p.channels).includes(message);
}

/** The parameters that need a new pass over the stack when they change (the rest re-type only). */
export function runKey(p: MarkersParams, pixelSizeNm: number | undefined): string {
  const { rename: _r, test: _t, method: _m, locs, ...rest } = p;
  return JSON.stringify({
    ...rest,
    locs: locs.use ? locs : null,
    channels: p.channels.map(({ threshold: _th, ...c }) => c),
    pixelSizeNm,
  });
}

/** What the step needs, said once in the panel. */
export const MARKER_DATA_NEEDED =
  'Needs a TIRF movie of EVs on glass with one channel per marker (CD9, CD63, CD81…) whose dyes bleach in steps, optionally a membrane/fluidity probe channel; PALM/dSTORM localizations of the markers can be counted too. Structure (PALM) and EV-tracking channels are skipped.';

/** Why this stack is not marker data (it has no channel that can be a marker), or null. */
export function markerDataAdvice(info: MarkersStackInfo): string | null {
  const sources = simSources(info);
  const natures = Array.from({ length: info.channels }, (_, c) =>
    channelNature(info.meta.channelNames?.[c] ?? '', sources[c]),
  );
  if (natures.some((n) => n === 'marker' || n === 'unknown')) return null;
  const r = info.recipe;
  if (r?.kind === 'simulated' && r.params.scene.kind === 'uptake')
    return 'This is the EV-uptake demo: PALM of caveolin structures and EV tracking. It has no marker channels to count.';
  const what = natures.map((n, c) => `${info.meta.channelNames?.[c] ?? `channel ${c + 1}`} (${n})`);
  return `None of this stack's channels holds an EV marker: ${what.join(', ')}.`;
}
