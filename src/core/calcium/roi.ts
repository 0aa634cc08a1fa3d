// ImageJ ROI files (.roi) and RoiSet archives (.zip of .roi), read per ImageJ's RoiDecoder.
// Written here because npm has no maintained parser: neither `imagej-roi` nor `roi-reader`
// exists on the registry, and the few ImageJ-ROI readers there are are Python (ijroi,
// roifile). Area types only: polygon, rectangle, oval, freehand and traced; lines, points and
// composite (shape) ROIs have no interior to average over and are reported, not guessed at.
//
// Layout (big-endian): 0 "Iout"; 4 version u16; 6 type u8; 8 top, 10 left, 12 bottom, 14 right
// (i16); 16 n coordinates (u16; 0 with a large polygon: then i32 at 18); 36 shape-ROI size i32;
// 50 options u16 (128 = sub-pixel); 60 header-2 offset i32; 64 coordinates: n × i16 x relative to
// left, then n × i16 y relative to top; with sub-pixel resolution n × f32 x then n × f32 y,
// absolute. Header 2: name offset i32 at +16 and name length (UTF-16 chars) i32 at +20.
import { openZip } from '../io/zip';

export type RoiKind = 'polygon' | 'rect' | 'oval' | 'freehand' | 'traced';

export interface ImageJRoi {
  name: string;
  kind: RoiKind;
  top: number;
  left: number;
  bottom: number;
  right: number;
  /** Vertices in pixel coordinates (pixel corners at integers), for polygon kinds. */
  x: Float64Array;
  y: Float64Array;
}

const TYPES: Record<number, RoiKind | string> = {
  0: 'polygon',
  1: 'rect',
  2: 'oval',
  3: 'line',
  4: 'freeline',
  5: 'polyline',
  6: 'noRoi',
  7: 'freehand',
  8: 'traced',
  9: 'angle',
  10: 'point',
};
const AREA_KINDS = new Set(['polygon', 'rect', 'oval', 'freehand', 'traced']);
const SUB_PIXEL = 128;

export class RoiError extends Error {
  override name = 'RoiError';
}

/** Decodes one .roi file. Throws RoiError naming the problem for non-area or damaged ROIs. */
export function decodeRoi(bytes: Uint8Array, fallbackName = 'roi'): ImageJRoi {
  if (bytes.length < 64)
    throw new RoiError(`${fallbackName}: not an ImageJ ROI (${bytes.length} bytes, the header alone is 64)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'Iout') throw new RoiError(`${fallbackName}: not an ImageJ ROI (no "Iout" signature)`);
  const version = dv.getUint16(4);
  const typeCode = bytes[6];
  const kind = TYPES[typeCode] ?? `type ${typeCode}`;
  const top = dv.getInt16(8);
  const left = dv.getInt16(10);
  const bottom = dv.getInt16(12);
  const right = dv.getInt16(14);
  const shapeSize = dv.getInt32(36);
  const options = dv.getUint16(50);
  const name = roiName(dv, bytes, fallbackName);
  if (shapeSize > 0)
    throw new RoiError(`${name}: composite (shape) ROIs are not supported; convert to a polygon in ImageJ`);
  if (!AREA_KINDS.has(kind)) throw new RoiError(`${name}: a ${kind} ROI has no area to measure`);
  if (!(right > left && bottom > top))
    throw new RoiError(`${name}: empty bounds ${left},${top}–${right},${bottom}`);
  const base = { name, kind: kind as RoiKind, top, left, bottom, right };
  if (kind === 'rect' || kind === 'oval') return { ...base, x: new Float64Array(0), y: new Float64Array(0) };
  let n = dv.getUint16(16);
  if (n === 0) n = dv.getInt32(18);
  if (n < 3) throw new RoiError(`${name}: a polygon needs ≥ 3 vertices (has ${n})`);
  const subPixel = version >= 222 && (options & SUB_PIXEL) !== 0;
  const need = 64 + 4 * n + (subPixel ? 8 * n : 0);
  if (bytes.length < need)
    throw new RoiError(`${name}: truncated (${bytes.length} bytes, ${n} vertices need ${need})`);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (subPixel) {
    const b1 = 64 + 4 * n;
    for (let i = 0; i < n; i++) {
      x[i] = dv.getFloat32(b1 + 4 * i);
      y[i] = dv.getFloat32(b1 + 4 * n + 4 * i);
    }
  } else
    for (let i = 0; i < n; i++) {
      x[i] = left + dv.getInt16(64 + 2 * i);
      y[i] = top + dv.getInt16(64 + 2 * n + 2 * i);
    }
  return { ...base, x, y };
}

function roiName(dv: DataView, bytes: Uint8Array, fallback: string): string {
  const h2 = dv.getInt32(60);
  if (h2 <= 64 || h2 + 24 > bytes.length) return fallback;
  const off = dv.getInt32(h2 + 16);
  const len = dv.getInt32(h2 + 20);
  if (off <= 0 || len <= 0 || off + 2 * len > bytes.length) return fallback;
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(dv.getUint16(off + 2 * i));
  return s;
}

export interface RoiSet {
  rois: ImageJRoi[];
  /** ROIs left out, each with the reason. */
  skipped: string[];
}

/** A .roi file or an ImageJ RoiSet .zip (told apart by their signatures). */
export function readRois(bytes: Uint8Array, fileName = 'roi'): RoiSet {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const zip = openZip(bytes);
    const rois: ImageJRoi[] = [];
    const skipped: string[] = [];
    for (const name of [...zip.entries.keys()].sort()) {
      if (!name.toLowerCase().endsWith('.roi')) continue;
      try {
        rois.push(decodeRoi(zip.read(name, 1 << 24), name.replace(/\.roi$/i, '')));
      } catch (e) {
        skipped.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (!rois.length)
      throw new RoiError(
        `${fileName}: no usable area ROI in the archive${skipped.length ? ` (${skipped.join('; ')})` : ''}`,
      );
    return { rois, skipped };
  }
  return { rois: [decodeRoi(bytes, fileName.replace(/\.roi$/i, ''))], skipped: [] };
}

/**
 * Label image of ROIs: ROI i (0-based) → label i + 1 on the pixels whose centres lie inside it
 * (even-odd rule for polygons, ImageJ's own mask convention). A pixel claimed by two ROIs keeps
 * the first; `overlapPx` counts such pixels.
 */
export function rasteriseRois(
  rois: readonly ImageJRoi[],
  width: number,
  height: number,
): { labels: Int32Array; overlapPx: number; outside: string[] } {
  const labels = new Int32Array(width * height);
  let overlapPx = 0;
  const outside: string[] = [];
  rois.forEach((r, i) => {
    let painted = 0;
    const paint = (px: number, py: number) => {
      const p = py * width + px;
      if (labels[p]) overlapPx++;
      else {
        labels[p] = i + 1;
        painted++;
      }
    };
    const x0 = Math.max(0, r.left);
    const x1 = Math.min(width, r.right);
    const y0 = Math.max(0, r.top);
    const y1 = Math.min(height, r.bottom);
    if (r.kind === 'rect') {
      for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) paint(px, py);
    } else if (r.kind === 'oval') {
      const cx = (r.left + r.right) / 2;
      const cy = (r.top + r.bottom) / 2;
      const rx = (r.right - r.left) / 2;
      const ry = (r.bottom - r.top) / 2;
      for (let py = y0; py < y1; py++)
        for (let px = x0; px < x1; px++) {
          const u = (px + 0.5 - cx) / rx;
          const v = (py + 0.5 - cy) / ry;
          if (u * u + v * v <= 1) paint(px, py);
        }
    } else fillPolygon(r.x, r.y, width, height, paint);
    if (!painted) outside.push(r.name);
  });
  return { labels, overlapPx, outside };
}

/** Scanline fill at pixel centres (even-odd). */
export function fillPolygon(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  width: number,
  height: number,
  paint: (x: number, y: number) => void,
): void {
  const n = xs.length;
  let ymin = Number.POSITIVE_INFINITY;
  let ymax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    ymin = Math.min(ymin, ys[i]);
    ymax = Math.max(ymax, ys[i]);
  }
  const cross: number[] = [];
  for (let py = Math.max(0, Math.floor(ymin)); py < Math.min(height, Math.ceil(ymax)); py++) {
    const yc = py + 0.5;
    cross.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ya = ys[j];
      const yb = ys[i];
      if (ya <= yc !== yb <= yc) cross.push(xs[j] + ((yc - ya) / (yb - ya)) * (xs[i] - xs[j]));
    }
    cross.sort((a, b) => a - b);
    for (let k = 0; k + 1 < cross.length; k += 2) {
      // Pixel px is inside when its centre px + 0.5 lies in [cross[k], cross[k+1]).
      const from = Math.max(0, Math.ceil(cross[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(cross[k + 1] - 0.5) - 1);
      for (let px = from; px <= to; px++) paint(px, py);
    }
  }
}
