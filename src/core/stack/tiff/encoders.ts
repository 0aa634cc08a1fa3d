// Compressors for the TIFF writer: Deflate (zlib-wrapped, TIFF compression 8, via fflate), LZW
// (TIFF's MSB-first 9–12-bit codes with "early change", the inverse of codecs.ts' decoder) and
// the horizontal-differencing predictor (TIFF Predictor 2) that makes smooth integer images
// compress better.
import { zlibSync } from 'fflate';

export type TiffCompression = 'none' | 'deflate' | 'lzw';

/** TIFF Compression tag values written. */
export const COMPRESSION_CODE: Record<TiffCompression, number> = { none: 1, lzw: 5, deflate: 8 };

/**
 * Upper bound of compressed size ÷ raw size, so the writer can decide on BigTIFF before the first
 * frame: Deflate stores incompressible blocks with 5 bytes per 64 KiB; LZW's worst case is one
 * 12-bit code per byte.
 */
export const WORST_EXPANSION: Record<TiffCompression, number> = { none: 1, deflate: 1.001, lzw: 1.5 };

/** Predictor 2 in place: each sample becomes its difference to the left neighbour in its row. */
export function horizontalDifferencing(
  samples: Uint8Array | Uint16Array | Uint32Array,
  width: number,
  rows: number,
): void {
  for (let r = rows - 1; r >= 0; r--) {
    const start = r * width;
    // Right to left so every difference uses the original left neighbour; unsigned wrap-around
    // is exactly what the reader's cumulative sum undoes.
    for (let i = start + width - 1; i > start; i--) samples[i] -= samples[i - 1];
  }
}

export function encodeDeflate(data: Uint8Array, level: number): Uint8Array {
  return zlibSync(data, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });
}

const CLEAR = 256;
const EOI = 257;
/** Codes are cleared before the table would need a 13th bit. */
const LAST_CODE = 4093;
const HASH_SIZE = 1 << 14;

/**
 * TIFF LZW. The code width follows the decoder's table, which lags the encoder's by one entry;
 * "early change" widens one code before the table fills the current width.
 */
export function encodeLzw(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(64, Math.ceil(data.length * 1.55) + 16));
  let bitBuf = 0;
  let bitCount = 0;
  let o = 0;
  let width = 9;
  let decNext = 258;
  let decHasPrev = false;
  const put = (code: number) => {
    bitBuf = (bitBuf << width) | code;
    bitCount += width;
    while (bitCount >= 8) {
      bitCount -= 8;
      out[o++] = (bitBuf >>> bitCount) & 0xff;
    }
    bitBuf &= (1 << bitCount) - 1;
    if (code === CLEAR) {
      width = 9;
      decNext = 258;
      decHasPrev = false;
      return;
    }
    if (decHasPrev && decNext < 4096) decNext++;
    decHasPrev = true;
    if (decNext + 1 >= 1 << width && width < 12) width++;
  };
  // Open addressing on (prefix code << 8 | byte).
  const keys = new Int32Array(HASH_SIZE);
  const vals = new Int32Array(HASH_SIZE);
  const reset = () => keys.fill(-1);
  reset();
  let next = 258;
  put(CLEAR);
  if (data.length === 0) {
    put(EOI);
  } else {
    let w = data[0];
    for (let i = 1; i < data.length; i++) {
      const c = data[i];
      const key = (w << 8) | c;
      let h = (Math.imul(key, 0x9e3779b1) >>> 18) & (HASH_SIZE - 1);
      while (keys[h] !== -1 && keys[h] !== key) h = (h + 1) & (HASH_SIZE - 1);
      if (keys[h] === key) {
        w = vals[h];
        continue;
      }
      put(w);
      keys[h] = key;
      vals[h] = next++;
      w = c;
      if (next >= LAST_CODE) {
        put(CLEAR);
        reset();
        next = 258;
      }
    }
    put(w);
    put(EOI);
  }
  if (bitCount > 0) out[o++] = (bitBuf << (8 - bitCount)) & 0xff;
  return out.subarray(0, o);
}
