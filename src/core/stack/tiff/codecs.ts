// Decompressors for the TIFF codecs microscopy files use. Own LZW and PackBits (a few dozen lines
// each, so core keeps no dependency on geotiff's worker-oriented decoder registry) and fflate for
// Deflate. Every decoder writes into an output of the size the IFD implies, so a corrupt or
// malicious block can never allocate more than one block's worth of pixels.
import { inflateSync, unzlibSync } from 'fflate';

export const Compression = {
  None: 1,
  Lzw: 5,
  Jpeg: 7,
  OldJpeg: 6,
  AdobeDeflate: 8,
  PackBits: 32773,
  Deflate: 32946,
} as const;

export function compressionSupported(c: number): boolean {
  return c === 1 || c === 5 || c === 8 || c === 32946 || c === 32773;
}

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'uncompressed',
  5: 'LZW',
  8: 'Deflate',
  32946: 'Deflate',
  32773: 'PackBits',
  2: 'CCITT RLE',
  3: 'CCITT fax 3',
  4: 'CCITT fax 4',
  6: 'old-style JPEG',
  7: 'JPEG',
  34712: 'JPEG 2000',
  50000: 'Zstandard',
  34887: 'LERC',
  50001: 'WebP',
};

export function compressionName(c: number): string {
  return COMPRESSION_NAMES[c] ?? `code ${c}`;
}

/**
 * Decodes one strip or tile into exactly `expected` bytes. Throws a plain Error with the reason
 * (the caller wraps it into a StackError naming the file and frame).
 */
export function decodeBlock(compression: number, data: Uint8Array, expected: number): Uint8Array {
  switch (compression) {
    case Compression.Lzw:
      return decodeLzw(data, expected);
    case Compression.PackBits:
      return decodePackBits(data, expected);
    case Compression.AdobeDeflate:
    case Compression.Deflate:
      return decodeDeflate(data, expected);
    default:
      throw new Error(`unsupported compression ${compressionName(compression)}`);
  }
}

function decodeDeflate(data: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  // TIFF Deflate is zlib-wrapped; a few old writers stored a bare deflate stream.
  const zlibHeader = data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0;
  let result: Uint8Array;
  try {
    result = zlibHeader ? unzlibSync(data, { out }) : inflateSync(data, { out });
  } catch (e) {
    throw new Error(`corrupt or truncated deflate data (${(e as Error).message})`);
  }
  if (result.length < expected) throw new Error(`deflate block holds ${result.length} of ${expected} bytes`);
  const pixels = result.buffer === out.buffer ? out : result.subarray(0, expected);
  // fflate does not check the zlib trailer: without this, flipped payload bytes that still
  // inflate would read as valid pixels.
  if (zlibHeader && !hasAdlerTrailer(data, adler32(pixels)))
    throw new Error('deflate data fail their Adler-32 checksum (the file is damaged)');
  return pixels;
}

/** Adler-32 (RFC 1950) of `data`. */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const n = data.length;
  // 5552 bytes is zlib's NMAX: the most whose running sums stay below 2^32 between reductions.
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * The trailer sits right after the deflate stream; writers may pad a strip after it, so the
 * last few bytes are searched (a chance match of a wrong checksum is 1 in 2^32 per position).
 */
function hasAdlerTrailer(data: Uint8Array, adler: number): boolean {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let p = data.length - 4; p >= Math.max(2, data.length - 4 - 64); p--)
    if (dv.getUint32(p, false) === adler) return true;
  return false;
}

/** TIFF PackBits: a header byte n gives n+1 literal bytes (n ≥ 0) or 1-n repeats of the next (n < 0). */
export function decodePackBits(data: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0;
  let o = 0;
  while (o < expected && i < data.length) {
    const n = (data[i++] << 24) >> 24;
    if (n >= 0) {
      const len = Math.min(n + 1, expected - o, data.length - i);
      out.set(data.subarray(i, i + len), o);
      i += n + 1;
      o += len;
    } else if (n !== -128) {
      const len = Math.min(1 - n, expected - o);
      out.fill(data[i++], o, o + len);
      o += len;
    }
  }
  if (o < expected) throw new Error(`PackBits block holds ${o} of ${expected} bytes`);
  return out;
}

const CLEAR = 256;
const EOI = 257;

/**
 * TIFF LZW (MSB-first codes, 9–12 bits, "early change"). Each table entry is stored as a
 * (start, length) range of the output already written, because an LZW string is always the
 * previous string plus one byte, and that byte is the first of the string emitted next.
 */
export function decodeLzw(data: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  const start = new Int32Array(4096);
  const length = new Int32Array(4096);
  let o = 0;
  let bitPos = 0;
  const totalBits = data.length * 8;
  let width = 9;
  let next = 258;
  let prev = -1;
  let prevStart = 0;
  let prevLen = 0;
  while (o < expected) {
    if (bitPos + width > totalBits) break;
    // Read `width` bits MSB-first from up to three bytes.
    const byte = bitPos >>> 3;
    const chunk = (data[byte] << 16) | ((data[byte + 1] ?? 0) << 8) | (data[byte + 2] ?? 0);
    const code = (chunk >>> (24 - (bitPos & 7) - width)) & ((1 << width) - 1);
    bitPos += width;
    if (code === EOI) break;
    if (code === CLEAR) {
      width = 9;
      next = 258;
      prev = -1;
      continue;
    }
    const at = o;
    if (code < 256) {
      out[o++] = code;
    } else if (code < next && prev >= 0) {
      const len = Math.min(length[code], expected - o);
      out.copyWithin(o, start[code], start[code] + len);
      o += len;
    } else if (code === next && prev >= 0) {
      // The KwKwK case: the code being defined is used at once; it is prev + prev's first byte.
      const len = Math.min(prevLen, expected - o);
      out.copyWithin(o, prevStart, prevStart + len);
      o += len;
      if (o < expected) out[o++] = out[prevStart];
    } else {
      throw new Error(`corrupt LZW data (code ${code} before it is defined)`);
    }
    if (prev >= 0 && next < 4096) {
      start[next] = prevStart;
      length[next] = prevLen + 1;
      next++;
    }
    prev = code;
    prevStart = at;
    prevLen = o - at;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  if (o < expected) throw new Error(`LZW block holds ${o} of ${expected} bytes`);
  return out;
}
