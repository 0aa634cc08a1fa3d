// Slow, obviously-correct versions of optimised kernels, kept to test the fast ones against
// (bit for bit where the fast one promises it).

/** gaussianSmooth as first written: a branch per pixel, no split borders (smooth.ts). */
export function referenceGaussianSmooth(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sigmaPx: number,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  const n = width * height;
  if (!(sigmaPx > 0)) {
    for (let i = 0; i < n; i++) out[i] = src[i];
    return out;
  }
  const r = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float64Array(2 * r + 1);
  for (let k = -r; k <= r; k++) kernel[k + r] = Math.exp((-0.5 * k * k) / (sigmaPx * sigmaPx));
  const tmp = new Float64Array(n);
  horizontalPass(src, width, height, kernel, r, tmp);
  verticalPass(tmp, width, height, kernel, r, out);
  return out;
}

function horizontalPass(
  src: ArrayLike<number>,
  width: number,
  height: number,
  kernel: Float64Array,
  r: number,
  tmp: Float64Array,
): void {
  let wFull = 0;
  for (let k = 0; k < kernel.length; k++) wFull += kernel[k];
  const invFull = 1 / wFull;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const lo = x < r ? -x : -r;
      const hi = x + r >= width ? width - 1 - x : r;
      let s = 0;
      if (lo === -r && hi === r) {
        for (let k = -r; k <= r; k++) s += kernel[k + r] * src[row + x + k];
        tmp[row + x] = s * invFull;
      } else {
        let w = 0;
        for (let k = lo; k <= hi; k++) {
          s += kernel[k + r] * src[row + x + k];
          w += kernel[k + r];
        }
        tmp[row + x] = s / w;
      }
    }
  }
}

/** Row-wise accumulation (k outer, x inner) keeps memory access sequential. */
function verticalPass(
  tmp: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  r: number,
  out: Float32Array,
): void {
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const lo = y < r ? -y : -r;
    const hi = y + r >= height ? height - 1 - y : r;
    let w = 0;
    for (let k = lo; k <= hi; k++) w += kernel[k + r];
    acc.fill(0);
    for (let k = lo; k <= hi; k++) {
      const c = kernel[k + r];
      const base = (y + k) * width;
      for (let x = 0; x < width; x++) acc[x] += c * tmp[base + x];
    }
    const inv = 1 / w;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = acc[x] * inv;
  }
}

/**
 * Exact signed distance (nm) at (x, y) nm by brute force over every pixel square: to the nearest
 * structure square outside, minus the distance to the nearest background square inside
 * (PointSignedDistance's definition); ±∞ when there is none, NaN off the grid.
 */
export function referencePointSignedDistance(
  mask: ArrayLike<number>,
  grid: { x0Nm: number; y0Nm: number; width: number; height: number; pixelNm: number },
  xNm: number,
  yNm: number,
): number {
  const { width, height } = grid;
  const u = (xNm - grid.x0Nm) / grid.pixelNm;
  const v = (yNm - grid.y0Nm) / grid.pixelNm;
  const i = Math.floor(u);
  const j = Math.floor(v);
  if (!(i >= 0 && j >= 0 && i < width && j < height)) return Number.NaN;
  const inside = mask[j * width + i] !== 0;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      if ((mask[r * width + c] !== 0) === inside) continue;
      const dx = c > u ? c - u : u > c + 1 ? u - c - 1 : 0;
      const dy = r > v ? r - v : v > r + 1 ? v - r - 1 : 0;
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
  const d = Math.sqrt(best) * grid.pixelNm;
  return inside ? -d : d;
}
