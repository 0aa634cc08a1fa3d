// Headerless movies whose geometry lives in a sidecar: storm-analysis `.dax` + `.inf` and
// Picasso `.raw` + `.yaml`. Frames are contiguous, so frame k is one ranged read at k·frameBytes.

import { checkFrameArgs, frameLabel } from '../frameIndex';
import { bytesPerPixel, MAX_FRAME_PIXELS, toNativeOrder, typedView } from '../pixels';
import { clampToCompleteFrames } from '../tiff/openTiff';
import { readBytes } from '../tiff/readPage';
import type { ByteOrder, ByteSource, FrameSource, PixelArray, PixelType, StackMeta } from '../types';
import { StackError } from '../types';

export interface RawLayout {
  width: number;
  height: number;
  frameCount: number;
  dtype: PixelType;
  byteOrder: ByteOrder;
  flavour: string;
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  extra?: Record<string, string | number>;
}

/** Sidecars are small text files; anything larger is not one and is not read whole. */
const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

export async function readSidecarText(src: ByteSource, signal?: AbortSignal): Promise<string> {
  if (src.size > MAX_SIDECAR_BYTES) throw new StackError(src.name, 'too large for a metadata sidecar');
  return new TextDecoder('utf-8').decode(await src.read(0, src.size, signal));
}

function keyValues(text: string, separator: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = separator.exec(line);
    if (m && m.index > 0)
      out.set(line.slice(0, m.index).trim().toLowerCase(), line.slice(m.index + m[0].length).trim());
  }
  return out;
}

/** storm-analysis `.inf`: "frame dimensions = W x H", "number of frames = N", "data type = 16 bit integers (binary, big endian)". */
export function parseDaxInf(text: string, infName: string): RawLayout {
  const kv = keyValues(text, /\s*=\s*/);
  const dims = /(\d+)\s*x\s*(\d+)/i.exec(kv.get('frame dimensions') ?? '');
  const frames = Number.parseInt(kv.get('number of frames') ?? '', 10);
  if (!dims || !(frames > 0))
    throw new StackError(infName, 'missing "frame dimensions" or "number of frames"');
  const type = (kv.get('data type') ?? '16 bit integers (binary, big endian)').toLowerCase();
  if (!type.includes('16 bit')) throw new StackError(infName, `unsupported dax data type "${type}"`);
  return {
    width: Number(dims[1]),
    height: Number(dims[2]),
    frameCount: frames,
    dtype: 'uint16',
    byteOrder: type.includes('little') ? 'little' : 'big',
    flavour: 'dax',
  };
}

/** Picasso `.yaml` (flat "Key: value" lines are all it needs): Width, Height, Frames, Data Type, Byte Order. */
export function parsePicassoYaml(text: string, yamlName: string): RawLayout {
  const kv = keyValues(text, /:\s*/);
  const width = Number.parseInt(kv.get('width') ?? '', 10);
  const height = Number.parseInt(kv.get('height') ?? '', 10);
  const frames = Number.parseInt(kv.get('frames') ?? '', 10);
  if (!(width > 0 && height > 0 && frames > 0))
    throw new StackError(yamlName, 'missing Width, Height or Frames');
  const dtypeName = (kv.get('data type') ?? 'uint16').replace(/['"]/g, '');
  const known: Record<string, PixelType> = {
    uint8: 'uint8',
    uint16: 'uint16',
    uint32: 'uint32',
    int16: 'int16',
    int32: 'int32',
    float32: 'float32',
  };
  const dtype = known[dtypeName];
  if (!dtype) throw new StackError(yamlName, `unsupported Data Type "${dtypeName}"`);
  const order = (kv.get('byte order') ?? '<').replace(/['"]/g, '');
  const px = Number.parseFloat(kv.get('camera.pixelsize') ?? kv.get('pixelsize') ?? '');
  return {
    width,
    height,
    frameCount: frames,
    dtype,
    byteOrder: order === '>' ? 'big' : 'little',
    flavour: 'picasso-raw',
    pixelSizeNm: px > 0 ? px : undefined,
    extra: kv.has('camera') ? { camera: kv.get('camera')! } : undefined,
  };
}

export function openRawMovie(src: ByteSource, layout: RawLayout): FrameSource {
  const { width, height, dtype } = layout;
  if (width * height > MAX_FRAME_PIXELS)
    throw new StackError(src.name, `absurd frame size ${width}×${height}`);
  const frameBytes = width * height * bytesPerPixel(dtype);
  if (frameBytes > src.size) {
    throw new StackError(
      src.name,
      `the sidecar promises ${width}×${height} ${dtype} frames but the file holds only ${src.size} bytes`,
    );
  }
  const meta: StackMeta = {
    flavour: layout.flavour,
    byteOrder: layout.byteOrder,
    pixelSizeNm: layout.pixelSizeNm,
    frameIntervalMs: layout.frameIntervalMs,
    extra: { ...layout.extra },
  };
  if (layout.frameCount * frameBytes !== src.size)
    meta.extra!.sizeMismatch = `sidecar: ${layout.frameCount * frameBytes} bytes, file: ${src.size}`;
  const frameCount = clampToCompleteFrames(meta, layout.frameCount, src.size, frameBytes);
  return {
    name: src.name,
    width,
    height,
    frameCount,
    channels: 1,
    dtype,
    meta,
    async readFrame(
      index: number,
      options?: { channel?: number; signal?: AbortSignal },
    ): Promise<PixelArray> {
      options?.signal?.throwIfAborted();
      checkFrameArgs(src.name, frameCount, 1, index, options?.channel ?? 0);
      const bytes = await readBytes(
        src,
        index * frameBytes,
        frameBytes,
        frameLabel(index, 0, 1),
        options?.signal,
      );
      toNativeOrder(bytes, bytesPerPixel(dtype), layout.byteOrder === 'little');
      return typedView(dtype, bytes);
    },
  };
}
