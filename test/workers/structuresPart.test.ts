// The Movie step's structures run split over two workers (movie.api analyse + structuresPart.api)
// must give exactly what one worker gives: the helper renders its own copy of the movie from
// SlidingMovie.splats() and labels the second half; the movie worker joins it to its first half.
// Here the helper runs in-process behind structured clones of its request and reply, as across
// a worker boundary.
import { describe, expect, test } from 'vitest';
import type { Connectivity } from '../../src/core/binarize/structures';
import type { RenderGrid } from '../../src/core/movie/grid';
import { createMovieApi, type StructuresHelper } from '../../workers/movie.api';
import { labelMoviePart } from '../../workers/structuresPart.api';
import { discMovieLocs } from '../helpers/discMovie';

const grid: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 96, height: 80, pixelNm: 10 };
const RAW_FRAMES = 500;

// Discs that switch on and off and drift: structures that span the middle of the movie, where
// it is cut.
const localizations = () =>
  discMovieLocs({
    seed: 19,
    grid,
    rawFrames: RAW_FRAMES,
    discs: 6,
    onBefore: 300,
    minOn: 100,
    onSpan: 300,
    driftNm: 0.3,
  });

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
