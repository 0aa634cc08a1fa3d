// Generated frames of a simulation kept in a chunk store (the browser's OPFS, see
// workers/opfsChunkStore.ts) after first use, so opening the demo again — and every worker that
// opens it (localization, tracking, the viewer) — reads frames instead of drawing shot, EM and
// read noise for every pixel again. Frames are a pure function of the simulation parameters and
// the simulator's code: the key is a hash of the parameters, and SIM_FRAMES_VERSION must be
// bumped whenever the simulator's output changes. As a guard against a forgotten bump, the first
// cached chunk of each channel is checked against a freshly generated first frame; a mismatch
// makes the whole cache of that simulation a miss.
//
// Chunks of CACHE_CHUNK_FRAMES consecutive frames per channel are stored whole, written by
// whoever generated all their frames (two workers generating the same chunk write the same
// bytes). A stored chunk of the wrong size (a write cut short, another version) is a miss.
import type { FrameSource, ReadOptions, StackMeta } from '../stack/types';
import type { SimulationParams } from './params';
import type { SimulatedStack } from './stack';

/** Bump when the simulator's frames change for the same parameters (invalidates every cache). */
export const SIM_FRAMES_VERSION = 1;

/**
 * Frames per stored chunk. Only a reader that generated every frame of a chunk writes it, and the
 * localization workers take turns on runs of 16 (browser) or 32 (CLI) frames: a chunk must fit in
 * one such run, or no chunk would ever be complete in any one worker.
 */
export const CACHE_CHUNK_FRAMES = 8;

/** Partly generated chunks kept per channel while their other frames are still to come. */
const MAX_PENDING = 8;
/** Chunks read from the store kept in memory per channel (a worker reads a few at a time). */
const MAX_LOADED = 4;

/** Bytes by name: OPFS in the browser, a Map in tests. Failures read as misses. */
export interface ChunkStore {
  get(name: string): Promise<Uint8Array | null>;
  put(name: string, bytes: Uint8Array): Promise<void>;
}

/** JSON with object keys sorted, so equal parameters give equal text whatever their key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Two independent 32-bit FNV-1a hashes of the text, as 16 hex digits. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Cache key of a simulation's frames: the parameters (seed included) and the simulator version. */
export function simulationCacheKey(params: SimulationParams): string {
  return `v${SIM_FRAMES_VERSION}-${hash64(stableJson(params))}`;
}

interface Pending {
  data: Uint16Array;
  have: Uint8Array;
  count: number;
}

/** A SimulatedStack whose frames come from the store when cached, and go to it once generated. */
export class CachedSimulatedStack implements FrameSource {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly channels: number;
  readonly dtype = 'uint16' as const;
  readonly meta: StackMeta;
  /** Reads answered from the store / generated, for the tests and the bench. */
  readonly stats = { cachedFrames: 0, generatedFrames: 0, chunksWritten: 0 };
  private readonly size: number;
  private readonly loaded = new Map<string, Promise<Uint16Array | null>>();
  private readonly missing = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly checked: Promise<boolean>[] = [];
  private readonly writes = new Set<Promise<void>>();

  constructor(
    readonly stack: SimulatedStack,
    private readonly store: ChunkStore,
  ) {
    this.name = stack.name;
    this.width = stack.width;
    this.height = stack.height;
    this.frameCount = stack.frameCount;
    this.channels = stack.channels;
    this.meta = stack.meta;
    this.size = stack.width * stack.height;
  }

  async readFrame(index: number, options?: ReadOptions): Promise<Uint16Array> {
    options?.signal?.throwIfAborted();
    const channel = options?.channel ?? 0;
    const out = new Uint16Array(this.size);
    if (!(Number.isInteger(index) && index >= 0 && index < this.frameCount)) {
      this.stack.renderFrameInto(index, channel, out); // throws the stack's own range error
      return out;
    }
    const k = Math.floor(index / CACHE_CHUNK_FRAMES);
    const chunk = (await this.trusted(channel)) ? await this.chunk(channel, k) : null;
    const at = (index - k * CACHE_CHUNK_FRAMES) * this.size;
    if (chunk) {
      out.set(chunk.subarray(at, at + this.size));
      this.stats.cachedFrames++;
      return out;
    }
    this.stack.renderFrameInto(index, channel, out);
    this.stats.generatedFrames++;
    this.record(channel, k, index, out);
    return out;
  }

  /** Resolves once every chunk write started so far has finished (tests, orderly shutdown). */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
  }

  private framesIn(k: number): number {
    return Math.min(CACHE_CHUNK_FRAMES, this.frameCount - k * CACHE_CHUNK_FRAMES);
  }

  private chunk(channel: number, k: number): Promise<Uint16Array | null> {
    const name = `c${channel}-${k}`;
    if (this.missing.has(name)) return Promise.resolve(null);
    let p = this.loaded.get(name);
    if (p) {
      // Most recently used last: the oldest hit is the first to go.
      this.loaded.delete(name);
      this.loaded.set(name, p);
      return p;
    }
    const bytes = this.framesIn(k) * this.size * 2;
    p = this.store.get(name).then(
      (b) => (b && b.byteLength === bytes ? new Uint16Array(b.buffer, b.byteOffset, bytes / 2) : null),
      () => null,
    );
    this.loaded.set(name, p);
    if (this.loaded.size > MAX_LOADED * this.channels) {
      const oldest = this.loaded.keys().next().value;
      if (oldest !== undefined) this.loaded.delete(oldest);
    }
    // A miss stays a miss for this source (one lookup per chunk, not per frame) until it writes
    // the chunk itself; frames of it are generated meanwhile.
    void p.then((c) => {
      if (c) return;
      this.loaded.delete(name);
      this.missing.add(name);
    });
    return p;
  }

  /** First use of a channel: is its cached frame 0 the one this simulator generates? */
  private trusted(channel: number): Promise<boolean> {
    this.checked[channel] ??= this.chunk(channel, 0).then((c) => {
      if (!c) return true;
      const fresh = new Uint16Array(this.size);
      this.stack.renderFrameInto(0, channel, fresh);
      for (let i = 0; i < this.size; i++) if (c[i] !== fresh[i]) return false;
      return true;
    });
    return this.checked[channel];
  }

  private record(channel: number, k: number, index: number, frame: Uint16Array): void {
    const name = `c${channel}-${k}`;
    const n = this.framesIn(k);
    let p = this.pending.get(name);
    if (!p) {
      if (this.pending.size >= MAX_PENDING * this.channels) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      p = { data: new Uint16Array(n * this.size), have: new Uint8Array(n), count: 0 };
      this.pending.set(name, p);
    }
    const j = index - k * CACHE_CHUNK_FRAMES;
    if (p.have[j]) return;
    p.have[j] = 1;
    p.count++;
    p.data.set(frame, j * this.size);
    if (p.count < n) return;
    this.pending.delete(name);
    const bytes = new Uint8Array(p.data.buffer);
    const w = this.store
      .put(name, bytes)
      .then(() => {
        this.stats.chunksWritten++;
        this.missing.delete(name);
      })
      .catch(() => {
        // A full or unavailable store only costs the speed-up.
      })
      .finally(() => this.writes.delete(w));
    this.writes.add(w);
  }
}
