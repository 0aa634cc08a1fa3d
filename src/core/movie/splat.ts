// Gaussian splat of one localization onto a render grid: the Gaussian is integrated over each
// pixel (erf differences, separable in x and y), truncated at ±4σ and renormalised so that a
// localization wholly inside the grid adds exactly 1; pixels outside the grid lose their share.
//
// Weights go into a Float64 accumulator as integers in units of 2⁻³² of a localization. Integer
// sums below 2⁵³ are exact in any order, so a window sum slid by adding and subtracting splats
// equals a fresh render bit for bit, never drifts, and empty pixels return to exactly 0. The
// quantisation (≤ 2⁻³³ per pixel) is far below Float32 output precision; 2⁵³/2³² allows two
// million full localizations on one pixel.

import { erf } from '../psf/erf';
import { checkRenderGrid, type RenderGrid } from './grid';

export const SPLAT_TRUNCATION_SIGMAS = 4;
export const FIXED_POINT_ONE = 2 ** 32;

export class GaussianSplatter {
  readonly grid: RenderGrid;
  private wx = new Float64Array(64);
  private wy = new Float64Array(64);
  private firstX = 0;
  private firstY = 0;
  /** Pixels the last splat wrote: columns [x, x + w), rows [y, y + h) (w = h = 0: none). */
  readonly lastRect = { x: 0, y: 0, w: 0, h: 0 };

  constructor(grid: RenderGrid) {
    checkRenderGrid(grid);
    this.grid = grid;
  }

  /** Whether any of the splat's ±4σ support lies on the grid (x, y, σ in nm). */
  touchesGrid(xNm: number, yNm: number, sigmaNm: number): boolean {
    const g = this.grid;
    const r = SPLAT_TRUNCATION_SIGMAS * Math.max(sigmaNm, 0);
    const u = (xNm - g.x0Nm) / g.pixelNm;
    const v = (yNm - g.y0Nm) / g.pixelNm;
    const rp = r / g.pixelNm;
    return u + rp >= 0 && u - rp < g.width && v + rp >= 0 && v - rp < g.height;
  }

  /**
   * Adds sign × the splat (fixed point, see above) to `acc` (width·height). σ ≤ 0 puts the whole
   * localization on the pixel that contains it (a histogram render).
   */
  splat(acc: Float64Array, xNm: number, yNm: number, sigmaNm: number, sign: 1 | -1): void {
    const g = this.grid;
    const u = (xNm - g.x0Nm) / g.pixelNm;
    const v = (yNm - g.y0Nm) / g.pixelNm;
    const s = sigmaNm / g.pixelNm;
    const rect = this.lastRect;
    rect.w = 0;
    rect.h = 0;
    const nx = this.axisWeights(u, s, g.width, true);
    if (nx === 0) return;
    const ny = this.axisWeights(v, s, g.height, false);
    if (ny === 0) return;
    rect.x = this.firstX;
    rect.y = this.firstY;
    rect.w = nx;
    rect.h = ny;
    const wx = this.wx;
    const wy = this.wy;
    const width = g.width;
    const x0 = this.firstX;
    // Rounds the positive weight and then applies the sign (Math.round(−2.5) is −2, not −3), so
    // a subtraction removes exactly what the addition put in.
    for (let j = 0; j < ny; j++) {
      const qy = wy[j] * FIXED_POINT_ONE;
      let at = (this.firstY + j) * width + x0;
      if (sign > 0) for (let i = 0; i < nx; i++, at++) acc[at] += Math.round(wx[i] * qy);
      else for (let i = 0; i < nx; i++, at++) acc[at] -= Math.round(wx[i] * qy);
    }
  }

  // 1-D pixel weights of a unit Gaussian at u (pixel units) with σ = s px, clipped to [0, n).
  // Writes the first in-grid pixel to firstX/firstY and returns how many weights were written.
  private axisWeights(u: number, s: number, n: number, isX: boolean): number {
    if (!(s > 0)) {
      const i = Math.floor(u);
      if (!(i >= 0 && i < n)) return 0;
      const w = isX ? this.wx : this.wy;
      w[0] = 1;
      if (isX) this.firstX = i;
      else this.firstY = i;
      return 1;
    }
    const lo = u - SPLAT_TRUNCATION_SIGMAS * s;
    const hi = u + SPLAT_TRUNCATION_SIGMAS * s;
    const i0 = Math.floor(lo);
    const i1 = Math.ceil(hi) - 1;
    const first = Math.max(i0, 0);
    const last = Math.min(i1, n - 1);
    if (last < first) return 0;
    const count = last - first + 1;
    if (isX && this.wx.length < count) this.wx = new Float64Array(2 * count);
    if (!isX && this.wy.length < count) this.wy = new Float64Array(2 * count);
    const w = isX ? this.wx : this.wy;
    const k = 1 / (s * Math.SQRT2);
    const eLo = erf((lo - u) * k);
    // The normaliser is the telescoped sum of the very differences used below, so a splat that
    // fits the grid sums to 1 up to rounding, whatever erf's own small error.
    const norm = 1 / (erf((hi - u) * k) - eLo);
    let prev = first === i0 ? eLo : erf((first - u) * k);
    for (let i = first; i <= last; i++) {
      const e = i === i1 ? erf((hi - u) * k) : erf((i + 1 - u) * k);
      w[i - first] = (e - prev) * norm;
      prev = e;
    }
    if (isX) this.firstX = first;
    else this.firstY = first;
    return count;
  }
}

/** Converts a fixed-point accumulator to Float32 values, each multiplied by `scale`. */
export function fixedPointToFloat(acc: Float64Array, scale: number, out: Float32Array): Float32Array {
  const k = scale / FIXED_POINT_ONE;
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] * k;
  return out;
}
