// The metadata fields the user can correct: the reason a value is refused comes from the metadata
// schema, so the panel, session files and links refuse the same values with the same limits.
import { MetaOverridesSchema } from '../../core/stack/metaOverrides';
import { checkNumberText, type FieldCheck, type NumberSchema } from '../forms/fieldCheck';

type Key = 'pixelSizeNm' | 'frameIntervalMs' | 'offsetAdu' | 'electronsPerAdu' | 'emGain';

export interface FieldSpec {
  key: Key;
  label: string;
  hint: string;
  /** Optional: empty text means "use the file's value". */
  schema: NumberSchema<number | undefined>;
}

const field = (key: Key, label: string, hint: string): FieldSpec => ({
  key,
  label,
  hint,
  schema: MetaOverridesSchema.entries[key],
});

export const META_FIELDS: FieldSpec[] = [
  field('pixelSizeNm', 'Pixel size (nm)', 'Camera pixel size in the sample plane (after magnification)'),
  field('frameIntervalMs', 'Frame interval (ms)', 'Time from one frame to the next'),
  field('offsetAdu', 'Camera offset (ADU)', 'Baseline counts the camera adds to every pixel'),
  field('electronsPerAdu', 'Conversion (e⁻/ADU)', 'Photoelectrons per count, before EM gain'),
  field('emGain', 'EM gain (×)', 'Electron-multiplying gain; 1 for sCMOS and CCD cameras'),
];

/** Empty text means "use the file's value" (undefined). */
export function parseField(spec: FieldSpec, text: string): FieldCheck<number | undefined> {
  return checkNumberText(spec.schema, text);
}
