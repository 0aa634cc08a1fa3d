// Gaussian smoothing of an image before thresholding, separable, with a sampled kernel cut at
// ±3σ. Near the border the kernel is renormalised over the pixels that exist, so a flat image
// stays flat and structures touching the edge are not dimmed.

export function gaussianSmooth(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sigmaPx: number,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  if (!(sigmaPx > 0)) {
    for (let i = 0; i < width * height; i++) out[i] = src[i];
    return out;
  }
  const r = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float64Array(2 * r + 1);
  for (let k = -r; k <= r; k++) kernel[k + r] = Math.exp((-0.5 * k * k) / (sigmaPx * sigmaPx));
  const tmp = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(-r, -x);
      const hi = Math.min(r, width - 1 - x);
      let s = 0;
      let w = 0;
      for (let k = lo; k <= hi; k++) {
        s += kernel[k + r] * src[row + x + k];
        w += kernel[k + r];
      }
      tmp[row + x] = s / w;
    }
  }
  for (let y = 0; y < height; y++) {
    const lo = Math.max(-r, -y);
    const hi = Math.min(r, height - 1 - y);
    let w = 0;
    for (let k = lo; k <= hi; k++) w += kernel[k + r];
    const inv = 1 / w;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = lo; k <= hi; k++) s += kernel[k + r] * tmp[(y + k) * width + x];
      out[y * width + x] = s * inv;
    }
  }
  return out;
}

/** Structure mask: 1 where value ≥ threshold (evscope's convention, see otsu.ts). */
export function binarize(
  values: ArrayLike<number>,
  threshold: number,
  out: Uint8Array = new Uint8Array(values.length),
): Uint8Array {
  for (let i = 0; i < values.length; i++) out[i] = values[i] >= threshold ? 1 : 0;
  return out;
}
