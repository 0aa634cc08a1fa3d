// Separable 1-D passes over row-major float images into caller-owned buffers. Taps are given
// sparsely (offset, weight) so à trous kernels skip their holes. Outside the source is zero:
// callers that want other borders pad first (ThunderSTORM pads by duplicating edges, then
// convolves with zero padding — see WaveletFilter).

export interface SparseKernel {
  offsets: Int32Array;
  weights: Float64Array;
  /** Largest |offset|. */
  radius: number;
  /**
   * Set for symmetric kernels of five non-zero taps `step` apart (every B-spline level of
   * ThunderSTORM's default): [w2, w1, w0, w1, w2]. The filter dominates a frame's cost, and the
   * unrolled form runs several times faster than the generic tap loop.
   */
  symmetric5?: { w0: number; w1: number; w2: number; step: number };
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
  const k: SparseKernel = {
    offsets: Int32Array.from(offsets),
    weights: Float64Array.from(weights),
    radius: c,
  };
  const step = offsets.length === 5 ? offsets[3] : 0;
  if (
    step > 0 &&
    offsets[0] === -2 * step &&
    offsets[1] === -step &&
    offsets[2] === 0 &&
    offsets[4] === 2 * step &&
    weights[0] === weights[4] &&
    weights[1] === weights[3]
  ) {
    k.symmetric5 = { w0: weights[2], w1: weights[1], w2: weights[0], step };
  }
  return k;
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
  const sym = k.symmetric5;
  for (let y = 0; y < rows; y++) {
    const row = y * sw;
    const out = y * dw;
    // Interior run [lo, hi) where every tap is inside the source.
    const lo = Math.min(dw, Math.max(0, r - x0));
    const hi = Math.max(lo, Math.min(dw, sw - r - x0));
    if (sym) {
      const { w0, w1, w2, step } = sym;
      const s2 = 2 * step;
      for (let x = lo; x < hi; x++) {
        const c = row + x + x0;
        dst[out + x] = w0 * src[c] + w1 * (src[c - step] + src[c + step]) + w2 * (src[c - s2] + src[c + s2]);
      }
    } else {
      for (let x = lo; x < hi; x++) {
        const c = row + x + x0;
        let s = 0;
        for (let t = 0; t < nt; t++) s += weights[t] * src[c + offsets[t]];
        dst[out + x] = s;
      }
    }
    rowEdge(src, sw, row, x0, dst, out, 0, lo, k);
    rowEdge(src, sw, row, x0, dst, out, hi, dw, k);
  }
}

/** Output pixels [from, to) of one row where some taps fall outside the source (zero there). */
function rowEdge(
  src: Float32Array,
  sw: number,
  row: number,
  x0: number,
  dst: Float32Array,
  out: number,
  from: number,
  to: number,
  k: SparseKernel,
): void {
  const { offsets, weights } = k;
  for (let x = from; x < to; x++) {
    const sx = x + x0;
    let s = 0;
    for (let t = 0; t < offsets.length; t++) {
      const xx = sx + offsets[t];
      if (xx >= 0 && xx < sw) s += weights[t] * src[row + xx];
    }
    dst[out + x] = s;
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
  const sym = k.symmetric5;
  for (let y = 0; y < dh; y++) {
    const out = y * w;
    const c = y + y0;
    if (sym && c - 2 * sym.step >= 0 && c + 2 * sym.step < sh) {
      const { w0, w1, w2, step } = sym;
      const r0 = c * w;
      const rm1 = r0 - step * w;
      const rp1 = r0 + step * w;
      const rm2 = r0 - 2 * step * w;
      const rp2 = r0 + 2 * step * w;
      for (let x = 0; x < w; x++) {
        dst[out + x] =
          w0 * src[r0 + x] + w1 * (src[rm1 + x] + src[rp1 + x]) + w2 * (src[rm2 + x] + src[rp2 + x]);
      }
      continue;
    }
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
