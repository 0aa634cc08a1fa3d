// PNG writer for rendered images (8-bit grey or RGBA). Pure: zlib via fflate, CRC-32 as the ZIP
// writer computes it, so the CLI and the render worker produce byte-identical files.
import { zlibSync } from 'fflate';
import { concatParts, crc32 } from './zip';

export interface PngImage {
  width: number;
  height: number;
  /** Row-major samples: width·height for 'gray', 4·width·height for 'rgba'. */
  data: Uint8Array | Uint8ClampedArray;
  color: 'gray' | 'rgba';
}

export interface PngOptions {
  /** Physical pixel size (nm), written as a pHYs chunk so viewers know the scale. */
  pixelSizeNm?: number;
  /** Key/value tEXt chunks (Latin-1 keys of 1–79 characters). */
  text?: Record<string, string>;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    b[i] = c < 256 ? c : 63; // '?' for what Latin-1 cannot hold
  }
  return b;
}

export function encodePng(img: PngImage, opts: PngOptions = {}): Uint8Array {
  const { width, height, data, color } = img;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new Error(`PNG size must be positive integers, got ${width}×${height}`);
  const channels = color === 'rgba' ? 4 : 1;
  const stride = width * channels;
  if (data.length !== stride * height)
    throw new Error(`PNG data has ${data.length} samples, expected ${stride * height}`);
  // Filter type 0 (None) per row: rendered reconstructions are mostly black, which deflate
  // already compresses well; adaptive filtering would cost more time than it saves bytes.
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = color === 'rgba' ? 6 : 0;
  const parts: Uint8Array[] = [new Uint8Array(SIGNATURE), chunk('IHDR', ihdr)];
  if (opts.pixelSizeNm && opts.pixelSizeNm > 0) {
    const phys = new Uint8Array(9);
    const pv = new DataView(phys.buffer);
    const perMetre = Math.round(1e9 / opts.pixelSizeNm);
    pv.setUint32(0, perMetre);
    pv.setUint32(4, perMetre);
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  for (const [k, v] of Object.entries(opts.text ?? {})) {
    if (!(k.length >= 1 && k.length <= 79)) throw new Error(`PNG text key must have 1–79 characters: "${k}"`);
    const kb = latin1(k);
    const vb = latin1(v);
    const body = new Uint8Array(kb.length + 1 + vb.length);
    body.set(kb, 0);
    body.set(vb, kb.length + 1);
    parts.push(chunk('tEXt', body));
  }
  parts.push(chunk('IDAT', zlibSync(raw, { level: 6 })));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return concatParts(parts);
}
