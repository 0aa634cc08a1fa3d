// The user's corrections of a stack's metadata (Data → Metadata): what sessions and links carry.
import { above, numIn, v } from '../schema';

export const MetaOverridesSchema = v.object({
  pixelSizeNm: v.optional(above(0, 1e9)),
  frameIntervalMs: v.optional(above(0, 1e9)),
  offsetAdu: v.optional(numIn(0, 1e9)),
  electronsPerAdu: v.optional(above(0, 1e9)),
  emGain: v.optional(above(0, 1e9)),
  /** The camera type, when the file does not say or says wrongly (decides e.g. sCMOS maps). */
  cameraKind: v.optional(v.picklist(['ccd', 'emccd', 'scmos'])),
});
export type MetaOverrides = v.InferOutput<typeof MetaOverridesSchema>;
