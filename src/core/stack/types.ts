// The one interface every reader (TIFF family, raw movies, the simulator) implements, so that
// viewers, localizers and the CLI never care where frames come from.

export type PixelType = 'uint8' | 'uint16' | 'uint32' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type PixelArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

export type ByteOrder = 'little' | 'big';

/** Camera settings as the file states them or the user corrects them. */
export interface CameraMeta {
  kind?: 'ccd' | 'emccd' | 'scmos';
  /** ADU added by the camera before any signal. */
  offsetAdu?: number;
  /** Photoelectrons per ADU (the "conversion factor"). */
  electronsPerAdu?: number;
  emGain?: number;
  readNoiseE?: number;
  quantumEfficiency?: number;
}

export interface StackMeta {
  /** Short name of the layout detected, e.g. "imagej-contiguous", "ome-tiff", "multipage", "dax". */
  flavour: string;
  byteOrder: ByteOrder;
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  camera?: CameraMeta;
  channelNames?: string[];
  /** True for data made by evscope's simulator: the UI labels it so. */
  simulated?: boolean;
  /**
   * Problems the reader worked around, e.g. a truncated file opened with only its complete
   * frames. The UI shows them as warnings naming the file.
   */
  warnings?: string[];
  /** Free-form facts worth showing in the metadata panel (ImageDescription keys, OME fields…). */
  extra?: Record<string, string | number>;
}

export interface ReadOptions {
  /** 0-based channel; defaults to 0. */
  channel?: number;
  signal?: AbortSignal;
}

export interface FrameSource {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Time points per channel. */
  readonly frameCount: number;
  readonly channels: number;
  readonly dtype: PixelType;
  readonly meta: StackMeta;
  /** Frame `index` (0-based) of one channel, row-major, in native-endian typed form. */
  readFrame(index: number, options?: ReadOptions): Promise<PixelArray>;
  /**
   * Frames [first, first + count) of one channel back to back, in as few ranged reads as the
   * layout allows (one for a contiguous ImageJ stack). Optional: `readFrameBlock` falls back to
   * `readFrame` for readers without it. Throws like `readFrame` if any frame of the block cannot
   * be read; callers that keep good prefixes redo a failed block frame by frame.
   */
  readFrames?(first: number, count: number, options?: ReadOptions): Promise<PixelArray>;
}

/**
 * Random access to the bytes of one file: a browser Blob/File or a Node file handle.
 * Readers ask only for the ranges they need, so a 20 GB stack costs one frame's bytes per frame.
 */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /**
   * Exactly `length` bytes from `offset`, in a fresh array the caller owns (readers byte-swap in
   * place). A range beyond the end rejects with a StackError instead of returning fewer bytes.
   */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Thrown for any input evscope cannot read; the message names the file and the reason. */
export class StackError extends Error {
  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
    this.name = 'StackError';
  }
}
