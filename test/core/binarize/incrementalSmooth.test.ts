// The incremental smoother against the from-scratch kernels (gaussianSmooth, bit-identical to the
// textbook reference in smoothReference.test.ts, then binarize) on every frame of seeded sliding
// movies. Tolerance on the smoothed values: the running sum is Float64 updated in another order,
// so each Float32 value may be one unit in the last place away (≤ 2⁻²³ relative), or, where the
// exact value is ~0 (a pixel the last localization left), a residue ≤ 1e-12 of the frame's
// largest value. The masks must be identical.
import { describe, expect, test } from 'vitest';
import { IncrementalSmoother } from '../../../src/core/binarize/incrementalSmooth';
import { pooledOtsuThreshold } from '../../../src/core/binarize/otsu';
import { binarize, gaussianSmooth } from '../../../src/core/binarize/smooth';
import { locTableFromColumns } from '../../../src/core/locs/table';
import type { RenderGrid } from '../../../src/core/movie/grid';
import { SlidingMovie } from '../../../src/core/movie/slidingMovie';
import { Rng } from '../../../src/core/random';
import { discMovieLocs } from '../../helpers/discMovie';

const grid: RenderGrid = { x0Nm: 0, y0Nm: 0, width: 96, height: 80, pixelNm: 10 };

function seededMovie(seed: number, window: number, step: number): SlidingMovie {
  const rawFrames = 400;
  const { length: _, ...columns } = discMovieLocs({
    seed,
    grid,
    rawFrames,
    discs: 5,
    onBefore: rawFrames,
    minOn: 50,
    onSpan: 250,
  });
  return SlidingMovie.fromTable(
    locTableFromColumns(columns),
    { window, step, grid, sigma: { kind: 'precision', factor: 1 } },
    rawFrames,
  );
}

function expectMatchesScratch(inc: IncrementalSmoother, image: Float32Array, sigma: number, t: number) {
  const { width, height } = grid;
  const scratch = gaussianSmooth(image, width, height, sigma);
  const mask = binarize(scratch, inc.threshold);
  let peak = 0;
  for (let i = 0; i < scratch.length; i++) peak = Math.max(peak, scratch[i]);
  let worst = 0;
  for (let i = 0; i < scratch.length; i++) {
    const d = Math.abs(inc.smoothed[i] - scratch[i]);
    const allowed = Math.max(Math.abs(scratch[i]) * 2 ** -23, 1e-12 * peak);
    worst = Math.max(worst, d / allowed);
  }
  expect(worst, `frame ${t}: worst deviation in units of the tolerance`).toBeLessThanOrEqual(1);
  let differing = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== inc.mask[i]) differing++;
  expect(differing, `frame ${t}: mask pixels that differ`).toBe(0);
}

describe('IncrementalSmoother', () => {
  test.each([
    [1, 30, 3],
    [1.6, 40, 2],
    [0.7, 25, 5],
  ])('σ %f px, window %i step %i: every frame equals gaussianSmooth + binarize', (sigma, window, step) => {
    const movie = seededMovie(window * 7 + step, window, step);
    const { width, height } = grid;
    const threshold = pooledOtsuThreshold(movie.frameCount, (n) =>
      gaussianSmooth(movie.getFrame(n), width, height, sigma),
    );
    expect(threshold).toBeGreaterThan(0);
    const inc = new IncrementalSmoother(width, height, sigma, threshold);
    // The same, told which pixels changed by the movie instead of comparing the frames.
    const hinted = new IncrementalSmoother(width, height, sigma, threshold);
    let structurePixels = 0;
    let incrementalFrames = 0;
    let hints = 0;
    for (const f of movie.frames()) {
      inc.next(f.image);
      hinted.next(f.image, f.changed);
      if (f.changed) hints++;
      if (f.index > 0 && 4 * inc.lastChanged <= width * height) incrementalFrames++;
      expectMatchesScratch(inc, f.image, sigma, f.index);
      expectMatchesScratch(hinted, f.image, sigma, f.index);
      expect(hinted.lastChanged).toBe(inc.lastChanged);
      expect(hinted.maskPixels).toBe(inc.mask.reduce((a, b) => a + b, 0));
      for (let i = 0; i < inc.mask.length; i++) structurePixels += inc.mask[i];
    }
    // The comparison means something only if structures were found and most frames were updates.
    expect(structurePixels).toBeGreaterThan(0);
    expect(incrementalFrames).toBeGreaterThan(movie.frameCount / 2);
    expect(hints).toBeGreaterThan(movie.frameCount / 2);
  });

  test('frames in any order (jumps, repeats, a rebuild) still equal the from-scratch ones', () => {
    const movie = seededMovie(11, 30, 3);
    const { width, height } = grid;
    const inc = new IncrementalSmoother(width, height, 1, 0.002);
    const order = [0, 1, 2, 50, 49, 49, 3, movie.frameCount - 1, 10, 0];
    for (const n of order) {
      const image = movie.renderRange(movie.frameRange(n).start, movie.frameRange(n).end);
      inc.next(image);
      expectMatchesScratch(inc, image, 1, n);
    }
    // Back to an empty frame: every pixel returns to (within the residue) zero and off.
    inc.next(new Float32Array(width * height));
    expect(inc.mask.every((v) => v === 0)).toBe(true);
    expect(Math.max(...inc.smoothed.map(Math.abs))).toBeLessThan(1e-12);
  });

  test('narrow images (every pixel a border pixel) match too', () => {
    const r = new Rng(5);
    for (const [w, h, sigma] of [
      [5, 9, 2],
      [1, 40, 1],
      [7, 7, 1],
    ]) {
      const inc = new IncrementalSmoother(w, h, sigma, 0.5);
      const img = new Float32Array(w * h);
      for (let step = 0; step < 20; step++) {
        img[Math.floor(r.uniform() * img.length)] = r.uniform() < 0.3 ? 0 : 3 * r.uniform();
        inc.next(img);
        const scratch = gaussianSmooth(img, w, h, sigma);
        for (let i = 0; i < img.length; i++) expect(inc.smoothed[i]).toBeCloseTo(scratch[i], 6);
        expect(Array.from(inc.mask)).toEqual(Array.from(binarize(scratch, 0.5)));
      }
    }
  });

  test('bad input is refused with a clear message', () => {
    expect(() => new IncrementalSmoother(0, 4, 1, 0)).toThrow(/positive integers/);
    expect(() => new IncrementalSmoother(4, 4, 0, 0)).toThrow(/σ must be > 0/);
    const inc = new IncrementalSmoother(4, 4, 1, 0);
    expect(() => inc.next(new Float32Array(15))).toThrow(/size/);
    const bad = new Float32Array(16);
    bad[3] = Number.NaN;
    expect(() => inc.next(bad)).toThrow(/not finite/);
  });
});
