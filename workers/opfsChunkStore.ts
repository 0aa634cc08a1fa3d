// The simulated-frame cache's store in the browser's origin-private file system (OPFS): one
// directory per simulation key under evscope-sim-frames/, one file per chunk. Reads go through
// getFile() (any number of workers may read at once); writes through createWritable(), which
// commits atomically on close, so a reader sees a whole chunk or none. Only the most recently
// opened simulations are kept. Where OPFS is missing or refused (private windows, quota) there
// is simply no cache.
import type { ChunkStore } from '../src/core/sim/frameCache';

const ROOT = 'evscope-sim-frames';
/** Simulations whose frames stay cached (the demo ~160 MB; a few fit any quota). */
const KEEP = 3;
const STAMP = 'opened-at';

type Dir = FileSystemDirectoryHandle & {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
};

async function readText(dir: FileSystemDirectoryHandle, name: string): Promise<string | null> {
  try {
    return await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch {
    return null;
  }
}

async function write(dir: FileSystemDirectoryHandle, name: string, data: Uint8Array | string) {
  const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
  try {
    await w.write(data as FileSystemWriteChunkType);
  } finally {
    await w.close();
  }
}

/** Drops all but the KEEP most recently opened simulations (never `current`). */
async function prune(root: Dir, current: string): Promise<void> {
  const seen: { name: string; at: number }[] = [];
  for await (const [name, handle] of root.entries()) {
    if (handle.kind !== 'directory' || name === current) continue;
    seen.push({ name, at: Number(await readText(handle as FileSystemDirectoryHandle, STAMP)) || 0 });
  }
  seen.sort((a, b) => b.at - a.at);
  for (const old of seen.slice(KEEP - 1))
    await root.removeEntry(old.name, { recursive: true }).catch(() => {});
}

export async function opfsChunkStore(key: string): Promise<ChunkStore | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return null;
  let dir: FileSystemDirectoryHandle;
  try {
    const root = (await (
      await navigator.storage.getDirectory()
    ).getDirectoryHandle(ROOT, {
      create: true,
    })) as Dir;
    dir = await root.getDirectoryHandle(key, { create: true });
    await write(dir, STAMP, String(Date.now()));
    void prune(root, key).catch(() => {});
  } catch {
    return null;
  }
  return {
    async get(name) {
      try {
        const file = await (await dir.getFileHandle(name)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch {
        return null;
      }
    },
    put: (name, bytes) => write(dir, name, bytes),
  };
}
