// Shared by the stack verbs: open paths as ByteSources, group sidecars with their movies, and
// always close the file handles.
import { basename } from 'node:path';
import { openStack } from '../core/stack/open';
import type { FrameSource } from '../core/stack/types';
import { type FileByteSource, openFileByteSources } from './nodeByteSource';
import { warnOnStderr } from './terminalText';

const SIDECAR = /\.(inf|ya?ml)$/i;

/** Each movie path with the sidecars that share its stem (sidecars alone are not inputs). */
export function groupWithSidecars(paths: string[]): string[][] {
  const sidecars = paths.filter((p) => SIDECAR.test(p));
  const stem = (p: string) => basename(p).replace(/\.[^.]*$/, '');
  return paths
    .filter((p) => !SIDECAR.test(p))
    .map((p) => [p, ...sidecars.filter((s) => stem(s) === stem(p))]);
}

/** The browser shows a reader's warnings beside the stack; a script must see them on stderr. */
export function reportStackWarnings(stack: FrameSource): FrameSource {
  for (const w of stack.meta.warnings ?? []) warnOnStderr(`${stack.name}: ${w}`);
  return stack;
}

export async function withStack<T>(paths: string[], use: (stack: FrameSource) => Promise<T>): Promise<T> {
  let sources: FileByteSource[] = [];
  try {
    sources = await openFileByteSources(paths);
    return await use(reportStackWarnings(await openStack(sources)));
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}
