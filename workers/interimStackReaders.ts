// TEMPORARY: a minimal reader for uncompressed TIFF stacks so the viewer works before the real
// readers (src/core/stack/open.ts, branch `stack`) are merged. Same signatures as those; delete
// this file when workers/stackReaders.ts switches to the real ones.
import type { ByteSource, FrameSource, PixelArray, PixelType, ReadOptions } from '../src/core/stack/types';
import { StackError } from '../src/core/stack/types';

export function blobByteSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

interface Page {
  source: ByteSource;
  width: number;
  height: number;
  dtype: PixelType;
  strips: { offset: number; length: number }[];
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 3: 2, 4: 4, 16: 8 };

function pixelType(bits: number, format: number): PixelType | null {
  const key = `${format}:${bits}`;
  const table: Record<string, PixelType> = {
    '1:8': 'uint8',
    '1:16': 'uint16',
    '1:32': 'uint32',
    '2:8': 'int8',
    '2:16': 'int16',
    '2:32': 'int32',
    '3:32': 'float32',
    '3:64': 'float64',
  };
  return table[key] ?? null;
}

const BYTES: Record<PixelType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
};

async function readPages(src: ByteSource, signal?: AbortSignal): Promise<{ pages: Page[]; le: boolean }> {
  if (src.size < 8) throw new StackError(src.name, `not a TIFF file (only ${src.size} bytes)`);
  const head = new DataView((await src.read(0, 8)).buffer);
  const bom = String.fromCharCode(head.getUint8(0), head.getUint8(1));
  if (bom !== 'II' && bom !== 'MM')
    throw new StackError(src.name, 'not a TIFF file (no II/MM byte-order mark)');
  const le = bom === 'II';
  const magic = head.getUint16(2, le);
  if (magic === 43) throw new StackError(src.name, 'BigTIFF is not supported by the interim reader');
  if (magic !== 42) throw new StackError(src.name, `not a TIFF file (magic number ${magic}, expected 42)`);
  let next = head.getUint32(4, le);
  const pages: Page[] = [];
  const seen = new Set<number>();
  while (next !== 0) {
    signal?.throwIfAborted();
    if (seen.has(next)) throw new StackError(src.name, `corrupt TIFF: IFD chain loops at byte ${next}`);
    seen.add(next);
    if (next + 2 > src.size) {
      throw new StackError(src.name, `file is truncated: page ${pages.length + 1} starts beyond the end`);
    }
    const n = new DataView((await src.read(next, 2)).buffer).getUint16(0, le);
    const len = n * 12 + 4;
    if (next + 2 + len > src.size) {
      throw new StackError(src.name, `file is truncated inside the header of page ${pages.length + 1}`);
    }
    const ifd = new DataView((await src.read(next + 2, len)).buffer);
    const tags = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const e = i * 12;
      const tag = ifd.getUint16(e, le);
      const type = ifd.getUint16(e + 2, le);
      const count = ifd.getUint32(e + 4, le);
      const size = TYPE_SIZE[type];
      if (!size) continue;
      let view = ifd;
      let at = e + 8;
      if (size * count > 4) {
        const off = ifd.getUint32(e + 8, le);
        if (off + size * count > src.size) throw new StackError(src.name, `file is truncated (tag ${tag})`);
        view = new DataView((await src.read(off, size * count)).buffer);
        at = 0;
      }
      const values: number[] = [];
      for (let k = 0; k < count; k++, at += size) {
        values.push(
          size === 1
            ? view.getUint8(at)
            : size === 2
              ? view.getUint16(at, le)
              : size === 4
                ? view.getUint32(at, le)
                : Number(view.getBigUint64(at, le)),
        );
      }
      tags.set(tag, values);
    }
    const get = (t: number, d?: number) => tags.get(t)?.[0] ?? d;
    const page = pages.length + 1;
    const width = get(256);
    const height = get(257);
    if (!width || !height) throw new StackError(src.name, `page ${page} has no image size`);
    const compression = get(259, 1);
    if (compression !== 1) {
      throw new StackError(src.name, `compressed TIFF (compression ${compression}) is not supported yet`);
    }
    if (get(277, 1) !== 1)
      throw new StackError(src.name, 'colour (multi-sample) TIFF pages are not supported');
    const dtype = pixelType(get(258, 1)!, get(339, 1)!);
    if (!dtype)
      throw new StackError(src.name, `unsupported pixel type (${get(258)} bits, format ${get(339, 1)})`);
    const offsets = tags.get(273) ?? [];
    const counts = tags.get(279) ?? [];
    if (offsets.length === 0 || offsets.length !== counts.length) {
      throw new StackError(src.name, `page ${page} has no readable image data`);
    }
    const strips = offsets.map((offset, i) => ({ offset, length: counts[i] }));
    let bytes = 0;
    for (const s of strips) {
      if (s.offset + s.length > src.size) {
        throw new StackError(
          src.name,
          `file is truncated: page ${page} needs bytes up to ${s.offset + s.length} but the file has ${src.size}`,
        );
      }
      bytes += s.length;
    }
    if (bytes < width * height * BYTES[dtype]) {
      throw new StackError(
        src.name,
        `page ${page} holds fewer bytes than its ${width}×${height} ${dtype} pixels`,
      );
    }
    pages.push({ source: src, width, height, dtype, strips });
    next = ifd.getUint32(n * 12, le);
    if (next > src.size) throw new StackError(src.name, `file is truncated after page ${page}`);
  }
  if (pages.length === 0) throw new StackError(src.name, 'TIFF holds no pages');
  return { pages, le };
}

const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toTyped(bytes: Uint8Array, dtype: PixelType, le: boolean, n: number): PixelArray {
  const size = BYTES[dtype];
  if (size > 1 && le !== NATIVE_LE) {
    for (let i = 0; i < n * size; i += size) bytes.subarray(i, i + size).reverse();
  }
  const b = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n * size);
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(b);
    case 'int8':
      return new Int8Array(b);
    case 'uint16':
      return new Uint16Array(b);
    case 'int16':
      return new Int16Array(b);
    case 'uint32':
      return new Uint32Array(b);
    case 'int32':
      return new Int32Array(b);
    case 'float32':
      return new Float32Array(b);
    case 'float64':
      return new Float64Array(b);
  }
}

function checkChannel(name: string, channels: number, options?: ReadOptions) {
  const c = options?.channel ?? 0;
  if (!(c >= 0 && c < channels)) throw new StackError(name, `no channel ${c}`);
  return c;
}

export async function openStack(
  sources: ByteSource[],
  options?: { signal?: AbortSignal },
): Promise<FrameSource> {
  if (sources.length === 0) throw new StackError('(no file)', 'no files given');
  const sorted = [...sources].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const pages: (Page & { le: boolean })[] = [];
  for (const s of sorted) {
    const r = await readPages(s, options?.signal);
    for (const p of r.pages) pages.push({ ...p, le: r.le });
  }
  const first = pages[0];
  for (const p of pages) {
    if (p.width !== first.width || p.height !== first.height || p.dtype !== first.dtype) {
      throw new StackError(
        p.source.name,
        `page size ${p.width}×${p.height} ${p.dtype} differs from ${first.width}×${first.height} ${first.dtype}`,
      );
    }
  }
  const name = sorted.length === 1 ? sorted[0].name : `${sorted[0].name} (+${sorted.length - 1} files)`;
  return {
    name,
    width: first.width,
    height: first.height,
    frameCount: pages.length,
    channels: 1,
    dtype: first.dtype,
    meta: { flavour: sorted.length > 1 ? 'multi-file' : 'multipage', byteOrder: first.le ? 'little' : 'big' },
    async readFrame(index, opts) {
      checkChannel(name, 1, opts);
      const p = pages[index];
      if (!p) throw new StackError(name, `no frame ${index} (the stack has ${pages.length})`);
      const n = p.width * p.height;
      const parts = await Promise.all(p.strips.map((s) => p.source.read(s.offset, s.length, opts?.signal)));
      let bytes: Uint8Array;
      if (parts.length === 1) bytes = parts[0];
      else {
        bytes = new Uint8Array(parts.reduce((a, q) => a + q.length, 0));
        let at = 0;
        for (const q of parts) {
          bytes.set(q, at);
          at += q.length;
        }
      }
      return toTyped(bytes, p.dtype, p.le, n);
    },
  };
}

export function openChannels(stacks: FrameSource[]): FrameSource {
  const [a] = stacks;
  for (const s of stacks) {
    if (s.width !== a.width || s.height !== a.height || s.frameCount !== a.frameCount) {
      throw new StackError(
        s.name,
        `${s.width}×${s.height}×${s.frameCount} frames does not match ${a.name} (${a.width}×${a.height}×${a.frameCount})`,
      );
    }
  }
  const map = stacks.flatMap((s) => Array.from({ length: s.channels }, (_, c) => ({ s, c })));
  return {
    name: stacks.map((s) => s.name).join(' + '),
    width: a.width,
    height: a.height,
    frameCount: a.frameCount,
    channels: map.length,
    dtype: a.dtype,
    meta: { ...a.meta, channelNames: stacks.map((s) => s.name) },
    readFrame(index, opts) {
      const { s, c } = map[checkChannel(a.name, map.length, opts)];
      return s.readFrame(index, { ...opts, channel: c });
    },
  };
}

export function splitDualView(src: FrameSource, layout: 'left-right' | 'top-bottom'): FrameSource {
  if (src.channels !== 1) throw new StackError(src.name, 'dual-view split needs a single-channel stack');
  const lr = layout === 'left-right';
  const width = lr ? Math.floor(src.width / 2) : src.width;
  const height = lr ? src.height : Math.floor(src.height / 2);
  return {
    name: `${src.name} [${layout}]`,
    width,
    height,
    frameCount: src.frameCount,
    channels: 2,
    dtype: src.dtype,
    meta: { ...src.meta, channelNames: lr ? ['left', 'right'] : ['top', 'bottom'] },
    async readFrame(index, opts) {
      const c = checkChannel(src.name, 2, opts);
      const full = await src.readFrame(index, { signal: opts?.signal });
      const Ctor = full.constructor as new (n: number) => PixelArray;
      const out = new Ctor(width * height);
      const x0 = lr ? c * width : 0;
      const y0 = lr ? 0 : c * height;
      for (let y = 0; y < height; y++) {
        const from = (y + y0) * src.width + x0;
        out.set(full.subarray(from, from + width) as never, y * width);
      }
      return out;
    },
  };
}
