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

/**
 * A read that refuses an aborted signal and a range outside the file before `fetch` runs, so
 * every ByteSource keeps the contract (and truncation reads the same everywhere).
 */
export function checkedRead(name: string, size: number, fetch: ByteSource['read']): ByteSource['read'] {
  return async (offset, length, signal) => {
    signal?.throwIfAborted();
    checkRange(name, size, offset, length);
    return fetch(offset, length, signal);
  };
}

/** Reads a Blob through `slice().arrayBuffer()`, so only the requested range is ever loaded. */
export function blobByteSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    read: checkedRead(name, blob.size, async (offset, length, signal) => {
      const buffer = await blob.slice(offset, offset + length).arrayBuffer();
      signal?.throwIfAborted();
      return new Uint8Array(buffer);
    }),
  };
}

/** Bytes already in memory (fixtures, generated stacks, fetched files). Reads copy, as the contract says. */
export function memoryByteSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read: checkedRead(name, bytes.length, async (offset, length) => bytes.slice(offset, offset + length)),
  };
}

/**
 * `src` with the bytes [offset, offset + bytes.length) already in memory: reads inside that span
 * are served from it (copies, as the contract says), any other read goes to `src`. Lets a reader
 * fetch a block of frames with one ranged read — one IPC round trip for a browser File instead of
 * two or three per frame — and then parse every page of the block with its usual per-page code.
 */
export function spanByteSource(src: ByteSource, offset: number, bytes: Uint8Array): ByteSource {
  const end = offset + bytes.length;
  const fromSpan = checkedRead(src.name, src.size, async (at, length) =>
    bytes.slice(at - offset, at - offset + length),
  );
  return {
    name: src.name,
    size: src.size,
    async read(at, length, signal) {
      return at >= offset && at + length <= end ? fromSpan(at, length, signal) : src.read(at, length, signal);
    },
  };
}
