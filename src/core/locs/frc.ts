// Fourier ring correlation (Nieuwenhuizen et al., Nat Methods 10:557, 2013). The localizations
// are split into two halves by alternating blocks of frames — not row by row, because the
// several localizations of one blink would land in both halves and correlate through their
// shared position at any frequency — each half is binned at a fine pixel, windowed (Tukey) so
// the field edges do not add spurious high frequencies, and Fourier-transformed. Per ring of
// spatial frequency q:
//   FRC(q) = Σ Re(F₁F₂*) / √(Σ|F₁|² Σ|F₂|²),
// with the three ring sums smoothed over neighbouring rings before the ratio. The resolution is
// 1/q where FRC first falls below 1/7. No correction for repeated localizations of the same
// emitter across halves (the paper's Q term) is applied: the value reflects precision and
// labelling density together, as the raw FRC does.
import { fft2d, nextPowerOfTwo } from '../render/fft';
import { renderHistogram } from '../render/histogram';
import { boundsOf, type RenderView } from '../render/view';
import type { LocTable } from './table';

export interface FrcOptions {
  /** Bin size (nm, default 5; should be well below the expected resolution / 2). */
  pixelNm?: number;
  /** Frames per block; even blocks form half A, odd blocks half B (default 100). */
  blockFrames?: number;
  /** Tukey window taper fraction (0 = rectangular, 1 = Hann; default 0.25). */
  taper?: number;
  /** Half-width, in rings, of the moving average over ring sums (default: N/512, at least 1). */
  smoothRings?: number;
  /** Largest image side (default 2048): larger fields raise the pixel size to fit. */
  maxImageSize?: number;
  mask?: Uint8Array;
}

export interface FrcResult {
  /** Resolution (nm) at the 1/7 crossing; NaN when the curve never falls below 1/7. */
  resolutionNm: number;
  /** Spatial frequency of each ring (1/nm) and the smoothed FRC there. */
  frequency: Float64Array;
  frc: Float64Array;
  threshold: number;
  pixelNm: number;
  imageSize: number;
  /** Localizations in each half. */
  halves: [number, number];
}

export const FRC_THRESHOLD = 1 / 7;

export function frc(table: LocTable, opts: FrcOptions = {}): FrcResult {
  const { frame, x, y } = table.columns;
  if (!frame || !x || !y) throw new Error('FRC needs frame, x and y columns');
  const n = table.length;
  const box = boundsOf(x, y, n, opts.mask);
  if (!box) throw new Error('no localizations for FRC');
  let px = opts.pixelNm ?? 5;
  const maxSize = opts.maxImageSize ?? 2048;
  const extent = Math.max(box.x1 - box.x0, box.y1 - box.y0);
  while (extent / px + 1 > maxSize) px *= 1.25;
  const w = Math.max(1, Math.ceil((box.x1 - box.x0) / px) + 1);
  const h = Math.max(1, Math.ceil((box.y1 - box.y0) / px) + 1);
  const size = nextPowerOfTwo(Math.max(w, h));
  const view: RenderView = { x0: box.x0, y0: box.y0, width: size, height: size, pixelNm: px };

  const block = opts.blockFrames ?? 100;
  const maskA = new Uint8Array(n);
  const maskB = new Uint8Array(n);
  let nA = 0;
  let nB = 0;
  for (let i = 0; i < n; i++) {
    if (opts.mask && !opts.mask[i]) continue;
    if (Math.floor(frame[i] / block) % 2 === 0) {
      maskA[i] = 1;
      nA++;
    } else {
      maskB[i] = 1;
      nB++;
    }
  }
  if (!nA || !nB) throw new Error('FRC: one half is empty (fewer frames than two blocks?)');

  const taper = opts.taper ?? 0.25;
  const wx = tukey(w, taper);
  const wy = tukey(h, taper);
  const spectrum = (mask: Uint8Array) => {
    const img = renderHistogram(table, view, { mask });
    const re = new Float64Array(size * size);
    const im = new Float64Array(size * size);
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) re[j * size + i] = img[j * size + i] * wx[i] * wy[j];
    fft2d(re, im, size, size);
    return { re, im };
  };
  const a = spectrum(maskA);
  const b = spectrum(maskB);

  const rings = size / 2 + 1;
  const num = new Float64Array(rings);
  const da = new Float64Array(rings);
  const db = new Float64Array(rings);
  for (let v = 0; v < size; v++) {
    const fv = v < size / 2 ? v : v - size;
    for (let u = 0; u < size; u++) {
      const fu = u < size / 2 ? u : u - size;
      const k = Math.round(Math.sqrt(fu * fu + fv * fv));
      if (k >= rings) continue;
      const q = v * size + u;
      num[k] += a.re[q] * b.re[q] + a.im[q] * b.im[q];
      da[k] += a.re[q] * a.re[q] + a.im[q] * a.im[q];
      db[k] += b.re[q] * b.re[q] + b.im[q] * b.im[q];
    }
  }
  const s = opts.smoothRings ?? Math.max(1, Math.round(size / 512));
  const sn = boxSmooth(num, s);
  const sa = boxSmooth(da, s);
  const sb = boxSmooth(db, s);
  const frequency = new Float64Array(rings);
  const curve = new Float64Array(rings);
  for (let k = 0; k < rings; k++) {
    frequency[k] = k / (size * px);
    curve[k] = sa[k] > 0 && sb[k] > 0 ? sn[k] / Math.sqrt(sa[k] * sb[k]) : 0;
  }
  // The zero ring holds the mean (always correlated): look for the first drop after it.
  let resolutionNm = Number.NaN;
  for (let k = 2; k < rings; k++) {
    if (curve[k] < FRC_THRESHOLD && curve[k - 1] >= FRC_THRESHOLD) {
      const t = (curve[k - 1] - FRC_THRESHOLD) / (curve[k - 1] - curve[k]);
      resolutionNm = 1 / (frequency[k - 1] + t * (frequency[k] - frequency[k - 1]));
      break;
    }
  }
  return {
    resolutionNm,
    frequency,
    frc: curve,
    threshold: FRC_THRESHOLD,
    pixelNm: px,
    imageSize: size,
    halves: [nA, nB],
  };
}

/** Tukey window of length n: flat in the middle, cosine tapers over `alpha`·n at the ends. */
export function tukey(n: number, alpha: number): Float64Array {
  const out = new Float64Array(n).fill(1);
  if (alpha <= 0 || n < 3) return out;
  const edge = (alpha * (n - 1)) / 2;
  for (let i = 0; i < n; i++) {
    const d = Math.min(i, n - 1 - i);
    if (d < edge) out[i] = 0.5 * (1 - Math.cos((Math.PI * d) / edge));
  }
  return out;
}

function boxSmooth(a: Float64Array, half: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    // Ring 0 (the mean) is kept apart so it does not leak into the first rings.
    if (k === 0) {
      out[0] = a[0];
      continue;
    }
    let s = 0;
    let c = 0;
    for (let j = Math.max(1, k - half); j <= Math.min(a.length - 1, k + half); j++) {
      s += a[j];
      c++;
    }
    out[k] = s / c;
  }
  return out;
}
