// ByteSources that work in every host: a Blob (browser File, Node 20 Blob) or bytes in memory.
// Node file handles live in src/cli/nodeByteSource.ts because core must not import fs.
import { type ByteSource, StackError } from './types';

function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new StackError(name, `invalid byte range ${offset}+${length}`);
  }
  if (offset + length > size) {
    throw new StackError(
      name,
      `needs bytes ${offset}..${offset + length} but the file has only ${size} bytes (truncated file?)`,
    );
  }
}

/** Reads a Blob through `slice().arrayBuffer()`, so only the requested range is ever loaded. */
export function blobByteSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length, signal) {
      signal?.throwIfAborted();
      checkRange(name, blob.size, offset, length);
      const buffer = await blob.slice(offset, offset + length).arrayBuffer();
      signal?.throwIfAborted();
      return new Uint8Array(buffer);
    },
  };
}

/** Bytes already in memory (fixtures, generated stacks, fetched files). Reads copy, as the contract says. */
export function memoryByteSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length, signal) {
      signal?.throwIfAborted();
      checkRange(name, bytes.length, offset, length);
      return bytes.slice(offset, offset + length);
    },
  };
}

/**
 * Reads ahead in blocks of `blockBytes` for a reader that walks a file front to back (one pass
 * over a movie): each read served from the block in memory, one `read` of the source per block
 * instead of one per frame — what makes a 1 GB File fast in Chromium, where every Blob slice is a
 * round trip. Reads larger than a block, or outside it, go to the source as they are. Not for
 * random access (a viewer): every miss costs a whole block.
 */
export function readAheadByteSource(src: ByteSource, blockBytes = 32 * 2 ** 20): ByteSource {
  let start = 0;
  let block: Uint8Array | null = null;
  return {
    name: src.name,
    size: src.size,
    async read(offset, length, signal) {
      signal?.throwIfAborted();
      checkRange(src.name, src.size, offset, length);
      if (length > blockBytes) return src.read(offset, length, signal);
      if (!block || offset < start || offset + length > start + block.length) {
        start = offset;
        block = await src.read(offset, Math.min(blockBytes, src.size - offset), signal);
      }
      return block.slice(offset - start, offset - start + length);
    },
  };
}

/** Shared by every ByteSource implementation so truncation reads the same everywhere. */
export { checkRange as checkByteRange };
