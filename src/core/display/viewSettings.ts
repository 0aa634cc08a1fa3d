// How the raw viewer shows a stack (a session's view state): channel layout, colour map and
// contrast window per channel, auto-contrast percentiles.
import { intIn, numIn, v } from '../schema';
import { COLORMAPS } from './colormaps';

export const ChannelDisplaySchema = v.object({
  colormap: v.picklist(COLORMAPS),
  min: numIn(),
  max: numIn(),
});
export type ChannelDisplay = v.InferOutput<typeof ChannelDisplaySchema>;

export const ChannelLayoutSchema = v.picklist(['single', 'side-by-side', 'overlay']);

export const ViewerSettingsSchema = v.object({
  fit: v.boolean(),
  layout: ChannelLayoutSchema,
  /** Channel shown when layout is 'single'. */
  channel: intIn(0, 64),
  channels: v.pipe(v.array(ChannelDisplaySchema), v.maxLength(64)),
  autoEveryFrame: v.boolean(),
  /** Percentiles for auto-contrast. */
  lowPct: numIn(0, 100),
  highPct: numIn(0, 100),
});
export type ViewerSettings = v.InferOutput<typeof ViewerSettingsSchema>;
