// Where each page's IFD lives, found without reading the whole file.
//
// Design. A TIFF's pages form a singly linked list of IFDs, so counting pages naively means one
// read per page before the first frame can be shown: ~20,000 reads for a long acquisition, seconds
// in a browser. Two observations make that unnecessary in practice:
//  1. Writers that stream frames (ImageJ, Micro-Manager without per-frame metadata, tifffile,
//     our own writer, cameras) put IFDs 1..N-1 at a constant stride (IFD 0 often differs, as it
//     carries the description). So after reading IFDs 0, 1 and 2 we *predict* IFD k at
//     o1 + (k-1)·stride and binary-search the last k whose predicted IFD is valid (same entry
//     count and first tag as IFD 1, next pointer = the predicted successor, or 0 at the end).
//     That is ~log2(N) small reads; every later page read re-validates its predicted IFD the same
//     way, and any mismatch drops back to the authoritative chain walk (see `offsetOf`).
//  2. When the stride hypothesis fails, the walk reads IFDs in adaptive windows: if successive
//     IFDs are close together (ImageJ puts IFDs 1..N-1 after all pixel data; some writers put all
//     IFDs first) one 64 KiB read covers hundreds of them; otherwise each costs one 512-byte read.
// The index is an object the TIFF reader keeps for the life of the FrameSource, so page offsets
// found once are never looked up again. Cycles (an IFD pointing back into the chain) and offsets
// outside the file are StackErrors.
import { type ByteSource, StackError } from '../types';
import { type ByteWindow, IFD_PROBE_BYTES, readIfdSkeleton, type TiffHeader } from './ifd';

const CLUSTER_WINDOW_BYTES = 64 * 1024;
/** Refuse chains longer than this: no real acquisition has more pages, a corrupt one can. */
const MAX_PAGES = 50_000_000;

interface Stride {
  first: number;
  step: number;
  entryCount: number;
  firstTag: number;
}

export class IfdIndex {
  /** Offsets of pages 0..walked-1, known from following the chain. */
  private readonly walked: number[] = [];
  private readonly seen = new Set<number>();
  private nextToWalk: number;
  private window: ByteWindow | undefined;
  private stride: Stride | undefined;
  private strideCount = 0;
  private walkedToEnd = false;
  /** Why the chain ended early (an IFD cut off or outside the file), when it did. */
  brokenChain: string | undefined;
  /** Concurrent readFrame calls may both need a walk: they take turns instead of interleaving. */
  private walking: Promise<void> = Promise.resolve();

  private constructor(
    private readonly src: ByteSource,
    private readonly header: TiffHeader,
  ) {
    this.nextToWalk = header.firstIfdOffset;
  }

  /** Reads IFDs 0–2 and settles the page count by stride prediction or, failing that, a walk. */
  static async open(src: ByteSource, header: TiffHeader, signal?: AbortSignal): Promise<IfdIndex> {
    const index = new IfdIndex(src, header);
    await index.walkTo(2, signal);
    if (!index.walkedToEnd && !(await index.tryStride(signal))) await index.walkAll(signal);
    return index;
  }

  /** Number of pages in the file. */
  get pageCount(): number {
    return this.walkedToEnd ? this.walked.length : this.strideCount;
  }

  /** How the count was found, for the metadata panel and tests. */
  get method(): 'walk' | 'stride' {
    return this.walkedToEnd ? 'walk' : 'stride';
  }

  /**
   * File offset of page `i`'s IFD, validated; throws a StackError naming the page otherwise.
   * `via` reads the same file (e.g. a window of it already in memory), so validating a predicted
   * IFD inside a block of frames read at once costs no extra read.
   */
  async offsetOf(i: number, signal?: AbortSignal, via: ByteSource = this.src): Promise<number> {
    if (i < this.walked.length) return this.walked[i];
    const s = this.stride;
    if (s && !this.walkedToEnd && i < this.strideCount) {
      const predicted = s.first + (i - 1) * s.step;
      if (await this.validAt(i, false, signal, via)) return predicted;
      // The file is less regular than its endpoints suggested: trust only the chain from here on.
      await this.walkAll(signal);
      if (i < this.walked.length) return this.walked[i];
    }
    throw new StackError(
      this.src.name,
      `page ${i + 1} does not exist (the file has ${this.pageCount} pages)`,
    );
  }

  /**
   * Where page `i`'s IFD is, or is predicted to be, without reading anything (undefined when not
   * known yet). Only for planning reads: `offsetOf` is the validated answer.
   */
  knownOffset(i: number): number | undefined {
    if (i < this.walked.length) return this.walked[i];
    const s = this.stride;
    return s && !this.walkedToEnd && i < this.strideCount ? s.first + (i - 1) * s.step : undefined;
  }

  private async walkTo(i: number, signal?: AbortSignal): Promise<void> {
    while (this.walked.length <= i && !this.walkedToEnd) {
      signal?.throwIfAborted();
      const at = this.nextToWalk;
      if (this.seen.has(at)) {
        throw new StackError(
          this.src.name,
          `cyclic IFD chain: page ${this.walked.length + 1} points back to byte ${at}`,
        );
      }
      if (this.walked.length >= MAX_PAGES)
        throw new StackError(this.src.name, `more than ${MAX_PAGES} pages`);
      const prev = this.walked.length ? this.walked[this.walked.length - 1] : -1;
      const clustered = prev >= 0 && Math.abs(at - prev) < CLUSTER_WINDOW_BYTES;
      let sk: Awaited<ReturnType<typeof readIfdSkeleton>>;
      try {
        sk = await readIfdSkeleton(
          this.src,
          this.header,
          at,
          this.window,
          clustered ? CLUSTER_WINDOW_BYTES : IFD_PROBE_BYTES,
          signal,
        );
      } catch (e) {
        // A recording cut short loses the IFDs after the cut, not the pages before it (tifffile
        // also keeps them). The first IFD has no such excuse: the caller read it already.
        if (!(e instanceof StackError) || this.walked.length === 0) throw e;
        this.brokenChain = `the IFD chain breaks after page ${this.walked.length} (${e.reason})`;
        this.walkedToEnd = true;
        return;
      }
      this.window = sk.window;
      this.seen.add(at);
      this.walked.push(at);
      this.nextToWalk = sk.nextOffset;
      if (sk.nextOffset === 0) this.walkedToEnd = true;
    }
  }

  private walkAll(signal?: AbortSignal): Promise<void> {
    const run = this.walking.then(() => this.walkTo(Number.POSITIVE_INFINITY, signal));
    this.walking = run.catch(() => undefined);
    return run;
  }

  private async tryStride(signal?: AbortSignal): Promise<boolean> {
    const [, o1, o2] = this.walked;
    const step = o2 - o1;
    if (step <= 0) return false;
    const sk = await readIfdSkeleton(this.src, this.header, o1, undefined, IFD_PROBE_BYTES, signal);
    this.stride = { first: o1, step, entryCount: sk.entryCount, firstTag: sk.firstTag };
    // Largest k with a predicted IFD inside the file; valid pages are assumed to be a prefix.
    let lo = 2;
    let hi = Math.min(MAX_PAGES, 1 + Math.floor((this.src.size - 1 - o1) / step));
    this.strideCount = hi + 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (await this.validAt(mid, true, signal)) lo = mid;
      else hi = mid - 1;
    }
    const last = await this.skeletonAt(lo, signal);
    if (last?.nextOffset !== 0) {
      this.stride = undefined;
      return false;
    }
    this.strideCount = lo + 1;
    return true;
  }

  private async skeletonAt(k: number, signal?: AbortSignal, via: ByteSource = this.src) {
    const s = this.stride!;
    try {
      return await readIfdSkeleton(
        via,
        this.header,
        s.first + (k - 1) * s.step,
        undefined,
        IFD_PROBE_BYTES,
        signal,
      );
    } catch (e) {
      if (e instanceof StackError) return undefined;
      throw e;
    }
  }

  /**
   * Whether the IFD predicted for page k looks like a page of this file (same entry count and
   * first tag as page 1) and links as predicted: to its successor, or to 0 if it is the last page.
   * While searching for the end, any page that links to its successor or ends the chain counts.
   */
  private async validAt(
    k: number,
    searching: boolean,
    signal?: AbortSignal,
    via: ByteSource = this.src,
  ): Promise<boolean> {
    const s = this.stride!;
    const sk = await this.skeletonAt(k, signal, via);
    if (!sk || sk.entryCount !== s.entryCount || sk.firstTag !== s.firstTag) return false;
    const isLast = k === this.strideCount - 1;
    if (sk.nextOffset === s.first + k * s.step) return searching || !isLast;
    return sk.nextOffset === 0 && (searching || isLast);
  }
}
