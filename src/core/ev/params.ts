// Parameters of the EV marker-counting pipeline: typed, with units in their names or docs,
// defaults taken from the study (SCIENCE.md §5) where it gives them, and validation that
// returns sentences a user can act on rather than throwing on the first problem.

import { PHYSICAL_DEFAULTS } from '../physicalDefaults';
import { type Affine6, affine6Problem } from '../registration/affine6';
import type { FrameSource } from '../stack/types';
import { channelNature, defaultRole, roleProblems } from './channelRoles';
import type { NoiseModel } from './noiseModel';
import { MIN_TRACE_FRAMES } from './schema';
import type { StepMethod } from './stepFinder';
import { DEFAULT_PENALTY_FACTOR } from './stepFinder';
import { defaultSubtypeName } from './subtypes';

export interface EvChannel {
  /** 0-based channel of the FrameSource. */
  channel: number;
  /** Marker or probe name, e.g. "CD63"; used in column and subtype names. */
  name: string;
  /** Markers define subtypes; a probe (the fluidity probe) is counted but not typed. */
  role: 'marker' | 'probe';
  /** Molecules needed to call the marker present. */
  threshold: number;
  /** Single-molecule intensity (trace units, i.e. ADU summed over the ROI); estimated when absent. */
  unitIntensity?: number;
}

export interface EvMarkerParams {
  channels: EvChannel[];
  /** Camera pixel size (nm): converts positions to ThunderSTORM nm. */
  pixelSizeNm: number;
  /** Frames analysed; defaults to the whole stack. */
  frameStart: number;
  frameCount: number;
  detection: {
    /** 'union': EVs seen in any marker channel; a number: only that source channel. */
    reference: 'union' | number;
    /** Frames averaged (or maximised) from frameStart for detection. */
    projectionFrames: number;
    projection: 'mean' | 'max';
    thresholdK: number;
    dedupRadiusPx: number;
    minSeparationPx: number;
  };
  roi: { radiusPx: number; annulusInnerPx: number; annulusOuterPx: number };
  steps: {
    method: StepMethod;
    penaltyFactor: number;
    minSegment: number;
    /**
     * Shortest first level (frames). 1: the dyes start bleaching with the illumination at frame
     * 0, so one lost during the first frame shows only there (see StepFinderOptions).
     */
    minFirstSegment: number;
    /**
     * 'auto': variance = σ0² + gain·level fitted from all traces of the channel (shot noise of the
     * molecules); 'constant': one σ per trace from the MAD of its first differences; or given.
     */
    noise: 'auto' | 'constant' | NoiseModel;
  };
  counting: {
    /** Which count decides subtypes, composition and the probe count. */
    method: 'steps' | 'ratio';
    disagreementZ: number;
  };
  /** Default subtype names → the user's names. */
  subtypeNames: Record<string, string>;
  /**
   * Two-colour registration: per source channel, the affine mapping its camera coordinates (nm)
   * onto channel 0's (index = channel; missing or identity = aligned). EV positions are then in
   * channel 0's coordinates and each channel's ROI is placed at the EV mapped into that channel.
   */
  registration?: EvRegistration;
}

export interface EvRegistration {
  toReference: Affine6[];
  /** Where it came from, recorded with the result. */
  label: string;
}

export type EvMarkerParamsInput = Partial<
  Omit<EvMarkerParams, 'detection' | 'roi' | 'steps' | 'counting'>
> & {
  detection?: Partial<EvMarkerParams['detection']>;
  roi?: Partial<EvMarkerParams['roi']>;
  steps?: Partial<EvMarkerParams['steps']>;
  counting?: Partial<EvMarkerParams['counting']>;
};

const DEFAULT_MARKERS = ['CD9', 'CD63', 'CD81'];

/**
 * Fills every missing field: channels from the stack's channel names (or CD9, CD63, CD81 and a
 * 4th channel as the probe), pixel size from the metadata (100 nm if unknown), all frames.
 */
export function resolveEvMarkerParams(input: EvMarkerParamsInput, source: FrameSource): EvMarkerParams {
  const channels =
    input.channels ??
    // Structure and EV-tracking channels are left out: they have nothing to count (channelRoles.ts).
    Array.from({ length: source.channels }, (_, c): EvChannel[] => {
      const given = source.meta.channelNames?.[c];
      const role = given
        ? defaultRole(channelNature(given))
        : c >= DEFAULT_MARKERS.length
          ? 'probe'
          : 'marker';
      if (role === 'skip') return [];
      const name = given ?? (c < DEFAULT_MARKERS.length ? DEFAULT_MARKERS[c] : `probe${c > 3 ? c - 2 : ''}`);
      return [{ channel: c, name, role, threshold: 1 }];
    }).flat();
  const frameStart = input.frameStart ?? 0;
  return {
    channels,
    pixelSizeNm: input.pixelSizeNm ?? source.meta.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm,
    frameStart,
    frameCount: input.frameCount ?? source.frameCount - frameStart,
    detection: {
      reference: 'union',
      projectionFrames: 10,
      projection: 'mean',
      thresholdK: 3,
      dedupRadiusPx: 2,
      minSeparationPx: 8,
      ...input.detection,
    },
    roi: { radiusPx: 3, annulusInnerPx: 5, annulusOuterPx: 8, ...input.roi },
    steps: {
      method: 'pelt',
      penaltyFactor: DEFAULT_PENALTY_FACTOR,
      minSegment: 2,
      minFirstSegment: 1,
      noise: 'auto',
      ...input.steps,
    },
    counting: { method: 'steps', disagreementZ: 2, ...input.counting },
    subtypeNames: input.subtypeNames ?? {},
    ...(input.registration ? { registration: input.registration } : {}),
  };
}

/** Every problem with the parameters for this stack, as sentences; empty when all is well. */
export function validateEvMarkerParams(p: EvMarkerParams, source: FrameSource): string[] {
  const errors: string[] = [];
  const positive = (v: number, what: string) => {
    if (!(v > 0) || !Number.isFinite(v)) errors.push(`${what} must be a positive number (got ${v}).`);
  };
  if (p.channels.length === 0) errors.push('Choose at least one channel to count.');
  const seenNames = new Set<string>();
  for (const ch of p.channels) {
    if (!Number.isInteger(ch.channel) || ch.channel < 0 || ch.channel >= source.channels)
      errors.push(
        `Channel ${ch.channel} ("${ch.name}") does not exist: the stack has ${source.channels} channel(s), numbered from 0.`,
      );
    if (!ch.name.trim()) errors.push(`Channel ${ch.channel} needs a name.`);
    if (seenNames.has(ch.name)) errors.push(`Two channels are called "${ch.name}": names must be unique.`);
    seenNames.add(ch.name);
    if (!(ch.threshold >= 0))
      errors.push(`The presence threshold of ${ch.name} must be ≥ 0 molecules (got ${ch.threshold}).`);
    if (ch.unitIntensity !== undefined) positive(ch.unitIntensity, `The unit intensity of ${ch.name}`);
  }
  errors.push(...roleProblems(p.channels));
  const markers = p.channels.filter((c) => c.role === 'marker').length;
  if (markers > 8) errors.push(`At most 8 marker channels can define subtypes (got ${markers}).`);
  else {
    const markerNames = p.channels.filter((c) => c.role === 'marker').map((c) => c.name);
    const defaults = Array.from({ length: 1 << markerNames.length }, (_, code) =>
      defaultSubtypeName(code, markerNames),
    );
    for (const key of Object.keys(p.subtypeNames))
      if (!defaults.includes(key))
        errors.push(`No subtype is called "${key}" to rename; the subtypes are ${defaults.join(', ')}.`);
  }
  positive(p.pixelSizeNm, 'The pixel size (nm)');
  if (!Number.isInteger(p.frameStart) || p.frameStart < 0 || p.frameStart >= source.frameCount)
    errors.push(`The first frame must be between 0 and ${source.frameCount - 1} (got ${p.frameStart}).`);
  else if (
    !Number.isInteger(p.frameCount) ||
    p.frameCount < MIN_TRACE_FRAMES ||
    p.frameStart + p.frameCount > source.frameCount
  )
    errors.push(
      `The number of frames must be an integer from ${MIN_TRACE_FRAMES} to ${source.frameCount - p.frameStart} (got ${p.frameCount}): bleaching steps need a trace.`,
    );
  const d = p.detection;
  if (d.reference !== 'union') {
    if (!p.channels.some((c) => c.channel === d.reference))
      errors.push(`The detection channel ${d.reference} is not one of the counted channels.`);
  }
  if (!Number.isInteger(d.projectionFrames) || d.projectionFrames < 1 || d.projectionFrames > p.frameCount)
    errors.push(`Detection must project 1 to ${p.frameCount} frames (got ${d.projectionFrames}).`);
  positive(d.thresholdK, 'The detection threshold (× noise σ)');
  if (!(d.dedupRadiusPx >= 0)) errors.push(`The duplicate radius must be ≥ 0 px (got ${d.dedupRadiusPx}).`);
  if (!(d.minSeparationPx >= 0))
    errors.push(`The minimum EV separation must be ≥ 0 px (got ${d.minSeparationPx}).`);
  const r = p.roi;
  positive(r.radiusPx, 'The ROI radius (px)');
  if (!(r.annulusInnerPx >= r.radiusPx))
    errors.push(
      `The background annulus must start outside the ROI: inner radius ${r.annulusInnerPx} px < ROI radius ${r.radiusPx} px.`,
    );
  if (!(r.annulusOuterPx >= r.annulusInnerPx + 1))
    errors.push(
      `The background annulus must be at least 1 px wide (inner ${r.annulusInnerPx} px, outer ${r.annulusOuterPx} px).`,
    );
  if (2 * r.annulusOuterPx + 1 > Math.min(source.width, source.height))
    errors.push(
      `The background annulus (outer radius ${r.annulusOuterPx} px) does not fit in a ${source.width}×${source.height} image.`,
    );
  const s = p.steps;
  positive(s.penaltyFactor, 'The step penalty factor');
  if (!Number.isInteger(s.minSegment) || s.minSegment < 1)
    errors.push(`The shortest step segment must be ≥ 1 frame (got ${s.minSegment}).`);
  if (!Number.isInteger(s.minFirstSegment) || s.minFirstSegment < 1)
    errors.push(`The shortest first level must be ≥ 1 frame (got ${s.minFirstSegment}).`);
  if (typeof s.noise === 'object') {
    positive(s.noise.sigma0, 'The noise σ0');
    if (!(s.noise.gain >= 0)) errors.push(`The noise gain must be ≥ 0 (got ${s.noise.gain}).`);
  }
  positive(p.counting.disagreementZ, 'The disagreement z');
  if (p.registration) {
    const t = p.registration.toReference;
    if (t.length > source.channels)
      errors.push(`The registration has ${t.length} channels but the stack has ${source.channels}.`);
    t.forEach((a, c) => {
      const problem = a ? affine6Problem(a) : null;
      if (problem) errors.push(`The registration of channel ${c + 1} is unusable: ${problem}.`);
    });
  }
  return errors;
}
