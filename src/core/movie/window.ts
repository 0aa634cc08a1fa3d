// Sliding-window arithmetic of the super-resolution movie: movie frame n is built from the raw
// frames [n·S, n·S + W). Kept separate from rendering so the EV channel can average its tracks
// over exactly the same windows and steps.

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

/** Raw frames [start, end) of movie frame n. */
export function movieFrameRange(n: number, w: MovieWindow): { start: number; end: number } {
  const start = n * w.step;
  return { start, end: start + w.window };
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
export function movieFrameTimes(n: number, w: MovieWindow, frameIntervalS: number): MovieFrameTimes {
  const start = n * w.step;
  return {
    startS: start * frameIntervalS,
    centreS: (start + w.window / 2) * frameIntervalS,
    endS: (start + w.window) * frameIntervalS,
  };
}
