// Two-colour registration in EV counting. EV positions live in channel 0's camera coordinates
// (the registration's reference). Each counted channel sees an EV at the position mapped into
// it (channel 0 → c, the inverse of the channel's c → 0 affine), and its ROI is placed there:
// the disc and annulus are re-drawn around that sub-pixel centre (the pixels whose centres fall
// inside), rather than resampling the frames. Resampling would interpolate — and correlate —
// the noise that the step finder's noise model describes pixel by pixel; re-drawing keeps every
// pixel a raw camera value. With no registration (or identity) the masks are the very same, so
// results without registration are bit-identical.
import { type Affine6, affinePointFn, invertAffine6, isIdentity6 } from '../registration/affine6';
import { buildRoiMasks, type RoiMasks, type RoiParams } from './traces';

type PointFn = (x: number, y: number) => [number, number];

export interface ChannelPixelMaps {
  /** Channel-c px → channel-0 px, and back; null when the channel is aligned (identity). */
  toReference: PointFn | null;
  fromReference: PointFn | null;
}

/** Pixel-coordinate maps of one channel from its nm affine (c → 0). */
export function channelPixelMaps(affine: Affine6 | undefined, pixelSizeNm: number): ChannelPixelMaps {
  if (!affine || isIdentity6(affine)) return { toReference: null, fromReference: null };
  const to = affinePointFn(affine);
  const from = affinePointFn(invertAffine6(affine));
  const px = pixelSizeNm;
  const inPx =
    (f: PointFn): PointFn =>
    (x, y) => {
      const [u, v] = f(x * px, y * px);
      return [u / px, v / px];
    };
  return { toReference: inPx(to), fromReference: inPx(from) };
}

/**
 * An image of channel c (e.g. its detection SNR map) resampled onto channel 0's pixel grid:
 * each reference pixel takes the bilinear value at its centre mapped into channel c; outside
 * the image it is 0 (no detection there).
 */
export function warpToReference(
  img: Float64Array,
  w: number,
  h: number,
  fromReference: PointFn,
): Float64Array {
  const out = new Float64Array(w * h);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const [x, y] = fromReference(i + 0.5, j + 0.5);
      // Pixel centres sit at +0.5: index space is shifted by half a pixel.
      const fx = x - 0.5;
      const fy = y - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const tx = fx - x0;
      const ty = fy - y0;
      const k = y0 * w + x0;
      out[j * w + i] =
        (1 - ty) * ((1 - tx) * img[k] + tx * img[k + 1]) + ty * ((1 - tx) * img[k + w] + tx * img[k + w + 1]);
    }
  return out;
}

/**
 * ROI masks for each counted channel: the shared reference masks for aligned channels, masks
 * around the mapped centres for registered ones. `clipped[ci]` counts EVs whose disc in that
 * channel lost pixels to the image edge (their signal is under-counted there).
 */
export function roiMasksPerChannel(
  x: Float64Array,
  y: Float64Array,
  width: number,
  height: number,
  roi: RoiParams,
  maps: readonly ChannelPixelMaps[],
): { masks: RoiMasks[]; clipped: number[] } {
  const reference = buildRoiMasks(x, y, width, height, roi);
  const fullDisc = discPixelCount(roi.radiusPx);
  const masks: RoiMasks[] = [];
  const clipped: number[] = [];
  for (const m of maps) {
    if (!m.fromReference) {
      masks.push(reference);
      clipped.push(0);
      continue;
    }
    const cx = new Float64Array(x.length);
    const cy = new Float64Array(x.length);
    for (let e = 0; e < x.length; e++) [cx[e], cy[e]] = m.fromReference(x[e], y[e]);
    const mk = buildRoiMasks(cx, cy, width, height, roi);
    let n = 0;
    for (let e = 0; e < x.length; e++) {
      const inside =
        cx[e] - roi.radiusPx >= 0 &&
        cy[e] - roi.radiusPx >= 0 &&
        cx[e] + roi.radiusPx <= width &&
        cy[e] + roi.radiusPx <= height;
      if (!inside && mk.discStart[e + 1] - mk.discStart[e] < fullDisc(cx[e], cy[e])) n++;
    }
    masks.push(mk);
    clipped.push(n);
  }
  return { masks, clipped };
}

/** Pixels of a disc of radius r around a sub-pixel centre, unclipped. */
function discPixelCount(r: number): (x: number, y: number) => number {
  return (x, y) => {
    let n = 0;
    const reach = Math.ceil(r) + 1;
    const px = Math.floor(x);
    const py = Math.floor(y);
    for (let yy = py - reach; yy <= py + reach; yy++)
      for (let xx = px - reach; xx <= px + reach; xx++)
        if ((xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2 <= r * r) n++;
    return n;
  };
}
