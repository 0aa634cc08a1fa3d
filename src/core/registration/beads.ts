// Registration from localizations made frame by frame in two channels. Pairs are only formed
// between localizations of the same frame: over many frames the pooled point clouds are far too
// dense to pair (the simulator's isolated emitters, or blinking dyes), while within one frame the
// emitters are sparse. Paired localizations that persist over consecutive frames (a bead) are
// then averaged into one pair, so that a bead seen in 50 frames counts once in the fit and in the
// leave-one-out error — which must leave out beads, not frames of one bead. Averaging both sides
// of a pair keeps the correspondence exact under any affine map, even when two emitters happen
// to be linked into one "bead".
import { type Affine, type AffineFit, applyAffine, fitAffine, IDENTITY, invertAffine } from './affine';
import { estimateShift, mutualNearestPairs } from './pairing';
import { type RegistrationParams, withDefaults } from './register';

export interface FramePoints {
  frame: ArrayLike<number>;
  /** Camera coordinates, nm. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface BeadRegistrationParams extends RegistrationParams {
  /** Pairs in consecutive frames whose reference positions lie within this distance (nm) are one bead. Default 100. */
  linkRadius?: number;
}

export interface BeadPairs {
  /** Mean reference-channel position of each bead, nm. */
  refX: Float64Array;
  refY: Float64Array;
  /** Mean moving-channel position (its own camera coordinates), nm. */
  movX: Float64Array;
  movY: Float64Array;
  /** Frames the bead was paired in (consecutive, from firstFrame). */
  frames: Uint32Array;
  firstFrame: Uint32Array;
}

export interface BeadRegistration extends AffineFit {
  /** Maps the moving channel's camera coordinates onto the reference channel's (nm). */
  transform: Affine;
  inverse: Affine;
  /** Inlier beads, index-aligned with residualX/residualY (reference − transform(moving)). */
  beads: BeadPairs;
  /** Beads rejected as outliers, and their positions. */
  outliers: number;
  outlierBeads: BeadPairs;
  /** Localization pairs behind the inlier beads. */
  pairedLocalizations: number;
  /** Initial shift (reference − moving), nm: the median of the per-frame estimates. */
  shift: { dx: number; dy: number };
}

interface FrameIndex {
  frames: number[];
  /** Indices of each frame's points. */
  members: Map<number, number[]>;
}

function indexFrames(p: FramePoints): FrameIndex {
  const members = new Map<number, number[]>();
  for (let i = 0; i < p.frame.length; i++) {
    const f = p.frame[i];
    let m = members.get(f);
    if (!m) {
      m = [];
      members.set(f, m);
    }
    m.push(i);
  }
  return { frames: [...members.keys()].sort((a, b) => a - b), members };
}

/** The frames both channels have points in, with the indices of each channel's points there. */
function* sharedFrames(refIdx: FrameIndex, movIdx: FrameIndex): Generator<[number, number[], number[]]> {
  for (const f of refIdx.frames) {
    const mi = movIdx.members.get(f);
    if (mi) yield [f, refIdx.members.get(f)!, mi];
  }
}

function pick(a: ArrayLike<number>, idx: readonly number[]): Float64Array {
  return Float64Array.from(idx, (i) => a[i]);
}

/** The points at `idx`, as arrays of their own. */
function pickPoints(p: { x: ArrayLike<number>; y: ArrayLike<number> }, idx: readonly number[]) {
  return { x: pick(p.x, idx), y: pick(p.y, idx) };
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function emptyBeads(): BeadPairs {
  return {
    refX: new Float64Array(0),
    refY: new Float64Array(0),
    movX: new Float64Array(0),
    movY: new Float64Array(0),
    frames: new Uint32Array(0),
    firstFrame: new Uint32Array(0),
  };
}

function takeBeads(b: BeadPairs, idx: readonly number[]): BeadPairs {
  return {
    refX: pick(b.refX, idx),
    refY: pick(b.refY, idx),
    movX: pick(b.movX, idx),
    movY: pick(b.movY, idx),
    frames: Uint32Array.from(idx, (i) => b.frames[i]),
    firstFrame: Uint32Array.from(idx, (i) => b.firstFrame[i]),
  };
}

/**
 * Pairs of each frame (mutual nearest neighbours after `transform`), linked over consecutive
 * frames into beads and averaged.
 */
function pairBeads(
  ref: FramePoints,
  mov: FramePoints,
  refIdx: FrameIndex,
  movIdx: FrameIndex,
  transform: Affine,
  radius: number,
  linkRadius: number,
): { beads: BeadPairs; pairs: number } {
  const moved = applyAffine(transform, mov.x, mov.y);
  const sums: {
    rx: number;
    ry: number;
    mx: number;
    my: number;
    n: number;
    first: number;
    lastX: number;
    lastY: number;
  }[] = [];
  let active: number[] = [];
  let lastFrame = Number.NaN;
  let pairs = 0;
  const link2 = linkRadius * linkRadius;
  for (const [f, ri, mi] of sharedFrames(refIdx, movIdx)) {
    const r = pickPoints(ref, ri);
    const m = pickPoints(moved, mi);
    const found = mutualNearestPairs(r.x, r.y, m.x, m.y, radius);
    // Beads still open are those extended in the previous frame.
    const open = f === lastFrame + 1 ? active : [];
    const taken = new Set<number>();
    const next: number[] = [];
    for (let k = 0; k < found.ref.length; k++) {
      const r = ri[found.ref[k]];
      const m = mi[found.mov[k]];
      const x = ref.x[r];
      const y = ref.y[r];
      let best = -1;
      let bd = link2;
      for (const b of open) {
        if (taken.has(b)) continue;
        const d = (sums[b].lastX - x) ** 2 + (sums[b].lastY - y) ** 2;
        if (d <= bd) {
          bd = d;
          best = b;
        }
      }
      if (best < 0) {
        best = sums.length;
        sums.push({ rx: 0, ry: 0, mx: 0, my: 0, n: 0, first: f, lastX: x, lastY: y });
      }
      const s = sums[best];
      s.rx += x;
      s.ry += y;
      s.mx += mov.x[m];
      s.my += mov.y[m];
      s.n++;
      s.lastX = x;
      s.lastY = y;
      taken.add(best);
      next.push(best);
      pairs++;
    }
    active = next;
    lastFrame = f;
  }
  return {
    beads: {
      refX: Float64Array.from(sums, (s) => s.rx / s.n),
      refY: Float64Array.from(sums, (s) => s.ry / s.n),
      movX: Float64Array.from(sums, (s) => s.mx / s.n),
      movY: Float64Array.from(sums, (s) => s.my / s.n),
      frames: Uint32Array.from(sums, (s) => s.n),
      firstFrame: Uint32Array.from(sums, (s) => s.first),
    },
    pairs,
  };
}

/** Registers `mov` onto `ref` from localizations of the same frames (beads or isolated emitters). */
export function registerBeads(
  ref: FramePoints,
  mov: FramePoints,
  params: BeadRegistrationParams = {},
): BeadRegistration {
  const { maxShift, pairRadius: radius, outlierFactor: k, minOutlierResidual: minOut } = withDefaults(params);
  const linkRadius = params.linkRadius ?? 100;
  if (ref.x.length === 0) throw new Error('no localizations in the reference channel');
  if (mov.x.length === 0) throw new Error('no localizations in the moving channel');
  const refIdx = indexFrames(ref);
  const movIdx = indexFrames(mov);

  // The shift, frame by frame: each frame's emitters are sparse enough to vote cleanly.
  const dxs: number[] = [];
  const dys: number[] = [];
  for (const [, ri, mi] of sharedFrames(refIdx, movIdx)) {
    const r = pickPoints(ref, ri);
    const m = pickPoints(mov, mi);
    const s = estimateShift(r.x, r.y, m.x, m.y, maxShift, radius / 2);
    if (Number.isFinite(s.dx)) {
      dxs.push(s.dx);
      dys.push(s.dy);
    }
  }
  if (dxs.length === 0)
    throw new Error(
      `no localizations of the two channels lie within ${maxShift} nm of each other in the same frame`,
    );
  const shift = { dx: median(dxs), dy: median(dys) };

  let transform: Affine = { ...IDENTITY, c: shift.dx, f: shift.dy };
  let fit: AffineFit | undefined;
  let inliers = emptyBeads();
  let outlierBeads = emptyBeads();
  let pairedLocalizations = 0;
  let previous = '';
  for (let iter = 0; iter < 10; iter++) {
    const { beads } = pairBeads(ref, mov, refIdx, movIdx, transform, radius, linkRadius);
    const n = beads.refX.length;
    if (n < 3)
      throw new Error(`only ${n} bead(s) paired between the channels: need ≥ 3 spread over the field`);
    let keep = Array.from({ length: n }, (_, i) => i);
    for (;;) {
      const b = takeBeads(beads, keep);
      fit = fitAffine(b.movX, b.movY, b.refX, b.refY);
      const { residualX, residualY } = fit;
      const r2 = Array.from(residualX, (rx, i) => rx * rx + residualY[i] ** 2).sort((a, c) => a - c);
      const sigma = Math.sqrt(r2[r2.length >> 1] / (2 * Math.LN2));
      const limit = Math.max(k * sigma, minOut);
      const next = keep.filter((_, i) => Math.hypot(residualX[i], residualY[i]) <= limit);
      if (next.length === keep.length || next.length < 3) break;
      keep = next;
    }
    transform = fit.transform;
    inliers = takeBeads(beads, keep);
    const kept = new Set(keep);
    outlierBeads = takeBeads(
      beads,
      Array.from({ length: n }, (_, i) => i).filter((i) => !kept.has(i)),
    );
    pairedLocalizations = inliers.frames.reduce((s, v) => s + v, 0);
    // Re-pair with the fitted affine (it brings in beads the bare shift left too far apart)
    // until the same beads come back.
    const key = `${n}:${keep.length}:${pairedLocalizations}`;
    if (key === previous) break;
    previous = key;
  }
  const f = fit!;
  return {
    ...f,
    transform,
    inverse: invertAffine(transform),
    beads: inliers,
    outliers: outlierBeads.refX.length,
    outlierBeads,
    pairedLocalizations,
    shift,
  };
}
