// Validation of metadata the user types in: the reason is shown next to the field. The limits are
// the metadata schema's, so the panel, session files and links refuse the same values.
import { type Bounds, boundsOf } from '../../core/schema';
import { MetaOverridesSchema } from '../../core/stack/metaOverrides';

export interface FieldSpec extends Bounds {
  key: 'pixelSizeNm' | 'frameIntervalMs' | 'offsetAdu' | 'electronsPerAdu' | 'emGain';
  label: string;
  hint: string;
}

const field = (key: FieldSpec['key'], label: string, hint: string): FieldSpec => ({
  key,
  label,
  hint,
  ...boundsOf(MetaOverridesSchema.entries[key]),
});

export const META_FIELDS: FieldSpec[] = [
  field('pixelSizeNm', 'Pixel size (nm)', 'Camera pixel size in the sample plane (after magnification)'),
  field('frameIntervalMs', 'Frame interval (ms)', 'Time from one frame to the next'),
  field('offsetAdu', 'Camera offset (ADU)', 'Baseline counts the camera adds to every pixel'),
  field('electronsPerAdu', 'Conversion (e⁻/ADU)', 'Photoelectrons per count, before EM gain'),
  field('emGain', 'EM gain (×)', 'Electron-multiplying gain; 1 for sCMOS and CCD cameras'),
];

export type Parsed = { ok: true; value: number | undefined } | { ok: false; reason: string };

/** Empty text means "use the file's value". */
export function parseField(spec: FieldSpec, text: string): Parsed {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const v = Number(t);
  if (!Number.isFinite(v))
    return { ok: false, reason: 'Enter a number, or leave empty to use the file’s value.' };
  if (spec.minInclusive ? v < spec.min : v <= spec.min) {
    return { ok: false, reason: `Must be ${spec.minInclusive ? 'at least' : 'greater than'} ${spec.min}.` };
  }
  if (v > spec.max) return { ok: false, reason: `Must be at most ${spec.max.toLocaleString('en')}.` };
  return { ok: true, value: v };
}
