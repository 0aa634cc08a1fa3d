// Rows of a localization table grouped by frame with one counting sort (O(n + frames)): the
// index every per-frame pass (blink linking, NeNA's adjacent-frame distances, the scorer's
// per-frame matching) starts from.

export interface FrameGroups {
  /** Rows of frame f are order[start[f]] … order[start[f + 1] − 1], in table order. */
  order: Int32Array;
  /** frames + 1 entries. */
  start: Int32Array;
  /** Number of frames indexed: max kept frame + 1 unless given (0 when no row is kept). */
  frames: number;
}

/**
 * Groups rows 0…n−1 by `frame` (whole numbers ≥ 0), skipping rows whose `mask` entry is 0.
 * `frames`, when given, must exceed every kept row's frame.
 */
export function groupByFrame(
  frame: ArrayLike<number>,
  n: number,
  options: { mask?: ArrayLike<number>; frames?: number } = {},
): FrameGroups {
  const { mask } = options;
  let frames = options.frames;
  if (frames === undefined) {
    let maxFrame = -1;
    for (let i = 0; i < n; i++) if ((!mask || mask[i]) && frame[i] > maxFrame) maxFrame = frame[i];
    frames = maxFrame + 1;
  }
  const start = new Int32Array(frames + 1);
  for (let i = 0; i < n; i++) if (!mask || mask[i]) start[frame[i] + 1]++;
  for (let f = 0; f < frames; f++) start[f + 1] += start[f];
  const order = new Int32Array(start[frames]);
  const fill = start.slice(0, frames);
  for (let i = 0; i < n; i++) if (!mask || mask[i]) order[fill[frame[i]]++] = i;
  return { order, start, frames };
}
