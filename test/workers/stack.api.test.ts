// The stack worker's API, driven through comlink over a real MessageChannel so structured cloning
// and transfers behave as they do between the page and the worker.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evFramesFor } from '../../src/core/movie/evFrames';
import { createStackApi, type RenderRequest, type StackApi, type StackInfo } from '../../workers/stack.api';
import { writeTiff16 } from '../helpers/tiff';

const W = 32;
const H = 24;
const FRAMES = 6;
const pixel = (f: number, x: number, y: number) => 100 + f * 1000 + y * W + x;
const tiff = (name: string, opts: Partial<Parameters<typeof writeTiff16>[0]> = {}) => ({
  name,
  blob: new Blob([
    writeTiff16({ width: W, height: H, frames: FRAMES, pixel, ...opts }) as Uint8Array<ArrayBuffer>,
  ]),
});

let api: Comlink.Remote<StackApi>;
let ports: MessagePort[];

beforeAll(() => {
  const { port1, port2 } = new MessageChannel();
  ports = [port1, port2];
  Comlink.expose(createStackApi({ transfer: Comlink.transfer }), port1 as unknown as Comlink.Endpoint);
  api = Comlink.wrap<StackApi>(port2 as unknown as Comlink.Endpoint);
});
afterAll(() => {
  for (const p of ports) p.close();
});

async function open(files: { name: string; blob: Blob }[]): Promise<StackInfo> {
  const r = await api.open(files, 1);
  if (!r.ok) throw new Error(`${r.fileName}: ${r.reason}`);
  return r.info;
}

const manual = (stackId: number, frame: number, min = 0, max = 10_000): RenderRequest => ({
  stackId,
  frame,
  layout: 'single',
  views: [{ channel: 0, colormap: 'gray', contrast: { mode: 'manual', min, max } }],
});

describe('opening', () => {
  test('a multi-page TIFF becomes a stack with its size and pixel type', async () => {
    const info = await open([tiff('cells.tif')]);
    expect(info).toMatchObject({
      name: 'cells.tif',
      width: W,
      height: H,
      frameCount: FRAMES,
      channels: 1,
      dtype: 'uint16',
    });
    expect(info.meta.byteOrder).toBe('little');
  });

  test('random bytes fail with the file named, and do not disturb open stacks', async () => {
    const good = await open([tiff('good.tif')]);
    const r = await api.open([{ name: 'x.tif', blob: new Blob(['definitely not a tiff']) }], 2);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.fileName).toBe('x.tif');
      expect(r.reason.length).toBeGreaterThan(5);
    }
    const res = await api.render(manual(good.id, 0));
    expect(res.tiles[0].values[0]).toBe(100);
  });

  test('a truncated TIFF opens with its complete frames and a warning', async () => {
    const full = writeTiff16({ width: W, height: H, frames: FRAMES, pixel });
    const cut = full.slice(0, full.length - 100);
    const r = await api.open([{ name: 'cut.tif', blob: new Blob([cut]) }], 3);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.info.frameCount).toBe(FRAMES - 1);
      expect(r.info.meta.warnings?.[0]).toMatch(/truncated/);
    }
  });
});

describe('rendering', () => {
  test('frames arrive as raw values plus RGBA through the window', async () => {
    const info = await open([tiff('r.tif')]);
    const res = await api.render(manual(info.id, 3, 3100, 3100 + W * H - 1));
    expect(res.frame).toBe(3);
    expect(res.width).toBe(W);
    expect(res.rgba).toHaveLength(W * H * 4);
    const { values, stats } = res.tiles[0];
    expect(values).toBeInstanceOf(Uint16Array);
    expect(values[5 * W + 7]).toBe(pixel(3, 7, 5));
    expect(stats.min).toBe(3100);
    expect(stats.max).toBe(3100 + W * H - 1);
    // First pixel at min → black, last at max → white.
    expect([res.rgba[0], res.rgba[3]]).toEqual([0, 255]);
    expect(res.rgba[(W * H - 1) * 4]).toBe(255);
  });

  test('big-endian files decode to the same values', async () => {
    const info = await open([tiff('be.tif', { littleEndian: false })]);
    expect(info.meta.byteOrder).toBe('big');
    const res = await api.render(manual(info.id, 2));
    expect(res.tiles[0].values[W + 1]).toBe(pixel(2, 1, 1));
  });

  test('auto contrast comes from the frame’s percentiles', async () => {
    const info = await open([tiff('a.tif')]);
    const res = await api.render({
      stackId: info.id,
      frame: 1,
      layout: 'single',
      views: [{ channel: 0, colormap: 'inferno', contrast: { mode: 'auto', lowPct: 0, highPct: 100 } }],
    });
    expect(res.tiles[0].window).toEqual({ min: 1100, max: 1100 + W * H - 1 });
  });

  test('frame indices are clamped to the stack', async () => {
    const info = await open([tiff('c.tif')]);
    expect((await api.render(manual(info.id, 999))).frame).toBe(FRAMES - 1);
  });

  test('several files chosen together make one stack, in natural name order', async () => {
    const single = (f: number) =>
      writeTiff16({ width: W, height: H, frames: 1, pixel: (_, x, y) => pixel(f, x, y) });
    const files = [10, 2, 1].map((i) => ({
      name: `img_${i}.tif`,
      blob: new Blob([single(i) as Uint8Array<ArrayBuffer>]),
    }));
    const info = await open(files);
    expect(info.frameCount).toBe(3);
    expect(info.files).toHaveLength(3);
    const second = await api.render(manual(info.id, 1));
    expect(second.tiles[0].values[0]).toBe(pixel(2, 0, 0));
  });
});

describe('channels', () => {
  test('a second file becomes channel 2; side by side puts them next to each other', async () => {
    const a = await open([tiff('green.tif')]);
    const r = await api.addChannel(a.id, [tiff('red.tif', { pixel: (f, x, y) => 7 + pixel(f, x, y) })], 4);
    if (!r.ok) throw new Error(r.reason);
    expect(r.info.channels).toBe(2);
    const res = await api.render({
      stackId: r.info.id,
      frame: 0,
      layout: 'side-by-side',
      views: [0, 1].map((channel) => ({
        channel,
        colormap: 'gray' as const,
        contrast: { mode: 'manual' as const, min: 0, max: 1 },
      })),
    });
    expect(res.tiles.map((t) => t.channel)).toEqual([0, 1]);
    expect(res.tiles[1].x0).toBeGreaterThanOrEqual(W);
    expect(res.width).toBeGreaterThan(2 * W);
    expect(res.tiles[1].values[0] - res.tiles[0].values[0]).toBe(7);
  });

  test('a channel of another size is refused, naming the file', async () => {
    const a = await open([tiff('base.tif')]);
    const r = await api.addChannel(a.id, [tiff('small.tif', { width: 16 })], 5);
    expect(r).toMatchObject({ ok: false });
  });

  test('dual-view split cuts frames into two channels', async () => {
    const a = await open([tiff('dual.tif')]);
    const r = await api.splitDualView(a.id, 'left-right');
    if (!r.ok) throw new Error(r.reason);
    expect(r.info).toMatchObject({ channels: 2, width: W / 2, height: H });
    const res = await api.render({
      stackId: r.info.id,
      frame: 0,
      layout: 'overlay',
      views: [0, 1].map((channel) => ({
        channel,
        colormap: 'gray' as const,
        contrast: { mode: 'manual' as const, min: 0, max: 1 },
      })),
    });
    expect(res.tiles[1].values[0]).toBe(pixel(0, W / 2, 0));
    const again = await api.splitDualView(r.info.id, 'left-right');
    expect(again.ok).toBe(false);
  });
});

test('a closed stack can no longer be rendered', async () => {
  const info = await open([tiff('gone.tif')]);
  await api.close(info.id);
  await expect(api.render(manual(info.id, 0))).rejects.toThrow(/not open/);
});

describe('EV layer averaged over the movie step', () => {
  test('meanOf renders the mean of the S raw frames of the block holding the window centre', async () => {
    const FR = 40;
    // Values that differ irregularly from frame to frame, so a wrong frame range cannot pass.
    const px = (f: number, x: number, y: number) => ((f * 7919 + y * 131 + x * 17 + f * f * 13) % 4093) + 50;
    const base = await open([tiff('movie.tif', { frames: FR })]);
    const both = await api.addChannel(base.id, [tiff('ev.tif', { frames: FR, pixel: px })], 2);
    if (!both.ok) throw new Error(both.reason);
    const id = both.info.id;
    const w = { window: 10, step: 4 };
    const n = 3;
    const { start, count } = evFramesFor(n, w, FR, 'mean');
    // Block n + ⌊(W−1)/2S⌋ = 4: raw frames [16, 20), which hold the window centre 12 + 4.5.
    expect({ start, count }).toEqual({ start: 16, count: 4 });
    const view = {
      channel: 1,
      colormap: 'gray' as const,
      contrast: { mode: 'manual' as const, min: 0, max: 5000 },
    };
    const mean = await api.render({
      stackId: id,
      frame: start,
      layout: 'single',
      views: [view],
      meanOf: count,
    });
    const singles = await Promise.all(
      Array.from({ length: count }, (_, k) =>
        api.render({ stackId: id, frame: start + k, layout: 'single', views: [view] }),
      ),
    );
    const got = mean.tiles[0].values;
    expect(got).toBeInstanceOf(Float32Array);
    let maxErr = 0;
    for (let i = 0; i < got.length; i++) {
      let sum = 0;
      for (const s of singles) sum += s.tiles[0].values[i];
      maxErr = Math.max(maxErr, Math.abs(got[i] - sum / count));
    }
    expect(maxErr).toBeLessThan(1e-3);
    // Pixel (0, 0) by hand: the mean of the generator over frames 16–19.
    expect(got[0]).toBeCloseTo((px(16, 0, 0) + px(17, 0, 0) + px(18, 0, 0) + px(19, 0, 0)) / 4, 3);
    // And it is not the single centre frame.
    expect(got[0]).not.toBeCloseTo(px(16, 0, 0), 1);
    // Near the end the block is clipped to the stack.
    expect(evFramesFor(9, w, FR, 'mean')).toEqual({ start: 39, count: 1 });
    const clipped = await api.render({ stackId: id, frame: 38, layout: 'single', views: [view], meanOf: 4 });
    expect(clipped.tiles[0].values[0]).toBeCloseTo((px(38, 0, 0) + px(39, 0, 0)) / 2, 3);
  });
});
