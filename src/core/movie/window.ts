// Sliding-window arithmetic of the super-resolution movie: movie frame n is built from the raw
// frames [n·S, n·S + W). Kept separate from rendering so the EV channel can average its tracks
// over exactly the same windows and steps.
import { type Frame0, frame0 } from '../units';

export interface MovieWindow {
  /** Raw frames per movie frame (W). */
  window: number;
  /** Raw frames the window advances per movie frame (S). */
  step: number;
}

export function checkMovieWindow({ window, step }: MovieWindow): void {
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`step must be an integer ≥ 1, got ${step}`);
}

/** floor((F − W)/S) + 1 movie frames for F raw frames; 0 when F < W. */
export function movieFrameCount(rawFrames: number, w: MovieWindow): number {
  checkMovieWindow(w);
  if (!(rawFrames >= w.window)) return 0;
  return Math.floor((Math.floor(rawFrames) - w.window) / w.step) + 1;
}

/**
 * Most movie frames a movie may have: one per raw frame for 100,000 frames is already hours of
 * video. Beyond it the frame count is almost always a damaged row (a stray frame 10⁹), not data.
 */
export const MAX_MOVIE_FRAMES = 100_000;

/**
 * Why a movie of raw frames [0, rawFrames) is refused, or null when it is within
 * MAX_MOVIE_FRAMES. The caller adds what the user can change (CLI flags, the panel's fields).
 */
export function movieFrameLimitError(rawFrames: number, w: MovieWindow): string | null {
  const count = movieFrameCount(rawFrames, w);
  if (count <= MAX_MOVIE_FRAMES) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  return `the movie would have ${n(count)} frames (raw frames 1…${n(Math.floor(rawFrames))}, W = ${w.window}, S = ${w.step}), more than the limit of ${n(MAX_MOVIE_FRAMES)}`;
}

export interface FramesPastEnd {
  /** Localizations in raw frames ≥ rawFrames: in no movie frame. */
  count: number;
  /** The largest such raw frame (0-based), −1 when there is none. */
  last: number;
}

/** The localizations (frame columns, 0-based) a movie of raw frames [0, rawFrames) cannot show. */
export function framesPastEnd(frames: readonly ArrayLike<number>[], rawFrames: number): FramesPastEnd {
  let count = 0;
  let last = -1;
  for (const column of frames)
    for (let i = 0; i < column.length; i++) {
      const f = column[i];
      if (f >= rawFrames) {
        count++;
        if (f > last) last = f;
      }
    }
  return { count, last };
}

/** Raw frames [start, end) of movie frame n (all 0-based indices). */
export function movieFrameRange(n: Frame0, w: MovieWindow): { start: Frame0; end: Frame0 } {
  const start = n * w.step;
  return { start: frame0(start), end: frame0(start + w.window) };
}

export interface MovieFrameTimes {
  /** Start of the window's first exposure, s. */
  startS: number;
  /** Middle of the window, (n·S + W/2)·Δt, s: the time a movie frame best stands for. */
  centreS: number;
  /** End of the window's last exposure, s. */
  endS: number;
}

/**
 * Time labels of movie frame n, with raw frame i exposed during [i·Δt, (i+1)·Δt) (Δt = frame
 * interval, 5 ms at 200 frames/s).
 */
export function movieFrameTimes(n: Frame0, w: MovieWindow, frameIntervalS: number): MovieFrameTimes {
  const start = n * w.step;
  return {
    startS: start * frameIntervalS,
    centreS: (start + w.window / 2) * frameIntervalS,
    endS: (start + w.window) * frameIntervalS,
  };
}
