// Test images until the simulator lands: pixel-integrated Gaussian spots on a flat background,
// with Poisson shot noise from the project's seeded generator.
import { integratedGaussian1D } from '../../src/core/psf/integratedGaussian';
import type { Rng } from '../../src/core/random';

export interface Spot {
  /** Position in pixels (pixel i spans [i, i+1)). */
  x: number;
  y: number;
  photons: number;
}

/** Expected photons per pixel (no noise), row-major width × height, σ in pixels. */
export function expectedImage(
  width: number,
  height: number,
  spots: readonly Spot[],
  sigmaPx: number,
  background: number,
): Float64Array {
  const img = new Float64Array(width * height).fill(background);
  const gx = new Float64Array(width);
  const gy = new Float64Array(height);
  for (const s of spots) {
    integratedGaussian1D(s.x, sigmaPx, width, gx);
    integratedGaussian1D(s.y, sigmaPx, height, gy);
    const x0 = Math.max(0, Math.floor(s.x - 6 * sigmaPx));
    const x1 = Math.min(width, Math.ceil(s.x + 6 * sigmaPx));
    const y0 = Math.max(0, Math.floor(s.y - 6 * sigmaPx));
    const y1 = Math.min(height, Math.ceil(s.y + 6 * sigmaPx));
    for (let j = y0; j < y1; j++)
      for (let i = x0; i < x1; i++) img[j * width + i] += s.photons * gx[i] * gy[j];
  }
  return img;
}

/** Poisson-distributed counts of `expected`. */
export function poissonImage(expected: Float64Array, rng: Rng): Float32Array {
  const out = new Float32Array(expected.length);
  for (let i = 0; i < expected.length; i++) out[i] = rng.poisson(expected[i]);
  return out;
}

/** Spots on a jittered grid, `spacing` px apart, each at a random sub-pixel position. */
export function gridSpots(width: number, height: number, spacing: number, photons: number, rng: Rng): Spot[] {
  const spots: Spot[] = [];
  for (let y = spacing / 2; y + spacing / 2 <= height; y += spacing) {
    for (let x = spacing / 2; x + spacing / 2 <= width; x += spacing) {
      spots.push({ x: x + rng.uniform() - 0.5, y: y + rng.uniform() - 0.5, photons });
    }
  }
  return spots;
}
