// One FrameSource for every TIFF flavour: plain multi-page, ImageJ stack/hyperstack (including
// the single-IFD contiguous layout ImageJ writes above 4 GB), OME-TIFF and BigTIFF.
import { spanByteSource } from '../byteSource';
import { checkBlockArgs, MAX_BLOCK_READ_BYTES } from '../frameBlock';
import { checkFrameArgs, frameLabel } from '../frameIndex';
import { bytesPerPixel, toNativeOrder, typedView } from '../pixels';
import {
  type ByteSource,
  type FrameSource,
  type PixelArray,
  type PixelType,
  StackError,
  type StackMeta,
} from '../types';
import { IFD_PROBE_BYTES, readDirectory, readTiffHeader, type TiffDirectory, type TiffHeader } from './ifd';
import { IfdIndex } from './ifdIndex';
import {
  type ImageJInfo,
  imageJAxes,
  imageJFrameIntervalMs,
  imageJPixelSizeNm,
  parseImageJDescription,
} from './imagej';
import { isOmeXml, type OmeInfo, parseOmeXml } from './ome';
import { pagePixelType, readBytes, readPage } from './readPage';

/** Where the pixels of (frame, channel) are: a page of the IFD chain or a computed offset. */
type Locator =
  | { kind: 'pages'; index: IfdIndex; pageOf: (frame: number, channel: number) => number }
  | { kind: 'contiguous'; dataStart: number; frameBytes: number; channels: number };

export async function openTiff(src: ByteSource, signal?: AbortSignal): Promise<FrameSource> {
  const header = await readTiffHeader(src, signal);
  const dir0 = await readDirectory(src, header, header.firstIfdOffset, undefined, signal);
  const dtype = pagePixelType(src.name, dir0);
  const ij = parseImageJDescription(dir0.imageDescription);
  const meta: StackMeta = {
    flavour: header.bigTiff ? 'bigtiff' : 'multipage',
    byteOrder: header.littleEndian ? 'little' : 'big',
    extra: {},
  };
  let layout: { channels: number; frameCount: number; locator: Locator };
  if (ij) {
    layout = await openImageJ(src, header, dir0, dtype, ij, meta, signal);
  } else {
    const index = await openIndex(src, header, meta, signal);
    const ome = isOmeXml(dir0.imageDescription)
      ? parseOmeXml(dir0.imageDescription!, src.name, index.pageCount)
      : undefined;
    if (ome) {
      layout = omeLayout(src, header, index, ome, meta);
    } else {
      const frameCount = await completePageCount(src, header, index, meta, signal);
      layout = { channels: 1, frameCount, locator: { kind: 'pages', index, pageOf: (f) => f } };
      if (dir0.resolutionUnit === 3 && dir0.xResolution) meta.pixelSizeNm = 1e7 / dir0.xResolution;
    }
  }
  const { channels, frameCount, locator } = layout;
  if (dir0.compression !== 1) meta.extra!.compression = dir0.compression;
  if (dir0.tiled) meta.extra!.tiles = `${dir0.blockWidth}×${dir0.blockHeight}`;
  return new TiffFrameSource(src, header, dir0, dtype, frameCount, channels, meta, locator);
}

/** The page index, with a warning when the chain breaks before its end. */
async function openIndex(
  src: ByteSource,
  header: TiffHeader,
  meta: StackMeta,
  signal?: AbortSignal,
): Promise<IfdIndex> {
  const index = await IfdIndex.open(src, header, signal);
  meta.extra!.pageIndex = index.method;
  if (index.brokenChain)
    warn(
      meta,
      `the file is truncated or damaged: ${index.brokenChain}; the ${index.pageCount} pages before it are read`,
    );
  return index;
}

function warn(meta: StackMeta, message: string): void {
  meta.warnings = meta.warnings ?? [];
  meta.warnings.push(message);
}

/**
 * Frames and channels when the metadata's plane count disagrees with the IFD chain: the chain is
 * what the file holds, so it wins (as tifffile and Bio-Formats do), keeping the channel count when
 * the pages divide evenly among the channels.
 */
function chainLayout(pages: number, channels: number): { channels: number; frameCount: number } {
  const c = channels > 1 && pages % channels === 0 ? channels : 1;
  return { channels: c, frameCount: pages / c };
}

async function openImageJ(
  src: ByteSource,
  header: TiffHeader,
  dir0: TiffDirectory,
  dtype: PixelType,
  ij: ImageJInfo,
  meta: StackMeta,
  signal?: AbortSignal,
): Promise<{ channels: number; frameCount: number; locator: Locator }> {
  describeImageJ(ij, dir0, meta);
  const contiguous = await imageJContiguousStart(src, header, dir0, ij, signal);
  const axes = imageJAxes(ij);
  if (axes.note) meta.extra!.note = axes.note;
  const stated = `images=${JSON.stringify((ij.entries.images ?? '(missing)').slice(0, 24))}`;
  if (contiguous !== undefined) {
    const frameBytes = dir0.width * dir0.height * bytesPerPixel(dtype);
    checkFirstFrameFits(src, contiguous, frameBytes);
    const channels = axes.channels;
    let frameCount = clampToCompleteFrames(
      meta,
      axes.frameCount,
      src.size - contiguous,
      frameBytes * channels,
    );
    // Files below 4 GB also carry one IFD per image: a chain shorter than the claim bounds it.
    const pages = dir0.nextOffset === 0 ? undefined : await pageCountOrUndefined(src, header, signal);
    if (pages !== undefined && pages >= channels && frameCount * channels > pages) {
      warn(
        meta,
        `the ImageJ description says ${stated}, but the file holds ${pages} pages; reading ${Math.floor(pages / channels)} frames`,
      );
      frameCount = Math.floor(pages / channels);
    }
    meta.flavour = 'imagej-contiguous';
    return {
      channels,
      frameCount,
      locator: { kind: 'contiguous', dataStart: contiguous, frameBytes, channels },
    };
  }
  meta.flavour = header.bigTiff ? 'imagej-bigtiff' : 'imagej';
  const index = await openIndex(src, header, meta, signal);
  let { channels, frameCount } = axes;
  const pages = await completePageCount(src, header, index, meta, signal);
  if (channels * frameCount !== pages) {
    ({ channels, frameCount } = chainLayout(pages, channels));
    warn(
      meta,
      `the ImageJ description says ${stated}, but the file holds ${pages} complete pages; reading them as ${frameCount} frames${channels > 1 ? ` of ${channels} channels` : ''}`,
    );
  }
  const c = channels;
  return { channels, frameCount, locator: { kind: 'pages', index, pageOf: (f, ch) => ch + c * f } };
}

/** The chain length, or undefined when the chain is damaged (a cut file keeps its pixel data). */
async function pageCountOrUndefined(
  src: ByteSource,
  header: TiffHeader,
  signal?: AbortSignal,
): Promise<number | undefined> {
  try {
    const index = await IfdIndex.open(src, header, signal);
    return index.brokenChain ? undefined : index.pageCount;
  } catch (e) {
    if (e instanceof StackError) return undefined;
    throw e;
  }
}

function omeLayout(
  src: ByteSource,
  header: TiffHeader,
  index: IfdIndex,
  ome: OmeInfo,
  meta: StackMeta,
): { channels: number; frameCount: number; locator: Locator } {
  describeOme(ome, meta);
  meta.flavour = header.bigTiff ? 'ome-bigtiff' : 'ome-tiff';
  const pages = index.pageCount;
  const map = ome.planeIfd;
  let beyond = -1;
  if (map && !ome.multiFile) for (const p of map) if (p >= pages) beyond = Math.max(beyond, p);
  if (!map || beyond >= 0) {
    if (ome.multiFile)
      throw new StackError(src.name, `OME metadata of this multi-file dataset ${ome.problem}: refused`);
    const why = ome.problem ?? `maps planes to IFD ${beyond}, beyond the ${pages} pages of the file`;
    const { channels, frameCount } = chainLayout(pages, /^XYC/.test(ome.dimensionOrder) ? ome.sizeC : 1);
    warn(
      meta,
      `the OME metadata ${why}; reading the ${pages} pages of the IFD chain as ${frameCount} frames${channels > 1 ? ` of ${channels} channels` : ''}`,
    );
    const c = channels;
    return { channels, frameCount, locator: { kind: 'pages', index, pageOf: (f, ch) => ch + c * f } };
  }
  const channels = ome.sizeC;
  const frameCount = ome.sizeZ * ome.sizeT;
  const mapped = map.reduce((n, p) => n + (p >= 0 ? 1 : 0), 0);
  if (!ome.multiFile && mapped < pages)
    warn(
      meta,
      `the OME metadata describes ${mapped} planes; the other ${pages - mapped} pages of the file are not read`,
    );
  return {
    channels,
    frameCount,
    locator: {
      kind: 'pages',
      index,
      pageOf: (f, ch) => {
        const page = map[ch + channels * f];
        if (page < 0)
          throw new StackError(
            src.name,
            `${frameLabel(f, ch, channels)} is stored in another file of this OME dataset`,
          );
        return page;
      },
    },
  };
}

/**
 * Pages whose pixel data run past the end of the file are the tail of a recording cut short:
 * drop them with a warning. Only the last few pages are checked (one small read each), so
 * opening stays cheap; damage further inside still fails clearly when that frame is read.
 */
async function completePageCount(
  src: ByteSource,
  header: TiffHeader,
  index: IfdIndex,
  meta: StackMeta,
  signal?: AbortSignal,
): Promise<number> {
  const declared = index.pageCount;
  let complete = declared;
  while (complete > 1 && declared - complete < 3) {
    const dir = await readDirectory(
      src,
      header,
      await index.offsetOf(complete - 1, signal),
      undefined,
      signal,
    );
    let end = 0;
    for (let k = 0; k < dir.blockOffsets.length; k++) {
      end = Math.max(end, dir.blockOffsets[k] + (dir.blockByteCounts[k] ?? 0));
    }
    if (end <= src.size) break;
    complete--;
  }
  if (complete < declared) {
    meta.warnings = meta.warnings ?? [];
    meta.warnings.push(
      `the file is truncated: it has ${declared} pages but the pixel data of the last ${declared - complete} are cut off; those frames are left out`,
    );
  }
  return complete;
}

/**
 * A recording cut short (disk full, acquisition aborted) still holds good frames: open those and
 * say what is missing rather than refusing the whole file.
 */
export function clampToCompleteFrames(
  meta: StackMeta,
  declared: number,
  dataBytes: number,
  bytesPerTimePoint: number,
): number {
  const complete = Math.min(declared, Math.floor(dataBytes / bytesPerTimePoint));
  if (complete < declared) {
    meta.warnings = meta.warnings ?? [];
    meta.warnings.push(
      `the file is truncated: its header declares ${declared} frames but only ${complete} are complete (or the header is wrong); the missing ${declared - complete} are left out`,
    );
  }
  return complete;
}

function checkFirstFrameFits(src: ByteSource, start: number, frameBytes: number): void {
  if (start + frameBytes > src.size) {
    throw new StackError(
      src.name,
      `the first frame (bytes ${start}..${start + frameBytes}) lies beyond the end of the file: truncated or inconsistent dimensions`,
    );
  }
}

/**
 * ImageJ writes all pixel data in one contiguous run after the first IFD, so frame offsets can be
 * computed from the first strip offset. It is the only way to read its > 4 GB files (one IFD),
 * and for smaller ones it saves an IFD read per frame. Returns that data start, or undefined when
 * the file was not laid out that way (compressed, or pages that prove otherwise).
 */
async function imageJContiguousStart(
  src: ByteSource,
  header: TiffHeader,
  dir0: TiffDirectory,
  ij: ImageJInfo,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (ij.images <= 1 || dir0.compression !== 1 || dir0.tiled) return undefined;
  const frameBytes = dir0.width * dir0.height * (dir0.bitsPerSample / 8);
  const start = dir0.blockOffsets[0];
  let at = start;
  for (let k = 0; k < dir0.blockOffsets.length; k++) {
    if (dir0.blockOffsets[k] !== at) return undefined;
    at +=
      dir0.blockWidth *
      Math.min(dir0.blockHeight, dir0.height - k * dir0.blockHeight) *
      (dir0.bitsPerSample / 8);
  }
  if (dir0.nextOffset === 0) return start;
  let dir1: TiffDirectory;
  try {
    dir1 = await readDirectory(src, header, dir0.nextOffset, undefined, signal);
  } catch (e) {
    // ImageJ puts IFDs 1…N−1 after all pixel data, so a cut file loses them first: its pixels
    // are still where the layout says.
    if (e instanceof StackError && dir0.nextOffset >= src.size) return start;
    throw e;
  }
  return dir1.compression === 1 && !dir1.tiled && dir1.blockOffsets[0] === start + frameBytes
    ? start
    : undefined;
}

function describeImageJ(ij: ImageJInfo, dir0: TiffDirectory, meta: StackMeta): void {
  meta.pixelSizeNm = imageJPixelSizeNm(ij, dir0.xResolution);
  meta.frameIntervalMs = imageJFrameIntervalMs(ij);
  const extra = meta.extra!;
  extra.ImageJ = ij.version;
  extra.images = ij.images;
  if (ij.channels > 1) extra.channels = ij.channels;
  if (ij.slices > 1) extra.slices = ij.slices;
  if (ij.entries.frames) extra.frames = ij.frames;
  if (ij.unit) extra.unit = ij.unit;
  if (ij.spacing) extra.spacing = ij.spacing;
  if (ij.finterval) extra.finterval = ij.finterval;
}

function describeOme(ome: OmeInfo, meta: StackMeta): void {
  meta.pixelSizeNm = ome.pixelSizeNm;
  meta.frameIntervalMs = ome.frameIntervalMs;
  if (ome.channelNames.length) meta.channelNames = ome.channelNames;
  const extra = meta.extra!;
  extra.SizeC = ome.sizeC;
  extra.SizeZ = ome.sizeZ;
  extra.SizeT = ome.sizeT;
  extra.DimensionOrder = ome.dimensionOrder;
  if (ome.imageCount > 1) extra.omeImages = ome.imageCount;
}

class TiffFrameSource implements FrameSource {
  readonly width: number;
  readonly height: number;

  constructor(
    private readonly src: ByteSource,
    private readonly header: TiffHeader,
    private readonly dir0: TiffDirectory,
    readonly dtype: PixelType,
    readonly frameCount: number,
    readonly channels: number,
    readonly meta: StackMeta,
    private readonly locator: Locator,
  ) {
    this.width = dir0.width;
    this.height = dir0.height;
    this.pixelsAfterIfd = dir0.blockOffsets.length ? dir0.blockOffsets[0] - dir0.offset : 0;
  }

  /** Pixels start this many bytes after their page's IFD (negative: before it), as last seen. */
  private pixelsAfterIfd: number;

  get name(): string {
    return this.src.name;
  }

  async readFrame(index: number, options?: { channel?: number; signal?: AbortSignal }): Promise<PixelArray> {
    const channel = options?.channel ?? 0;
    options?.signal?.throwIfAborted();
    checkFrameArgs(this.name, this.frameCount, this.channels, index, channel);
    return this.frameVia(this.src, index, channel, options?.signal);
  }

  async readFrames(
    first: number,
    count: number,
    options?: { channel?: number; signal?: AbortSignal },
  ): Promise<PixelArray> {
    const channel = options?.channel ?? 0;
    const signal = options?.signal;
    signal?.throwIfAborted();
    checkBlockArgs(this, first, count, channel);
    const loc = this.locator;
    const frameBytes = this.width * this.height * bytesPerPixel(this.dtype);
    const perSpan = Math.max(1, Math.floor(MAX_BLOCK_READ_BYTES / (frameBytes * this.channels)));
    // One channel of a contiguous stack in one span: the read buffer itself is the block.
    if (loc.kind === 'contiguous' && loc.channels === 1 && count <= perSpan) {
      const bytes = await readBytes(
        this.src,
        loc.dataStart + first * frameBytes,
        count * frameBytes,
        blockLabel(first, count),
        signal,
      );
      toNativeOrder(bytes, bytesPerPixel(this.dtype), this.header.littleEndian);
      return typedView(this.dtype, bytes);
    }
    const out = new Uint8Array(count * frameBytes);
    for (let a = first; a < first + count; a += perSpan) {
      const n = Math.min(perSpan, first + count - a);
      const at = out.subarray((a - first) * frameBytes, (a - first + n) * frameBytes);
      if (loc.kind === 'contiguous') await this.contiguousSpan(loc, a, n, channel, at, signal);
      else await this.pagesSpan(a, n, channel, at, signal);
    }
    return typedView(this.dtype, out);
  }

  /** Frames [a, a + n) of `channel` of a contiguous stack from one read, into `out`. */
  private async contiguousSpan(
    loc: Extract<Locator, { kind: 'contiguous' }>,
    a: number,
    n: number,
    channel: number,
    out: Uint8Array,
    signal?: AbortSignal,
  ): Promise<void> {
    const fb = loc.frameBytes;
    const c = loc.channels;
    const bytes = await readBytes(this.src, loc.dataStart + a * c * fb, n * c * fb, blockLabel(a, n), signal);
    for (let f = 0; f < n; f++)
      out.set(bytes.subarray((f * c + channel) * fb, (f * c + channel + 1) * fb), f * fb);
    toNativeOrder(out, bytesPerPixel(this.dtype), this.header.littleEndian);
  }

  /**
   * Frames [a, a + n) of a paged stack. Writers that stream frames put each page's IFD and pixels
   * together and the pages in order, so the bytes from the first page to the last hold the whole
   * block: they are fetched with one read (planned from the page index, see `plannedSpan`) and
   * every page is then parsed from memory by the same code as a single frame, all of its checks
   * included. Pages scattered through the file are read page by page instead.
   */
  private async pagesSpan(
    a: number,
    n: number,
    channel: number,
    out: Uint8Array,
    signal?: AbortSignal,
  ): Promise<void> {
    const frameBytes = out.length / n;
    const span = n > 1 ? this.plannedSpan(a, n, channel, frameBytes) : undefined;
    const src = span
      ? spanByteSource(
          this.src,
          span.lo,
          await readBytes(this.src, span.lo, span.hi - span.lo, blockLabel(a, n), signal),
        )
      : this.src;
    for (let f = 0; f < n; f++) {
      const frame = await this.frameVia(src, a + f, channel, signal);
      out.set(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength), f * frameBytes);
    }
  }

  /**
   * The bytes that should hold pages a…a+n−1 (IFDs and pixels), planned from the page index
   * without a read: from the first page's IFD to one page stride past the last, shifted by where
   * this file puts pixels relative to their IFD (learned from the pages parsed so far). Undefined
   * when the index does not know the pages yet or the span would be far larger than the pixels.
   * A wrong plan costs reads, never pixels: every page is still parsed and checked, and bytes
   * outside the span are read from the file.
   */
  private plannedSpan(a: number, n: number, channel: number, frameBytes: number) {
    const loc = this.locator as Extract<Locator, { kind: 'pages' }>;
    const pa = loc.pageOf(a, channel);
    const pb = loc.pageOf(a + n - 1, channel);
    const first = loc.index.knownOffset(pa);
    const last = loc.index.knownOffset(pb);
    if (first === undefined || last === undefined || pb <= pa) return undefined;
    const step = (last - first) / (pb - pa);
    const d = this.pixelsAfterIfd;
    // Page 0 often differs (it carries the description), so the mean step need not be whole.
    const lo = Math.max(0, Math.floor(Math.min(first, first + d)));
    const hi = Math.min(
      this.src.size,
      Math.ceil(Math.max(last + step, last + d + frameBytes) + IFD_PROBE_BYTES),
    );
    const pixels = n * this.channels * frameBytes;
    return hi > lo && hi - lo <= Math.min(MAX_BLOCK_READ_BYTES, 2 * pixels + 1024 * 1024)
      ? { lo, hi }
      : undefined;
  }

  /** Frame `index` of `channel`, reading through `src` (this file, or a span of it in memory). */
  private async frameVia(
    src: ByteSource,
    index: number,
    channel: number,
    signal?: AbortSignal,
  ): Promise<PixelArray> {
    const label = frameLabel(index, channel, this.channels);
    const loc = this.locator;
    if (loc.kind === 'contiguous') {
      const at = loc.dataStart + (index * loc.channels + channel) * loc.frameBytes;
      const bytes = await readBytes(src, at, loc.frameBytes, label, signal);
      toNativeOrder(bytes, bytesPerPixel(this.dtype), this.header.littleEndian);
      return typedView(this.dtype, bytes);
    }
    const dir = await this.pageDirectory(src, loc.pageOf(index, channel), label, signal);
    return readPage(src, dir, this.dtype, this.header.littleEndian, label, signal);
  }

  private async pageDirectory(
    src: ByteSource,
    page: number,
    label: string,
    signal?: AbortSignal,
  ): Promise<TiffDirectory> {
    if (page === 0) return this.dir0;
    const loc = this.locator as Extract<Locator, { kind: 'pages' }>;
    const dir = await this.readPageDirectory(src, loc, page, label, signal);
    if (dir.blockOffsets.length) this.pixelsAfterIfd = dir.blockOffsets[0] - dir.offset;
    return dir;
  }

  private async readPageDirectory(
    src: ByteSource,
    loc: Extract<Locator, { kind: 'pages' }>,
    page: number,
    label: string,
    signal?: AbortSignal,
  ): Promise<TiffDirectory> {
    let dir: TiffDirectory;
    try {
      dir = await readDirectory(
        src,
        this.header,
        await loc.index.offsetOf(page, signal, src),
        undefined,
        signal,
      );
    } catch (e) {
      if (e instanceof StackError) throw new StackError(this.name, `${label}: ${e.reason}`);
      throw e;
    }
    if (
      dir.width !== this.width ||
      dir.height !== this.height ||
      pagePixelType(this.name, dir) !== this.dtype
    ) {
      throw new StackError(
        this.name,
        `${label}: page ${page + 1} is ${dir.width}×${dir.height} ${dir.bitsPerSample}-bit, unlike the first page (${this.width}×${this.height} ${this.dtype})`,
      );
    }
    return dir;
  }
}

/** "frames 17–32" (1-based) for errors of a block read. */
function blockLabel(first: number, count: number): string {
  return count === 1 ? `frame ${first + 1}` : `frames ${first + 1}–${first + count}`;
}
