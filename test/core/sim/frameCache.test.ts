// The simulated-frame cache (frameCache.ts) over an in-memory store: what comes back from the
// cache is exactly what the simulator generates; another parameter or seed is another key; a
// stored chunk the simulator would not produce (an older simulator, a cut-short write) is a miss.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CACHE_CHUNK_FRAMES,
  CachedSimulatedStack,
  type ChunkStore,
  simulationCacheKey,
} from '../../../src/core/sim/frameCache';
import type { SimulationParams } from '../../../src/core/sim/params';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';

class MemoryStore implements ChunkStore {
  readonly files = new Map<string, Uint8Array>();
  gets = 0;
  async get(name: string) {
    this.gets++;
    const b = this.files.get(name);
    return b ? b.slice() : null;
  }
  async put(name: string, bytes: Uint8Array) {
    this.files.set(name, bytes.slice());
  }
}

function smallDemo(): SimulationParams {
  // Two channels, a last chunk that is not full (70 = 8 × 8 + 6).
  return { ...presetParams('demo'), width: 24, height: 20, frames: 70 };
}

async function readAll(src: { readFrame(i: number, o: { channel: number }): Promise<ArrayLike<number>> }) {
  const frames: number[][] = [];
  for (let c = 0; c < 2; c++)
    for (let i = 0; i < 70; i++) frames.push(Array.from(await src.readFrame(i, { channel: c })));
  return frames;
}

let truth: number[][];
beforeAll(async () => {
  truth = await readAll(simulate(smallDemo()).stack);
}, 60_000);

describe('simulated frames through the cache', () => {
  test('two readers taking turns on runs of 16 frames (the browser localization) fill every chunk', async () => {
    const store = new MemoryStore();
    const a = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    const b = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    for (let f = 0; f < 70; f++) await (Math.floor(f / 16) % 2 ? b : a).readFrame(f, { channel: 0 });
    await a.flush();
    await b.flush();
    expect(a.stats.chunksWritten + b.stats.chunksWritten).toBe(9);
  });

  test('a first pass generates and stores every chunk; a second reads them back bit for bit', async () => {
    const store = new MemoryStore();
    const first = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    expect(await readAll(first)).toEqual(truth);
    await first.flush();
    expect(CACHE_CHUNK_FRAMES).toBe(8);
    expect(first.stats).toMatchObject({ cachedFrames: 0, generatedFrames: 140, chunksWritten: 18 });
    const names = [0, 1].flatMap((c) => Array.from({ length: 9 }, (_, k) => `c${c}-${k}`));
    expect([...store.files.keys()].sort()).toEqual(names.sort());
    expect(store.files.get('c0-8')!.byteLength).toBe(6 * 24 * 20 * 2);
    // One lookup per chunk and channel, not one per frame.
    expect(store.gets).toBe(18);

    const second = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    // Out of order, as a viewer reads.
    expect(Array.from(await second.readFrame(69, { channel: 1 }))).toEqual(truth[70 + 69]);
    expect(await readAll(second)).toEqual(truth);
    expect(second.stats.generatedFrames).toBe(0);
    expect(second.stats.cachedFrames).toBe(141);
  });

  test('the key follows the parameters and the seed, not the order of their fields', () => {
    const p = smallDemo();
    const reordered = Object.fromEntries(Object.entries(p).reverse()) as unknown as SimulationParams;
    expect(simulationCacheKey(reordered)).toBe(simulationCacheKey(p));
    const keys = new Set([
      simulationCacheKey(p),
      simulationCacheKey({ ...p, seed: p.seed + 1 }),
      simulationCacheKey({ ...p, frames: 71 }),
      simulationCacheKey({ ...p, camera: { ...p.camera, emGain: p.camera.emGain + 1 } }),
      simulationCacheKey({
        ...p,
        channels: p.channels.map((c, i) => (i ? { ...c, photonsPerFrame: c.photonsPerFrame + 1 } : c)),
      }),
    ]);
    expect(keys.size).toBe(5);
  });

  test('chunks that are not what this simulator generates are not used', async () => {
    const store = new MemoryStore();
    const filler = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    await readAll(filler);
    await filler.flush();
    // An older simulator's channel 0 (first chunk differs) and a write cut short in channel 1.
    const c0 = store.files.get('c0-0')!;
    c0[10] ^= 1;
    store.files.set('c1-1', store.files.get('c1-1')!.subarray(0, 100));
    const reader = new CachedSimulatedStack(simulate(smallDemo()).stack, store);
    expect(await readAll(reader)).toEqual(truth);
    // Channel 0 is generated in full; channel 1 only its cut chunk.
    expect(reader.stats.generatedFrames).toBe(70 + CACHE_CHUNK_FRAMES);
  });

  test('a store that fails reads as no cache', async () => {
    const broken: ChunkStore = {
      get: () => Promise.reject(new Error('quota')),
      put: () => Promise.reject(new Error('quota')),
    };
    const src = new CachedSimulatedStack(simulate(smallDemo()).stack, broken);
    expect(await readAll(src)).toEqual(truth);
    await src.flush();
    expect(src.stats.chunksWritten).toBe(0);
    await expect(src.readFrame(70, { channel: 0 })).rejects.toThrow(/outside/);
  });
});
