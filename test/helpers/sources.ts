// ByteSource wrappers and temp files for reader tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryByteSource } from '../../src/core/stack/byteSource';
import type { ByteSource } from '../../src/core/stack/types';

export interface CountingSource extends ByteSource {
  bytesRead: number;
  reads: number;
  reset(): void;
}

/** Counts the bytes and reads a reader asks for, to prove laziness. */
export function counting(inner: ByteSource): CountingSource {
  const s: CountingSource = {
    name: inner.name,
    size: inner.size,
    bytesRead: 0,
    reads: 0,
    reset() {
      s.bytesRead = 0;
      s.reads = 0;
    },
    read(offset, length, signal) {
      s.bytesRead += length;
      s.reads++;
      return inner.read(offset, length, signal);
    },
  };
  return s;
}

export function mem(bytes: Uint8Array, name = 'test.tif'): ByteSource {
  return memoryByteSource(bytes, name);
}

export function tempDir(prefix = 'evscope-stack-'): {
  dir: string;
  file(name: string, bytes?: Uint8Array | string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, bytes) {
      const p = join(dir, name);
      if (bytes !== undefined) writeFileSync(p, bytes);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
