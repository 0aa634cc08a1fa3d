// Validation of metadata the user types in: the reason is shown next to the field.

export interface FieldSpec {
  key: 'pixelSizeNm' | 'frameIntervalMs' | 'offsetAdu' | 'electronsPerAdu' | 'emGain';
  label: string;
  hint: string;
  min: number;
  /** Whether `min` itself is allowed. */
  minInclusive: boolean;
  max: number;
}

export const META_FIELDS: FieldSpec[] = [
  {
    key: 'pixelSizeNm',
    label: 'Pixel size (nm)',
    hint: 'Camera pixel size in the sample plane (after magnification)',
    min: 0,
    minInclusive: false,
    max: 10_000,
  },
  {
    key: 'frameIntervalMs',
    label: 'Frame interval (ms)',
    hint: 'Time from one frame to the next',
    min: 0,
    minInclusive: false,
    max: 3_600_000,
  },
  {
    key: 'offsetAdu',
    label: 'Camera offset (ADU)',
    hint: 'Baseline counts the camera adds to every pixel',
    min: 0,
    minInclusive: true,
    max: 1e6,
  },
  {
    key: 'electronsPerAdu',
    label: 'Conversion (e⁻/ADU)',
    hint: 'Photoelectrons per count, before EM gain',
    min: 0,
    minInclusive: false,
    max: 1000,
  },
  {
    key: 'emGain',
    label: 'EM gain (×)',
    hint: 'Electron-multiplying gain; 1 for sCMOS and CCD cameras',
    min: 1,
    minInclusive: true,
    max: 10_000,
  },
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
