// Gaussian rendering: each localization becomes a pixel-integrated 2-D Gaussian whose integral
// over the plane is exactly its weight, so summed intensity counts localizations (and movie
// windows normalised by weight stay comparable). The Gaussian is separable: per localization we
// integrate along x and y once (erf differences) and write the outer product.
import type { LocTable } from '../locs/table';
import { renderHistogram } from './histogram';
import { EMPTY_F32, type RenderView, type RowSelection, renderTarget, selectionArrays } from './view';

export interface GaussianOptions extends RowSelection {
  /** Fixed σ in nm for every localization; when absent σ = precision × precisionFactor. */
  sigmaNm?: number;
  /** Multiplies the `precision` column (default 1). */
  precisionFactor?: number;
  /** Lower bound on σ (nm); also used where precision is missing or not finite. Default 0. */
  minSigmaNm?: number;
  /** Half-width of the kernel in σ (default 3): the cut 0.27% per axis is redistributed by renormalisation. */
  truncate?: number;
}

/** Below this σ (render px) a Gaussian is indistinguishable from one pixel: histogram it. */
export const HISTOGRAM_SIGMA_PX = 0.3;

// erf/2 tabulated on [−ERF_MAX, ERF_MAX] with linear interpolation (error < 3e-7): a table beats
// an exp() per pixel edge by ~4× and the kernel is renormalised anyway.
const ERF_MAX = 6;
const ERF_STEPS = 8192;
const ERF_SCALE = ERF_STEPS / (2 * ERF_MAX);
const halfErfTable = buildHalfErfTable();

function buildHalfErfTable(): Float64Array {
  const t = new Float64Array(ERF_STEPS + 2);
  for (let i = 0; i <= ERF_STEPS + 1; i++) t[i] = 0.5 * erfAccurate(i / ERF_SCALE - ERF_MAX);
  return t;
}

// Abramowitz–Stegun 7.1.26 is too coarse for a table; use the series/continued-fraction pair.
function erfAccurate(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 2.5) {
    // Maclaurin series: converges fast for |x| < 2.5 in double precision.
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 1; n < 200; n++) {
      term *= -z2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc by Lentz's continued fraction.
    let f = z;
    let c = z;
    let d = 0;
    for (let n = 1; n < 300; n++) {
      const an = n / 2;
      d = z + an * d;
      d = 1 / d;
      c = z + an / c;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = 1 - Math.exp(-z * z) / (f * Math.sqrt(Math.PI));
  }
  return x < 0 ? -r : r;
}

function halfErf(t: number): number {
  const u = (t + ERF_MAX) * ERF_SCALE;
  if (u <= 0) return -0.5;
  if (u >= ERF_STEPS) return 0.5;
  const i = u | 0;
  const f = u - i;
  return halfErfTable[i] + f * (halfErfTable[i + 1] - halfErfTable[i]);
}

/**
 * Adds normalised Gaussians for the selected rows into `out` (allocated when absent). A fully
 * visible localization adds exactly its weight; one cut by the view border adds the visible
 * fraction of its (truncated, renormalised) kernel.
 */
export function renderGaussian(
  table: LocTable,
  view: RenderView,
  opts: GaussianOptions = {},
  out?: Float32Array,
): Float32Array {
  const { width, height, x0, y0, pixelNm } = view;
  const { img, x, y } = renderTarget(table, view, out);
  const fixed = opts.sigmaNm;
  const precision = table.columns.precision;
  if (fixed === undefined && !precision)
    throw new Error('Gaussian rendering needs a fixed σ or a precision column');
  if (fixed !== undefined && !(fixed >= 0)) throw new Error(`σ must be ≥ 0 nm, got ${fixed}`);
  const factor = opts.precisionFactor ?? 1;
  const minSigma = opts.minSigmaNm ?? 0;
  const truncate = opts.truncate ?? 3;
  if (!(truncate > 0)) throw new Error('truncate must be > 0');

  // Everything too narrow to matter goes through the histogram in one pass.
  if (fixed !== undefined && Math.max(fixed, minSigma) / pixelNm < HISTOGRAM_SIGMA_PX)
    return renderHistogram(table, view, opts, img);

  const { count, hasRows, rowList, hasMask, keep, hasWeights, wts } = selectionArrays(opts, table.length);
  const perRow = fixed === undefined;
  const sigmaFixed = fixed ?? 0;
  const prec = precision ?? EMPTY_F32;
  // Kernel weights live in locals sized once for the widest kernel.
  let widest = perRow ? minSigma : Math.max(sigmaFixed, minSigma);
  if (perRow)
    for (let k = 0; k < count; k++) {
      const s = prec[hasRows ? rowList[k] : k] * factor;
      if (s > widest) widest = s;
    }
  const span = Math.min(Math.max(width, height), Math.ceil((2 * truncate * widest) / pixelNm) + 3);
  const wx = new Float64Array(span);
  const wy = new Float64Array(span);
  for (let k = 0; k < count; k++) {
    const i = hasRows ? rowList[k] : k;
    if (hasMask && !keep[i]) continue;
    let s = perRow ? prec[i] * factor : sigmaFixed;
    if (!(s >= minSigma)) s = minSigma; // also catches NaN
    const w = hasWeights ? wts[i] : 1;
    const u = (x[i] - x0) / pixelNm;
    const v = (y[i] - y0) / pixelNm;
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    const sp = s / pixelNm;
    if (sp < HISTOGRAM_SIGMA_PX) {
      if (u >= 0 && u < width && v >= 0 && v < height) img[Math.floor(v) * width + Math.floor(u)] += w;
      continue;
    }
    const reach = truncate * sp;
    // Kernel support in (unbounded) pixel indices, then its visible part.
    const ax = Math.floor(u - reach);
    const bx = Math.floor(u + reach);
    const ay = Math.floor(v - reach);
    const by = Math.floor(v + reach);
    const kx0 = Math.max(ax, 0);
    const kx1 = Math.min(bx, width - 1);
    const ky0 = Math.max(ay, 0);
    const ky1 = Math.min(by, height - 1);
    if (kx0 > kx1 || ky0 > ky1) continue;
    const inv = 1 / (Math.SQRT2 * sp);
    // The integral over the whole support telescopes to two table lookups.
    const normX = w / (halfErf((bx + 1 - u) * inv) - halfErf((ax - u) * inv));
    const normY = 1 / (halfErf((by + 1 - v) * inv) - halfErf((ay - v) * inv));
    const nx = kx1 - kx0 + 1;
    const ny = ky1 - ky0 + 1;
    fillEdgeWeights(wx, nx, kx0 - u, inv, normX);
    fillEdgeWeights(wy, ny, ky0 - v, inv, normY);
    deposit(img, width, kx0, ky0, wx, nx, wy, ny);
  }
  return img;
}

// The two helpers below are kept out of renderGaussian on purpose: inlined into its big loop,
// Chromium's Maglev tier fell into a deoptimisation loop ("not a Number", thousands of times per
// call, 15× slower); as small functions they optimise normally in every engine.

/** w[p] = ∫ over pixel p of the unit Gaussian (in units scaled by `inv`), times norm. */
function fillEdgeWeights(w: Float64Array, n: number, firstEdge: number, inv: number, norm: number): void {
  let prev = halfErf(firstEdge * inv);
  for (let p = 0; p < n; p++) {
    const next = halfErf((firstEdge + p + 1) * inv);
    w[p] = (next - prev) * norm;
    prev = next;
  }
}

function deposit(
  img: Float32Array,
  width: number,
  kx0: number,
  ky0: number,
  wx: Float64Array,
  nx: number,
  wy: Float64Array,
  ny: number,
): void {
  for (let q = 0; q < ny; q++) {
    const row = (ky0 + q) * width + kx0;
    const f = wy[q];
    for (let p = 0; p < nx; p++) img[row + p] += f * wx[p];
  }
}
