import { describe, expect, test } from 'vitest';
import {
  checkMovieParams,
  DEFAULT_MOVIE_PARAMS,
  liveFrameCount,
  MAX_MOVIE_SIDE,
  parseRoi,
  REFERENCE_MOVIE,
} from '../../src/state/movieParams';

const ctx = { rawFrames: 5008, cameraWidth: 128, cameraHeight: 128, cameraPixelNm: 100 };

describe('movie parameters', () => {
  test('the reference study: 5008 / 1002 / 6 → 668 frames of 1280² px at 10 nm', () => {
    expect(liveFrameCount(5008, 1002, 6)).toBe(REFERENCE_MOVIE.movieFrames);
    const r = checkMovieParams(DEFAULT_MOVIE_PARAMS, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.frameCount).toBe(668);
    expect(r.grid).toEqual({ x0Nm: 0, y0Nm: 0, width: 1280, height: 1280, pixelNm: 10 });
    expect(r.notes).toEqual([]);
  });

  test('W not a multiple of S, and W longer than the stack', () => {
    expect(liveFrameCount(100, 25, 7)).toBe(11);
    expect(liveFrameCount(100, 2.5, 7)).toBeNull();
    const r = checkMovieParams({ ...DEFAULT_MOVIE_PARAMS, window: 6000 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.window).toMatch(/longer than the stack/);
  });

  test('a whole field too large for one movie frame is centre-cropped, with a note', () => {
    const r = checkMovieParams(DEFAULT_MOVIE_PARAMS, { ...ctx, cameraWidth: 512, cameraHeight: 300 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.grid.width).toBe(MAX_MOVIE_SIDE);
    expect(r.grid.height).toBe(MAX_MOVIE_SIDE);
    expect(r.roi).toEqual({ x0: 128, y0: 22, x1: 384, y1: 278 });
    expect(r.notes[0]).toMatch(/central 256×256 px/);
  });

  test('an explicit ROI that is too large or outside the field is refused with a reason', () => {
    const big = checkMovieParams(
      { ...DEFAULT_MOVIE_PARAMS, roi: { x0: 0, y0: 0, x1: 512, y1: 10 } },
      { ...ctx, cameraWidth: 512 },
    );
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.errors.roi).toMatch(/5120×100 px movie frames.*at most 256×256/);
    const out = checkMovieParams({ ...DEFAULT_MOVIE_PARAMS, roi: { x0: 100, y0: 0, x1: 140, y1: 10 } }, ctx);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors.roi).toMatch(/not inside the 128×128/);
    const roi = checkMovieParams({ ...DEFAULT_MOVIE_PARAMS, roi: { x0: 10, y0: 20, x1: 30, y1: 25 } }, ctx);
    expect(roi.ok && roi.grid).toEqual({ x0Nm: 1000, y0Nm: 2000, width: 200, height: 50, pixelNm: 10 });
  });

  test('unknown camera pixel and bad σ are refused', () => {
    const r = checkMovieParams(
      { ...DEFAULT_MOVIE_PARAMS, sigma: { kind: 'precision', factor: 0 } },
      { ...ctx, cameraPixelNm: undefined },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.pixel).toMatch(/Metadata/);
    expect(r.errors.sigma).toMatch(/factor/);
  });

  test('ROI text', () => {
    expect(parseRoi(' 1, 2,30,40 ')).toEqual({ x0: 1, y0: 2, x1: 30, y1: 40 });
    expect(parseRoi('')).toBeNull();
    expect(parseRoi('1,2,3')).toMatch(/four integers/);
  });
});

test('more than 100,000 movie frames is an error on the step, at the limit it is not', () => {
  const at = checkMovieParams(
    { ...DEFAULT_MOVIE_PARAMS, window: 1, step: 1 },
    { ...ctx, rawFrames: 100_000 },
  );
  expect(at.ok).toBe(true);
  if (at.ok) expect(at.frameCount).toBe(100_000);
  const over = checkMovieParams(
    { ...DEFAULT_MOVIE_PARAMS, window: 1, step: 1 },
    { ...ctx, rawFrames: 100_001 },
  );
  expect(over.ok).toBe(false);
  if (!over.ok)
    expect(over.errors.step).toMatch(/^The movie would have 100,001 frames .*: choose a larger step S$/);
  expect(
    checkMovieParams({ ...DEFAULT_MOVIE_PARAMS, window: 1, step: 2 }, { ...ctx, rawFrames: 100_001 }).ok,
  ).toBe(true);
});
