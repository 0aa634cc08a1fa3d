// A ByteSource over a local file for the CLI: readers ask for ranges, so a huge stack is never
// loaded whole.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/stack/types';

export async function openFileByteSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name: basename(path),
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const buf = new Uint8Array(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return bytesRead === length ? buf : buf.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}
