// Cramér–Rao lower bounds for a single emitter imaged as a pixel-integrated Gaussian on a
// background, with the camera's noise folded into the Fisher information:
//   I_ab = Σ_k (∂μ_k/∂θ_a)(∂μ_k/∂θ_b) / v_k
// v_k = μ_k for a Poisson (ideal/CCD) pixel, 2·μ_k for an EMCCD (excess-noise factor 2 on the
// variance), μ_k + σ_read²/g² for sCMOS (Huang et al. 2013's Poisson-equivalent read noise).
import { axisBuffers, integratedGaussian1DWithDerivatives } from './integratedGaussian';

export type NoiseModel = 'poisson' | 'emccd' | 'scmos';

export interface EmitterConditions {
  /** Detected photons in the whole PSF. */
  photons: number;
  /** Background photons per pixel. */
  background: number;
  /** PSF standard deviation in pixels. */
  sigmaPx: number;
  /** Side of the square fitting region in pixels; the emitter sits at its centre. */
  roiSize?: number;
  /** Emitter position inside the region (pixels); default its centre. */
  x?: number;
  y?: number;
  noise?: NoiseModel;
  /** sCMOS read-noise variance per pixel in photon units (σ_read²/gain²). */
  readVariance?: number;
  /** Whether σ is a fitted parameter (5 parameters) or known (4 parameters). */
  fitSigma?: boolean;
}

export interface Crlb {
  /** Standard deviations (square roots of the bound) in pixel units for x, y, sigma. */
  x: number;
  y: number;
  photons: number;
  background: number;
  sigma: number;
}

/** Inverts a small symmetric positive-definite matrix in place (Gauss–Jordan); returns false if singular. */
export function invertSymmetric(m: Float64Array, n: number, inv: Float64Array): boolean {
  const a = m.slice(0, n * n);
  inv.fill(0);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    const piv = a[p * n + c];
    if (!(Math.abs(piv) > 1e-300)) return false;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        let t = a[c * n + k];
        a[c * n + k] = a[p * n + k];
        a[p * n + k] = t;
        t = inv[c * n + k];
        inv[c * n + k] = inv[p * n + k];
        inv[p * n + k] = t;
      }
    }
    const ip = 1 / piv;
    for (let k = 0; k < n; k++) {
      a[c * n + k] *= ip;
      inv[c * n + k] *= ip;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return true;
}

/** Numerical CRLB from the exact Fisher information of the pixel-integrated Gaussian model. */
export function crlbGaussian2D(c: EmitterConditions): Crlb {
  const size = c.roiSize ?? Math.max(7, 2 * Math.ceil(4 * c.sigmaPx) + 1);
  const x0 = c.x ?? size / 2;
  const y0 = c.y ?? size / 2;
  const fitSigma = c.fitSigma ?? false;
  const np = fitSigma ? 5 : 4;
  const { gx, gy, dgx, dgy, sgx, sgy } = axisBuffers(size);
  integratedGaussian1DWithDerivatives(x0, c.sigmaPx, size, gx, dgx, sgx);
  integratedGaussian1DWithDerivatives(y0, c.sigmaPx, size, gy, dgy, sgy);
  const fisher = new Float64Array(np * np);
  const d = new Float64Array(np);
  const noise = c.noise ?? 'poisson';
  const readVar = noise === 'scmos' ? (c.readVariance ?? 0) : 0;
  const excess = noise === 'emccd' ? 2 : 1;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const psf = gx[i] * gy[j];
      const mu = c.photons * psf + c.background;
      d[0] = c.photons * dgx[i] * gy[j];
      d[1] = c.photons * gx[i] * dgy[j];
      d[2] = psf;
      d[3] = 1;
      // σ is shared by both axes, so its derivative is the product rule over both factors.
      if (fitSigma) d[4] = c.photons * (sgx[i] * gy[j] + gx[i] * sgy[j]);
      const w = 1 / (excess * (mu + readVar));
      for (let a = 0; a < np; a++) for (let b = a; b < np; b++) fisher[a * np + b] += d[a] * d[b] * w;
    }
  }
  for (let a = 0; a < np; a++) for (let b = 0; b < a; b++) fisher[a * np + b] = fisher[b * np + a];
  const inv = new Float64Array(np * np);
  if (!invertSymmetric(fisher, np, inv)) {
    return {
      x: Number.POSITIVE_INFINITY,
      y: Number.POSITIVE_INFINITY,
      photons: Number.POSITIVE_INFINITY,
      background: Number.POSITIVE_INFINITY,
      sigma: Number.POSITIVE_INFINITY,
    };
  }
  return {
    x: Math.sqrt(inv[0]),
    y: Math.sqrt(inv[np + 1]),
    photons: Math.sqrt(inv[2 * np + 2]),
    background: Math.sqrt(inv[3 * np + 3]),
    sigma: fitSigma ? Math.sqrt(inv[4 * np + 4]) : 0,
  };
}

/**
 * Mortensen et al. (2010) eq. 5: the localization variance of an MLE fit of a Gaussian with
 * pixelation and background, σ_a² = σ² + a²/12, τ = 2π σ_a² b / (N a²),
 *   Var = (σ_a²/N) · [1 + ∫₀¹ ln t / (1 + t/τ) dt]⁻¹.
 * Inputs and output in the same length unit as `sigma` and `pixel`. EMCCD doubles the variance.
 */
export function mortensenMlePrecision(
  photons: number,
  background: number,
  sigma: number,
  pixel: number,
  emccd = false,
): number {
  const sa2 = sigma * sigma + (pixel * pixel) / 12;
  const tau = (2 * Math.PI * sa2 * background) / (photons * pixel * pixel);
  let integral = 0;
  if (tau > 0) {
    // ln t has an integrable singularity at 0: substitute t = e^{-s} and integrate over s with
    // Simpson's rule on [0, 40], where the integrand -s e^{-s} / (1 + e^{-s}/τ) has decayed.
    const n = 4000;
    const h = 40 / n;
    for (let i = 0; i <= n; i++) {
      const s = i * h;
      const t = Math.exp(-s);
      const f = (-s * t) / (1 + t / tau);
      integral += f * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
    }
    integral *= h / 3;
  }
  const variance = sa2 / photons / (1 + integral);
  return Math.sqrt(emccd ? 2 * variance : variance);
}
