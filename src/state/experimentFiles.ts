// The experiment's files in this tab, by input id. A File cannot be persisted (IndexedDB keeps
// no handle to it without the File System Access API, and a session stores no bytes): after a
// reload the user drops the folder again and files are matched to inputs by path, else by name,
// always with the same size.
const files = new Map<string, File>();

export function experimentFile(id: string): File | undefined {
  return files.get(id);
}

export function setExperimentFile(id: string, f: File): void {
  files.set(id, f);
}

export function forgetExperimentFile(id: string): void {
  files.delete(id);
}

export function forgetExperimentFiles(): void {
  files.clear();
}

/** The path a file was dropped or picked with: its folder path when there is one. */
export function filePath(f: File & { relPath?: string }): string {
  return (f.relPath || f.webkitRelativePath || f.name).replace(/\\/g, '/');
}

export interface FileMatch {
  /** Input id → the file that is its bytes. */
  matched: Map<string, File>;
  /** Inputs still without a file. */
  missing: string[];
}

/**
 * Re-attaches dropped files to inputs: the same path, or else the same file name, and always
 * the same size (a file of another size is another file, whatever its name).
 */
export function matchFiles(
  inputs: readonly { id: string; path: string }[],
  meta: Readonly<Record<string, { name: string; size: number }>>,
  dropped: readonly File[],
): FileMatch {
  const matched = new Map<string, File>();
  const used = new Set<File>();
  const sizeOk = (id: string, f: File) => meta[id] === undefined || meta[id].size === f.size;
  const byPath = new Map(dropped.map((f) => [filePath(f), f]));
  for (const x of inputs) {
    const f = byPath.get(x.path);
    if (f && sizeOk(x.id, f)) {
      matched.set(x.id, f);
      used.add(f);
    }
  }
  for (const x of inputs) {
    if (matched.has(x.id)) continue;
    const name = meta[x.id]?.name ?? x.path.split('/').pop();
    const f = dropped.find((d) => !used.has(d) && d.name === name && sizeOk(x.id, d));
    if (f) {
      matched.set(x.id, f);
      used.add(f);
    }
  }
  return { matched, missing: inputs.filter((x) => !matched.has(x.id)).map((x) => x.id) };
}
