// ImageJ's ImageDescription: "ImageJ=1.54f\nimages=200\nchannels=2\nframes=100\nunit=micron…".
// Pixel width is not in the description but in XResolution (pixels per `unit`).
import { msPerUnit, nmPerUnit } from './units';

export interface ImageJInfo {
  version: string;
  images: number;
  channels: number;
  slices: number;
  frames: number;
  /** ImageJ's unit string (\u00B5m escapes decoded). */
  unit?: string;
  spacing?: number;
  finterval?: number;
  tunit?: string;
  /** True when the description states `hyperstack=true`. */
  hyperstack: boolean;
  entries: Record<string, string>;
}

export function parseImageJDescription(text: string | undefined): ImageJInfo | undefined {
  if (!text?.startsWith('ImageJ=')) return undefined;
  const entries: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) entries[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const int = (k: string, d: number) => {
    const v = Number.parseInt(entries[k] ?? '', 10);
    return Number.isFinite(v) && v > 0 ? v : d;
  };
  const num = (k: string) => {
    const v = Number.parseFloat(entries[k] ?? '');
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const decodeEscapes = (s: string | undefined) =>
    s?.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  const images = int('images', 1);
  const channels = int('channels', 1);
  const slices = int('slices', 1);
  // Plain stacks state only images=N: those are time points.
  const frames = int(
    'frames',
    entries.frames || entries.slices ? 1 : Math.max(1, Math.floor(images / channels)),
  );
  return {
    version: entries.ImageJ ?? '',
    images,
    channels,
    slices,
    frames,
    unit: decodeEscapes(entries.unit),
    spacing: num('spacing'),
    finterval: num('finterval'),
    tunit: entries.tunit,
    hyperstack: entries.hyperstack === 'true',
    entries,
  };
}

/** Pixel size from ImageJ's XResolution (pixels per unit) and unit. */
export function imageJPixelSizeNm(info: ImageJInfo, xResolution: number | undefined): number | undefined {
  if (!xResolution || !info.unit) return undefined;
  const f = nmPerUnit(info.unit);
  return f ? f / xResolution : undefined;
}

/** ImageJ's finterval is in seconds unless `tunit` says otherwise. */
export function imageJFrameIntervalMs(info: ImageJInfo): number | undefined {
  if (!info.finterval) return undefined;
  return info.finterval * (msPerUnit(info.tunit ?? 'sec') ?? 1e3);
}

/** ImageJ shows at most this many channels as a composite; more are never real colours. */
const MAX_COMPOSITE_CHANNELS = 7;

/**
 * Channels and time points (slices × frames, slices fastest) of an ImageJ stack. Files whose
 * description claims every plane is a channel (channels = images > 7, no slices or frames) are
 * what tifffile writes for a plain (T, Y, X) array in ImageJ mode: those planes are frames.
 */
export function imageJAxes(ij: ImageJInfo): { channels: number; frameCount: number; note?: string } {
  const { images, channels, slices, frames } = ij;
  if (channels === images && images > MAX_COMPOSITE_CHANNELS && !ij.entries.frames && !ij.entries.slices) {
    return {
      channels: 1,
      frameCount: images,
      note: `description says channels=${channels}; read as ${images} frames`,
    };
  }
  if (channels * slices * frames !== images) {
    return {
      channels: 1,
      frameCount: images,
      note: `channels×slices×frames ≠ images=${images}; read as ${images} frames`,
    };
  }
  return { channels, frameCount: slices * frames };
}
