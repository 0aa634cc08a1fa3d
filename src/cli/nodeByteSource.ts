// A ByteSource over a Node file handle with positional reads: the CLI's equivalent of a browser
// File. Lives outside src/core because core must not import fs.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkedRead } from '../core/stack/byteSource';
import type { ByteSource } from '../core/stack/types';

export interface FileByteSource extends ByteSource {
  readonly path: string;
  close(): Promise<void>;
}

export async function openFileByteSource(path: string): Promise<FileByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const name = basename(path);
  return {
    name,
    path,
    size,
    read: checkedRead(name, size, async (offset, length, signal) => {
      const out = new Uint8Array(length);
      let done = 0;
      // A positional read may return fewer bytes than asked (large reads, network file systems).
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${name}: unexpected end of file at byte ${offset + done}`);
        done += bytesRead;
      }
      signal?.throwIfAborted();
      return out;
    }),
    close: () => handle.close(),
  };
}

/** Opens every path; on failure closes the ones already open. */
export async function openFileByteSources(paths: string[]): Promise<FileByteSource[]> {
  const out: FileByteSource[] = [];
  try {
    for (const p of paths) out.push(await openFileByteSource(p));
  } catch (e) {
    await Promise.all(out.map((s) => s.close()));
    throw e;
  }
  return out;
}
