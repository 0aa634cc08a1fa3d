// Writes a plain little-endian multi-page TIFF, frame by frame through a sink, so a converter
// never holds more than one frame. The ImageJ-style description (images=, frames=, unit=,
// finterval=) plus XResolution give Fiji and evscope's reader the pixel size and frame interval.
// Layout: header | IFD 0 + its values | frame 0 | IFD 1 | frame 1 | … — every offset is known in
// advance from the frame count, so nothing is ever patched afterwards and the sink can be a stream.
import { bytesPerPixel, NATIVE_LITTLE_ENDIAN, swapBytes } from './pixels';
import {
  encodeHeader,
  encodeIfd,
  FieldType,
  type IfdField,
  type IfdFormat,
  ifdByteLength,
} from './tiff/encodeIfd';
import { Tag } from './tiff/ifd';
import type { PixelArray, PixelType } from './types';

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
  /** Default: BigTIFF exactly when the file would exceed 4 GiB (classic TIFF's 32-bit offsets). */
  bigTiff?: boolean;
  /** Receives the file's bytes in order; awaited, so a slow disk applies back-pressure. */
  sink: (chunk: Uint8Array) => void | Promise<void>;
}

export interface TiffWriter {
  readonly bigTiff: boolean;
  /** Final file size in bytes, known before the first frame is written. */
  readonly totalBytes: number;
  writeFrame(pixels: PixelArray): Promise<void>;
  /** Checks that every announced frame was written. */
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
): string {
  const lines = [`ImageJ=${IMAGEJ_VERSION}`, `images=${frameCount * channels}`];
  if (channels > 1) lines.push(`channels=${channels}`);
  if (frameCount > 1) lines.push(`frames=${frameCount}`);
  if (channels > 1) lines.push('hyperstack=true', 'mode=composite');
  if (pixelSizeNm) lines.push('unit=micron');
  if (frameIntervalMs) lines.push(`finterval=${frameIntervalMs / 1000}`);
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

export function createTiffWriter(options: TiffWriterOptions): TiffWriter {
  const { width, height, dtype, sink } = options;
  const channels = options.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1))
    throw new RangeError(`invalid channel count ${channels}`);
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`invalid frame size ${width}×${height}`);
  }
  if (!(Number.isInteger(options.frameCount) && options.frameCount > 0))
    throw new RangeError(`invalid frame count ${options.frameCount}`);
  // Everything below counts pages.
  const frameCount = options.frameCount * channels;
  const bpp = bytesPerPixel(dtype);
  const frameBytes = width * height * bpp;
  const pad = frameBytes & 1;

  const fieldsFor = (page: number, bigTiff: boolean, stripOffset: number): IfdField[] => {
    const offType = bigTiff ? FieldType.LONG8 : FieldType.LONG;
    const fields: IfdField[] = [
      { tag: Tag.NewSubfileType, type: FieldType.LONG, values: [0] },
      { tag: Tag.ImageWidth, type: FieldType.LONG, values: [width] },
      { tag: Tag.ImageLength, type: FieldType.LONG, values: [height] },
      { tag: Tag.BitsPerSample, type: FieldType.SHORT, values: [bpp * 8] },
      { tag: Tag.Compression, type: FieldType.SHORT, values: [1] },
      { tag: Tag.Photometric, type: FieldType.SHORT, values: [1] },
    ];
    if (page === 0) {
      const text = new TextEncoder().encode(
        imageJDescription(options.frameCount, options.pixelSizeNm, options.frameIntervalMs, channels),
      );
      const z = new Uint8Array(text.length + 1);
      z.set(text);
      fields.push({ tag: Tag.ImageDescription, type: FieldType.ASCII, values: z });
    }
    fields.push(
      { tag: Tag.StripOffsets, type: offType, values: [stripOffset] },
      { tag: Tag.SamplesPerPixel, type: FieldType.SHORT, values: [1] },
      { tag: Tag.RowsPerStrip, type: FieldType.LONG, values: [height] },
      { tag: Tag.StripByteCounts, type: offType, values: [frameBytes] },
    );
    if (options.pixelSizeNm) {
      const r = pixelsPerMicron(options.pixelSizeNm);
      fields.push(
        { tag: Tag.XResolution, type: FieldType.RATIONAL, values: r },
        { tag: 283, type: FieldType.RATIONAL, values: r },
        { tag: Tag.ResolutionUnit, type: FieldType.SHORT, values: [1] },
      );
    }
    fields.push({ tag: Tag.SampleFormat, type: FieldType.SHORT, values: [sampleFormat(dtype)] });
    return fields;
  };

  const layoutFor = (bigTiff: boolean) => {
    const fmt: IfdFormat = { littleEndian: true, bigTiff };
    const header = bigTiff ? 16 : 8;
    const ifd0 = ifdByteLength(fieldsFor(0, bigTiff, 0), fmt);
    const ifdN = ifdByteLength(fieldsFor(1, bigTiff, 0), fmt);
    const pageStart = (k: number) =>
      k === 0 ? header : header + ifd0 + frameBytes + pad + (k - 1) * (ifdN + frameBytes + pad);
    const ifdSize = (k: number) => (k === 0 ? ifd0 : ifdN);
    return { fmt, pageStart, ifdSize, total: pageStart(frameCount) };
  };

  let layout = layoutFor(options.bigTiff ?? false);
  if (options.bigTiff === undefined && layout.total > 0xffffffff) layout = layoutFor(true);
  const bigTiff = layout.fmt.bigTiff;
  let written = 0;

  return {
    bigTiff,
    totalBytes: layout.total,
    async writeFrame(pixels) {
      if (written >= frameCount) throw new RangeError(`all ${frameCount} frames were already written`);
      if (pixels.length !== width * height || pixels.BYTES_PER_ELEMENT !== bpp) {
        throw new RangeError(
          `frame ${written + 1} has ${pixels.length}×${pixels.BYTES_PER_ELEMENT} bytes, expected ${width}×${height}×${bpp}`,
        );
      }
      const k = written;
      if (k === 0) await sink(encodeHeader(layout.pageStart(0), layout.fmt));
      const start = layout.pageStart(k);
      const dataAt = start + layout.ifdSize(k);
      const next = k + 1 < frameCount ? layout.pageStart(k + 1) : 0;
      await sink(encodeIfd(fieldsFor(k, bigTiff, dataAt), start, next, layout.fmt));
      let bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, frameBytes);
      if (!NATIVE_LITTLE_ENDIAN) {
        bytes = bytes.slice();
        swapBytes(bytes, bpp);
      }
      await sink(bytes);
      if (pad) await sink(new Uint8Array(1));
      written++;
    },
    async close() {
      if (written !== frameCount)
        throw new RangeError(`only ${written} of ${frameCount} frames were written`);
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
  const out = new Uint8Array(w.totalBytes);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
