// Writes TIFF files of every flavour evscope reads, in memory, for tests: either byte order,
// BigTIFF, strips or tiles, LZW/Deflate/PackBits with or without predictor 2, ImageJ's contiguous
// layouts and OME-XML descriptions. Independent of the reader's code paths except the shared IFD
// serialiser, whose output the reader tests check against hand-computed pixels.
import { zlibSync } from 'fflate';
import { bytesPerPixel, NATIVE_LITTLE_ENDIAN, swapBytes } from '../../src/core/stack/pixels';
import {
  encodeHeader,
  encodeIfd,
  FieldType,
  type IfdField,
  type IfdFormat,
} from '../../src/core/stack/tiff/encodeIfd';
import type { PixelArray, PixelType } from '../../src/core/stack/types';

export interface FixtureSpec {
  width: number;
  height: number;
  dtype: PixelType;
  frames: PixelArray[];
  littleEndian?: boolean;
  bigTiff?: boolean;
  compression?: 1 | 5 | 8 | 32946 | 32773;
  predictor?: 1 | 2;
  rowsPerStrip?: number;
  tile?: { width: number; height: number };
  /** ImageDescription of the first page. */
  description?: string;
  /**
   * 'interleaved': IFD, data, IFD, data… (multi-page writers).
   * 'imagej': IFD 0, all pixel data, then IFDs 1..N-1 (what ImageJ writes).
   * 'imagej-single-ifd': IFD 0 and all pixel data, no further IFDs (ImageJ above 4 GB).
   */
  layout?: 'interleaved' | 'imagej' | 'imagej-single-ifd';
  /** Replace or add fields on every page (for bad-input cases). */
  override?: (fields: IfdField[], page: number) => IfdField[];
  xResolution?: [number, number];
  /** Physical order of the pages in an 'interleaved' file (default 0, 1, 2…); the chain stays in page order. */
  pageOrder?: number[];
}

function sampleFormat(dtype: PixelType): number {
  return dtype.startsWith('float') ? 3 : dtype.startsWith('int') ? 2 : 1;
}

/** A deterministic frame whose pixels differ across x, y and the frame index (and use high bytes). */
export function patternFrame(dtype: PixelType, width: number, height: number, k: number): PixelArray {
  const n = width * height;
  const f = (i: number) => ((i * 2654435761 + k * 40503) >>> 0) % 65521;
  const make = <T extends PixelArray>(a: T, map: (v: number, i: number) => number): T => {
    for (let i = 0; i < n; i++) a[i] = map(f(i), i);
    return a;
  };
  switch (dtype) {
    case 'uint8':
      return make(new Uint8Array(n), (v) => v & 255);
    case 'int8':
      return make(new Int8Array(n), (v) => (v & 255) - 128);
    case 'uint16':
      return make(new Uint16Array(n), (v) => v);
    case 'int16':
      return make(new Int16Array(n), (v) => v - 32768);
    case 'uint32':
      return make(new Uint32Array(n), (v, i) => v * 65536 + i);
    case 'int32':
      return make(new Int32Array(n), (v, i) => (v - 32768) * 65536 - i);
    case 'float32':
      return make(new Float32Array(n), (v, i) => (v - 30000) / 7 + i * 1e-3);
    case 'float64':
      return make(new Float64Array(n), (v, i) => (v - 30000) / 7 + i * 1e-9);
  }
}

export function patternFrames(dtype: PixelType, width: number, height: number, count: number): PixelArray[] {
  return Array.from({ length: count }, (_, k) => patternFrame(dtype, width, height, k));
}

/** Pixels of a block (strip or tile, zero-padded), predictor applied, in file byte order, compressed. */
function encodeBlock(
  spec: FixtureSpec,
  frame: PixelArray,
  x0: number,
  y0: number,
  bw: number,
  rows: number,
): Uint8Array {
  const bpp = bytesPerPixel(spec.dtype);
  const src = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const block = new Uint8Array(bw * rows * bpp);
  const copy = Math.max(0, Math.min(bw, spec.width - x0));
  for (let r = 0; r < rows && y0 + r < spec.height; r++) {
    const from = ((y0 + r) * spec.width + x0) * bpp;
    block.set(src.subarray(from, from + copy * bpp), r * bw * bpp);
  }
  if (spec.predictor === 2) {
    const a = bpp === 1 ? block : bpp === 2 ? new Uint16Array(block.buffer) : new Uint32Array(block.buffer);
    for (let r = 0; r < rows; r++) for (let i = (r + 1) * bw - 1; i > r * bw; i--) a[i] = a[i] - a[i - 1];
  }
  const little = spec.littleEndian ?? true;
  if (bpp > 1 && little !== NATIVE_LITTLE_ENDIAN) swapBytes(block, bpp);
  switch (spec.compression ?? 1) {
    case 1:
      return block;
    case 5:
      return encodeLzw(block);
    case 8:
    case 32946:
      return zlibSync(block);
    case 32773:
      return encodePackBits(block);
    default:
      throw new Error('fixture: unknown compression');
  }
}

interface Page {
  fields: (offsets: number[], bigTiff: boolean) => IfdField[];
  blocks: Uint8Array[];
}

export function writeTiffFixture(spec: FixtureSpec): Uint8Array {
  const fmt: IfdFormat = { littleEndian: spec.littleEndian ?? true, bigTiff: spec.bigTiff ?? false };
  const bpp = bytesPerPixel(spec.dtype);
  const tiled = !!spec.tile;
  const bw = spec.tile?.width ?? spec.width;
  const bh = spec.tile?.height ?? Math.min(spec.rowsPerStrip ?? spec.height, spec.height);
  const across = Math.ceil(spec.width / bw);
  const down = Math.ceil(spec.height / bh);
  const pages: Page[] = spec.frames.map((frame, k) => {
    const blocks: Uint8Array[] = [];
    for (let by = 0; by < down; by++) {
      for (let bx = 0; bx < across; bx++) {
        const rows = tiled ? bh : Math.min(bh, spec.height - by * bh);
        blocks.push(encodeBlock(spec, frame, bx * bw, by * bh, bw, rows));
      }
    }
    const fields = (offsets: number[], bigTiff: boolean): IfdField[] => {
      const offType = bigTiff ? FieldType.LONG8 : FieldType.LONG;
      const f: IfdField[] = [
        { tag: 256, type: FieldType.LONG, values: [spec.width] },
        { tag: 257, type: FieldType.LONG, values: [spec.height] },
        { tag: 258, type: FieldType.SHORT, values: [bpp * 8] },
        { tag: 259, type: FieldType.SHORT, values: [spec.compression ?? 1] },
        { tag: 262, type: FieldType.SHORT, values: [1] },
      ];
      if (k === 0 && spec.description !== undefined) {
        f.push({
          tag: 270,
          type: FieldType.ASCII,
          values: new TextEncoder().encode(`${spec.description}\0`),
        });
      }
      if (!tiled) f.push({ tag: 273, type: offType, values: offsets });
      f.push({ tag: 277, type: FieldType.SHORT, values: [1] });
      if (!tiled) {
        f.push({ tag: 278, type: FieldType.LONG, values: [bh] });
        f.push({ tag: 279, type: offType, values: blocks.map((b) => b.length) });
      }
      if (spec.xResolution) f.push({ tag: 282, type: FieldType.RATIONAL, values: spec.xResolution });
      if (spec.predictor === 2) f.push({ tag: 317, type: FieldType.SHORT, values: [2] });
      if (tiled) {
        f.push({ tag: 322, type: FieldType.LONG, values: [bw] });
        f.push({ tag: 323, type: FieldType.LONG, values: [bh] });
        f.push({ tag: 324, type: offType, values: offsets });
        f.push({ tag: 325, type: offType, values: blocks.map((b) => b.length) });
      }
      f.push({ tag: 339, type: FieldType.SHORT, values: [sampleFormat(spec.dtype)] });
      const out = spec.override ? spec.override(f, k) : f;
      return out.sort((a, b) => a.tag - b.tag);
    };
    return { fields, blocks };
  });

  const layout = spec.layout ?? 'interleaved';
  const ifdCount = layout === 'imagej-single-ifd' ? 1 : pages.length;
  const dummy = (p: Page) =>
    encodeIfd(
      p.fields(
        p.blocks.map(() => 0),
        fmt.bigTiff,
      ),
      0,
      0,
      fmt,
    ).length;
  const dataSize = (p: Page) => p.blocks.reduce((s, b) => s + b.length + (b.length & 1), 0);
  // Assign positions: ifdAt[k], dataAt[k] (first block; blocks follow each other, word-aligned).
  const ifdAt: number[] = [];
  const dataAt: number[] = [];
  let at = fmt.bigTiff ? 16 : 8;
  if (layout === 'interleaved') {
    for (const k of spec.pageOrder ?? pages.map((_, i) => i)) {
      ifdAt[k] = at;
      at += dummy(pages[k]);
      dataAt[k] = at;
      at += dataSize(pages[k]);
    }
  } else {
    ifdAt.push(at);
    at += dummy(pages[0]);
    for (const p of pages) {
      dataAt.push(at);
      at += dataSize(p);
    }
    for (let k = 1; k < ifdCount; k++) {
      ifdAt.push(at);
      at += dummy(pages[k]);
    }
  }
  const out = new Uint8Array(at);
  out.set(encodeHeader(ifdAt[0], fmt), 0);
  pages.forEach((p, k) => {
    const offsets: number[] = [];
    let d = dataAt[k];
    for (const b of p.blocks) {
      offsets.push(d);
      out.set(b, d);
      d += b.length + (b.length & 1);
    }
    if (k < ifdCount) {
      const next = k + 1 < ifdCount ? ifdAt[k + 1] : 0;
      out.set(encodeIfd(p.fields(offsets, fmt.bigTiff), ifdAt[k], next, fmt), ifdAt[k]);
    }
  });
  return out;
}

/** TIFF LZW encoder (MSB-first, early change, CLEAR first and whenever the table fills). */
export function encodeLzw(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let accBits = 0;
  let width = 9;
  const put = (code: number) => {
    acc = (acc << width) | code;
    accBits += width;
    while (accBits >= 8) {
      out.push((acc >>> (accBits - 8)) & 255);
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  let table = new Map<number, number>();
  let next = 258;
  put(256);
  let w = -1;
  const grow = () => {
    next++;
    if (next === 4094) {
      put(256);
      table = new Map();
      next = 258;
      width = 9;
    } else if (next > (1 << width) - 1) {
      width++;
    }
  };
  for (const c of data) {
    if (w < 0) {
      w = c;
      continue;
    }
    const key = w * 256 + c;
    const hit = table.get(key);
    if (hit !== undefined) {
      w = hit;
      continue;
    }
    put(w);
    table.set(key, next);
    grow();
    w = c;
  }
  if (w >= 0) {
    put(w);
    next++;
    if (next > (1 << width) - 1 && width < 12) width++;
  }
  put(257);
  if (accBits > 0) out.push((acc << (8 - accBits)) & 255);
  return Uint8Array.from(out);
}

export function encodePackBits(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push((1 - run) & 255, data[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128) {
      if (i + 2 < data.length && data[i] === data[i + 1] && data[i] === data[i + 2]) break;
      i++;
    }
    out.push(i - start - 1);
    for (let k = start; k < i; k++) out.push(data[k]);
  }
  return Uint8Array.from(out);
}

export function omeXml(o: {
  width: number;
  height: number;
  sizeC: number;
  sizeZ: number;
  sizeT: number;
  order: string;
  type: string;
  physicalSizeX?: string;
  physicalSizeXUnit?: string;
  timeIncrement?: string;
  timeIncrementUnit?: string;
  tiffData?: string;
}): string {
  const opt = (k: string, v?: string) => (v === undefined ? '' : ` ${k}="${v}"`);
  const channels = Array.from(
    { length: o.sizeC },
    (_, c) => `<Channel ID="Channel:0:${c}" Name="ch${c}" SamplesPerPixel="1"/>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="evscope test"><Image ID="Image:0" Name="x"><Pixels ID="Pixels:0" DimensionOrder="${o.order}" Type="${o.type}" SizeX="${o.width}" SizeY="${o.height}" SizeC="${o.sizeC}" SizeZ="${o.sizeZ}" SizeT="${o.sizeT}"${opt('PhysicalSizeX', o.physicalSizeX)}${opt('PhysicalSizeXUnit', o.physicalSizeXUnit)}${opt('TimeIncrement', o.timeIncrement)}${opt('TimeIncrementUnit', o.timeIncrementUnit)}>${channels}${o.tiffData ?? '<TiffData/>'}</Pixels></Image></OME>`;
}
