// Every consumer of randomness gets its own seed, derived from the user's seed and a purpose
// tag, so that editing one part (a channel's photophysics) never reshuffles another (the scene).

/** Mixes a seed with a purpose tag (a 32-bit hash; nearby tags give unrelated seeds). */
export function subSeed(seed: number, tag: number): number {
  let h = (seed ^ Math.imul(tag + 0x7f4a7c15, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

export const SCENE_TAG = 1;
export const BACKGROUND_TAG = 50;
export const SCMOS_TAG = 60;
export const DRIFT_TAG = 70;
export const PHOTOPHYSICS_TAG = 100;

/** Seed of the per-frame noise of a channel: frame k uses new Rng(frameNoiseSeed(seed, c), k); channel 0 is exactly Rng(seed, k). */
export function frameNoiseSeed(seed: number, channel: number): number {
  return (seed + Math.imul(channel, 0x632be5ab)) >>> 0;
}
