import { describe, expect, test } from 'vitest';
import { locTableFromColumns, selectRows } from '../../../src/core/locs/table';
import type { RenderGrid } from '../../../src/core/movie/grid';
import { type MovieFrame, type MovieSigma, SlidingMovie } from '../../../src/core/movie/slidingMovie';
import { Rng } from '../../../src/core/random';

const grid: RenderGrid = { x0Nm: 1000, y0Nm: 2000, width: 24, height: 20, pixelNm: 10 };

function randomLocs(n: number, frames: number, seed: number, margin = -30) {
  const r = new Rng(seed);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const precision = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    frame[i] = Math.floor(r.uniform() * frames);
    x[i] = grid.x0Nm + margin + r.uniform() * (grid.width * grid.pixelNm - 2 * margin);
    y[i] = grid.y0Nm + margin + r.uniform() * (grid.height * grid.pixelNm - 2 * margin);
    precision[i] = 5 + r.uniform() * 20;
  }
  return locTableFromColumns({ frame, x, y, precision });
}

// Independent reference: each pixel's share of a ±4σ-truncated Gaussian by Simpson quadrature of
// the density (not erf), renormalised to the truncated mass.
function gaussMass(a: number, b: number, s: number): number {
  if (b <= a) return 0;
  const m = 64;
  const h = (b - a) / m;
  let sum = 0;
  for (let k = 0; k <= m; k++) {
    const t = a + k * h;
    const w = k === 0 || k === m ? 1 : k % 2 ? 4 : 2;
    sum += w * Math.exp((-0.5 * t * t) / (s * s));
  }
  return (sum * h) / 3 / (s * Math.sqrt(2 * Math.PI));
}

function referenceRender(
  t: ReturnType<typeof randomLocs>,
  start: number,
  end: number,
  factor: number,
): Float64Array {
  const img = new Float64Array(grid.width * grid.height);
  const { frame, x, y, precision } = t.columns;
  for (let i = 0; i < t.length; i++) {
    if (frame[i] < start || frame[i] >= end) continue;
    const s = precision[i] * factor;
    const total = gaussMass(-4 * s, 4 * s, s) ** 2;
    for (let j = 0; j < grid.height; j++) {
      const y0 = grid.y0Nm + j * grid.pixelNm - y[i];
      const my = gaussMass(Math.max(y0, -4 * s), Math.min(y0 + grid.pixelNm, 4 * s), s);
      if (my === 0) continue;
      for (let k = 0; k < grid.width; k++) {
        const x0 = grid.x0Nm + k * grid.pixelNm - x[i];
        const mx = gaussMass(Math.max(x0, -4 * s), Math.min(x0 + grid.pixelNm, 4 * s), s);
        img[j * grid.width + k] += (mx * my) / total / (end - start);
      }
    }
  }
  return img;
}

const sigmaRule: MovieSigma = { kind: 'precision', factor: 1.5 };

describe('SlidingMovie', () => {
  test('a direct render matches an independent quadrature of the pixel-integrated Gaussians', () => {
    const t = randomLocs(40, 10, 7);
    const movie = SlidingMovie.fromTable(t, { window: 10, step: 1, grid, sigma: sigmaRule });
    const img = movie.renderRange(0, 10);
    const ref = referenceRender(t, 0, 10, 1.5);
    let peak = 0;
    for (let i = 0; i < ref.length; i++) peak = Math.max(peak, ref[i]);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(img[i] - ref[i])).toBeLessThan(2e-6 * peak);
  });

  test.each([
    [10, 3],
    [7, 7],
    [12, 5],
    [5, 1],
    [9, 4],
    [13, 20],
  ])('every slid frame equals a fresh render of its window (W=%i, S=%i)', (W, S) => {
    const t = randomLocs(600, 71, W * 100 + S);
    const movie = SlidingMovie.fromTable(t, { window: W, step: S, grid, sigma: sigmaRule }, 71);
    const expected = Math.floor((71 - W) / S) + 1;
    expect(movie.frameCount).toBe(expected);
    let seen = 0;
    let listed = 0;
    let before: Float32Array | null = null;
    for (const f of movie.frames()) {
      expect(f.startFrame).toBe(f.index * S);
      expect(f.endFrame).toBe(f.index * S + W);
      expect(f.image).toEqual(movie.renderRange(f.startFrame, f.endFrame));
      // `changed` lists, once each, every pixel that differs from the frame yielded before.
      if (before && f.changed) {
        const listedHere = new Uint8Array(f.image.length);
        for (const p of f.changed) listedHere[p]++;
        for (let i = 0; i < f.image.length; i++) {
          expect(listedHere[i]).toBeLessThanOrEqual(1);
          if (f.image[i] !== before[i]) expect(listedHere[i], `pixel ${i} of frame ${f.index}`).toBe(1);
        }
        listed += f.changed.length;
      } else expect(f.index === 0 || 2 * S >= W).toBe(true);
      before = f.image.slice();
      seen++;
    }
    expect(seen).toBe(expected);
    if (2 * S < W && expected > 1) expect(listed).toBeGreaterThan(0);
    // Random access (playback) slides back and forth or re-renders; still bit-identical.
    const r = new Rng(3);
    for (let k = 0; k < 12; k++) {
      const n = Math.floor(r.uniform() * expected);
      expect(movie.getFrame(n)).toEqual(movie.renderRange(n * S, n * S + W));
    }
  });

  test('a frame sums to the localizations in its window (inside the view) divided by W', () => {
    // σ ≤ 12.5 nm, so ±4σ = 50 nm stays inside a 60 nm margin.
    const t = randomLocs(500, 50, 11, 60);
    const W = 20;
    const sigma: MovieSigma = { kind: 'precision', factor: 0.5 };
    const movie = SlidingMovie.fromTable(t, { window: W, step: 3, grid, sigma });
    for (const n of [0, 4, movie.frameCount - 1]) {
      const img = movie.getFrame(n);
      let inWindow = 0;
      for (let i = 0; i < t.length; i++)
        if (t.columns.frame[i] >= n * 3 && t.columns.frame[i] < n * 3 + W) inWindow++;
      let sum = 0;
      for (let i = 0; i < img.length; i++) sum += img[i];
      expect(inWindow).toBeGreaterThan(100);
      expect(sum).toBeCloseTo(inWindow / W, 4);
    }
    // A localization on the grid's corner keeps the quarter of its splat that is in view.
    const corner = locTableFromColumns({
      frame: new Uint32Array([0]),
      x: new Float64Array([grid.x0Nm]),
      y: new Float64Array([grid.y0Nm]),
      precision: new Float32Array([20]),
    });
    const m = SlidingMovie.fromTable(corner, { window: 2, step: 1, grid, sigma: sigmaRule });
    const sum = m.getFrame(0).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(0.25 / 2, 6);
  });

  test('σ = 0 renders a histogram; a fixed σ ignores precision', () => {
    const t = randomLocs(300, 10, 5, 0);
    const hist = SlidingMovie.fromTable(t, { window: 10, step: 1, grid, sigma: { kind: 'fixed', nm: 0 } });
    const counts = new Float32Array(grid.width * grid.height);
    for (let i = 0; i < t.length; i++) {
      const px = Math.floor((t.columns.x[i] - grid.x0Nm) / grid.pixelNm);
      const py = Math.floor((t.columns.y[i] - grid.y0Nm) / grid.pixelNm);
      counts[py * grid.width + px] += 1 / 10;
    }
    const img = hist.getFrame(0);
    for (let i = 0; i < img.length; i++) expect(img[i]).toBeCloseTo(counts[i], 6);
    const fixed = SlidingMovie.fromTable(t, { window: 10, step: 1, grid, sigma: { kind: 'fixed', nm: 15 } });
    const asPrecision = SlidingMovie.fromTable(
      locTableFromColumns({ ...t.columns, precision: new Float32Array(t.length).fill(15) }),
      { window: 10, step: 1, grid, sigma: { kind: 'precision', factor: 1 } },
    );
    expect(fixed.getFrame(0)).toEqual(asPrecision.getFrame(0));
  });

  test('streamed chunks in any order build the same movie; frames are final once localized', () => {
    const F = 80;
    const t = randomLocs(800, F, 21);
    const opts = { window: 12, step: 5, grid, sigma: sigmaRule };
    const whole = SlidingMovie.fromTable(t, opts, F);
    const streamed = new SlidingMovie(opts);
    // Chunks of 10 raw frames arrive out of order (as from a worker pool) while frames are viewed.
    const chunkOrder = [2, 0, 1, 4, 3, 5, 7, 6];
    const iter = streamed.frames(0, whole.frameCount);
    const early = iter.next();
    expect(early.done).toBe(false);
    expect((early.value as MovieFrame).image.every((v) => v === 0)).toBe(true);
    for (const c of chunkOrder) {
      const keep = new Uint8Array(t.length);
      for (let i = 0; i < t.length; i++)
        keep[i] = t.columns.frame[i] >= c * 10 && t.columns.frame[i] < c * 10 + 10 ? 1 : 0;
      streamed.getFrame(3); // a cached playback frame must be invalidated by later chunks
      streamed.getFrame(9);
      streamed.append(selectRows(t, keep));
    }
    streamed.setLocalizedFrames(F);
    expect(streamed.frameCount).toBe(whole.frameCount);
    // The running iterator was live during the appends and continues correctly; the pixels the
    // appends changed are among those it lists.
    let before = (early.value as MovieFrame).image.slice();
    for (let r = iter.next(); !r.done; r = iter.next()) {
      expect(r.value.image).toEqual(whole.getFrame(r.value.index));
      const listed = new Set(r.value.changed ?? []);
      if (r.value.changed)
        for (let i = 0; i < before.length; i++)
          if (r.value.image[i] !== before[i]) expect(listed.has(i)).toBe(true);
      before = r.value.image.slice();
    }
    for (let n = 0; n < whole.frameCount; n++) expect(streamed.getFrame(n)).toEqual(whole.getFrame(n));
  });

  test('a chunk appended while an iterator is positioned shows in its next frame and is listed as changed', () => {
    const loc = (f: number, x: number, y: number) =>
      locTableFromColumns({
        frame: new Uint32Array([f]),
        x: new Float64Array([grid.x0Nm + x]),
        y: new Float64Array([grid.y0Nm + y]),
        precision: new Float32Array([8]),
      });
    const movie = new SlidingMovie({ window: 12, step: 5, grid, sigma: sigmaRule });
    movie.append(loc(2, 40, 40));
    movie.setLocalizedFrames(40);
    const iter = movie.frames(0, 4);
    const first = (iter.next().value as MovieFrame).image.slice();
    // Far from the first splat, in both frame 0's and frame 1's window.
    movie.append(loc(8, 190, 150));
    const second = iter.next().value as MovieFrame;
    expect(second.index).toBe(1);
    expect(second.image).toEqual(movie.renderRange(5, 17));
    expect(second.changed).not.toBeNull();
    const listed = new Set(second.changed ?? []);
    let differing = 0;
    for (let i = 0; i < first.length; i++)
      if (second.image[i] !== first[i]) {
        differing++;
        expect(listed.has(i)).toBe(true);
      }
    expect(differing).toBeGreaterThan(10);
  });

  test('progress: only windows inside the localized frames are final', () => {
    const m = new SlidingMovie({ window: 1002, step: 6, grid, sigma: sigmaRule });
    m.setLocalizedFrames(1500);
    expect(m.frameCount).toBe(Math.floor((1500 - 1002) / 6) + 1);
    expect(m.isFinal(83)).toBe(true);
    expect(m.isFinal(84)).toBe(false);
    m.setLocalizedFrames(1000);
    expect(m.localizedFrames).toBe(1500);
  });

  test('drops rows it cannot render and says how many', () => {
    const t = locTableFromColumns({
      frame: new Uint32Array([0, 1, 2, 3]),
      x: new Float64Array([1100, Number.NaN, 1100, 99999]),
      y: new Float64Array([2100, 2100, 2100, 2100]),
      precision: new Float32Array([10, 10, Number.NaN, 10]),
    });
    const m = new SlidingMovie({ window: 4, step: 1, grid, sigma: sigmaRule });
    expect(m.append(t)).toEqual({ accepted: 1, dropped: 3 });
    expect(() =>
      m.append(locTableFromColumns({ frame: new Uint32Array(1), x: new Float64Array(1) })),
    ).toThrow();
  });
});
