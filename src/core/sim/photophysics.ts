// When each molecule emits, frame by frame. Each model reports its on-frames to a sink with the
// fraction of the frame it was on (partial frames arise only where a continuous-time lifetime ends
// mid-frame), and `framePhotons` turns that into the expected photons of the frame.
import type { Rng } from '../random';
import type { PhotonVariability, Photophysics } from './params';

export type OnFrameSink = (frame: number, fractionOn: number) => void;

/** Frames until the first success of a per-frame probability p, ≥ 1 (inverse-CDF sampling). */
export function geometricFrames(rng: Rng, p: number): number {
  if (p >= 1) return 1;
  if (p <= 0) return Number.POSITIVE_INFINITY;
  return 1 + Math.floor(Math.log(1 - rng.uniform()) / Math.log(1 - p));
}

/** PALM: on from `activation` for a geometric number of frames (mean `meanOnFrames`), then bleached. */
export function palmOnFrames(
  rng: Rng,
  meanOnFrames: number,
  activation: number,
  endFrame: number,
  sink: OnFrameSink,
): void {
  const on = geometricFrames(rng, 1 / meanOnFrames);
  const stop = Math.min(endFrame, activation + on);
  for (let k = activation; k < stop; k++) sink(k, 1);
}

/**
 * dSTORM: a two-state Markov chain with per-frame probabilities k_on (off→on), k_off (on→off) and
 * k_bleach (on→bleached). Dwell times are sampled as geometric runs instead of stepping every frame,
 * so cost scales with blinks, not frames. Without bleaching the on-fraction tends to k_on/(k_on+k_off).
 */
export function dstormOnFrames(
  rng: Rng,
  p: { kOn: number; kOff: number; kBleach: number; initialOnFraction: number },
  startFrame: number,
  endFrame: number,
  sink: OnFrameSink,
): void {
  let t = startFrame;
  let on = rng.uniform() < p.initialOnFraction;
  const leave = p.kOff + p.kBleach;
  while (t < endFrame) {
    if (!on) {
      t += geometricFrames(rng, p.kOn);
      on = true;
      continue;
    }
    const run = geometricFrames(rng, leave);
    const stop = Math.min(endFrame, t + run);
    for (let k = t; k < stop; k++) sink(k, 1);
    t = stop;
    if (rng.uniform() * leave < p.kBleach) return;
    on = false;
  }
}

/** A dye on from `startFrame` until it bleaches after an exponential lifetime; the last frame is partial. */
export function stepBleachOnFrames(
  rng: Rng,
  meanLifetimeFrames: number,
  startFrame: number,
  endFrame: number,
  sink: OnFrameSink,
): void {
  const life = rng.exponential(meanLifetimeFrames);
  const whole = Math.floor(life);
  const stop = Math.min(endFrame, startFrame + whole);
  for (let k = startFrame; k < stop; k++) sink(k, 1);
  const rest = life - whole;
  if (startFrame + whole < endFrame && rest > 0) sink(startFrame + whole, rest);
}

/**
 * Runs a photophysics model over [startFrame, endFrame). PALM activates uniformly in that window
 * unless the scene fixes the activation frame (structures activate with their lifetime profile).
 */
export function emitPhotophysics(
  rng: Rng,
  ph: Photophysics,
  startFrame: number,
  endFrame: number,
  sink: OnFrameSink,
  palmActivation = -1,
): void {
  if (endFrame <= startFrame) return;
  switch (ph.kind) {
    case 'single':
      sink(startFrame, 1);
      return;
    case 'continuous':
      for (let k = startFrame; k < endFrame; k++) sink(k, 1);
      return;
    case 'palm': {
      const a =
        palmActivation >= 0
          ? palmActivation
          : startFrame + Math.floor(rng.uniform() * (endFrame - startFrame));
      palmOnFrames(rng, ph.meanOnFrames, a, endFrame, sink);
      return;
    }
    case 'dstorm':
      dstormOnFrames(rng, ph, startFrame, endFrame, sink);
      return;
    case 'stepBleach':
      stepBleachOnFrames(rng, ph.meanLifetimeFrames, startFrame, endFrame, sink);
      return;
  }
}

/** Expected photons of one on-frame: the mean scaled by the time on, with frame-to-frame variability. */
export function framePhotons(
  rng: Rng,
  mean: number,
  fractionOn: number,
  variability: PhotonVariability,
): number {
  const m = mean * fractionOn;
  switch (variability) {
    case 'none':
      return m;
    case 'poisson':
      return rng.poisson(m);
    case 'exponential':
      return rng.exponential(m);
  }
}
