// EV detection on a projection of the first frames: the à trous B-spline wavelet filter
// (ThunderSTORM's default detector, Ovesný et al. 2014: order 3, second level), local maxima in
// the 8-neighbourhood above k × the robust σ of the first wavelet level, sub-pixel centroids,
// then de-duplication and exclusion of EVs whose ROIs would be cut by the border or spoiled by
// a neighbour. Deliberately small: EVs are sparse, bright and need no PSF fit to place an ROI.

export interface EvSpotParams {
  /** Detection threshold in units of the noise σ of the first wavelet level. */
  thresholdK: number;
  /** Maxima closer than this (px) are one EV; the stronger one is kept. */
  dedupRadiusPx: number;
  /** EVs with another EV closer than this (px) are excluded: their ROIs would mix. */
  minSeparationPx: number;
  /** EVs closer than this (px) to the image edge are excluded: their annulus would be cut. */
  borderPx: number;
}

export interface EvSpots {
  length: number;
  /** Centroids in pixels, ThunderSTORM convention (pixel i spans [i, i+1)). */
  x: Float64Array;
  y: Float64Array;
  /** Wavelet response at the maximum in noise-σ units: a detection SNR. */
  snr: Float64Array;
  /** Why candidates were dropped, for the user's report. */
  dropped: { duplicates: number; nearBorder: number; crowded: number };
}

const B3 = [1 / 16, 1 / 4, 3 / 8, 1 / 4, 1 / 16];

/** Separable B-spline smoothing with taps `step` pixels apart, mirrored at the edges. */
function smoothAtrous(
  src: Float64Array,
  w: number,
  h: number,
  step: number,
  tmp: Float64Array,
  out: Float64Array,
): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -2; k <= 2; k++) s += B3[k + 2] * src[row + mirror(x + k * step, w)];
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -2; k <= 2; k++) s += B3[k + 2] * tmp[mirror(y + k * step, h) * w + x];
      out[y * w + x] = s;
    }
  }
}

function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  i = Math.abs(i) % period;
  return i < n ? i : period - i;
}

/**
 * The second wavelet level F2 = V1 − V2 divided by the robust σ of F1 = I − V1, so that maps
 * of different channels share one scale (noise σ units) and can be combined by a maximum.
 */
export function waveletSnrMap(image: Float64Array, width: number, height: number): Float64Array {
  const n = width * height;
  const tmp = new Float64Array(n);
  const v1 = new Float64Array(n);
  const v2 = new Float64Array(n);
  smoothAtrous(image, width, height, 1, tmp, v1);
  smoothAtrous(v1, width, height, 2, tmp, v2);
  const f1 = tmp;
  for (let i = 0; i < n; i++) f1[i] = image[i] - v1[i];
  const sigma = robustSigmaInPlace(f1);
  const out = v2;
  const inv = sigma > 0 ? 1 / sigma : 0;
  for (let i = 0; i < n; i++) out[i] = (v1[i] - v2[i]) * inv;
  return out;
}

/** Finds EVs in an SNR map (from waveletSnrMap, or the maximum of several channels' maps). */
export function findEvSpots(
  snrMap: Float64Array,
  width: number,
  height: number,
  params: EvSpotParams,
): EvSpots {
  const { thresholdK } = params;
  const maxima: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = snrMap[i];
      if (!(v > thresholdK)) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          const u = snrMap[yy * width + xx];
          // Plateaus: the first pixel in raster order wins, so a flat top yields one maximum.
          if (u > v || (u === v && yy * width + xx < i)) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) maxima.push(i);
    }
  }
  maxima.sort((a, b) => snrMap[b] - snrMap[a]);
  const cx: number[] = [];
  const cy: number[] = [];
  const cs: number[] = [];
  const d2Dup = params.dedupRadiusPx * params.dedupRadiusPx;
  let duplicates = 0;
  for (const i of maxima) {
    const [x, y] = centroid(snrMap, width, height, i % width, Math.floor(i / width));
    let dup = false;
    for (let k = 0; k < cx.length && !dup; k++) dup = (cx[k] - x) ** 2 + (cy[k] - y) ** 2 < d2Dup;
    if (dup) {
      duplicates++;
      continue;
    }
    cx.push(x);
    cy.push(y);
    cs.push(snrMap[i]);
  }
  const n = cx.length;
  const keep = new Uint8Array(n).fill(1);
  let nearBorder = 0;
  let crowded = 0;
  const b = params.borderPx;
  const d2Sep = params.minSeparationPx * params.minSeparationPx;
  for (let k = 0; k < n; k++) {
    if (cx[k] < b || cy[k] < b || cx[k] > width - b || cy[k] > height - b) {
      keep[k] = 0;
      nearBorder++;
      continue;
    }
    for (let j = 0; j < n; j++) {
      if (j !== k && (cx[k] - cx[j]) ** 2 + (cy[k] - cy[j]) ** 2 < d2Sep) {
        keep[k] = 0;
        crowded++;
        break;
      }
    }
  }
  let m = 0;
  for (let k = 0; k < n; k++) m += keep[k];
  const out: EvSpots = {
    length: m,
    x: new Float64Array(m),
    y: new Float64Array(m),
    snr: new Float64Array(m),
    dropped: { duplicates, nearBorder, crowded },
  };
  // Raster order (by y, then x) gives EV ids that are stable and easy to find on screen.
  const order = [];
  for (let k = 0; k < n; k++) if (keep[k]) order.push(k);
  order.sort((p, q) => Math.floor(cy[p]) - Math.floor(cy[q]) || cx[p] - cx[q]);
  order.forEach((k, j) => {
    out.x[j] = cx[k];
    out.y[j] = cy[k];
    out.snr[j] = cs[k];
  });
  return out;
}

/** Centroid of the positive response in the 5×5 window around a maximum, in ThunderSTORM px. */
function centroid(map: Float64Array, w: number, h: number, x0: number, y0: number): [number, number] {
  let s = 0;
  let sx = 0;
  let sy = 0;
  for (let y = Math.max(0, y0 - 2); y <= Math.min(h - 1, y0 + 2); y++) {
    for (let x = Math.max(0, x0 - 2); x <= Math.min(w - 1, x0 + 2); x++) {
      const v = map[y * w + x];
      if (v > 0) {
        s += v;
        sx += v * (x + 0.5);
        sy += v * (y + 0.5);
      }
    }
  }
  return s > 0 ? [sx / s, sy / s] : [x0 + 0.5, y0 + 0.5];
}

function robustSigmaInPlace(a: Float64Array): number {
  const c = a.slice().sort();
  const n = c.length;
  const med = n & 1 ? c[(n - 1) >> 1] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
  for (let i = 0; i < n; i++) c[i] = Math.abs(c[i] - med);
  c.sort();
  const mad = n & 1 ? c[(n - 1) >> 1] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
  return 1.482602218505602 * mad;
}
