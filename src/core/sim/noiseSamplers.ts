// Fast exact samplers for the camera's per-pixel noise. A 256×256 frame needs 65,536 read-noise
// Gaussians and, on an EMCCD, as many EM-register Gammas; through Rng.normal (polar method: ~2.5
// uniforms, a log and a sqrt per pair) and Rng.gamma these cost ~50–60 ns each and held the
// simulator near 100 frames/s. Both samplers here are exact in distribution (no approximation
// beyond 2⁻²⁴ resolution of the uniform in the ziggurat's rectangles):
//  - standard normal: Doornik's ZIGNOR ziggurat (128 layers) — one 32-bit draw and one compare
//    in ~98% of calls; the wedges and the tail are sampled exactly by rejection;
//  - Gamma(n, G) for integer n (electrons entering the gain register): Marsaglia–Tsang on the
//    ziggurat normal with per-n constants tabulated. A normal approximation would be cheaper but
//    a Gamma's skewness is 2/√n (0.37 at n = 30, still 0.06 at n = 1000), which is exactly the
//    EM register's long bright tail, so it is not used.
import type { Rng } from '../random';

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const X = new Float64Array(LAYERS + 1);
const RATIO = new Float64Array(LAYERS);
{
  let f = Math.exp(-0.5 * R * R);
  X[0] = V / f; // the bottom layer is a rectangle plus the tail, of equal area V
  X[1] = R;
  X[LAYERS] = 0;
  for (let i = 2; i < LAYERS; i++) {
    X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
    f = Math.exp(-0.5 * X[i] * X[i]);
  }
  for (let i = 0; i < LAYERS; i++) RATIO[i] = X[i + 1] / X[i];
}

const TWO_M24 = 2 ** -24;
const TWO_M32 = 2 ** -32;

/** Uniform in (0, 1) from one 32-bit draw (never 0, so its log is finite). */
function uniform32(rng: Rng): number {
  return (rng.nextU32() + 0.5) * TWO_M32;
}

/** Standard normal deviate (ziggurat). */
export function zigguratNormal(rng: Rng): number {
  for (;;) {
    const r = rng.nextU32() | 0;
    // Disjoint bits: the low 7 pick the layer, the high 25 give a signed u ∈ (−1, 1).
    const i = r & (LAYERS - 1);
    const u = ((r >> 7) + 0.5) * TWO_M24;
    if (Math.abs(u) < RATIO[i]) return u * X[i];
    if (i === 0) {
      // Tail beyond R, by Marsaglia's exponential rejection.
      let x: number;
      let y: number;
      do {
        x = Math.log(uniform32(rng)) / R;
        y = Math.log(uniform32(rng));
      } while (-2 * y < x * x);
      return u < 0 ? x - R : R - x;
    }
    // Wedge between the layer's rectangle and the curve.
    const x = u * X[i];
    const f0 = Math.exp(-0.5 * (X[i] * X[i] - x * x));
    const f1 = Math.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
    if (f1 + uniform32(rng) * (f0 - f1) < 1) return x;
  }
}

// Marsaglia–Tsang constants d = n − 1/3, c = 1/√(9d) for the common electron counts.
const TABLED = 4096;
const GAMMA_D = new Float64Array(TABLED);
const GAMMA_C = new Float64Array(TABLED);
for (let n = 1; n < TABLED; n++) {
  GAMMA_D[n] = n - 1 / 3;
  GAMMA_C[n] = 1 / Math.sqrt(9 * GAMMA_D[n]);
}

/**
 * Gamma(n, scale) for a whole number n ≥ 1 — the EM register's output for n input electrons at
 * mean gain `scale` (mean n·scale, variance n·scale²). Returns 0 for n ≤ 0.
 */
export function gammaWhole(rng: Rng, n: number, scale: number): number {
  if (!(n > 0)) return 0;
  let d: number;
  let c: number;
  if (n < TABLED && (n | 0) === n) {
    d = GAMMA_D[n];
    c = GAMMA_C[n];
  } else {
    d = n - 1 / 3;
    c = 1 / Math.sqrt(9 * d);
  }
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = zigguratNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform32(rng);
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}
