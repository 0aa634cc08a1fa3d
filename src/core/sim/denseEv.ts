// A crowded EV-like PALM stack for multi-emitter fitting: vesicles of 40–60 nm diameter scattered
// over the field, molecules on each vesicle's surface (projected onto the focal plane), each
// molecule on in a frame with a small probability. The defaults reproduce issue 17's benchmark
// stack: at 256² px of 100 nm, ~60 emissions per frame, ~54 % of them sharing a frame with
// another within 260 nm — nearly all on the same vesicle, so within 60 nm, where no shape fit can
// split them (`sharedFraction` reports the figure for any setting). Frames are in ADU of an ideal
// CCD (offset `offsetAdu`, 1 e⁻/ADU, Poisson shot noise): localize them with that offset. The
// truth is in nm (pixel i spans [i, i+1)), frames 0-based.
import type { LocTable } from '../locs/table';
import { integratedGaussian1D } from '../psf/integratedGaussian';
import { Rng } from '../random';

export interface DenseEvOptions {
  width: number;
  height: number;
  frames: number;
  pixelSizeNm: number;
  psfSigmaNm: number;
  /** Vesicles per µm² of the field (inside the margin). */
  evsPerUm2: number;
  evDiameterMinNm: number;
  evDiameterMaxNm: number;
  moleculesPerEv: number;
  /** Probability that a molecule emits in a given frame. */
  onProbability: number;
  /** Mean photons of one emission; each draws uniformly from ±50 % of it. */
  photons: number;
  backgroundPhotons: number;
  offsetAdu: number;
  /** Vesicles keep this far from the border (nm). */
  marginNm: number;
  seed: number;
}

export const DENSE_EV_DEFAULTS: DenseEvOptions = {
  width: 256,
  height: 256,
  frames: 1000,
  pixelSizeNm: 100,
  psfSigmaNm: 130,
  evsPerUm2: 0.13,
  evDiameterMinNm: 40,
  evDiameterMaxNm: 60,
  moleculesPerEv: 16,
  onProbability: 0.05,
  photons: 1000,
  backgroundPhotons: 10,
  offsetAdu: 100,
  marginNm: 400,
  seed: 17,
};

export interface DenseEvStack {
  options: DenseEvOptions;
  frames: Uint16Array[];
  /** One row per emission: frame (0-based), x, y (nm), photons. */
  truth: LocTable;
  /** Fraction of emissions with another emission in the same frame within 260 nm. */
  sharedFraction: number;
}

/** Seeded dense EV-like frames and their ground truth. */
export function denseEvStack(input: Partial<DenseEvOptions> = {}): DenseEvStack {
  const o = { ...DENSE_EV_DEFAULTS, ...input };
  validate(o);
  const rng = new Rng(o.seed);
  const px = o.pixelSizeNm;
  const wNm = o.width * px - 2 * o.marginNm;
  const hNm = o.height * px - 2 * o.marginNm;
  const evCount = Math.max(1, Math.round((o.evsPerUm2 * wNm * hNm) / 1e6));
  const mx: number[] = [];
  const my: number[] = [];
  for (let e = 0; e < evCount; e++) {
    const cx = o.marginNm + rng.uniform() * wNm;
    const cy = o.marginNm + rng.uniform() * hNm;
    const r = 0.5 * (o.evDiameterMinNm + rng.uniform() * (o.evDiameterMaxNm - o.evDiameterMinNm));
    for (let m = 0; m < o.moleculesPerEv; m++) {
      // Uniform on the sphere: z uniform in [−1, 1], azimuth uniform.
      const z = 2 * rng.uniform() - 1;
      const phi = 2 * Math.PI * rng.uniform();
      const s = Math.sqrt(1 - z * z);
      mx.push(cx + r * s * Math.cos(phi));
      my.push(cy + r * s * Math.sin(phi));
    }
  }
  const n = o.width * o.height;
  const sigmaPx = o.psfSigmaNm / px;
  const half = Math.ceil(5 * sigmaPx);
  const gx = new Float64Array(o.width);
  const gy = new Float64Array(o.height);
  const mu = new Float64Array(n);
  const tf: number[] = [];
  const tx: number[] = [];
  const ty: number[] = [];
  const tn: number[] = [];
  const frames: Uint16Array[] = [];
  let shared = 0;
  for (let f = 0; f < o.frames; f++) {
    mu.fill(o.backgroundPhotons);
    const first = tx.length;
    for (let m = 0; m < mx.length; m++) {
      if (rng.uniform() >= o.onProbability) continue;
      const x = mx[m] / px;
      const y = my[m] / px;
      const photons = o.photons * (0.5 + rng.uniform());
      integratedGaussian1D(x, sigmaPx, o.width, gx);
      integratedGaussian1D(y, sigmaPx, o.height, gy);
      const x0 = Math.max(0, Math.floor(x) - half);
      const x1 = Math.min(o.width, Math.floor(x) + half + 1);
      const y0 = Math.max(0, Math.floor(y) - half);
      const y1 = Math.min(o.height, Math.floor(y) + half + 1);
      for (let j = y0; j < y1; j++)
        for (let i = x0; i < x1; i++) mu[j * o.width + i] += photons * gx[i] * gy[j];
      tf.push(f);
      tx.push(mx[m]);
      ty.push(my[m]);
      tn.push(photons);
    }
    shared += countShared(tx, ty, first, tx.length, 260);
    const frame = new Uint16Array(n);
    for (let i = 0; i < n; i++) frame[i] = Math.min(65535, o.offsetAdu + rng.poisson(mu[i]));
    frames.push(frame);
  }
  const truth: LocTable = {
    length: tf.length,
    columns: {
      frame: Uint32Array.from(tf),
      x: Float64Array.from(tx),
      y: Float64Array.from(ty),
      photons: Float64Array.from(tn),
    },
  };
  return { options: o, frames, truth, sharedFraction: tf.length ? shared / tf.length : 0 };
}

function countShared(x: number[], y: number[], from: number, to: number, radius: number): number {
  const r2 = radius * radius;
  let count = 0;
  for (let a = from; a < to; a++) {
    for (let b = from; b < to; b++) {
      if (a !== b && (x[a] - x[b]) ** 2 + (y[a] - y[b]) ** 2 <= r2) {
        count++;
        break;
      }
    }
  }
  return count;
}

function validate(o: DenseEvOptions): void {
  for (const k of ['width', 'height', 'frames', 'moleculesPerEv'] as const)
    if (!(Number.isInteger(o[k]) && o[k] >= 1))
      throw new Error(`${k} must be a positive integer, got ${o[k]}`);
  for (const k of ['pixelSizeNm', 'psfSigmaNm', 'evsPerUm2', 'photons'] as const)
    if (!(o[k] > 0)) throw new Error(`${k} must be > 0, got ${o[k]}`);
  if (!(o.onProbability > 0 && o.onProbability <= 1))
    throw new Error(`onProbability must be in (0, 1], got ${o.onProbability}`);
  if (!(o.evDiameterMinNm > 0 && o.evDiameterMaxNm >= o.evDiameterMinNm))
    throw new Error(
      `EV diameters must satisfy 0 < min ≤ max, got ${o.evDiameterMinNm}–${o.evDiameterMaxNm} nm`,
    );
  if (!(o.backgroundPhotons >= 0))
    throw new Error(`backgroundPhotons must be ≥ 0, got ${o.backgroundPhotons}`);
  if (!(2 * o.marginNm < Math.min(o.width, o.height) * o.pixelSizeNm))
    throw new Error(`margin of ${o.marginNm} nm leaves no field`);
}
