// Pixels of one TIFF page (one IFD), strips or tiles, any supported codec, native-endian.
// Uncompressed strips that follow each other in the file are fetched with one ranged read and
// viewed in place (after a byte swap when the file order differs), which is what makes reading
// fast: no per-sample copies as in geotiff's readRasters.
import { MAX_FRAME_PIXELS, pixelTypeFor, toNativeOrder, typedView } from '../pixels';
import { type ByteSource, type PixelArray, type PixelType, StackError } from '../types';
import { compressionName, compressionSupported, decodeBlock } from './codecs';
import type { TiffDirectory } from './ifd';

/** Checks that evscope can read pages like `dir` and returns their pixel type. */
export function pagePixelType(name: string, dir: TiffDirectory): PixelType {
  if (dir.samplesPerPixel > 1) {
    throw new StackError(
      name,
      `unsupported: ${dir.samplesPerPixel} samples per pixel (RGB/colour image); save the channel(s) as greyscale`,
    );
  }
  if (dir.photometric > 1 && dir.photometric !== 32844) {
    throw new StackError(
      name,
      `unsupported photometric interpretation ${dir.photometric} (palette/colour image)`,
    );
  }
  const dtype = pixelTypeFor(dir.bitsPerSample, dir.sampleFormat);
  if (!dtype) {
    const kind = dir.sampleFormat === 3 ? 'float' : dir.sampleFormat === 2 ? 'signed' : 'unsigned';
    throw new StackError(name, `unsupported pixel type: ${dir.bitsPerSample}-bit ${kind}`);
  }
  if (!compressionSupported(dir.compression)) {
    throw new StackError(name, `unsupported compression: ${compressionName(dir.compression)}`);
  }
  if (dir.predictor !== 1 && !(dir.predictor === 2 && dtype !== 'float32' && dtype !== 'float64')) {
    throw new StackError(name, `unsupported predictor ${dir.predictor} for ${dtype} data`);
  }
  if (dir.width * dir.height > MAX_FRAME_PIXELS) {
    throw new StackError(name, `absurd frame size ${dir.width}×${dir.height} (more than 2^31 pixels)`);
  }
  return dtype;
}

interface Block {
  x: number;
  y: number;
  /** Rows that hold image data (the last strip is often shorter). */
  rows: number;
  offset: number;
  byteCount: number;
}

function blocksOf(name: string, dir: TiffDirectory, bytesPerSample: number, label: string): Block[] {
  const across = Math.ceil(dir.width / dir.blockWidth);
  const down = Math.ceil(dir.height / dir.blockHeight);
  const n = across * down;
  if (dir.blockOffsets.length < n) {
    throw new StackError(
      name,
      `${label}: ${dir.blockOffsets.length} ${dir.tiled ? 'tiles' : 'strips'} listed, ${n} needed`,
    );
  }
  const blocks: Block[] = [];
  for (let k = 0; k < n; k++) {
    const x = (k % across) * dir.blockWidth;
    const y = Math.floor(k / across) * dir.blockHeight;
    const rows = dir.tiled ? dir.blockHeight : Math.min(dir.blockHeight, dir.height - y);
    const full = dir.blockWidth * rows * bytesPerSample;
    const byteCount = dir.compression === 1 ? full : (dir.blockByteCounts[k] ?? 0);
    if (dir.compression !== 1 && !dir.blockByteCounts.length) {
      throw new StackError(name, `${label}: compressed data without byte counts`);
    }
    // libtiff refuses these too: a zero count or offset is a strip the writer never wrote, and
    // reading it as zeros (or as the header's bytes) would pass for a dark frame.
    if (dir.blockOffsets[k] === 0 || (dir.blockByteCounts.length && !(dir.blockByteCounts[k] > 0))) {
      throw new StackError(
        name,
        `${label}: ${dir.tiled ? 'tile' : 'strip'} ${k + 1} has no data (byte count ${dir.blockByteCounts[k] ?? 'missing'}, offset ${dir.blockOffsets[k]})`,
      );
    }
    const expected = dir.blockWidth * rows * bytesPerSample;
    if (byteCount * maxExpansion(dir.compression) < expected) {
      throw new StackError(
        name,
        `${label}: ${dir.tiled ? 'tile' : 'strip'} ${k + 1} holds ${byteCount} bytes of ${compressionName(dir.compression)} data, which cannot expand to the ${expected} bytes its ${dir.width}×${dir.height} page declares`,
      );
    }
    blocks.push({ x, y, rows, offset: dir.blockOffsets[k], byteCount });
  }
  return blocks;
}

/**
 * Most output bytes one stored byte can decode to: DEFLATE 1032 (258-byte matches in under two
 * bits), LZW 4096 bytes per 9-bit code, PackBits 128 per 2 bytes. A page claiming more than its
 * strips can hold is refused before its pixel buffer is allocated.
 */
function maxExpansion(compression: number): number {
  switch (compression) {
    case 1:
      return 1;
    case 8:
    case 32946:
      return 1032;
    case 5:
      return Math.ceil((4096 * 8) / 9);
    case 32773:
      return 64;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** Reads with the frame named in any error, and a clear message when bytes lie beyond the end. */
export async function readBytes(
  src: ByteSource,
  offset: number,
  length: number,
  label: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (offset + length > src.size) {
    throw new StackError(
      src.name,
      `${label}: its pixel data (bytes ${offset}..${offset + length}) lies beyond the end of the file (${src.size} bytes); the file is truncated`,
    );
  }
  return src.read(offset, length, signal);
}

export async function readPage(
  src: ByteSource,
  dir: TiffDirectory,
  dtype: PixelType,
  littleEndian: boolean,
  label: string,
  signal?: AbortSignal,
): Promise<PixelArray> {
  const bps = dir.bitsPerSample / 8;
  const frameBytes = dir.width * dir.height * bps;
  const blocks = blocksOf(src.name, dir, bps, label);
  if (dir.compression === 1 && !dir.tiled) {
    let contiguous = true;
    for (let k = 1; k < blocks.length && contiguous; k++) {
      contiguous = blocks[k].offset === blocks[k - 1].offset + blocks[k - 1].byteCount;
    }
    if (contiguous) {
      const bytes = await readBytes(src, blocks[0].offset, frameBytes, label, signal);
      toNativeOrder(bytes, bps, littleEndian);
      return typedView(dtype, bytes);
    }
  }
  const out = new Uint8Array(frameBytes);
  const rowBytes = dir.width * bps;
  const blockRowBytes = dir.blockWidth * bps;
  const raws = await Promise.all(blocks.map((b) => readBytes(src, b.offset, b.byteCount, label, signal)));
  signal?.throwIfAborted();
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k];
    const expected = blockRowBytes * b.rows;
    let data: Uint8Array;
    try {
      data = dir.compression === 1 ? raws[k] : decodeBlock(dir.compression, raws[k], expected);
    } catch (e) {
      throw new StackError(
        src.name,
        `${label}: ${dir.tiled ? 'tile' : 'strip'} ${k + 1}: ${(e as Error).message}`,
      );
    }
    toNativeOrder(data, bps, littleEndian);
    if (dir.predictor === 2) undoHorizontalDifferencing(data, bps, dir.blockWidth, b.rows);
    const copyBytes = Math.min(dir.blockWidth, dir.width - b.x) * bps;
    const rows = Math.min(b.rows, dir.height - b.y);
    for (let r = 0; r < rows; r++) {
      const from = r * blockRowBytes;
      out.set(data.subarray(from, from + copyBytes), (b.y + r) * rowBytes + b.x * bps);
    }
  }
  return typedView(dtype, out);
}

/** Predictor 2: each sample was stored as the difference to its left neighbour within the row. */
function undoHorizontalDifferencing(data: Uint8Array, bps: number, width: number, rows: number): void {
  const n = width * rows;
  const a =
    bps === 1
      ? data
      : bps === 2
        ? new Uint16Array(data.buffer, data.byteOffset, n)
        : new Uint32Array(data.buffer, data.byteOffset, n);
  // Unsigned wrap-around arithmetic is exactly what the encoder's signed differences need.
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    for (let i = start + 1; i < start + width; i++) a[i] += a[i - 1];
  }
}
