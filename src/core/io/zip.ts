// A small ZIP reader and writer for session files (.smlm). The reader treats its input as
// hostile: it trusts nothing until checked — the end record, the central directory, every
// declared size and offset, the names — and inflates with a hard output cap, so a zip bomb costs
// at most a few tens of MB of scratch before it is refused. fflate does the DEFLATE work; the
// container handling is ours because fflate's unzip allocates whatever sizes the file declares.
import { deflateSync, Inflate } from 'fflate';

// ---------------------------------------------------------------- CRC-32 (slicing by 8)

const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let s = 1; s < 8; s++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[s * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/** CRC-32 (ISO-HDLC, as ZIP uses), continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  const t = CRC_TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  // Slicing by 8: eight table lookups per 8 bytes instead of one per byte (≈ 4× faster in V8).
  const end8 = n - (n % 8);
  while (i < end8) {
    const a = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) ^ c;
    const b = data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24);
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + (b & 0xff)] ^
      t[512 + ((b >>> 8) & 0xff)] ^
      t[256 + ((b >>> 16) & 0xff)] ^
      t[b >>> 24];
    i += 8;
  }
  while (i < n) c = t[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---------------------------------------------------------------- writer

export interface ZipWriteEntry {
  name: string;
  data: Uint8Array;
  /** 0 = store (default; fast, right for float tables that barely compress), 1–9 = DEFLATE. */
  level?: number;
}

const utf8 = new TextEncoder();

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

interface EntryFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  nameLength: number;
}

/** The fields the local and the central header share, from "version needed" to the name length. */
function writeEntryFields(v: DataView, at: number, f: EntryFields): void {
  v.setUint16(at, 20, true); // version needed: 2.0
  v.setUint16(at + 2, 0x0800, true); // UTF-8 names
  v.setUint16(at + 4, f.method, true);
  v.setUint16(at + 6, f.time, true);
  v.setUint16(at + 8, f.date, true);
  v.setUint32(at + 10, f.crc, true);
  v.setUint32(at + 14, f.compressed, true);
  v.setUint32(at + 18, f.size, true);
  v.setUint16(at + 22, f.nameLength, true);
}

/**
 * Builds a ZIP archive as a list of parts (a Blob or a file stream takes them without one more
 * copy of the whole archive); `concatParts` joins them when one buffer is needed. No ZIP64: an
 * archive and each entry must stay below 4 GiB.
 */
export function zipParts(entries: readonly ZipWriteEntry[], modified = new Date(0)): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const { time, date } = dosDateTime(modified);
  let offset = 0;
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`zip: duplicate entry "${e.name}"`);
    names.add(e.name);
    const name = utf8.encode(e.name);
    const level = e.level ?? 0;
    const body = level > 0 ? deflateSync(e.data, { level: level as 1 }) : e.data;
    const method = level > 0 ? 8 : 0;
    const crc = crc32(e.data);
    if (e.data.length >= 0xffffffff || body.length >= 0xffffffff || offset >= 0xffffffff)
      throw new Error(`zip: "${e.name}" makes the archive larger than 4 GiB, which needs ZIP64`);
    const fields = {
      method,
      time,
      date,
      crc,
      compressed: body.length,
      size: e.data.length,
      nameLength: name.length,
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    writeEntryFields(lv, 4, fields);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    writeEntryFields(cv, 6, fields);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  let cdSize = 0;
  for (const c of central) cdSize += c.length;
  if (entries.length > 0xffff || offset + cdSize >= 0xffffffff)
    throw new Error('zip: too many entries or too large for a ZIP without ZIP64');
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return [...parts, ...central, eocd];
}

export function concatParts(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function writeZip(entries: readonly ZipWriteEntry[], modified?: Date): Uint8Array {
  return concatParts(zipParts(entries, modified));
}

// ---------------------------------------------------------------- reader

export interface ZipLimits {
  /** Most entries the central directory may list. */
  maxEntries: number;
  /** Largest uncompressed size of one entry, bytes. */
  maxEntryBytes: number;
  /** Largest sum of uncompressed sizes, bytes. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 4096,
  maxEntryBytes: 2 ** 31 - 1,
  maxTotalBytes: 3 * 2 ** 30,
};

/** Inflated bytes allowed per archive byte: sessions store tables and deflate only their JSON. */
export const MAX_INFLATE_RATIO = 16;
const MIN_INFLATE_BUDGET = 64 << 20;

/**
 * The default limits for an archive of `archiveBytes`: what it may inflate to is bounded by its
 * own size (16×, at least 64 MiB), so a 2 MB bomb is refused from its directory, before any
 * inflating, instead of after gigabytes.
 */
export function zipLimitsFor(archiveBytes: number): ZipLimits {
  const budget = Math.max(MIN_INFLATE_BUDGET, MAX_INFLATE_RATIO * archiveBytes);
  return {
    ...DEFAULT_ZIP_LIMITS,
    maxEntryBytes: Math.min(DEFAULT_ZIP_LIMITS.maxEntryBytes, budget),
    maxTotalBytes: Math.min(DEFAULT_ZIP_LIMITS.maxTotalBytes, budget),
  };
}

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  method: number;
  crc: number;
  localOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** Entries skipped because their names could escape a folder (absolute, `..`, `\`, drive). */
  ignored: string[];
  /**
   * Uncompressed bytes of an entry, size- and CRC-checked. Throws a ZipError otherwise, and
   * before inflating anything when the entry declares more than `maxBytes`.
   */
  read(name: string, maxBytes?: number): Uint8Array;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const latin1 = new TextDecoder('latin1');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Names that could point outside the archive's folder when extracted: never looked at. */
export function isUnsafeZipName(name: string): boolean {
  if (name === '' || name.includes('\0') || name.includes('\\')) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..');
}

function findEnd(bytes: Uint8Array, dv: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && dv.getUint32(i, true) === 0x06054b50) {
      if (i + 22 + dv.getUint16(i + 20, true) <= bytes.length) return i;
    }
  }
  return -1;
}

/** Opens a ZIP held in memory. Throws ZipError with a reason when the container is malformed. */
export function openZip(bytes: Uint8Array, limits: ZipLimits = zipLimitsFor(bytes.length)): ZipArchive {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw new ZipError('not a ZIP archive (too short)');
  const end = findEnd(bytes, dv);
  if (end < 0) throw new ZipError('not a ZIP archive (no end-of-central-directory record)');
  const disk = dv.getUint16(end + 4, true);
  const cdDisk = dv.getUint16(end + 6, true);
  const onDisk = dv.getUint16(end + 8, true);
  const count = dv.getUint16(end + 10, true);
  const cdSize = dv.getUint32(end + 12, true);
  const cdOffset = dv.getUint32(end + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new ZipError('ZIP64 archives (> 4 GiB or > 65535 entries) are not supported');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count)
    throw new ZipError('multi-part (spanned) ZIP archives are not supported');
  if (count > limits.maxEntries)
    throw new ZipError(`${count} entries, more than the limit of ${limits.maxEntries}`);
  if (cdOffset + cdSize > end) throw new ZipError('central directory lies outside the archive');
  const entries = new Map<string, ZipEntry>();
  const ignored: string[] = [];
  let p = cdOffset;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdOffset + cdSize || dv.getUint32(p, true) !== 0x02014b50)
      throw new ZipError(`central directory entry ${k + 1} of ${count} is damaged`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    const csize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdOffset + cdSize) throw new ZipError(`central directory entry ${k + 1} runs past its end`);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    let name: string;
    try {
      name = flags & 0x0800 ? utf8Strict.decode(rawName) : latin1.decode(rawName);
    } catch {
      throw new ZipError(`entry ${k + 1} has a name that is not valid UTF-8`);
    }
    p = next;
    if (isUnsafeZipName(name)) {
      ignored.push(name.slice(0, 200));
      continue;
    }
    if (name.endsWith('/')) continue; // folder
    if (flags & 0x0001) throw new ZipError(`"${name}" is encrypted`);
    if (method !== 0 && method !== 8)
      throw new ZipError(
        `"${name}" uses compression method ${method}; only stored and DEFLATE are supported`,
      );
    if (method === 0 && csize !== size) throw new ZipError(`"${name}" is stored but its two sizes differ`);
    // DEFLATE cannot expand data by more than ~1032:1; a larger declared ratio is a lie.
    if (method === 8 && size > csize * 1032 + 1024)
      throw new ZipError(
        `"${name}" declares ${size} bytes from ${csize} compressed bytes, which DEFLATE cannot produce`,
      );
    if (size > limits.maxEntryBytes)
      throw new ZipError(
        `"${name}" declares ${size} bytes, more than the limit of ${limits.maxEntryBytes} for a ${bytes.length}-byte archive: refused before inflating`,
      );
    total += size;
    if (total > limits.maxTotalBytes)
      throw new ZipError(
        `the archive declares more than ${limits.maxTotalBytes} uncompressed bytes (${(total / bytes.length).toFixed(0)}× its own size): refused before inflating`,
      );
    if (localOffset + 30 > cdOffset) throw new ZipError(`"${name}" starts outside the archive`);
    if (entries.has(name)) throw new ZipError(`"${name}" appears twice`);
    entries.set(name, { name, compressedSize: csize, size, method, crc, localOffset });
  }
  return {
    entries,
    ignored,
    read(name: string, maxBytes = Number.POSITIVE_INFINITY): Uint8Array {
      const e = entries.get(name);
      if (!e) throw new ZipError(`no entry "${name}"`);
      if (e.size > maxBytes)
        throw new ZipError(`"${name}" declares ${e.size} bytes, more than the limit of ${maxBytes}`);
      return readEntry(bytes, dv, e, cdOffset);
    },
  };
}

function readEntry(bytes: Uint8Array, dv: DataView, e: ZipEntry, cdOffset: number): Uint8Array {
  const o = e.localOffset;
  if (dv.getUint32(o, true) !== 0x04034b50) throw new ZipError(`"${e.name}": local header is damaged`);
  const start = o + 30 + dv.getUint16(o + 26, true) + dv.getUint16(o + 28, true);
  const stop = start + e.compressedSize;
  if (stop > cdOffset) throw new ZipError(`"${e.name}": data runs past the end of the archive`);
  const src = bytes.subarray(start, stop);
  let out: Uint8Array;
  if (e.method === 0) {
    out = src.slice();
  } else {
    out = new Uint8Array(e.size);
    let at = 0;
    let over = false;
    const inf = new Inflate((chunk) => {
      if (at + chunk.length > out.length) {
        over = true;
        throw new ZipError(`"${e.name}" inflates to more than its declared ${e.size} bytes`);
      }
      out.set(chunk, at);
      at += chunk.length;
    });
    // Small input pieces bound the scratch an adversarial stream can make fflate allocate.
    const piece = 1 << 16;
    try {
      for (let i = 0; i < src.length; i += piece) {
        const last = i + piece >= src.length;
        inf.push(src.subarray(i, Math.min(src.length, i + piece)), last);
      }
      if (src.length === 0) inf.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof ZipError || over) throw err;
      throw new ZipError(`"${e.name}": compressed data is damaged (${(err as Error).message})`);
    }
    if (at !== e.size) throw new ZipError(`"${e.name}" inflates to ${at} bytes, but declares ${e.size}`);
  }
  if (crc32(out) !== e.crc) throw new ZipError(`"${e.name}": checksum mismatch (the file is damaged)`);
  return out;
}
