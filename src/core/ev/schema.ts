// The EV-marker step's parameters as the user sets them (sessions, links, undo, scripting): the
// schema checks each value on its own; the kernel's validateEvMarkerParams checks them against
// the stack (channels that exist, frames inside it). The Markers panel's fields are checked by
// these schemas.
import { above, intIn, numIn, text, v } from '../schema';

const nonNeg = numIn(0, 1e9);
const name = text(64);

export const ChannelRoleSchema = v.picklist(['marker', 'probe', 'skip']);
export type ChannelRole = v.InferOutput<typeof ChannelRoleSchema>;

export const MarkerChannelSchema = v.object({
  /** 0-based channel of the stack. */
  channel: intIn(0, 64),
  name,
  role: ChannelRoleSchema,
  /** Molecules needed to call the marker present. */
  threshold: nonNeg,
  /** Single-dye intensity (ADU over the ROI); absent = learnt from the final bleaching steps. */
  unitIntensity: v.optional(above(0, 1e9)),
});
export type MarkerChannelConfig = v.InferOutput<typeof MarkerChannelSchema>;

export const LocsCountSchema = v.object({
  use: v.boolean(),
  /** Stack channel the localizations were made from. */
  channel: intIn(0, 64),
  /** Localizations within this distance (nm) of an EV centre belong to it. */
  radiusNm: above(0, 1e9),
  /** Detections of one blink lie within this distance (nm). */
  mergeRadiusNm: nonNeg,
  /** Dark frames tolerated inside one blink. */
  maxDarkFrames: intIn(0),
  /** The dye's mean bursts per molecule, from a calibration (≥ 1). */
  burstsPerMolecule: numIn(1, 1e6),
});
export type LocsCountConfig = v.InferOutput<typeof LocsCountSchema>;

/** Frames a bleaching trace needs at least (the step finder's input). */
export const MIN_TRACE_FRAMES = 10;

export const MarkersParamsSchema = v.object({
  channels: v.pipe(v.array(MarkerChannelSchema), v.maxLength(16)),
  /** 'union': EVs seen in any marker channel; a number: only that channel. */
  reference: v.union([v.literal('union'), intIn(0, 64)]),
  thresholdK: above(0, 1e9),
  projectionFrames: intIn(1),
  projection: v.picklist(['mean', 'max']),
  minSeparationPx: nonNeg,
  radiusPx: above(0, 1e9),
  annulusInnerPx: nonNeg,
  annulusOuterPx: numIn(1, 1e9),
  penaltyFactor: above(0, 1e9),
  minSegment: intIn(1),
  /** 0-based first frame and number of frames. */
  frameStart: intIn(0),
  frameCount: intIn(0),
  /** Which count types the EVs; 'locs' counts the active localizations (PALM/dSTORM). */
  method: v.picklist(['steps', 'ratio', 'locs']),
  disagreementZ: above(0, 1e9),
  /** Counting from localizations (issue 8 (c)): the run's localizations of this stack. */
  locs: LocsCountSchema,
  /** Default subtype name → the user's name. */
  rename: v.pipe(v.record(name, name), v.maxEntries(64)),
  test: v.picklist(['welch', 'mann-whitney']),
});
export type MarkersParams = v.InferOutput<typeof MarkersParamsSchema>;
