// Separable 1-D passes over row-major float images into caller-owned buffers. Taps are given
// sparsely (offset, weight) so à trous kernels skip their holes. Outside the source is zero:
// callers that want other borders pad first (ThunderSTORM pads by duplicating edges, then
// convolves with zero padding — see WaveletFilter).

export interface SparseKernel {
  offsets: Int32Array;
  weights: Float64Array;
  /** Largest |offset|. */
  radius: number;
}

export function sparseKernel(dense: Float64Array): SparseKernel {
  const c = dense.length >> 1;
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < dense.length; i++) {
    if (dense[i] !== 0) {
      offsets.push(i - c);
      weights.push(dense[i]);
    }
  }
  return { offsets: Int32Array.from(offsets), weights: Float64Array.from(weights), radius: c };
}

/**
 * Horizontal pass: dst[y·dw + x] = Σ_t w_t · src[y·sw + x + x0 + o_t] for x < dw, y < rows,
 * zero where x + x0 + o_t falls outside [0, sw).
 */
export function convolveRows(
  src: Float32Array,
  sw: number,
  rows: number,
  x0: number,
  dst: Float32Array,
  dw: number,
  k: SparseKernel,
): void {
  const { offsets, weights } = k;
  const nt = offsets.length;
  const r = k.radius;
  for (let y = 0; y < rows; y++) {
    const row = y * sw;
    const out = y * dw;
    for (let x = 0; x < dw; x++) {
      const sx = x + x0;
      let s = 0;
      if (sx >= r && sx < sw - r) {
        for (let t = 0; t < nt; t++) s += weights[t] * src[row + sx + offsets[t]];
      } else {
        for (let t = 0; t < nt; t++) {
          const xx = sx + offsets[t];
          if (xx >= 0 && xx < sw) s += weights[t] * src[row + xx];
        }
      }
      dst[out + x] = s;
    }
  }
}

/**
 * Vertical pass: dst[y·w + x] = Σ_t w_t · src[(y + y0 + o_t)·w + x] for y < dh, zero where
 * y + y0 + o_t falls outside [0, sh). Runs row by row so memory is read sequentially.
 */
export function convolveColumns(
  src: Float32Array,
  w: number,
  sh: number,
  y0: number,
  dst: Float32Array,
  dh: number,
  k: SparseKernel,
): void {
  const { offsets, weights } = k;
  const nt = offsets.length;
  for (let y = 0; y < dh; y++) {
    const out = y * w;
    dst.fill(0, out, out + w);
    for (let t = 0; t < nt; t++) {
      const sy = y + y0 + offsets[t];
      if (sy < 0 || sy >= sh) continue;
      const wt = weights[t];
      const row = sy * w;
      for (let x = 0; x < w; x++) dst[out + x] += wt * src[row + x];
    }
  }
}
