// TIFF header and image-file-directory (IFD) parsing, classic and BigTIFF, either byte order.
// Reads only the bytes an IFD occupies plus the out-of-line values of the tags evscope uses;
// every offset is checked against the file size so a corrupt file fails with a StackError
// instead of reading past the end or allocating without bound.
import { type ByteSource, StackError } from '../types';

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfdOffset: number;
}

/** The tags evscope understands, decoded into plain numbers. */
export interface TiffDirectory {
  offset: number;
  nextOffset: number;
  entryCount: number;
  /** Tag number of the first entry: a cheap fingerprint for checking predicted IFD positions. */
  firstTag: number;
  width: number;
  height: number;
  bitsPerSample: number;
  samplesPerPixel: number;
  /** 1 uint, 2 int, 3 float (TIFF SampleFormat). */
  sampleFormat: number;
  compression: number;
  predictor: number;
  photometric: number;
  planarConfiguration: number;
  /** Strip or tile grid: blocks are strips (blockWidth = width) or tiles. */
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blockOffsets: number[];
  blockByteCounts: number[];
  imageDescription?: string;
  xResolution?: number;
  resolutionUnit?: number;
}

export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
} as const;

/** Byte size of one value of each TIFF field type (index = type code). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];

const NEEDED = new Set<number>(Object.values(Tag));

/**
 * Largest tag value evscope will load (a strip table for 2^31 pixels at one row per strip is
 * 16 MiB): a corrupt count in a huge file must not become a huge allocation.
 */
const MAX_TAG_BYTES = 64 * 1024 * 1024;

/** IFDs of microscopy stacks hold 10–30 entries; one read of this size nearly always covers one. */
export const IFD_PROBE_BYTES = 512;

export async function readTiffHeader(src: ByteSource, signal?: AbortSignal): Promise<TiffHeader> {
  if (src.size < 8) throw new StackError(src.name, 'not a TIFF file (shorter than a TIFF header)');
  const b = await src.read(0, Math.min(16, src.size), signal);
  const order = String.fromCharCode(b[0], b[1]);
  if (order !== 'II' && order !== 'MM')
    throw new StackError(src.name, 'not a TIFF file (no II/MM byte-order mark)');
  const littleEndian = order === 'II';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint16(2, littleEndian);
  if (magic === 42) {
    return { littleEndian, bigTiff: false, firstIfdOffset: dv.getUint32(4, littleEndian) };
  }
  if (magic === 43) {
    if (b.length < 16) throw new StackError(src.name, 'truncated BigTIFF header');
    if (dv.getUint16(4, littleEndian) !== 8)
      throw new StackError(src.name, 'unsupported BigTIFF offset size');
    return { littleEndian, bigTiff: true, firstIfdOffset: getU64(dv, 8, littleEndian, src.name) };
  }
  throw new StackError(src.name, `not a TIFF file (magic number ${magic})`);
}

export function getU64(dv: DataView, at: number, le: boolean, name: string): number {
  const v = dv.getBigUint64(at, le);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new StackError(name, 'offset beyond 2^53 bytes');
  return Number(v);
}

/** Geometry of an IFD's fixed part, needed to find its next-IFD pointer without parsing entries. */
export function ifdLayout(bigTiff: boolean) {
  return bigTiff
    ? { countBytes: 8, entryBytes: 20, pointerBytes: 8, valueBytes: 8 }
    : { countBytes: 2, entryBytes: 12, pointerBytes: 4, valueBytes: 4 };
}

/** A contiguous window of file bytes that IFD parsing can draw from without another read. */
export interface ByteWindow {
  offset: number;
  bytes: Uint8Array;
}

function windowView(w: ByteWindow, at: number, length: number): DataView | undefined {
  const rel = at - w.offset;
  if (rel < 0 || rel + length > w.bytes.length) return undefined;
  return new DataView(w.bytes.buffer, w.bytes.byteOffset + rel, length);
}

async function readWindow(
  src: ByteSource,
  at: number,
  want: number,
  signal?: AbortSignal,
): Promise<ByteWindow> {
  return { offset: at, bytes: await src.read(at, Math.min(want, src.size - at), signal) };
}

/** Entry count and next pointer of the IFD at `offset`, reusing `window` when it covers it. */
export async function readIfdSkeleton(
  src: ByteSource,
  header: TiffHeader,
  offset: number,
  window: ByteWindow | undefined,
  windowBytes: number,
  signal?: AbortSignal,
): Promise<{ entryCount: number; nextOffset: number; firstTag: number; window: ByteWindow }> {
  const L = ifdLayout(header.bigTiff);
  checkIfdOffset(src, header, offset);
  let w = window && windowView(window, offset, L.countBytes) ? window : undefined;
  if (!w) w = await readWindow(src, offset, windowBytes, signal);
  const le = header.littleEndian;
  const cv = windowView(w, offset, L.countBytes)!;
  const entryCount = header.bigTiff ? getU64(cv, 0, le, src.name) : cv.getUint16(0, le);
  const total = L.countBytes + entryCount * L.entryBytes + L.pointerBytes;
  if (entryCount === 0 || offset + total > src.size) {
    throw new StackError(
      src.name,
      `IFD at byte ${offset} is ${entryCount === 0 ? 'empty' : 'cut off by the end of the file'}`,
    );
  }
  if (!windowView(w, offset, total)) w = await readWindow(src, offset, Math.max(total, windowBytes), signal);
  const dv = windowView(w, offset, total)!;
  const nextOffset = header.bigTiff ? getU64(dv, total - 8, le, src.name) : dv.getUint32(total - 4, le);
  return { entryCount, nextOffset, firstTag: dv.getUint16(L.countBytes, le), window: w };
}

export function checkIfdOffset(src: ByteSource, header: TiffHeader, offset: number): void {
  const L = ifdLayout(header.bigTiff);
  if (offset < 8 || offset + L.countBytes > src.size) {
    throw new StackError(
      src.name,
      `IFD offset ${offset} lies outside the file (${src.size} bytes): truncated or corrupt`,
    );
  }
}

interface RawEntry {
  tag: number;
  type: number;
  count: number;
  /** Absolute file offset of the values (inline values point into the IFD itself). */
  valueOffset: number;
}

/** Parses the whole IFD at `offset`: all needed tags, out-of-line arrays read in one go. */
export async function readDirectory(
  src: ByteSource,
  header: TiffHeader,
  offset: number,
  window?: ByteWindow,
  signal?: AbortSignal,
): Promise<TiffDirectory> {
  const sk = await readIfdSkeleton(src, header, offset, window, IFD_PROBE_BYTES, signal);
  const L = ifdLayout(header.bigTiff);
  const le = header.littleEndian;
  const w = sk.window;
  const dv = windowView(w, offset, L.countBytes + sk.entryCount * L.entryBytes)!;
  const entries = new Map<number, RawEntry>();
  let far: RawEntry[] = [];
  for (let i = 0; i < sk.entryCount; i++) {
    const at = L.countBytes + i * L.entryBytes;
    const tag = dv.getUint16(at, le);
    if (!NEEDED.has(tag)) continue;
    const type = dv.getUint16(at + 2, le);
    const count = header.bigTiff ? getU64(dv, at + 4, le, src.name) : dv.getUint32(at + 4, le);
    const size = (TYPE_SIZE[type] ?? 0) * count;
    if (size === 0) continue;
    const fieldAt = at + (header.bigTiff ? 12 : 8);
    const valueOffset =
      size <= L.valueBytes
        ? offset + fieldAt
        : header.bigTiff
          ? getU64(dv, fieldAt, le, src.name)
          : dv.getUint32(fieldAt, le);
    if (size > MAX_TAG_BYTES)
      throw new StackError(src.name, `tag ${tag} of the IFD at byte ${offset} claims ${size} bytes`);
    if (valueOffset + size > src.size) {
      throw new StackError(
        src.name,
        `tag ${tag} of the IFD at byte ${offset} points beyond the end of the file`,
      );
    }
    const e = { tag, type, count, valueOffset };
    entries.set(tag, e);
    if (!windowView(w, valueOffset, size)) far.push(e);
  }
  // Out-of-line values outside the probe window (long strip tables, descriptions): one read
  // spanning them when they sit together, as writers usually put them, else one read each.
  const windows: ByteWindow[] = [w];
  if (far.length) {
    far = far.sort((a, b) => a.valueOffset - b.valueOffset);
    const start = far[0].valueOffset;
    const end = Math.max(...far.map((e) => e.valueOffset + TYPE_SIZE[e.type] * e.count));
    const need = far.reduce((s, e) => s + TYPE_SIZE[e.type] * e.count, 0);
    if (end - start <= 2 * need + 4096) {
      windows.push(await readWindow(src, start, end - start, signal));
    } else {
      for (const e of far)
        windows.push(await readWindow(src, e.valueOffset, TYPE_SIZE[e.type] * e.count, signal));
    }
  }
  const view = (e: RawEntry) => {
    const size = TYPE_SIZE[e.type] * e.count;
    for (const win of windows) {
      const v = windowView(win, e.valueOffset, size);
      if (v) return v;
    }
    throw new StackError(src.name, `internal: value of tag ${e.tag} not loaded`);
  };
  const numbers = (tag: number): number[] | undefined => {
    const e = entries.get(tag);
    if (!e) return undefined;
    const v = view(e);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) out[i] = readNumber(v, e.type, i, le, src.name);
    return out;
  };
  const one = (tag: number, fallback: number): number => numbers(tag)?.[0] ?? fallback;

  const width = one(Tag.ImageWidth, 0);
  const height = one(Tag.ImageLength, 0);
  if (width <= 0 || height <= 0) {
    throw new StackError(src.name, `IFD at byte ${offset} has no valid image size (${width}×${height})`);
  }
  const bps = numbers(Tag.BitsPerSample) ?? [1];
  const tiled = entries.has(Tag.TileWidth);
  const blockWidth = tiled ? one(Tag.TileWidth, 0) : width;
  const blockHeight = tiled ? one(Tag.TileLength, 0) : Math.min(one(Tag.RowsPerStrip, height), height);
  const blockOffsets = numbers(tiled ? Tag.TileOffsets : Tag.StripOffsets);
  const blockByteCounts = numbers(tiled ? Tag.TileByteCounts : Tag.StripByteCounts);
  if (!blockOffsets || blockWidth <= 0 || blockHeight <= 0) {
    throw new StackError(src.name, `IFD at byte ${offset} has no ${tiled ? 'tile' : 'strip'} layout`);
  }
  let description: string | undefined;
  const d = entries.get(Tag.ImageDescription);
  if (d) {
    const v = view(d);
    let end = d.count;
    while (end > 0 && v.getUint8(end - 1) === 0) end--;
    description = new TextDecoder('utf-8').decode(new Uint8Array(v.buffer, v.byteOffset, end));
  }
  return {
    offset,
    nextOffset: sk.nextOffset,
    entryCount: sk.entryCount,
    firstTag: sk.firstTag,
    width,
    height,
    bitsPerSample: bps[0],
    samplesPerPixel: one(Tag.SamplesPerPixel, 1),
    sampleFormat: numbers(Tag.SampleFormat)?.[0] ?? 1,
    compression: one(Tag.Compression, 1),
    predictor: one(Tag.Predictor, 1),
    photometric: one(Tag.Photometric, 1),
    planarConfiguration: one(Tag.PlanarConfiguration, 1),
    tiled,
    blockWidth,
    blockHeight,
    blockOffsets,
    blockByteCounts: blockByteCounts ?? [],
    imageDescription: description,
    xResolution: numbers(Tag.XResolution)?.[0],
    resolutionUnit: numbers(Tag.ResolutionUnit)?.[0],
  };
}

function readNumber(v: DataView, type: number, i: number, le: boolean, name: string): number {
  switch (type) {
    case 1:
    case 2:
    case 7:
      return v.getUint8(i);
    case 6:
      return v.getInt8(i);
    case 3:
      return v.getUint16(i * 2, le);
    case 8:
      return v.getInt16(i * 2, le);
    case 4:
    case 13:
      return v.getUint32(i * 4, le);
    case 9:
      return v.getInt32(i * 4, le);
    case 5: {
      const den = v.getUint32(i * 8 + 4, le);
      return den === 0 ? 0 : v.getUint32(i * 8, le) / den;
    }
    case 10: {
      const den = v.getInt32(i * 8 + 4, le);
      return den === 0 ? 0 : v.getInt32(i * 8, le) / den;
    }
    case 11:
      return v.getFloat32(i * 4, le);
    case 12:
      return v.getFloat64(i * 8, le);
    case 16:
    case 18:
      return getU64(v, i * 8, le, name);
    case 17:
      return Number(v.getBigInt64(i * 8, le));
    default:
      return 0;
  }
}
