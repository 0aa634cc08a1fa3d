// Pixel-type helpers shared by every reader: typed views over file bytes in native byte order.
import type { PixelArray, PixelType } from './types';

export const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Frames above this many pixels are refused: typed arrays and canvases cannot hold them. */
export const MAX_FRAME_PIXELS = 2 ** 31 - 1;

export function bytesPerPixel(dtype: PixelType): number {
  switch (dtype) {
    case 'uint8':
    case 'int8':
      return 1;
    case 'uint16':
    case 'int16':
      return 2;
    case 'float64':
      return 8;
    default:
      return 4;
  }
}

/** The pixel type for TIFF BitsPerSample + SampleFormat, or undefined when evscope cannot hold it. */
export function pixelTypeFor(bits: number, sampleFormat: number): PixelType | undefined {
  const kind =
    sampleFormat === 2
      ? 'int'
      : sampleFormat === 3
        ? 'float'
        : sampleFormat === 1 || sampleFormat === 4
          ? 'uint'
          : '';
  const t = `${kind}${bits}`;
  const known: Record<string, PixelType> = {
    uint8: 'uint8',
    uint16: 'uint16',
    uint32: 'uint32',
    int8: 'int8',
    int16: 'int16',
    int32: 'int32',
    float32: 'float32',
    float64: 'float64',
  };
  return known[t];
}

type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => PixelArray;

/** The typed array of each pixel type. */
export const PIXEL_ARRAYS: Record<PixelType, ViewConstructor> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** A typed array of `dtype` over `bytes` (copied first if misaligned for the element size). */
export function typedView(dtype: PixelType, bytes: Uint8Array): PixelArray {
  const size = bytesPerPixel(dtype);
  if (bytes.byteOffset % size !== 0) bytes = bytes.slice();
  const { buffer, byteOffset } = bytes;
  const n = bytes.byteLength / size;
  return dtype === 'uint8' ? bytes : new PIXEL_ARRAYS[dtype](buffer, byteOffset, n);
}

export function allocPixels(dtype: PixelType, n: number): PixelArray {
  return typedView(dtype, new Uint8Array(n * bytesPerPixel(dtype)));
}

/** Reverses the bytes of each `size`-byte element in place (file order → native order). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 2) {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const a = bytes[i];
      bytes[i] = bytes[i + 1];
      bytes[i + 1] = a;
    }
  } else if (size === 4) {
    for (let i = 0; i + 3 < bytes.length; i += 4) {
      const a = bytes[i];
      const b = bytes[i + 1];
      bytes[i] = bytes[i + 3];
      bytes[i + 1] = bytes[i + 2];
      bytes[i + 2] = b;
      bytes[i + 3] = a;
    }
  } else if (size === 8) {
    for (let i = 0; i + 7 < bytes.length; i += 8) {
      for (let j = 0; j < 4; j++) {
        const a = bytes[i + j];
        bytes[i + j] = bytes[i + 7 - j];
        bytes[i + 7 - j] = a;
      }
    }
  }
}

/** Converts bytes stored in the given file order to native order, in place. */
export function toNativeOrder(bytes: Uint8Array, elementSize: number, fileLittleEndian: boolean): void {
  if (elementSize > 1 && fileLittleEndian !== NATIVE_LITTLE_ENDIAN) swapBytes(bytes, elementSize);
}
