// `evscope info FILE… [--json]`: what evscope sees in each stack, without reading its pixels.

import type { FrameSource } from '../../core/stack/types';
import { groupWithSidecars, withStack } from '../openInputs';
import { terminalField } from '../terminalText';
import { defineVerb } from '../verb';

export interface StackInfo {
  file: string;
  flavour: string;
  frames: number;
  width: number;
  height: number;
  channels: number;
  dtype: string;
  byteOrder: string;
  pixelSizeNm?: number;
  frameIntervalMs?: number;
  channelNames?: string[];
  extra?: Record<string, string | number>;
}

export function describeStack(file: string, s: FrameSource): StackInfo {
  return {
    file,
    flavour: s.meta.flavour,
    frames: s.frameCount,
    width: s.width,
    height: s.height,
    channels: s.channels,
    dtype: s.dtype,
    byteOrder: s.meta.byteOrder,
    pixelSizeNm: s.meta.pixelSizeNm,
    frameIntervalMs: s.meta.frameIntervalMs,
    channelNames: s.meta.channelNames,
    extra: s.meta.extra && Object.keys(s.meta.extra).length ? s.meta.extra : undefined,
  };
}

const fmt = (v: number | undefined, unit: string) =>
  v === undefined ? 'unknown' : `${Number(v.toPrecision(6))} ${unit}`;

function asText(i: StackInfo): string {
  const rows: [string, string][] = [
    ['flavour', i.flavour],
    ['frames', String(i.frames)],
    ['size', `${i.width} × ${i.height} px`],
    ['channels', i.channelNames ? `${i.channels} (${i.channelNames.join(', ')})` : String(i.channels)],
    ['dtype', i.dtype],
    ['byte order', i.byteOrder],
    ['pixel size', fmt(i.pixelSizeNm, 'nm')],
    ['frame interval', fmt(i.frameIntervalMs, 'ms')],
  ];
  for (const [k, v] of Object.entries(i.extra ?? {})) rows.push([k, String(v)]);
  return [i.file, ...rows.map(([k, v]) => `  ${k.padEnd(15)} ${v}`)].map(terminalField).join('\n');
}

export const verb = defineVerb({
  help: `usage: evscope info FILE… [--json]

Describes each stack: flavour, frames, width, height, channels, pixel type, byte order, pixel
size (nm) and frame interval (ms) when the file states them. Reads only headers.
A .dax or Picasso .raw movie needs its sidecar (.inf / .yaml) among the files.

  --json   one JSON array with an object per stack`,
  values: [],
  booleans: ['json'],
  async run(p) {
    if (p.positionals.length === 0) throw new Error('no input files (see evscope info --help)');
    const infos: StackInfo[] = [];
    for (const group of groupWithSidecars(p.positionals)) {
      infos.push(await withStack(group, async (s) => describeStack(group[0], s)));
    }
    console.log(p.flags.has('json') ? JSON.stringify(infos, null, 2) : infos.map(asText).join('\n\n'));
    return 0;
  },
});
