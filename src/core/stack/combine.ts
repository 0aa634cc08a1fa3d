// FrameSources made of other FrameSources: files concatenated in time, stacks side by side as
// channels, and one camera chip split into two channels (dual-view optics).
import { checkFrameArgs } from './frameIndex';
import { allocPixels } from './pixels';
import { type FrameSource, type PixelArray, StackError } from './types';

/** "img2.tif" before "img10.tif": digit runs compare by value, the rest case-insensitively. */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      if (x.length !== y.length) return x.length - y.length;
    } else {
      const c = x.toLowerCase().localeCompare(y.toLowerCase());
      if (c !== 0) return c;
    }
  }
  return ta.length - tb.length || (a < b ? -1 : a > b ? 1 : 0);
}

function checkSameGeometry(parts: FrameSource[], what: string): void {
  const [p0] = parts;
  for (const p of parts) {
    if (p.width !== p0.width || p.height !== p0.height || p.dtype !== p0.dtype) {
      throw new StackError(
        p.name,
        `cannot combine as ${what}: ${p.width}×${p.height} ${p.dtype} differs from ${p0.name} (${p0.width}×${p0.height} ${p0.dtype})`,
      );
    }
  }
}

/** Every part's reader warnings, named by part (the combined source has one warning list). */
function partWarnings(parts: FrameSource[]): { warnings?: string[] } {
  const w = parts.flatMap((p) => (p.meta.warnings ?? []).map((m) => `${p.name}: ${m}`));
  return w.length ? { warnings: w } : {};
}

/** Files that together form one movie (one file per frame, or a split acquisition), in the given order. */
export function concatFrames(parts: FrameSource[]): FrameSource {
  if (parts.length === 1) return parts[0];
  checkSameGeometry(parts, 'one stack');
  const [p0] = parts;
  for (const p of parts) {
    if (p.channels !== p0.channels)
      throw new StackError(p.name, `has ${p.channels} channels, ${p0.name} has ${p0.channels}`);
  }
  // First frame index of each part, for a binary search per read.
  const starts = new Float64Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) starts[i + 1] = starts[i] + parts[i].frameCount;
  const frameCount = starts[parts.length];
  const name = `${p0.name} … ${parts[parts.length - 1].name} (${parts.length} files)`;
  return {
    name,
    width: p0.width,
    height: p0.height,
    frameCount,
    channels: p0.channels,
    dtype: p0.dtype,
    meta: {
      ...p0.meta,
      flavour: `${p0.meta.flavour}-series`,
      extra: { ...p0.meta.extra, files: parts.length },
      ...partWarnings(parts),
    },
    async readFrame(index, options) {
      checkFrameArgs(name, frameCount, p0.channels, index, options?.channel ?? 0);
      let lo = 0;
      let hi = parts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= index) lo = mid;
        else hi = mid - 1;
      }
      return parts[lo].readFrame(index - starts[lo], options);
    },
  };
}

/** Stacks of the same camera geometry as channels of one source (channel k = the k-th stack's channels). */
export function channelsOf(stacks: FrameSource[], names?: string[]): FrameSource {
  if (stacks.length === 1) return stacks[0];
  checkSameGeometry(stacks, 'channels');
  const [s0] = stacks;
  const map: { stack: FrameSource; channel: number }[] = [];
  for (const s of stacks) for (let c = 0; c < s.channels; c++) map.push({ stack: s, channel: c });
  const frameCount = Math.min(...stacks.map((s) => s.frameCount));
  const name = stacks.map((s) => s.name).join(' + ');
  const extra: Record<string, string | number> = {};
  stacks.forEach((s, i) => {
    extra[`channel ${i + 1} file`] = s.name;
    if (s.frameCount !== frameCount) extra[`channel ${i + 1} frames`] = s.frameCount;
  });
  return {
    name,
    width: s0.width,
    height: s0.height,
    frameCount,
    channels: map.length,
    dtype: s0.dtype,
    meta: {
      ...s0.meta,
      flavour: 'channels',
      channelNames: names ?? stacks.map((s) => s.name),
      extra,
    },
    async readFrame(index, options) {
      const channel = options?.channel ?? 0;
      checkFrameArgs(name, frameCount, map.length, index, channel);
      const m = map[channel];
      return m.stack.readFrame(index, { signal: options?.signal, channel: m.channel });
    },
  };
}

export type DualViewLayout = 'left-right' | 'top-bottom';

/**
 * One chip imaged through dual-view optics: each half becomes a channel (left/top = channel 0).
 * With an odd width (height) the middle column (row) belongs to neither half. The halves are not
 * registered here: the channel alignment transform is applied to localizations later.
 */
export function splitDualView(source: FrameSource, layout: DualViewLayout = 'left-right'): FrameSource {
  const horizontal = layout === 'left-right';
  const width = horizontal ? Math.floor(source.width / 2) : source.width;
  const height = horizontal ? source.height : Math.floor(source.height / 2);
  if (width < 1 || height < 1) throw new StackError(source.name, 'too small to split into two views');
  if (source.channels !== 1) {
    throw new StackError(
      source.name,
      `already has ${source.channels} channels; a dual-view split applies to a single-channel camera image`,
    );
  }
  const channels = 2;
  const fullWidth = source.width;
  return {
    name: source.name,
    width,
    height,
    frameCount: source.frameCount,
    channels,
    dtype: source.dtype,
    meta: {
      ...source.meta,
      channelNames: horizontal ? ['left', 'right'] : ['top', 'bottom'],
      extra: { ...source.meta.extra, dualView: layout },
    },
    async readFrame(index, options) {
      const channel = options?.channel ?? 0;
      checkFrameArgs(source.name, source.frameCount, channels, index, channel);
      const half = channel % 2;
      const full = await source.readFrame(index, { signal: options?.signal, channel: channel >> 1 });
      const out: PixelArray = allocPixels(source.dtype, width * height);
      // Row copies on byte views: one code path for every pixel type.
      const bpp = out.BYTES_PER_ELEMENT;
      const src = new Uint8Array(full.buffer, full.byteOffset, full.byteLength);
      const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      const x0 = horizontal ? half * (fullWidth - width) : 0;
      const y0 = horizontal ? 0 : half * (source.height - height);
      for (let y = 0; y < height; y++) {
        const from = ((y0 + y) * fullWidth + x0) * bpp;
        dst.set(src.subarray(from, from + width * bpp), y * width * bpp);
      }
      return out;
    },
  };
}
