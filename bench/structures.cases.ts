// The per-movie-frame structures pipeline over the 668-frame reference movie (issue 19: ≤ 5 s):
// Gaussian smoothing (σ = 1 render px, the distance step's default), binarization at the pooled
// Otsu threshold, 26-connected labelling in (x, y, t) (the Structures step), and the signed
// distances the Distances step measures per frame (FrameSweep: 300 positions per frame, as 100
// EV positions + 100 control points + 100 control-track positions). The whole-frame signed EDT
// (what a per-pixel distance map costs) and the movie frames themselves (the sliding window, the
// Movie step's work) are timed apart. `structures-668` smooths and binarizes incrementally
// (IncrementalSmoother: only around the pixels that changed since the previous frame) and counts
// the mask pixels that differ from the from-scratch path on every 10th frame (untimed);
// `structures-668-scratch` is the from-scratch path (gaussianSmooth + binarize per frame).

import { IncrementalSmoother } from '../src/core/binarize/incrementalSmooth';
import { pooledOtsuThreshold } from '../src/core/binarize/otsu';
import { binarize, gaussianSmooth } from '../src/core/binarize/smooth';
import { StructureLabeller } from '../src/core/binarize/structures';
import { FrameSweep } from '../src/core/coloc/frameSweep';
import { signedDistanceField } from '../src/core/coloc/signedDistance';
import { Rng } from '../src/core/random';
import { nm } from '../src/core/units';
import { grid, referenceMovie } from './movie.cases';
import type { BenchCase } from './types';

export const SMOOTH_PX = 1;
const POINTS_PER_FRAME = 300;

export function queryPoints(frames: number, widthNm: number, heightNm: number) {
  const r = new Rng(19);
  const n = frames * POINTS_PER_FRAME;
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    frame[i] = Math.floor(i / POINTS_PER_FRAME);
    x[i] = r.uniform() * widthNm;
    y[i] = r.uniform() * heightNm;
  }
  return { frame, x, y };
}

function structuresCase(name: string, incremental: boolean): BenchCase {
  return {
    name,
    where: ['node', 'browser'],
    run: () => runStructures(incremental),
  };
}

async function runStructures(incremental: boolean) {
  const { movie } = referenceMovie();
  const { width, height } = grid;
  const threshold = pooledOtsuThreshold(movie.frameCount, (n) =>
    gaussianSmooth(movie.getFrame(n), width, height, SMOOTH_PX),
  );
  const inc = new IncrementalSmoother(width, height, SMOOTH_PX, threshold);
  const smoothed = incremental ? inc.smoothed : new Float32Array(width * height);
  const mask = incremental ? inc.mask : new Uint8Array(width * height);
  const check = new Uint8Array(width * height);
  let maskDiffs = 0;
  let changedPx = 0;
  const field = new Float32Array(width * height);
  const labeller = new StructureLabeller(width, height, 26, grid);
  const sweep = new FrameSweep(
    movie.frameCount,
    [queryPoints(movie.frameCount, width * grid.pixelNm, height * grid.pixelNm)],
    { grid },
  );
  const ms = { movie: 0, smooth: 0, binarize: 0, label: 0, distance: 0, edt: 0, check: 0 };
  // CPU time of the pipeline's stages too (Node): on a loaded machine wall time measures the
  // load as much as the code.
  let cpuMs = 0;
  const pipelineStage = new Set(['smooth', 'binarize', 'label', 'distance']);
  let t = performance.now();
  let c = cpuNowMs();
  const lap = (k: keyof typeof ms) => {
    const now = performance.now();
    ms[k] += now - t;
    t = now;
    const cNow = cpuNowMs();
    if (pipelineStage.has(k)) cpuMs += cNow - c;
    c = cNow;
  };
  let checksum = 0;
  for (const f of movie.frames()) {
    lap('movie');
    if (incremental) {
      // Smoothing and binarizing are one pass here: both are timed as 'smooth'.
      // The movie lists the pixels its splats touched: the smoother reads only those.
      inc.next(f.image, f.changed);
      changedPx += inc.lastChanged;
      lap('smooth');
      if (f.index % 10 === 0) {
        binarize(gaussianSmooth(f.image, width, height, SMOOTH_PX), threshold, check);
        for (let i = 0; i < check.length; i++) if (check[i] !== mask[i]) maskDiffs++;
      }
      lap('check');
    } else {
      gaussianSmooth(f.image, width, height, SMOOTH_PX, smoothed);
      lap('smooth');
      binarize(smoothed, threshold, mask);
      lap('binarize');
    }
    labeller.addFrame(mask);
    lap('label');
    sweep.addFrame(f.index, mask);
    lap('distance');
    // The whole-frame field on every 10th frame: its cost does not depend on the content.
    if (f.index % 10 === 0) {
      signedDistanceField(mask, width, height, nm(grid.pixelNm), field);
      checksum += field[(height >> 1) * width + (width >> 1)];
    }
    lap('edt');
  }
  const labelled = labeller.finish();
  lap('label');
  const n = movie.frameCount;
  const pipeline = ms.smooth + ms.binarize + ms.label + ms.distance;
  return {
    path: incremental ? 'incremental smoothing + binarize' : 'from scratch',
    frames: n,
    'frame px': `${width}×${height}`,
    structures: labelled.count,
    'pipeline s': pipeline / 1000,
    'pipeline ms/frame': pipeline / n,
    ...(Number.isNaN(cpuMs) ? {} : { 'pipeline CPU s': cpuMs / 1000 }),
    'smooth ms/frame': ms.smooth / n,
    'binarize ms/frame': incremental ? '(in smooth)' : ms.binarize / n,
    ...(incremental
      ? {
          'changed input px/frame': Math.round(changedPx / n),
          'mask px ≠ from scratch (every 10th frame)': maskDiffs,
        }
      : {}),
    'label ms/frame': ms.label / n,
    'distances ms/frame': ms.distance / n,
    'whole-frame signed EDT ms (apart)': ms.edt / Math.ceil(n / 10),
    'movie ms/frame (apart)': ms.movie / n,
    checksum: Math.round(checksum),
    'distance checksum': Math.round(distanceChecksum(sweep, movie.frameCount, width * grid.pixelNm)),
  };
}

/** Process CPU time, ms (NaN where unknown: the browser). */
export function cpuNowMs(): number {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const u = p?.cpuUsage?.();
  return u ? (u.user + u.system) / 1000 : Number.NaN;
}

// Sum of the finite distances read back: equal before and after a kernel change.
export function distanceChecksum(sweep: FrameSweep, frames: number, widthNm: number): number {
  const p = sweep.provider();
  const pts = queryPoints(frames, widthNm, widthNm);
  let s = 0;
  for (let i = 0; i < pts.frame.length; i++) {
    const d = p.distance(pts.frame[i], pts.x[i], pts.y[i]);
    if (Number.isFinite(d)) s += d;
  }
  return s;
}

export const structures668 = structuresCase('structures-668', true);
export const structures668Scratch = structuresCase('structures-668-scratch', false);

export const structuresCases: BenchCase[] = [structures668, structures668Scratch];
