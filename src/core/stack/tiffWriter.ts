// Writes a little-endian multi-page TIFF, frame by frame through a sink, so a converter never
// holds more than one frame. The ImageJ-style description (images=, frames=, unit=, finterval=)
// plus XResolution give Fiji and evscope's reader the pixel size and frame interval.
// Uncompressed files use ImageJ's own layout — header | IFD 0 | frames 0…N−1 contiguous | IFDs
// 1…N−1 — because ImageJ reads an uncompressed stack whose description says images=N from IFD 0
// alone, assuming the pixel data is one run; every offset is known in advance, so nothing is
// patched afterwards and the sink can be a stream. Compressed frames have sizes known only once
// encoded, so each IFD precedes its frame and points past it (header | IFD 0 | data 0 | IFD 1 |
// data 1 …); ImageJ walks every IFD of a compressed file instead of assuming one run.
import { bytesPerPixel, NATIVE_LITTLE_ENDIAN, swapBytes } from './pixels';
import {
  encodeHeader,
  encodeIfd,
  FieldType,
  type IfdField,
  type IfdFormat,
  ifdByteLength,
} from './tiff/encodeIfd';
import {
  COMPRESSION_CODE,
  encodeDeflate,
  encodeLzw,
  horizontalDifferencing,
  type TiffCompression,
  WORST_EXPANSION,
} from './tiff/encoders';
import { Tag } from './tiff/ifd';
import type { PixelArray, PixelType } from './types';

export type { TiffCompression } from './tiff/encoders';

export interface TiffWriterOptions {
  width: number;
  height: number;
  /** Time points; with several channels the file holds frameCount × channels pages. */
  frameCount: number;
  /** Channels per time point, written channel-fastest as an ImageJ hyperstack. Default 1. */
  channels?: number;
  dtype: PixelType;
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  /**
   * Default: BigTIFF exactly when the file could exceed 4 GiB (classic TIFF's 32-bit offsets);
   * for compressed files that is judged from the codec's worst-case expansion.
   */
  bigTiff?: boolean;
  /** Default 'none'. */
  compression?: TiffCompression;
  /** Horizontal differencing (TIFF Predictor 2) before compressing; integer types only. */
  predictor?: boolean;
  /** Deflate level 1–9 (default 6). */
  deflateLevel?: number;
  /**
   * A zlib-format compressor to use instead of fflate's (Node's native zlib is ~20× faster;
   * core code cannot import it).
   */
  deflate?: (bytes: Uint8Array, level: number) => Uint8Array | Promise<Uint8Array>;
  /** More ImageJ description lines ("key=value"), e.g. a value calibration. */
  descriptionLines?: string[];
  /** Receives the file's bytes in order; awaited, so a slow disk applies back-pressure. */
  sink: (chunk: Uint8Array) => void | Promise<void>;
}

export interface TiffWriter {
  readonly bigTiff: boolean;
  /**
   * File size in bytes: uncompressed, the final size, known before the first frame is written;
   * compressed, the bytes written so far (the final size after close()).
   */
  readonly totalBytes: number;
  writeFrame(pixels: PixelArray): Promise<void>;
  /** Writes what follows the last frame and checks that every announced frame was written. */
  close(): Promise<void>;
}

const IMAGEJ_VERSION = '1.54f';

function sampleFormat(dtype: PixelType): number {
  return dtype.startsWith('float') ? 3 : dtype.startsWith('int') ? 2 : 1;
}

export function imageJDescription(
  frameCount: number,
  pixelSizeNm?: number,
  frameIntervalMs?: number,
  channels = 1,
  extra: readonly string[] = [],
): string {
  const lines = [`ImageJ=${IMAGEJ_VERSION}`, `images=${frameCount * channels}`];
  if (channels > 1) lines.push(`channels=${channels}`);
  if (frameCount > 1) lines.push(`frames=${frameCount}`);
  if (channels > 1) lines.push('hyperstack=true', 'mode=composite');
  if (pixelSizeNm) lines.push('unit=micron');
  if (frameIntervalMs) lines.push(`finterval=${frameIntervalMs / 1000}`);
  lines.push(...extra);
  if (frameCount > 1) lines.push('loop=false');
  return `${lines.join('\n')}\n`;
}

/** XResolution as a rational in pixels per micron, precise to ~1e-9 for any microscope pixel. */
function pixelsPerMicron(pixelSizeNm: number): number[] {
  const perMicron = 1000 / pixelSizeNm;
  let den = 1_000_000_000;
  while (perMicron * den > 0xffffffff && den > 1) den = Math.floor(den / 10);
  return [Math.round(perMicron * den), den];
}

function checkOptions(options: TiffWriterOptions): void {
  const { width, height } = options;
  const channels = options.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1))
    throw new RangeError(`invalid channel count ${channels}`);
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`invalid frame size ${width}×${height}`);
  }
  if (!(Number.isInteger(options.frameCount) && options.frameCount > 0))
    throw new RangeError(`invalid frame count ${options.frameCount}`);
  if (options.predictor && options.dtype.startsWith('float'))
    throw new RangeError('the differencing predictor is for integer pixels only');
}

/** The frame's bytes, little-endian, predicted and compressed as asked (never the caller's buffer when changed). */
async function frameBytesOf(
  pixels: PixelArray,
  frameBytes: number,
  bpp: number,
  o: TiffWriterOptions,
): Promise<Uint8Array> {
  let bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, frameBytes);
  const compression = o.compression ?? 'none';
  if (o.predictor && compression !== 'none') {
    const copy = pixels.slice() as Uint8Array | Uint16Array | Uint32Array;
    horizontalDifferencing(copy, o.width, o.height);
    bytes = new Uint8Array(copy.buffer, 0, frameBytes);
  }
  if (!NATIVE_LITTLE_ENDIAN && bpp > 1) {
    bytes = bytes.buffer === pixels.buffer ? bytes.slice() : bytes;
    swapBytes(bytes, bpp);
  }
  if (compression === 'deflate') return (o.deflate ?? encodeDeflate)(bytes, o.deflateLevel ?? 6);
  if (compression === 'lzw') return encodeLzw(bytes);
  return bytes;
}

export function createTiffWriter(options: TiffWriterOptions): TiffWriter {
  checkOptions(options);
  const { width, height, dtype, sink } = options;
  const channels = options.channels ?? 1;
  const compression = options.compression ?? 'none';
  // Everything below counts pages.
  const frameCount = options.frameCount * channels;
  const bpp = bytesPerPixel(dtype);
  const frameBytes = width * height * bpp;

  const fieldsFor = (page: number, bigTiff: boolean, stripOffset: number, stripBytes: number): IfdField[] => {
    const offType = bigTiff ? FieldType.LONG8 : FieldType.LONG;
    const fields: IfdField[] = [
      { tag: Tag.NewSubfileType, type: FieldType.LONG, values: [0] },
      { tag: Tag.ImageWidth, type: FieldType.LONG, values: [width] },
      { tag: Tag.ImageLength, type: FieldType.LONG, values: [height] },
      { tag: Tag.BitsPerSample, type: FieldType.SHORT, values: [bpp * 8] },
      { tag: Tag.Compression, type: FieldType.SHORT, values: [COMPRESSION_CODE[compression]] },
      { tag: Tag.Photometric, type: FieldType.SHORT, values: [1] },
    ];
    if (page === 0) {
      const text = new TextEncoder().encode(
        imageJDescription(
          options.frameCount,
          options.pixelSizeNm,
          options.frameIntervalMs,
          channels,
          options.descriptionLines,
        ),
      );
      const z = new Uint8Array(text.length + 1);
      z.set(text);
      fields.push({ tag: Tag.ImageDescription, type: FieldType.ASCII, values: z });
    }
    fields.push(
      { tag: Tag.StripOffsets, type: offType, values: [stripOffset] },
      { tag: Tag.SamplesPerPixel, type: FieldType.SHORT, values: [1] },
      { tag: Tag.RowsPerStrip, type: FieldType.LONG, values: [height] },
      { tag: Tag.StripByteCounts, type: offType, values: [stripBytes] },
    );
    if (options.pixelSizeNm) {
      const r = pixelsPerMicron(options.pixelSizeNm);
      fields.push(
        { tag: Tag.XResolution, type: FieldType.RATIONAL, values: r },
        { tag: 283, type: FieldType.RATIONAL, values: r },
        { tag: Tag.ResolutionUnit, type: FieldType.SHORT, values: [1] },
      );
    }
    if (options.predictor && compression !== 'none')
      fields.push({ tag: Tag.Predictor, type: FieldType.SHORT, values: [2] });
    fields.push({ tag: Tag.SampleFormat, type: FieldType.SHORT, values: [sampleFormat(dtype)] });
    return fields;
  };

  const layoutFor = (bigTiff: boolean) => {
    const fmt: IfdFormat = { littleEndian: true, bigTiff };
    const header = bigTiff ? 16 : 8;
    const ifd0 = ifdByteLength(fieldsFor(0, bigTiff, 0, 0), fmt);
    const ifdN = ifdByteLength(fieldsFor(1, bigTiff, 0, 0), fmt);
    const dataStart = header + ifd0;
    const dataEnd = dataStart + frameCount * frameBytes;
    const ifdsStart = dataEnd + (dataEnd & 1);
    const ifdAt = (k: number) => (k === 0 ? header : ifdsStart + (k - 1) * ifdN);
    const total = frameCount > 1 ? ifdAt(frameCount) : dataEnd;
    return { fmt, header, ifd0, ifdN, dataStart, dataEnd, ifdsStart, ifdAt, total };
  };

  const worst = (l: ReturnType<typeof layoutFor>) =>
    l.header +
    l.ifd0 +
    (frameCount - 1) * l.ifdN +
    frameCount * (Math.ceil(frameBytes * WORST_EXPANSION[compression]) + 64);
  let layout = layoutFor(options.bigTiff ?? false);
  if (options.bigTiff === undefined && worst(layout) > 0xffffffff) layout = layoutFor(true);
  const bigTiff = layout.fmt.bigTiff;
  let written = 0;
  let closed = false;
  let position = 0;
  const emit = async (chunk: Uint8Array) => {
    await sink(chunk);
    position += chunk.length;
  };

  const checkFrame = (pixels: PixelArray) => {
    if (written >= frameCount) throw new RangeError(`all ${frameCount} frames were already written`);
    if (pixels.length !== width * height || pixels.BYTES_PER_ELEMENT !== bpp) {
      throw new RangeError(
        `frame ${written + 1} has ${pixels.length}×${pixels.BYTES_PER_ELEMENT} bytes, expected ${width}×${height}×${bpp}`,
      );
    }
  };

  const writePlain = async (pixels: PixelArray) => {
    const k = written;
    if (k === 0) {
      await emit(encodeHeader(layout.header, layout.fmt));
      const next = frameCount > 1 ? layout.ifdAt(1) : 0;
      await emit(
        encodeIfd(fieldsFor(0, bigTiff, layout.dataStart, frameBytes), layout.header, next, layout.fmt),
      );
    }
    await emit(await frameBytesOf(pixels, frameBytes, bpp, options));
  };

  const closePlain = async () => {
    if (frameCount === 1) return;
    if (layout.dataEnd & 1) await emit(new Uint8Array(1));
    // IFDs in batches: one sink call per IFD would dominate a 10,000-frame stack.
    const batch = 512;
    for (let k0 = 1; k0 < frameCount; k0 += batch) {
      const k1 = Math.min(frameCount, k0 + batch);
      const out = new Uint8Array((k1 - k0) * layout.ifdN);
      for (let k = k0; k < k1; k++) {
        const at = layout.ifdAt(k);
        const data = layout.dataStart + k * frameBytes;
        const next = k + 1 < frameCount ? layout.ifdAt(k + 1) : 0;
        out.set(
          encodeIfd(fieldsFor(k, bigTiff, data, frameBytes), at, next, layout.fmt),
          (k - k0) * layout.ifdN,
        );
      }
      await emit(out);
    }
  };

  const writeCompressed = async (pixels: PixelArray) => {
    const k = written;
    const data = await frameBytesOf(pixels, frameBytes, bpp, options);
    if (k === 0) await emit(encodeHeader(layout.header, layout.fmt));
    const ifdAt = position;
    const dataAt = ifdAt + (k === 0 ? layout.ifd0 : layout.ifdN);
    const end = dataAt + data.length + (data.length & 1);
    if (!bigTiff && end > 0xffffffff)
      throw new RangeError('the compressed file outgrew classic TIFF (4 GiB): write it as BigTIFF');
    const next = k + 1 < frameCount ? end : 0;
    await emit(encodeIfd(fieldsFor(k, bigTiff, dataAt, data.length), ifdAt, next, layout.fmt));
    await emit(data);
    if (data.length & 1) await emit(new Uint8Array(1));
  };

  return {
    bigTiff,
    get totalBytes() {
      return compression === 'none' ? layout.total : position;
    },
    async writeFrame(pixels) {
      checkFrame(pixels);
      if (compression === 'none') await writePlain(pixels);
      else await writeCompressed(pixels);
      written++;
    },
    async close() {
      if (written !== frameCount)
        throw new RangeError(`only ${written} of ${frameCount} frames were written`);
      if (closed) return;
      closed = true;
      if (compression === 'none') await closePlain();
    },
  };
}

/** Convenience for small stacks (tests, exports of a crop): the whole file in memory. */
export async function encodeTiff(
  frames: PixelArray[],
  options: Omit<TiffWriterOptions, 'sink' | 'frameCount'>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = createTiffWriter({
    ...options,
    frameCount: frames.length,
    sink: (c) => void chunks.push(c.slice()),
  });
  for (const f of frames) await w.writeFrame(f);
  await w.close();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
