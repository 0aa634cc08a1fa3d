// The Movie step's structures run split over two workers (movie.api analyse + structuresPart.api)
// must give exactly what one worker gives: the helper renders its own copy of the movie from
// SlidingMovie.splats() and labels the second half; the movie worker joins it to its first half.
// Here the helper runs in-process behind structured clones of its request and reply, as across
// a worker boundary.
import { describe, expect, test } from 'vitest';
import type { Connectivity } from '../../src/core/binarize/structures';
import type { RenderGrid } from '../../src/core/movie/grid';
import { Rng } from '../../src/core/random';
import { createMovieApi, type StructuresHelper } from '../../workers/movie.api';
import { labelMoviePart } from '../../workers/structuresPart.api';

const grid: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 96, height: 80, pixelNm: 10 };
const RAW_FRAMES = 500;

// Discs that switch on and off and drift, plus uniform background: structures that span the
// middle of the movie, where it is cut.
function localizations() {
  const r = new Rng(19);
  const w = grid.width * grid.pixelNm;
  const h = grid.height * grid.pixelNm;
  const discs = Array.from({ length: 6 }, () => ({
    x: 100 + r.uniform() * (w - 200),
    y: 100 + r.uniform() * (h - 200),
    r: 30 + r.uniform() * 60,
    on: Math.floor(r.uniform() * 300),
    off: 0,
  }));
  for (const d of discs) d.off = d.on + 100 + Math.floor(r.uniform() * 300);
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  const add = (f: number, tx: number, ty: number) => {
    const p = 8 + 10 * r.uniform();
    frame.push(f);
    x.push(tx + p * r.normal());
    y.push(ty + p * r.normal());
    precision.push(p);
  };
  for (let f = 0; f < RAW_FRAMES; f++) {
    for (const d of discs) {
      if (f < d.on || f >= d.off) continue;
      d.x += 0.3 * r.normal();
      for (let k = r.poisson(1.5); k > 0; k--) {
        const rho = d.r * Math.sqrt(r.uniform());
        const phi = 2 * Math.PI * r.uniform();
        add(f, d.x + rho * Math.cos(phi), d.y + rho * Math.sin(phi));
      }
    }
    for (let k = r.poisson(0.5); k > 0; k--) add(f, r.uniform() * w, r.uniform() * h);
  }
  return {
    length: frame.length,
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
  };
}

async function movieApi(helper?: () => StructuresHelper | null) {
  const api = createMovieApi({ structuresHelper: helper });
  api.configure({
    window: 40,
    step: 4,
    grid,
    sigma: { kind: 'precision', factor: 1 },
    frameIntervalS: 0.005,
    rawFrames: RAW_FRAMES,
  });
  api.append(localizations());
  api.setLocalizedFrames(RAW_FRAMES);
  return api;
}

describe('structures over two workers', () => {
  test.each([
    [1, 26],
    [0, 26],
    [1, 8],
  ] as [number, Connectivity][])(
    'σ %f px, %i-connected: the split run equals one worker',
    async (sigma, connectivity) => {
      const one = await movieApi();
      const threshold = one.otsu(10, sigma);
      const req = { threshold, smoothSigmaPx: sigma, connectivity };
      const want = await one.analyse(req);
      expect(want.count).toBeGreaterThan(2);
      const calls: { start: number; end: number }[] = [];
      const helper = (): StructuresHelper => ({
        async label(r, onProgress) {
          const request = structuredClone(r);
          calls.push({ start: request.start, end: request.end });
          return structuredClone(await labelMoviePart(request, (d) => onProgress(d)));
        },
        died: new Promise<never>(() => {}),
        terminate: () => {},
      });
      const two = await movieApi(helper);
      const progress: number[] = [];
      const got = await two.analyse(req, undefined, (d) => progress.push(d));
      expect(calls).toEqual([{ start: Math.ceil(want.frames / 2), end: want.frames }]);
      expect(got).toEqual(want);
      expect(progress.at(-1)).toBe(want.frames);
      // Structures cross the cut: some start before it and end after it.
      const cut = calls[0].start;
      const { firstFrame, lastFrame } = want.structures;
      expect(firstFrame.some((f, i) => f < cut && lastFrame[i] >= cut)).toBe(connectivity === 26);
    },
  );

  test('a helper that stops fails the run with its message', async () => {
    const api = await movieApi(() => ({
      label: () => new Promise(() => {}),
      died: Promise.reject(new Error('the structures helper worker stopped: boom')),
      terminate: () => {},
    }));
    await expect(api.analyse({ threshold: 1e-3, smoothSigmaPx: 1, connectivity: 26 })).rejects.toThrow(
      /boom/,
    );
  });
});
