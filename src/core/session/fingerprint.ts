// Content fingerprints of input files, so a session can recognise the raw stack a user supplies
// later without storing it. It must be cheap for a 20 GB stack on a laptop and identical in every
// browser and in Node, so it reads a fixed sample of the file and hashes it with pure 32-bit
// integer arithmetic (no crypto.subtle, no BigInt):
//
//   evfp1:<16 hex> = two MurmurHash3-style 32-bit lanes (seeds 0x9747b28c, 0x5bd1e995) over
//   [size as 8 LE bytes] + first 1 MiB + 16 blocks of 64 KiB at offsets
//   floor(k × (size − 64 KiB) / 17), k = 1…16 + last 1 MiB.
//   Files ≤ 4 MiB are hashed whole (after the size).
//
// At most ≈ 3 MiB is read whatever the size. It is an identity check, not a security hash: two
// different acquisitions of the same size differ in their headers, first frames and samples
// (camera noise) with overwhelming probability; a deliberately crafted collision is possible and
// harmless (the user is shown the file's name and size too and can re-run anyway).

export const FINGERPRINT_PATTERN = /^evfp1:[0-9a-f]{16}$/;

const HEAD = 1 << 20;
const BLOCK = 1 << 16;
const BLOCKS = 16;
const WHOLE = 4 << 20;

/** The byte ranges hashed for a file of `size` bytes, in order ([offset, length]). */
export function fingerprintRanges(size: number): [number, number][] {
  if (size <= WHOLE) return size > 0 ? [[0, size]] : [];
  const ranges: [number, number][] = [[0, HEAD]];
  for (let k = 1; k <= BLOCKS; k++) ranges.push([Math.floor((k * (size - BLOCK)) / (BLOCKS + 1)), BLOCK]);
  ranges.push([size - HEAD, HEAD]);
  return ranges;
}

class Lane {
  h: number;
  len = 0;
  constructor(seed: number) {
    this.h = seed >>> 0;
  }
  word(k: number): void {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.h ^ k;
    h = (h << 13) | (h >>> 19);
    this.h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
    this.len += 4;
  }
  final(): number {
    let h = this.h ^ this.len;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }
}

/** Incremental hasher over byte chunks (any split gives the same result). */
class Hasher {
  private a = new Lane(0x9747b28c);
  private b = new Lane(0x5bd1e995);
  private tail = new Uint8Array(4);
  private tailLen = 0;
  private mix(w: number): void {
    this.a.word(w);
    // The second lane sees a rotated word so the two lanes do not fail together.
    this.b.word(((w << 7) | (w >>> 25)) ^ this.a.h);
  }
  update(d: Uint8Array): void {
    let i = 0;
    while (this.tailLen > 0 && this.tailLen < 4 && i < d.length) this.tail[this.tailLen++] = d[i++];
    if (this.tailLen === 4) {
      this.mix(this.tail[0] | (this.tail[1] << 8) | (this.tail[2] << 16) | (this.tail[3] << 24));
      this.tailLen = 0;
    }
    const end = i + ((d.length - i) & ~3);
    for (; i < end; i += 4) this.mix(d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24));
    while (i < d.length) this.tail[this.tailLen++] = d[i++];
  }
  digest(): string {
    if (this.tailLen > 0) {
      let w = 0;
      for (let j = 0; j < this.tailLen; j++) w |= this.tail[j] << (8 * j);
      this.mix(w ^ (this.tailLen << 24));
    }
    const hex = (x: number) => x.toString(16).padStart(8, '0');
    return `evfp1:${hex(this.a.final())}${hex(this.b.final())}`;
  }
}

function sizeBytes(size: number): Uint8Array {
  const out = new Uint8Array(8);
  let lo = size % 2 ** 32;
  let hi = Math.floor(size / 2 ** 32);
  for (let i = 0; i < 4; i++, lo = Math.floor(lo / 256), hi = Math.floor(hi / 256)) {
    out[i] = lo & 0xff;
    out[4 + i] = hi & 0xff;
  }
  return out;
}

/** Reads byte ranges of a file: a Blob (`blob.slice().arrayBuffer()`) or a Node file handle. */
export interface RangeReader {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Fingerprint of a file read through `reader` (≈ 3 MiB read at most). */
export async function fingerprintFile(reader: RangeReader): Promise<string> {
  const h = new Hasher();
  h.update(sizeBytes(reader.size));
  for (const [o, n] of fingerprintRanges(reader.size)) {
    const bytes = await reader.read(o, n);
    if (bytes.length !== n) throw new Error(`fingerprint: read ${bytes.length} bytes at ${o}, expected ${n}`);
    h.update(bytes);
  }
  return h.digest();
}

/** Fingerprint of a file held in memory (the same value fingerprintFile gives for it). */
export function fingerprintBytes(bytes: Uint8Array): string {
  const h = new Hasher();
  h.update(sizeBytes(bytes.length));
  for (const [o, n] of fingerprintRanges(bytes.length)) h.update(bytes.subarray(o, o + n));
  return h.digest();
}

/** A RangeReader over a Blob or File (browsers, workers, Node ≥ 20). */
export function blobRangeReader(blob: {
  size: number;
  slice(a: number, b: number): { arrayBuffer(): Promise<ArrayBuffer> };
}): RangeReader {
  return {
    size: blob.size,
    read: async (o, n) => new Uint8Array(await blob.slice(o, o + n).arrayBuffer()),
  };
}
