// Serialises one IFD with its out-of-line values placed right after it. Shared by evscope's TIFF
// writer and the test-fixture writer, which needs both byte orders and BigTIFF.

export const FieldType = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  DOUBLE: 12,
  LONG8: 16,
} as const;

export interface IfdField {
  tag: number;
  type: number;
  /** Numbers (RATIONAL as [num, den, num, den…]) or raw bytes for ASCII/BYTE. */
  values: number[] | Uint8Array;
}

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 12: 8, 16: 8 };

export interface IfdFormat {
  littleEndian: boolean;
  bigTiff: boolean;
}

function fieldCount(f: IfdField): number {
  return f.type === FieldType.RATIONAL ? f.values.length / 2 : f.values.length;
}

/** Bytes the IFD plus its out-of-line values occupy (word-aligned). */
export function ifdByteLength(fields: IfdField[], fmt: IfdFormat): number {
  const inline = fmt.bigTiff ? 8 : 4;
  let n = fmt.bigTiff ? 8 + 20 * fields.length + 8 : 2 + 12 * fields.length + 4;
  for (const f of fields) {
    const size = SIZE[f.type] * fieldCount(f);
    if (size > inline) n += size + (size & 1);
  }
  return n + (n & 1);
}

/** The IFD at file offset `at`, linking to `next` (0 = last page). Fields must be sorted by tag. */
export function encodeIfd(fields: IfdField[], at: number, next: number, fmt: IfdFormat): Uint8Array {
  const { littleEndian: le, bigTiff } = fmt;
  const out = new Uint8Array(ifdByteLength(fields, fmt));
  const dv = new DataView(out.buffer);
  const inline = bigTiff ? 8 : 4;
  const entryBytes = bigTiff ? 20 : 12;
  const head = bigTiff ? 8 : 2;
  let extra = head + entryBytes * fields.length + (bigTiff ? 8 : 4);
  if (bigTiff) dv.setBigUint64(0, BigInt(fields.length), le);
  else dv.setUint16(0, fields.length, le);
  const putOffset = (pos: number, v: number) => {
    if (bigTiff) dv.setBigUint64(pos, BigInt(v), le);
    else dv.setUint32(pos, v, le);
  };
  fields.forEach((f, i) => {
    const e = head + i * entryBytes;
    const count = fieldCount(f);
    const size = SIZE[f.type] * count;
    dv.setUint16(e, f.tag, le);
    dv.setUint16(e + 2, f.type, le);
    if (bigTiff) dv.setBigUint64(e + 4, BigInt(count), le);
    else dv.setUint32(e + 4, count, le);
    let pos = e + (bigTiff ? 12 : 8);
    if (size > inline) {
      putOffset(pos, at + extra);
      pos = extra;
      extra += size + (size & 1);
    }
    if (f.values instanceof Uint8Array) {
      out.set(f.values, pos);
      return;
    }
    const step = f.type === FieldType.RATIONAL ? 4 : SIZE[f.type];
    f.values.forEach((v, k) => {
      const p = pos + k * step;
      if (f.type === FieldType.SHORT) dv.setUint16(p, v, le);
      else if (f.type === FieldType.LONG || f.type === FieldType.RATIONAL) dv.setUint32(p, v, le);
      else if (f.type === FieldType.DOUBLE) dv.setFloat64(p, v, le);
      else if (f.type === FieldType.LONG8) dv.setBigUint64(p, BigInt(v), le);
      else dv.setUint8(p, v);
    });
  });
  putOffset(head + entryBytes * fields.length, next);
  return out;
}

/** TIFF header pointing at the first IFD. */
export function encodeHeader(firstIfd: number, fmt: IfdFormat): Uint8Array {
  const out = new Uint8Array(fmt.bigTiff ? 16 : 8);
  const dv = new DataView(out.buffer);
  out[0] = out[1] = fmt.littleEndian ? 0x49 : 0x4d;
  dv.setUint16(2, fmt.bigTiff ? 43 : 42, fmt.littleEndian);
  if (fmt.bigTiff) {
    dv.setUint16(4, 8, fmt.littleEndian);
    dv.setBigUint64(8, BigInt(firstIfd), fmt.littleEndian);
  } else {
    dv.setUint32(4, firstIfd, fmt.littleEndian);
  }
  return out;
}
