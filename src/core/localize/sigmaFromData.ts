// PSF σ measured on the data before fitting (the two-step workflow of ThunderSTORM users): fit σ
// freely on bright, isolated spots of the first frames and take a robust median. Fixed-σ fits
// with that value keep the spots a free-σ fit would drop at its σ bounds, and are the model the
// multi-emitter fitter needs.
//
// Only spots with no other candidate within two fitting radii are used (a neighbour's tail
// widens the fitted σ) and only converged fits near their window's centre. No goodness-of-fit
// cut: on real data (ThunderSTORM's tubulins) the Gaussian model and a nominal gain leave
// almost every spot above the χ² bound, so it kept 1 spot of 21. No brightness cut:
// fitted photons and fitted σ are correlated (a wider spot collects more), so keeping the
// brighter half biased σ up by 2–5 % on simulated data, while the median of all such fits
// stays within 1 %.

import type { PixelArray } from '../stack/types';
import { quantileSorted } from '../stats/descriptive';
import { detectFrame, LocalizeScratch, loadWindow } from './localize';
import type { LocalizeParams } from './params';

export interface SigmaEstimate {
  /** Median σ of the spots used (nm). */
  sigmaNm: number;
  /** Scaled median absolute deviation of those σ (nm): the spot-to-spot spread. */
  spreadNm: number;
  /** Isolated spots whose fitted σ went into the median, and frames read. */
  spots: number;
  frames: number;
}

export interface SigmaOptions {
  /** Stop after this many usable spots (default 400). */
  maxSpots?: number;
  /** Fewer usable spots than this is an error (default 10). */
  minSpots?: number;
}

/**
 * Estimates the PSF σ from frames handed over one at a time (raw camera values), with the
 * camera, detector and window of `params`; `params.sigmaNm` is only the start value of the fits.
 */
export class SigmaEstimator {
  private readonly scratch: LocalizeScratch;
  private readonly sigmas: number[] = [];
  private frames = 0;
  private readonly corner: [number, number] = [0, 0];

  constructor(
    width: number,
    height: number,
    params: LocalizeParams,
    private readonly options: SigmaOptions = {},
  ) {
    this.scratch = new LocalizeScratch(width, height, { ...params, fitter: 'mle', fitSigma: true });
  }

  /** Fits the isolated spots of one frame; returns the number of fits collected so far. */
  addFrame(frame: PixelArray): number {
    const s = this.scratch;
    detectFrame(frame, s);
    this.frames++;
    const { candidates, fitter } = s;
    const far = 2 * s.params.fitRadiusPx + 1;
    const n = fitter.size;
    for (let c = 0; c < candidates.count && !this.done(); c++) {
      if (!isolated(candidates.x, candidates.y, candidates.count, c, far)) continue;
      loadWindow(s, c, this.corner);
      fitter.fit();
      // Off-centre fits sit at a shifted border window: their σ sees a truncated spot.
      const centred = Math.abs(fitter.x - n / 2) < 1.5 && Math.abs(fitter.y - n / 2) < 1.5;
      if (fitter.flags !== 0 || !centred) continue;
      this.sigmas.push(fitter.sigma * s.params.pixelSizeNm);
    }
    return this.sigmas.length;
  }

  /** The estimate from the frames so far. */
  result(): SigmaEstimate {
    const minSpots = this.options.minSpots ?? 10;
    const bright = [...this.sigmas].sort((a, b) => a - b);
    if (bright.length < minSpots)
      throw new Error(
        `σ from data needs at least ${minSpots} isolated spots; found ${bright.length} in ${this.frames} frames ` +
          '(lower the detection threshold, read more frames, or enter σ by hand)',
      );
    const median = quantileSorted(bright, 0.5);
    const deviations = bright.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
    return {
      sigmaNm: median,
      spreadNm: 1.4826 * quantileSorted(deviations, 0.5),
      spots: bright.length,
      frames: this.frames,
    };
  }

  /** Whether enough fits are collected. */
  done(): boolean {
    return this.sigmas.length >= (this.options.maxSpots ?? 400);
  }
}

function isolated(x: Int32Array, y: Int32Array, count: number, c: number, far: number): boolean {
  for (let o = 0; o < count; o++) {
    if (o !== c && Math.abs(x[o] - x[c]) < far && Math.abs(y[o] - y[c]) < far) return false;
  }
  return true;
}

/** σ from `frameCount` frames stored back to back in `pixels` (each width × height). */
export function estimateSigma(
  pixels: PixelArray,
  frameCount: number,
  width: number,
  height: number,
  params: LocalizeParams,
  options: SigmaOptions = {},
): SigmaEstimate {
  const est = new SigmaEstimator(width, height, params, options);
  const size = width * height;
  for (let f = 0; f < frameCount && !est.done(); f++) est.addFrame(pixels.subarray(f * size, (f + 1) * size));
  return est.result();
}
