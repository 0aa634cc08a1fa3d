// Files of a drop, folders included: DataTransfer items give directory entries (Chrome, Firefox,
// Safari), walked here into Files that keep their path inside the dropped folder.

type Entry = FileSystemEntry;

function readAll(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  // readEntries returns at most ~100 entries per call: call until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

function fileOf(e: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => e.file(resolve, reject));
}

/** A File that remembers its path in the drop (webkitRelativePath is read-only and empty here). */
export function withPath(f: File, path: string): File {
  Object.defineProperty(f, 'relPath', { value: path, configurable: true });
  return f;
}

async function walk(e: Entry, out: File[]): Promise<void> {
  if (e.isFile) {
    const f = await fileOf(e as FileSystemFileEntry);
    if (!e.name.startsWith('.')) out.push(withPath(f, e.fullPath.replace(/^\//, '')));
  } else if (e.isDirectory) for (const c of await readAll(e as FileSystemDirectoryEntry)) await walk(c, out);
}

export async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items]
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null)
    .filter((e): e is Entry => e !== null);
  if (!entries.length) return [...dt.files];
  const out: File[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
