// The physical quantities an analysis needs but a file may not say, with the one default each
// falls back to. Every fallback is an assumption the user must see: a wrong pixel size scales
// every distance, a wrong frame interval every rate, and an offset left at 0 on a camera that
// adds 100 ADU turns background into thousands of false detections.

export const PHYSICAL_DEFAULTS = {
  pixelSizeNm: 100,
  frameIntervalMs: 5,
  offsetAdu: 0,
  electronsPerAdu: 1,
  emGain: 1,
} as const;

export type PhysicalKey = keyof typeof PHYSICAL_DEFAULTS;

const DESCRIBE: Record<PhysicalKey, { name: string; unit: string }> = {
  pixelSizeNm: { name: 'pixel size', unit: 'nm' },
  frameIntervalMs: { name: 'frame interval', unit: 'ms' },
  offsetAdu: { name: 'camera offset', unit: 'ADU' },
  electronsPerAdu: { name: 'camera gain', unit: 'e⁻/ADU' },
  emGain: { name: 'EM gain', unit: '' },
};

/** A default used because neither the user nor the file gave the value. */
export interface Assumption {
  key: PhysicalKey;
  value: number;
  /** How to give it instead, e.g. "pass --pixel-nm" or "set it in Data". */
  remedy: string;
}

/**
 * The user's value, else the file's, else the default — recorded in `assumed` (with how to give
 * it) when it comes to that.
 */
export function resolvePhysical(
  key: PhysicalKey,
  given: number | undefined,
  fromFile: number | undefined,
  assumed: Assumption[],
  remedy: string,
): number {
  if (given !== undefined) return given;
  if (fromFile !== undefined) return fromFile;
  const value = PHYSICAL_DEFAULTS[key];
  if (!assumed.some((a) => a.key === key)) assumed.push({ key, value, remedy });
  return value;
}

/** "pixel size 100 nm" */
export function describePhysical(key: PhysicalKey, value: number): string {
  const d = DESCRIBE[key];
  return `${d.name} ${value}${d.unit ? ` ${d.unit}` : ''}`;
}

/** "assumed: pixel size 100 nm (not in file; pass --pixel-nm)" */
export function assumedLine(a: Assumption): string {
  return `assumed: ${describePhysical(a.key, a.value)} (not in file; ${a.remedy})`;
}

/**
 * A darkest-pixel level far above an assumed offset means the camera adds an offset nobody
 * subtracted: background then counts as signal. The 0.1st percentile ignores a few dead pixels;
 * "far" is 50 ADU, less than any camera offset in use (typically 100–500 ADU). Only an assumed
 * offset is checked: a high-background EMCCD legitimately reads >100 ADU above a true offset in
 * its darkest pixels, and an offset the user gave or the file stated is theirs to know.
 */
export const OFFSET_WARNING_MARGIN_ADU = 50;

export function offsetWarning(pixels: ArrayLike<number>, assumedOffsetAdu: number): string | null {
  const dark = lowPercentile(pixels, 0.001);
  if (!(dark > assumedOffsetAdu + OFFSET_WARNING_MARGIN_ADU)) return null;
  return `the darkest pixels read ${Math.round(dark)} ADU, far above the assumed camera offset of ${assumedOffsetAdu} ADU: the camera likely adds an offset (at most ~${Math.round(dark)} ADU) that is not subtracted, so background counts as signal (false detections, inflated photon counts)`;
}

/** The q-quantile (0–1) of the values, from a strided sample of at most ~65,000 of them. */
export function lowPercentile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const stride = Math.max(1, Math.floor(n / 65_536));
  const sample = new Float64Array(Math.ceil(n / stride));
  for (let i = 0, k = 0; i < n; i += stride, k++) sample[k] = values[i];
  sample.sort();
  return sample[Math.min(sample.length - 1, Math.floor(q * sample.length))];
}
