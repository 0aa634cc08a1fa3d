// The experiment's files in this tab, by their path in the experiment (input paths and companion
// files such as EV tracks). A File cannot be persisted (IndexedDB keeps
// no handle to it without the File System Access API, and a session stores no bytes): after a
// reload the user drops the folder again and files are matched to inputs by path, else by name
// and size.
const files = new Map<string, File>();

export function experimentFile(path: string): File | undefined {
  return files.get(path);
}

export function setExperimentFile(path: string, f: File): void {
  files.set(path, f);
}

export function forgetExperimentFiles(): void {
  files.clear();
}

/** The path a file was dropped or picked with: its folder path when there is one. */
export function filePath(f: File & { relPath?: string }): string {
  return (f.relPath || f.webkitRelativePath || f.name).replace(/\\/g, '/');
}

export interface FileMatch {
  /** Path → the file that is its bytes. */
  matched: Map<string, File>;
  /** Paths still without a file. */
  missing: string[];
}

/**
 * Re-attaches dropped files to inputs: the same path (the input's file, perhaps changed: its
 * content fingerprint decides whether its result stands), or else the same file name and size
 * (one name in another folder is another file unless its size agrees).
 */
export function matchFiles(
  paths: readonly string[],
  meta: Readonly<Record<string, { name: string; size: number }>>,
  dropped: readonly File[],
): FileMatch {
  const matched = new Map<string, File>();
  const used = new Set<File>();
  const sizeOk = (p: string, f: File) => meta[p] === undefined || meta[p].size === f.size;
  // A folder dropped from one level up or down: compare paths by their ends.
  const byPath = new Map(dropped.map((f) => [filePath(f), f]));
  for (const p of paths) {
    const f = byPath.get(p) ?? dropped.find((d) => !used.has(d) && endsWithPath(filePath(d), p));
    if (f && !used.has(f)) {
      matched.set(p, f);
      used.add(f);
    }
  }
  for (const p of paths) {
    if (matched.has(p)) continue;
    const name = meta[p]?.name ?? p.split('/').pop();
    const f = dropped.find((d) => !used.has(d) && d.name === name && sizeOk(p, d));
    if (f) {
      matched.set(p, f);
      used.add(f);
    }
  }
  return { matched, missing: paths.filter((p) => !matched.has(p)) };
}

function endsWithPath(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/** Every file an input reads: its path and its companions. */
export function inputPaths(x: { path: string; files?: { tracks?: string; sidecar?: string } }): string[] {
  return [
    x.path,
    ...(x.files?.tracks ? [x.files.tracks] : []),
    ...(x.files?.sidecar ? [x.files.sidecar] : []),
  ];
}
