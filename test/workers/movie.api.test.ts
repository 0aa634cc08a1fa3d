import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { afterAll, describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../src/core/locs/table';
import { SlidingMovie } from '../../src/core/movie/slidingMovie';
import { openStack } from '../../src/core/stack/open';
import { movieChunk } from '../../src/engine/movieService';
import { createMovieApi, type MovieApi, outlineColours, paintOutline } from '../../workers/movie.api';
import { mem } from '../helpers/sources';

const channel = new MessageChannel();
Comlink.expose(createMovieApi({ transfer: Comlink.transfer }), nodeEndpoint(channel.port1));
const api = Comlink.wrap<MovieApi>(nodeEndpoint(channel.port2));
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

const grid = { x0Nm: 0, y0Nm: 0, width: 40, height: 30, pixelNm: 20 };
// One bright 200 nm square of localizations during raw frames 0–59, none after.
function chunk(first: number, end: number) {
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let f = first; f < end; f++)
    for (let k = 0; k < 5; k++) {
      if (f >= 60) continue;
      frame.push(f);
      x.push(300 + ((f * 37 + k * 53) % 200));
      y.push(200 + ((f * 11 + k * 71) % 200));
    }
  return locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: new Float32Array(frame.length).fill(15),
  });
}

describe('movie worker API over a MessageChannel', () => {
  test('refuses work before configure', async () => {
    await expect(
      api.renderFrame({ frame: 0, colormap: 'hot', contrast: 'auto', overlay: { kind: 'none' } }),
    ).rejects.toThrow(/configure\(\)/);
  });

  test('builds progressively from streamed chunks; frames equal direct renders; exports a TIFF', async () => {
    let s = await api.configure({
      window: 30,
      step: 10,
      grid,
      sigma: { kind: 'precision', factor: 1 },
      frameIntervalS: 0.005,
      rawFrames: 100,
    });
    expect(s.expected).toBe(8);
    const all = [chunk(0, 40), chunk(40, 70), chunk(70, 100)];
    const readyAfter: number[] = [];
    let localized = 0;
    for (const t of all) {
      const c = movieChunk(t);
      s = await api.append(
        Comlink.transfer(c, [c.frame.buffer, c.x.buffer, c.y.buffer, c.precision!.buffer]),
      );
      localized += 1;
      s = await api.setLocalizedFrames([40, 70, 100][localized - 1]);
      readyAfter.push(s.ready);
    }
    // Frames whose window [10n, 10n + 30) is complete: ⌊(40−30)/10⌋+1, ⌊(70−30)/10⌋+1, 8.
    expect(readyAfter).toEqual([2, 5, 8]);
    const ref = SlidingMovie.fromTable(
      locTableFromColumns({
        ...Object.fromEntries(
          Object.keys(all[0].columns).map((k) => [
            k,
            Float64Array.from(all.flatMap((t) => Array.from(t.columns[k]))),
          ]),
        ),
        frame: Uint32Array.from(all.flatMap((t) => Array.from(t.columns.frame))),
      }),
      { window: 30, step: 10, grid, sigma: { kind: 'precision', factor: 1 } },
      100,
    );
    for (let n = 0; n < 8; n++) {
      const st = await api.frameStats(n);
      const want = ref.renderRange(10 * n, 10 * n + 30);
      expect(st.sum).toBeCloseTo(
        want.reduce((a, b) => a + b, 0),
        4,
      );
      expect(st.startFrame).toBe(10 * n);
      expect(st.times.centreS).toBeCloseTo((10 * n + 15) * 0.005, 9);
    }
    // Rendered RGBA arrives (transferred) at the grid size; pooled contrast spans the data.
    const win = await api.contrast(10, 99.5);
    expect(win.min).toBe(0);
    expect(win.max).toBeGreaterThan(0);
    const f = await api.renderFrame({ frame: 2, colormap: 'gray', contrast: win, overlay: { kind: 'none' } });
    expect(f.rgba.length).toBe(40 * 30 * 4);
    expect(f.final).toBe(true);
    // Square centre pixel is bright, a far corner is black.
    const px = (x: number, y: number) => f.rgba[4 * (y * 40 + x)];
    expect(px(20, 15)).toBeGreaterThan(100);
    expect(px(39, 29)).toBe(0);

    // Otsu + structures: the square exists in frames 0–5 (windows reaching raw frames < 60) only.
    const threshold = await api.otsu(8, 1);
    expect(Number.isFinite(threshold)).toBe(true);
    const progress: number[] = [];
    const r = await api.analyse(
      { threshold, smoothSigmaPx: 1, connectivity: 26 },
      1,
      Comlink.proxy((d: number) => void progress.push(d)),
    );
    expect(r.count).toBe(1);
    expect(r.structures.firstFrame[0]).toBe(0);
    expect(r.structures.lastFrame[0]).toBe(5);
    expect(r.perFrame.count).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(r.structures.xNm[0]).toBeGreaterThan(300);
    expect(r.structures.xNm[0]).toBeLessThan(500);
    // Progress travels on its own port: let it land.
    await new Promise((r) => setTimeout(r, 30));
    expect(progress.at(-1)).toBe(8);
    // On the default "hot" map under a magenta EV layer the outline is neither yellow nor magenta.
    const outlined = await api.renderFrame({
      frame: 2,
      colormap: 'hot',
      contrast: win,
      overlay: { kind: 'structures', alsoShown: ['magenta'] },
    });
    const { outline } = outlineColours('hot', ['magenta']);
    expect(outline).not.toEqual([255, 255, 0]);
    expect(outline).not.toEqual([255, 0, 255]);
    let drawn = 0;
    for (let i = 0; i < outlined.rgba.length; i += 4)
      if (outline.every((c, k) => outlined.rgba[i + k] === c)) drawn++;
    expect(drawn).toBeGreaterThan(10);

    const blob = await api.exportTiff('movie', {});
    const stack = await openStack([mem(new Uint8Array(await blob.arrayBuffer()), 'movie.tif')]);
    expect(stack.frameCount).toBe(8);
    expect(stack.meta.frameIntervalMs).toBeCloseTo(50, 6);
    expect(stack.meta.pixelSizeNm).toBeCloseTo(20, 6);
    const f3 = (await stack.readFrame(3)) as Float32Array;
    const want3 = ref.renderRange(30, 60);
    expect(Math.max(...f3.map((v, i) => Math.abs(v - want3[i])))).toBeLessThan(1e-7);
    const labels = await api.exportTiff('labels', { threshold, smoothSigmaPx: 1, connectivity: 26 });
    const ls = await openStack([mem(new Uint8Array(await labels.arrayBuffer()), 'labels.tif')]);
    expect(ls.dtype).toBe('uint16');
    expect(Math.max(...((await ls.readFrame(0)) as Uint16Array))).toBe(1);

    // 16-bit, Deflate (CompressionStream where the platform has it): round(scale · float), the scale in the file.
    const packed = new Uint8Array(
      await (await api.exportTiff('movie', { dtype: 'uint16', compression: 'deflate' })).arrayBuffer(),
    );
    const scale = Number(
      /evscope\.scale=([\d.e+-]+)\n/.exec(new TextDecoder('latin1').decode(packed.subarray(0, 4096)))?.[1],
    );
    expect(scale).toBeGreaterThan(0);
    const ps = await openStack([mem(packed, 'movie16.tif')]);
    expect([ps.dtype, ps.frameCount]).toEqual(['uint16', 8]);
    let lit = 0;
    for (let k = 0; k < 8; k++) {
      const want = (await stack.readFrame(k)) as Float32Array;
      const got = (await ps.readFrame(k)) as Uint16Array;
      for (let i = 0; i < want.length; i++) {
        if (got[i] !== Math.min(65535, Math.round(scale * want[i])))
          throw new Error(`frame ${k} px ${i}: ${got[i]}`);
        if (got[i] > 0) lit++;
      }
    }
    expect(lit).toBeGreaterThan(100);
    expect(packed.length).toBeLessThan(blob.size / 4);
  });

  test('a long job stops when cancelled', async () => {
    await api.configure({
      window: 2,
      step: 1,
      grid: { ...grid, width: 400, height: 300, pixelNm: 2 },
      sigma: { kind: 'fixed', nm: 4 },
      frameIntervalS: 0.005,
      rawFrames: 400,
    });
    const c = movieChunk(chunk(0, 400));
    await api.append(c);
    await api.setLocalizedFrames(400);
    const job = api.analyse({ threshold: 1e-3, smoothSigmaPx: 0, connectivity: 8 }, 7);
    await new Promise((r) => setTimeout(r, 40));
    await api.cancel(7);
    await expect(job).rejects.toThrow(/cancelled/);
  });
});

test('paintOutline colours only the edge pixels of each region', () => {
  const mask = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const rgba = new Uint8ClampedArray(25 * 4);
  paintOutline(mask, 5, 5, rgba, () => [9, 9, 9]);
  const edge = Array.from({ length: 25 }, (_, i) => (rgba[4 * i] === 9 ? 1 : 0));
  expect(edge).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
});
