// The pixel-integrated Gaussian PSF (Smith et al. 2010): the expected fraction of an emitter's
// photons that land in pixel i, which spans [i, i+1) in pixel units (ThunderSTORM's convention:
// a position x lies inside pixel floor(x)). Separable, so 2-D models are products of these.
import { erf } from './erf';

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** out[i] = ∫_{i}^{i+1} N(t; x0, sigma) dt for i = 0..n-1, all in pixel units. */
export function integratedGaussian1D(x0: number, sigma: number, n: number, out: Float64Array): Float64Array {
  const k = 1 / (SQRT2 * sigma);
  let prev = erf((0 - x0) * k);
  for (let i = 0; i < n; i++) {
    const next = erf((i + 1 - x0) * k);
    out[i] = 0.5 * (next - prev);
    prev = next;
  }
  return out;
}

/**
 * The 1-D integrals with their derivatives with respect to x0 and sigma, as needed for Newton
 * updates and the Fisher information.
 */
export function integratedGaussian1DWithDerivatives(
  x0: number,
  sigma: number,
  n: number,
  value: Float64Array,
  dX0: Float64Array,
  dSigma: Float64Array,
): void {
  const k = 1 / (SQRT2 * sigma);
  const inv2s2 = 1 / (2 * sigma * sigma);
  let prevErf = erf(-x0 * k);
  let prevU = -x0;
  let prevExp = Math.exp(-prevU * prevU * inv2s2);
  const a = INV_SQRT_2PI / sigma;
  const b = INV_SQRT_2PI / (sigma * sigma);
  for (let i = 0; i < n; i++) {
    const u = i + 1 - x0;
    const e = Math.exp(-u * u * inv2s2);
    const nextErf = erf(u * k);
    value[i] = 0.5 * (nextErf - prevErf);
    dX0[i] = a * (prevExp - e);
    dSigma[i] = b * (prevU * prevExp - u * e);
    prevErf = nextErf;
    prevU = u;
    prevExp = e;
  }
}

/** Both axes of a separable pixel-integrated Gaussian: values, ∂/∂centre and ∂/∂σ per pixel. */
export interface AxisBuffers {
  readonly gx: Float64Array;
  readonly gy: Float64Array;
  readonly dgx: Float64Array;
  readonly dgy: Float64Array;
  readonly sgx: Float64Array;
  readonly sgy: Float64Array;
}

/** Zeroed axis buffers of `length` pixels each, allocated once so fits allocate nothing. */
export function axisBuffers(length: number): AxisBuffers {
  const axis = () => new Float64Array(length);
  return { gx: axis(), gy: axis(), dgx: axis(), dgy: axis(), sgx: axis(), sgy: axis() };
}
