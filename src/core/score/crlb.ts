// The best precision any unbiased localizer can reach under given imaging conditions, so measured
// RMSEs can be reported as RMSE / CRLB. Maps the camera to the Fisher-information noise model:
// ideal CCD → Poisson; CCD with read noise and sCMOS → Poisson + read variance (in photons² =
// (read noise in e⁻)², as photons are photoelectrons); EMCCD → variance ×2 (its read noise,
// divided by the EM gain, is negligible).

import { crlbGaussian2D, type EmitterConditions } from '../psf/crlb';
import type { CameraKind, SimulationParams } from '../sim/params';

export interface ImagingConditions {
  photons: number;
  /** Background photons per pixel. */
  backgroundPhotons: number;
  psfSigmaNm: number;
  pixelSizeNm: number;
  camera: { kind: CameraKind; readNoiseE?: number };
  /** Whether the fitter also fits σ (default false). */
  fitSigma?: boolean;
  roiSize?: number;
}

export interface CrlbNm {
  x: number;
  y: number;
  /** sqrt((σx² + σy²)/2): the per-axis figure to compare with RMSE_x, RMSE_y. */
  perAxis: number;
  /** sqrt(σx² + σy²): to compare with the lateral RMSE. */
  lateral: number;
}

export function crlbNm(c: ImagingConditions): CrlbNm {
  const rn = c.camera.readNoiseE ?? 0;
  const cond: EmitterConditions = {
    photons: c.photons,
    background: c.backgroundPhotons,
    sigmaPx: c.psfSigmaNm / c.pixelSizeNm,
    fitSigma: c.fitSigma ?? false,
    noise: 'poisson',
  };
  if (c.roiSize !== undefined) cond.roiSize = c.roiSize;
  if (c.camera.kind === 'emccd') cond.noise = 'emccd';
  else if (rn > 0) {
    cond.noise = 'scmos';
    cond.readVariance = rn * rn;
  }
  const b = crlbGaussian2D(cond);
  const x = b.x * c.pixelSizeNm;
  const y = b.y * c.pixelSizeNm;
  return { x, y, perAxis: Math.sqrt((x * x + y * y) / 2), lateral: Math.sqrt(x * x + y * y) };
}

/** CRLB of one simulated channel at its nominal photons and flat background level. */
export function crlbForChannel(p: SimulationParams, channel = 0, fitSigma = false): CrlbNm {
  const ch = p.channels[channel];
  if (!ch) throw new Error(`channel ${channel} does not exist (the simulation has ${p.channels.length})`);
  return crlbNm({
    photons: ch.photonsPerFrame,
    backgroundPhotons: ch.backgroundPhotons,
    psfSigmaNm: ch.psfSigmaNm,
    pixelSizeNm: p.pixelSizeNm,
    camera: p.camera,
    fitSigma,
  });
}
