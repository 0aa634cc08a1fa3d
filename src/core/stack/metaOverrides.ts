// The user's corrections of a stack's metadata (Data → Metadata): what sessions and links carry.
import { above, numIn, v } from '../schema';

// The ranges are the Metadata panel's (its fields read them from here).
export const MetaOverridesSchema = v.object({
  /** Camera pixel size in the sample plane, nm. */
  pixelSizeNm: v.optional(above(0, 10_000)),
  frameIntervalMs: v.optional(above(0, 3_600_000)),
  offsetAdu: v.optional(numIn(0, 1e6)),
  /** Photoelectrons per count, before EM gain. */
  electronsPerAdu: v.optional(above(0, 1000)),
  /** 1 for sCMOS and CCD cameras. */
  emGain: v.optional(numIn(1, 10_000)),
  /** The camera type, when the file does not say or says wrongly (decides e.g. sCMOS maps). */
  cameraKind: v.optional(v.picklist(['ccd', 'emccd', 'scmos'])),
});
export type MetaOverrides = v.InferOutput<typeof MetaOverridesSchema>;
