// Integer movie frames with one recorded scale for the whole movie: stored = round(scale · value),
// so value = stored / scale for every frame alike. Frames rescaled one by one would look fine
// and be incomparable; here a pixel's brightness means the same density in frame 1 and frame 668.

export type MovieDtype = 'float32' | 'uint16' | 'uint8';

export const MOVIE_DTYPE_MAX: Record<Exclude<MovieDtype, 'float32'>, number> = { uint16: 65535, uint8: 255 };

/** Movie density unit, as the TIFF's value unit: localizations per pixel per raw frame. */
export const MOVIE_VALUE_UNIT = 'locs/px/frame';

/** The largest 1, 2 or 5 × 10^k not above `x`: a scale a person can read and type again. */
export function niceFloor(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`no scale for ${x}`);
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  // Guard log10 rounding (x = 1000 may give p = 100, m = 10).
  const step = m >= 10 ? 10 : m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return step * p;
}

/**
 * Scale chosen from the brightest pixel of sampled frames: that pixel lands at half the integer
 * range, leaving 2× headroom for frames not sampled; rounded down to 1, 2 or 5 × 10^k.
 */
export function autoMovieScale(sampledMax: number, dtype: Exclude<MovieDtype, 'float32'>): number {
  if (!(sampledMax > 0)) return 1;
  return niceFloor(MOVIE_DTYPE_MAX[dtype] / 2 / sampledMax);
}

/** Frame indices spread evenly over [0, count), first and last included. */
export function sampleFrameIndices(count: number, samples: number): number[] {
  if (count <= samples) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: samples }, (_, i) => Math.round((i * (count - 1)) / (samples - 1)));
}

/** Writes round(scale · src) clamped to [0, max] into `dst`; returns how many pixels clipped. */
export function quantiseFrame(
  src: Float32Array,
  dst: Uint16Array | Uint8Array,
  scale: number,
  max: number,
): number {
  let clipped = 0;
  for (let i = 0; i < src.length; i++) {
    const q = Math.round(src[i] * scale);
    if (q > max) {
      dst[i] = max;
      clipped++;
    } else if (q > 0) dst[i] = q;
    else dst[i] = 0; // negative zero and NaN alike
  }
  return clipped;
}

/**
 * ImageJ description lines that record the scale: a linear value calibration (cf=0: value =
 * c0 + c1 · stored) that Fiji applies and shows in `vunit`, and evscope's own exact key.
 */
export function scaleDescriptionLines(scale: number): string[] {
  return ['cf=0', 'c0=0', `c1=${1 / scale}`, `vunit=${MOVIE_VALUE_UNIT}`, `evscope.scale=${scale}`];
}
