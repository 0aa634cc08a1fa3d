// The one entry point for files the user chose: sniffs each file's flavour from its content
// (TIFF magic) or, for headerless movies, from the extension plus a sidecar among the sources.
import { channelsOf, concatFrames, type DualViewLayout, naturalCompare, splitDualView } from './combine';
import { openRawMovie, parseDaxInf, parsePicassoYaml, readSidecarText } from './raw/rawMovie';
import { openTiff } from './tiff/openTiff';
import { type ByteSource, type FrameSource, StackError } from './types';

export interface OpenOptions {
  signal?: AbortSignal;
}

const SIDECAR_EXTENSIONS = new Set(['inf', 'yaml', 'yml']);

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

async function isTiff(src: ByteSource, signal?: AbortSignal): Promise<boolean> {
  if (src.size < 8) return false;
  const b = await src.read(0, 4, signal);
  return (
    (b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43))
  );
}

async function openOne(src: ByteSource, sidecars: ByteSource[], signal?: AbortSignal): Promise<FrameSource> {
  if (await isTiff(src, signal)) return openTiff(src, signal);
  const ext = extensionOf(src.name);
  const stem = stemOf(src.name);
  const sidecar = (exts: string[]) =>
    sidecars.find((s) => exts.includes(extensionOf(s.name)) && stemOf(s.name) === stem) ??
    (sidecars.length === 1 && exts.includes(extensionOf(sidecars[0].name)) ? sidecars[0] : undefined);
  if (ext === 'dax') {
    const inf = sidecar(['inf']);
    if (!inf) throw new StackError(src.name, 'a .dax movie needs its .inf file: choose both together');
    return openRawMovie(src, parseDaxInf(await readSidecarText(inf, signal), inf.name));
  }
  if (ext === 'raw') {
    const yaml = sidecar(['yaml', 'yml']);
    if (!yaml)
      throw new StackError(src.name, 'a Picasso .raw movie needs its .yaml file: choose both together');
    return openRawMovie(src, parsePicassoYaml(await readSidecarText(yaml, signal), yaml.name));
  }
  throw new StackError(src.name, 'not a TIFF file, nor a .dax/.raw movie with its sidecar');
}

/**
 * Opens the files the user chose as one stack: a single TIFF (any flavour) or raw movie with its
 * sidecar, or several files (one frame or part of a movie each) concatenated in natural name
 * order ("img2" before "img10"). Sidecars (.inf, .yaml) are passed among the sources.
 */
export async function openStack(sources: ByteSource[], options?: OpenOptions): Promise<FrameSource> {
  const signal = options?.signal;
  const sidecars = sources.filter((s) => SIDECAR_EXTENSIONS.has(extensionOf(s.name)));
  const movies = sources.filter((s) => !sidecars.includes(s)).sort((a, b) => naturalCompare(a.name, b.name));
  if (movies.length === 0) {
    throw new StackError(sources[0]?.name ?? '(no file)', 'no image file among the chosen files');
  }
  const parts: FrameSource[] = [];
  for (const m of movies) parts.push(await openOne(m, sidecars, signal));
  return concatFrames(parts);
}

export interface ChannelsOptions extends OpenOptions {
  /** Channel names shown in the UI; default: the file names. */
  names?: string[];
}

/**
 * Two or more stacks (already opened, or files to open with openStack) as the channels of one
 * source, e.g. two cameras. Channel k is the k-th input; frames beyond the shortest input are dropped.
 */
export async function openChannels(
  inputs: Array<FrameSource | ByteSource | ByteSource[]>,
  options?: ChannelsOptions,
): Promise<FrameSource> {
  const stacks: FrameSource[] = [];
  for (const input of inputs) {
    if (Array.isArray(input)) stacks.push(await openStack(input, options));
    else if ('readFrame' in input) stacks.push(input);
    else stacks.push(await openStack([input], options));
  }
  if (stacks.length === 0) throw new StackError('(no file)', 'no stacks given for the channels');
  return channelsOf(stacks, options?.names);
}

export { type DualViewLayout, splitDualView };
