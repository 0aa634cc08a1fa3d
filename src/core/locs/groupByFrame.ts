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

export interface SparseFrameGroups {
  /** Rows of the k-th frame present are order[start[k]] … order[start[k + 1] − 1], in table order. */
  order: Int32Array;
  /** frameIds.length + 1 entries. */
  start: Int32Array;
  /** The frames that hold at least one kept row, ascending. */
  frameIds: Float64Array;
}

/**
 * Like groupByFrame, but indexed by the frames present, so the cost is bounded by the rows and
 * not by the largest frame number: one row at frame 10⁹ must not allocate 10⁹ counters.
 */
export function groupByFrameSparse(
  frame: ArrayLike<number>,
  n: number,
  options: { mask?: ArrayLike<number> } = {},
): SparseFrameGroups {
  const { mask } = options;
  let maxFrame = -1;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    kept++;
    if (frame[i] > maxFrame) maxFrame = frame[i];
  }
  // Dense counting sort while the frame range is comparable to the row count (the usual case).
  if (maxFrame + 1 <= 4 * kept + 1024) {
    const g = groupByFrame(frame, n, { mask, frames: maxFrame + 1 });
    let present = 0;
    for (let f = 0; f < g.frames; f++) if (g.start[f + 1] > g.start[f]) present++;
    const frameIds = new Float64Array(present);
    const start = new Int32Array(present + 1);
    let k = 0;
    for (let f = 0; f < g.frames; f++) {
      if (g.start[f + 1] === g.start[f]) continue;
      frameIds[k] = f;
      start[k++] = g.start[f];
    }
    start[present] = g.order.length;
    return { order: g.order, start, frameIds };
  }
  const rows = new Int32Array(kept);
  let m = 0;
  for (let i = 0; i < n; i++) if (!mask || mask[i]) rows[m++] = i;
  // Stable: ties keep table order, as the counting sort does.
  const order = Int32Array.from(rows).sort((a, b) => frame[a] - frame[b] || a - b);
  const ids: number[] = [];
  const starts: number[] = [];
  for (let q = 0; q < order.length; q++) {
    const f = frame[order[q]];
    if (q === 0 || f !== frame[order[q - 1]]) {
      ids.push(f);
      starts.push(q);
    }
  }
  starts.push(order.length);
  return { order, start: Int32Array.from(starts), frameIds: Float64Array.from(ids) };
}
