// Every verb that writes files goes through here, so that no verb can replace its own input
// (`localize X.tif --out X.tif` once overwrote the acquisition with CSV), a failed or interrupted
// write never leaves a truncated file under the final name, and an unwritable destination is
// reported before a long run instead of after it.
import { constants, type Stats } from 'node:fs';
import { access, type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

type MaybePath = string | undefined | null | false;

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

function present(paths: MaybePath[]): string[] {
  return paths.filter((p): p is string => typeof p === 'string' && p !== '');
}

/**
 * Throws when an output names an input — by path, or as the same file reached through another
 * name (a symbolic or hard link) — or when two outputs name the same file.
 */
export async function assertOutputNotInput(outputs: MaybePath[], inputs: MaybePath[]): Promise<void> {
  const outs = present(outputs);
  const ins = present(inputs);
  const inStats = await Promise.all(ins.map((i) => statOrNull(resolve(i))));
  const seen = new Map<string, string>();
  for (const out of outs) {
    const abs = resolve(out);
    const earlier = seen.get(abs);
    if (earlier !== undefined)
      throw new Error(`${out} is given as two different outputs; give each output its own name`);
    seen.set(abs, out);
    const st = await statOrNull(abs);
    for (const [k, input] of ins.entries()) {
      const s = inStats[k];
      const same = resolve(input) === abs || (st && s && st.dev === s.dev && st.ino === s.ino);
      if (same)
        throw new Error(
          `the output ${out} is the input ${input}: writing it would destroy the input; choose another output name`,
        );
    }
  }
}

/** Throws unless `path` can be created or replaced: its folder exists and is writable. */
export async function assertWritable(path: string): Promise<void> {
  const abs = resolve(path);
  const st = await statOrNull(abs);
  if (st?.isDirectory()) throw new Error(`cannot write ${path}: it is a folder`);
  if (st) {
    try {
      await access(abs, constants.W_OK);
    } catch {
      throw new Error(`cannot write ${path}: the file exists and is read-only`);
    }
  }
  const dir = dirname(abs);
  const ds = await statOrNull(dir);
  if (!ds?.isDirectory()) throw new Error(`cannot write ${path}: the folder ${dir} does not exist`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new Error(`cannot write ${path}: the folder ${dir} is not writable`);
  }
}

/** Both checks, for every output; call before any long work. */
export async function checkOutputs(outputs: MaybePath[], inputs: MaybePath[]): Promise<void> {
  await assertOutputNotInput(outputs, inputs);
  for (const out of present(outputs)) await assertWritable(out);
}

/** The temporary name a file is written under until it is complete. */
export function partialName(path: string): string {
  return `${path}.partial`;
}

/** Writes `data` to `path.partial`, then renames it over `path`; on failure `path` is untouched. */
export async function writeOutputSafely(path: string, data: string | Uint8Array): Promise<void> {
  await streamOutputSafely(path, async (file) => {
    await file.writeFile(data);
  });
}

/**
 * Streams into `path.partial` through `write`, then renames it over `path`. If `write` throws,
 * the partial file is removed and `path` keeps whatever it held before.
 */
export async function streamOutputSafely<T>(
  path: string,
  write: (file: FileHandle) => Promise<T>,
): Promise<T> {
  const partial = partialName(path);
  const file = await open(partial, 'w');
  let ok = false;
  try {
    const result = await write(file);
    ok = true;
    return result;
  } finally {
    await file.close();
    if (ok) await rename(partial, path);
    else await rm(partial, { force: true });
  }
}

/** A byte sink over `path.partial`, for writers that are driven from outside (TIFF writers). */
export async function outputSink(path: string) {
  const partial = partialName(path);
  const file = await open(partial, 'w');
  let at = 0;
  return {
    async sink(chunk: Uint8Array): Promise<void> {
      await file.write(chunk, 0, chunk.length, at);
      at += chunk.length;
    },
    /** Renames into place when `ok`, else removes the partial file. */
    async finish(ok: boolean): Promise<void> {
      await file.close();
      if (ok) await rename(partial, path);
      else await rm(partial, { force: true });
    },
  };
}
