// Generated 256×256 uint16 stacks for the reader benchmarks, in three layouts: evscope's own
// multi-page writer, ImageJ's contiguous layout and Deflate-compressed pages.
import { zlibSync } from 'fflate';
import { encodeHeader, encodeIfd, FieldType } from '../src/core/stack/tiff/encodeIfd';
import { createTiffWriter } from '../src/core/stack/tiffWriter';

const W = 256;
const H = 256;

function frame(k: number): Uint16Array {
  const f = new Uint16Array(W * H);
  for (let i = 0; i < f.length; i++) f[i] = 100 + ((i * 7 + k * 13) % 50) + (i % 97 === k % 97 ? 900 : 0);
  return f;
}

export async function multipageParts(N: number): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  const w = createTiffWriter({
    width: W,
    height: H,
    dtype: 'uint16',
    frameCount: N,
    pixelSizeNm: 100,
    frameIntervalMs: 10,
    // The writer may reuse its chunk buffers: keep copies.
    sink: (c) => {
      parts.push(c.slice());
    },
  });
  for (let k = 0; k < N; k++) await w.writeFrame(frame(k));
  await w.close();
  return parts;
}

/** One IFD + all frames back to back, as ImageJ writes stacks (here without the trailing IFDs). */
export function imageJContiguousParts(N: number): Uint8Array[] {
  const fmt = { littleEndian: true, bigTiff: false };
  const desc = new TextEncoder().encode(`ImageJ=1.54f\nimages=${N}\nframes=${N}\n\0`);
  const fields = (strip: number) => [
    { tag: 256, type: FieldType.LONG, values: [W] },
    { tag: 257, type: FieldType.LONG, values: [H] },
    { tag: 258, type: FieldType.SHORT, values: [16] },
    { tag: 270, type: FieldType.ASCII, values: desc },
    { tag: 273, type: FieldType.LONG, values: [strip] },
    { tag: 279, type: FieldType.LONG, values: [W * H * 2] },
  ];
  const ifdLen = encodeIfd(fields(0), 8, 0, fmt).length;
  const parts = [encodeHeader(8, fmt), encodeIfd(fields(8 + ifdLen), 8, 0, fmt)];
  for (let k = 0; k < N; k++) parts.push(new Uint8Array(frame(k).buffer));
  return parts;
}

export function deflateParts(N: number): Uint8Array[] {
  const fmt = { littleEndian: true, bigTiff: false };
  const parts: Uint8Array[] = [encodeHeader(8, fmt)];
  let at = 8;
  for (let k = 0; k < N; k++) {
    const z = zlibSync(new Uint8Array(frame(k).buffer), { level: 1 });
    const fields = (strip: number) => [
      { tag: 256, type: FieldType.LONG, values: [W] },
      { tag: 257, type: FieldType.LONG, values: [H] },
      { tag: 258, type: FieldType.SHORT, values: [16] },
      { tag: 259, type: FieldType.SHORT, values: [8] },
      { tag: 273, type: FieldType.LONG, values: [strip] },
      { tag: 279, type: FieldType.LONG, values: [z.length] },
    ];
    const len = encodeIfd(fields(0), at, 0, fmt).length;
    const dataAt = at + len;
    const next = k + 1 < N ? dataAt + z.length + (z.length & 1) : 0;
    parts.push(encodeIfd(fields(dataAt), at, next, fmt), z, new Uint8Array(z.length & 1));
    at = next;
  }
  return parts;
}

/** Classic little-endian uint16 fields of one page; `desc` only on page 0. */
function pageFields(w: number, h: number, strip: number, desc?: Uint8Array) {
  return [
    { tag: 256, type: FieldType.LONG, values: [w] },
    { tag: 257, type: FieldType.LONG, values: [h] },
    { tag: 258, type: FieldType.SHORT, values: [16] },
    ...(desc ? [{ tag: 270, type: FieldType.ASCII, values: desc }] : []),
    { tag: 273, type: FieldType.LONG, values: [strip] },
    { tag: 278, type: FieldType.LONG, values: [h] },
    { tag: 279, type: FieldType.LONG, values: [w * h * 2] },
  ];
}

/** A plain multi-page TIFF of `frames` (no ImageJ description): IFD, pixels, IFD, pixels… */
export function multipageFileParts(frames: Uint16Array[], w: number, h: number): Uint8Array[] {
  const fmt = { littleEndian: true, bigTiff: false };
  const parts: Uint8Array[] = [encodeHeader(8, fmt)];
  const ifdLen = encodeIfd(pageFields(w, h, 0), 0, 0, fmt).length;
  let at = 8;
  for (let k = 0; k < frames.length; k++) {
    const dataAt = at + ifdLen;
    const next = k + 1 < frames.length ? dataAt + w * h * 2 : 0;
    parts.push(encodeIfd(pageFields(w, h, dataAt), at, next, fmt), new Uint8Array(frames[k].buffer));
    at = next;
  }
  return parts;
}

/**
 * An ImageJ stack as ImageJ writes it below 4 GB: IFD 0 with the description, all pixel data back
 * to back, then IFDs 1…N−1 pointing into it.
 */
export function imageJFileParts(frames: Uint16Array[], w: number, h: number): Uint8Array[] {
  const fmt = { littleEndian: true, bigTiff: false };
  const n = frames.length;
  const desc = new TextEncoder().encode(`ImageJ=1.54f\nimages=${n}\nframes=${n}\nloop=false\n\0`);
  const fb = w * h * 2;
  const ifd0Len = encodeIfd(pageFields(w, h, 0, desc), 8, 0, fmt).length;
  const ifdLen = encodeIfd(pageFields(w, h, 0), 0, 0, fmt).length;
  const dataAt = 8 + ifd0Len;
  const ifdAt = (k: number) => dataAt + n * fb + (k - 1) * ifdLen;
  const parts = [
    encodeHeader(8, fmt),
    encodeIfd(pageFields(w, h, dataAt, desc), 8, n > 1 ? ifdAt(1) : 0, fmt),
  ];
  for (const f of frames) parts.push(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  for (let k = 1; k < n; k++)
    parts.push(encodeIfd(pageFields(w, h, dataAt + k * fb), ifdAt(k), k + 1 < n ? ifdAt(k + 1) : 0, fmt));
  return parts;
}
