// Insight3 binary molecule lists (".bin", as written by storm-analysis and Insight3): a 16-byte
// header ("M425", frames, status, molecule count), then 18 little-endian 4-byte fields per
// molecule: x y xc yc h a w phi ax bg i (float32) c fi fr tl lk (int32) z zc (float32).
// Positions are in pixels with the centre of the first pixel at 1 (storm-analysis' PROVENANCE
// check: x_ThunderSTORM[nm] = (x_i3 − 0.5) × pixel size); frames are 1-based.
import type { LocTable } from '../locs/table';

const RECORD = 72;
const HEADER = 16;

export interface Insight3Options {
  pixelSizeNm: number;
  /** Use drift-corrected positions (xc, yc) instead of raw (x, y). */
  driftCorrected?: boolean;
  fileName?: string;
}

export function readInsight3Bin(bytes: Uint8Array, options: Insight3Options): LocTable {
  const name = options.fileName ?? 'Insight3 file';
  if (bytes.length < HEADER)
    throw new Error(`${name}: too short for an Insight3 header (${bytes.length} bytes)`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'M425')
    throw new Error(`${name}: not an Insight3 .bin file (magic "${magic}", expected "M425")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getInt32(12, true);
  if (n < 0 || HEADER + n * RECORD > bytes.length) {
    throw new Error(
      `${name}: header says ${n} molecules but the file holds ${Math.floor((bytes.length - HEADER) / RECORD)}`,
    );
  }
  const px = options.pixelSizeNm;
  if (!(px > 0)) throw new Error(`${name}: a pixel size in nm is needed to convert Insight3 pixels`);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const photons = new Float32Array(n);
  const bg = new Float32Array(n);
  const height = new Float32Array(n);
  const width = new Float32Array(n);
  const z = new Float64Array(n);
  const category = new Int32Array(n);
  const xo = options.driftCorrected ? 8 : 0;
  for (let i = 0; i < n; i++) {
    const o = HEADER + i * RECORD;
    x[i] = (view.getFloat32(o + xo, true) - 0.5) * px;
    y[i] = (view.getFloat32(o + xo + 4, true) - 0.5) * px;
    height[i] = view.getFloat32(o + 16, true);
    photons[i] = view.getFloat32(o + 20, true);
    width[i] = view.getFloat32(o + 24, true);
    bg[i] = view.getFloat32(o + 36, true);
    category[i] = view.getInt32(o + 44, true);
    const fr = view.getInt32(o + 52, true);
    if (fr < 1) throw new Error(`${name}: molecule ${i + 1} has frame ${fr}; Insight3 frames start at 1`);
    frame[i] = fr - 1;
    z[i] = view.getFloat32(o + 64, true);
  }
  return { length: n, columns: { frame, x, y, photons, bg, height, width, z, category } };
}
