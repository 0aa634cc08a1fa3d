// Two-colour registration of one channel as sessions and scripts carry it: the affine (checked
// as affine6Problem checks a typed one), where it came from, and the fit's quality and beads.
import { above, intIn, numIn, text, v } from '../schema';
import { affine6Problem } from './affine6';

const n = numIn();

export const Affine6Schema = v.pipe(
  v.tuple([n, n, n, n, n, n]),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? affine6Problem(dataset.value) : null;
    if (problem) addIssue({ message: problem });
  }),
);

const frames = v.object({ start: intIn(0), count: intIn(1) });
const mode = v.picklist(['frames', 'mean']);

export const RegistrationSourceSchema = v.variant('kind', [
  v.object({ kind: v.literal('identity') }),
  v.object({ kind: v.literal('typed') }),
  v.object({ kind: v.literal('frames'), stackName: text(512), frames, mode }),
  v.object({ kind: v.literal('beads'), stackName: text(512), beadStackId: v.number(), frames, mode }),
]);

export const RegistrationStatsSchema = v.object({
  /** Residual RMS per axis and total over the beads used, nm. */
  rmsX: n,
  rmsY: n,
  rms: n,
  /** The same for each bead predicted by a fit without it, nm: the error to expect elsewhere. */
  looRmsX: n,
  looRmsY: n,
  looRms: n,
  /** Beads used and rejected as outliers. */
  pairs: intIn(0),
  outliers: intIn(0),
  pairedLocalizations: intIn(0),
  /** Localizations found in channel 0 and in channel c. */
  localizations: v.tuple([intIn(0), intIn(0)]),
});

const list = v.pipe(v.array(numIn()), v.maxLength(1_000_000));

export const RegistrationBeadsSchema = v.object({
  refX: list,
  refY: list,
  /** In channel c's own camera coordinates. */
  movX: list,
  movY: list,
  /** reference − toReference(moving), nm. */
  residualX: list,
  residualY: list,
  outlierRefX: list,
  outlierRefY: list,
  outlierMovX: list,
  outlierMovY: list,
  /** 0-based frames each bead was seen in: firstFrame … firstFrame + frames − 1. */
  firstFrame: list,
  frames: list,
});

export const ChannelRegistrationSchema = v.object({
  channel: intIn(1, 64),
  /** Channel-c camera nm → channel-0 camera nm: x' = a·x + b·y + c, y' = d·x + e·y + f. */
  toReference: Affine6Schema,
  source: RegistrationSourceSchema,
  stats: v.nullable(RegistrationStatsSchema),
  beads: v.nullable(RegistrationBeadsSchema),
  /** ISO time it was set. */
  at: text(64),
});

/** A frame number as the panel and scripts give it: 1-based. */
export const RegistrationFrameSchema = intIn(1, 2 ** 31);
const frame1 = RegistrationFrameSchema;

/**
 * Fitting a registration from beads, as the Registration panel's fields and
 * `evscope.fitRegistration` give it: frames 1-based and inclusive, the detection threshold as the
 * localizer's (× noise σ of the wavelet level). Whether the frames lie in the bead stack is
 * checked against it (src/state/registrationActions.ts).
 */
export const RegistrationFitSchema = v.strictObject({
  /** A separate bead stack (its id in the Data step); default the stack's own frames. */
  beadStackId: v.optional(intIn(0)),
  frames: v.optional(v.tuple([frame1, frame1])),
  mode: v.optional(v.picklist(['frames', 'mean'])),
  thresholdFactor: v.optional(above(0, 1e6)),
});
export type RegistrationFitInput = v.InferOutput<typeof RegistrationFitSchema>;

/** Each field's unit, for the messages. */
export const REGISTRATION_FIT_UNITS: Record<string, string> = {
  frames: '(1-based frame)',
  thresholdFactor: '× noise σ',
};

/** A typed translation of one axis, nm (a shift of a millimetre is no registration). */
export const RegistrationShiftNmSchema = numIn(-1e6, 1e6);
