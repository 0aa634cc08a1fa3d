// The reference super-resolution movie (SCIENCE.md §1, §3): 5008 raw frames at 200 frames/s,
// windows of 1002 frames advanced by 6 → 668 movie frames, over a 128×128 camera-pixel region
// (100 nm px → 12.8 µm) rendered at 10 nm (1280² px). About 15 localizations per raw frame
// (75k in all), 80% of them on disc-shaped structures (r 100–300 nm) that come and go.
import { labelMovieStructures } from '../src/core/binarize/movieStructures';
import { pooledOtsuThreshold } from '../src/core/binarize/otsu';
import { binarize } from '../src/core/binarize/smooth';
import { StructureDistances, signedDistanceField } from '../src/core/coloc/signedDistance';
import { colormapLut, paintFrame } from '../src/core/display/colormaps';
import { locTableFromColumns } from '../src/core/locs/table';
import { gridForCameraRegion } from '../src/core/movie/grid';
import { SlidingMovie } from '../src/core/movie/slidingMovie';
import { Rng } from '../src/core/random';
import type { BenchCase } from './types';

const F = 5008;
const W = 1002;
const S = 6;
export const grid = gridForCameraRegion({ x: 0, y: 0, width: 128, height: 128 }, 100, 10);
const FIELD_NM = 12_800;

function simulate() {
  const r = new Rng(668);
  const discs = Array.from({ length: 40 }, () => {
    const on = Math.floor(r.uniform() * F);
    return {
      x: 400 + r.uniform() * (FIELD_NM - 800),
      y: 400 + r.uniform() * (FIELD_NM - 800),
      r: 100 + r.uniform() * 200,
      on,
      off: Math.min(F, on + 1000 + Math.floor(r.uniform() * 3000)),
    };
  });
  const perNm2PerFrame = 12 / (20 * Math.PI * 200 * 200);
  const frame: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const precision: number[] = [];
  const add = (f: number, tx: number, ty: number) => {
    const p = 15 + 12 * r.uniform();
    frame.push(f);
    x.push(tx + p * r.normal());
    y.push(ty + p * r.normal());
    precision.push(p);
  };
  for (let f = 0; f < F; f++) {
    for (const d of discs) {
      if (f < d.on || f >= d.off) continue;
      const n = r.poisson(perNm2PerFrame * Math.PI * d.r * d.r);
      for (let k = 0; k < n; k++) {
        const rho = d.r * Math.sqrt(r.uniform());
        const phi = 2 * Math.PI * r.uniform();
        add(f, d.x + rho * Math.cos(phi), d.y + rho * Math.sin(phi));
      }
    }
    const nb = r.poisson(3);
    for (let k = 0; k < nb; k++) add(f, r.uniform() * FIELD_NM, r.uniform() * FIELD_NM);
  }
  return locTableFromColumns({
    frame: Uint32Array.from(frame),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    precision: Float32Array.from(precision),
  });
}

let shared: { movie: SlidingMovie; threshold?: number } | undefined;
/** The reference movie, simulated and indexed once per run (cases share it). */
export function referenceMovie() {
  shared ??= {
    movie: SlidingMovie.fromTable(
      simulate(),
      { window: W, step: S, grid, sigma: { kind: 'precision', factor: 1 } },
      F,
    ),
  };
  return shared;
}

const movieAllFrames: BenchCase = {
  name: 'movie-668-frames',
  where: ['node', 'browser'],
  async run() {
    const t0 = performance.now();
    const { movie } = referenceMovie();
    const tSetup = performance.now() - t0;
    const t1 = performance.now();
    let checksum = 0;
    for (const f of movie.frames()) checksum += f.image[640 * 1280 + 640];
    const ms = performance.now() - t1;
    return {
      localizations: movie.localizationCount,
      frames: movie.frameCount,
      pixels: grid.width * grid.height,
      'simulate+index ms': tSetup,
      'movie s': ms / 1000,
      'ms/frame': ms / movie.frameCount,
      checksum,
    };
  },
};

const movieStructures: BenchCase = {
  name: 'movie-otsu-label26',
  where: ['node', 'browser'],
  async run() {
    const ref = referenceMovie();
    const { movie } = ref;
    const t0 = performance.now();
    const threshold = pooledOtsuThreshold(movie.frameCount, (n) => movie.getFrame(n));
    const otsuMs = performance.now() - t0;
    ref.threshold = threshold;
    // Time the labelling apart from the movie frames it consumes.
    let renderMs = 0;
    const frames = (function* () {
      let t = performance.now();
      for (const f of movie.frames()) {
        renderMs += performance.now() - t;
        yield f.image;
        t = performance.now();
      }
    })();
    const t1 = performance.now();
    const s = labelMovieStructures(frames, { grid, threshold, connectivity: 26 });
    const totalMs = performance.now() - t1;
    return {
      'otsu ms (10 frames)': otsuMs,
      threshold,
      structures: s.count,
      observations: s.observations.length,
      'binarize+label s': (totalMs - renderMs) / 1000,
      'binarize+label ms/frame': (totalMs - renderMs) / movie.frameCount,
      'with movie s': totalMs / 1000,
    };
  },
};

const movieEdt: BenchCase = {
  name: 'movie-signed-distance',
  where: ['node', 'browser'],
  async run() {
    const ref = referenceMovie();
    const { movie } = ref;
    const threshold = ref.threshold ?? pooledOtsuThreshold(movie.frameCount, (n) => movie.getFrame(n));
    // Every 10th frame: the EDT does not depend on content, so a sample gives the rate.
    const picks = Array.from({ length: Math.ceil(movie.frameCount / 10) }, (_, k) => 10 * k);
    const mask = new Uint8Array(grid.width * grid.height);
    const field = new Float32Array(grid.width * grid.height);
    let edtMs = 0;
    let perStructureMs = 0;
    let queries = 0;
    const r = new Rng(1);
    const out = new Float64Array(256);
    for (const n of picks) {
      binarize(movie.getFrame(n), threshold, mask);
      const t0 = performance.now();
      signedDistanceField(mask, grid.width, grid.height, grid.pixelNm, field);
      edtMs += performance.now() - t0;
      // 100 random control positions per frame against every structure of the frame.
      const labels = labelMovieStructures([mask], { grid, threshold: 0.5, connectivity: 8 }).labelFrame(0);
      const t1 = performance.now();
      const sd = new StructureDistances(labels, grid);
      const buf = sd.count <= out.length ? out : new Float64Array(sd.count);
      for (let k = 0; k < 100; k++) sd.signedDistances(r.uniform() * FIELD_NM, r.uniform() * FIELD_NM, buf);
      perStructureMs += performance.now() - t1;
      queries += 100 * sd.count;
    }
    return {
      frames: picks.length,
      'signed EDT ms/frame': edtMs / picks.length,
      'per-structure ms/frame (100 positions)': perStructureMs / picks.length,
      'position×structure queries': queries,
    };
  },
};

// Playback in Chromium: (a) precomputed RGBA frames drawn to an on-screen canvas the way the
// player does (putImageData on a native-size canvas, drawImage scaled into the view), and (b) the
// whole path per frame as the movie worker runs it (slide to frame n, colour map, draw).
const moviePlayback: BenchCase = {
  name: 'movie-playback',
  where: ['browser'],
  async run() {
    const { movie } = referenceMovie();
    const { width, height } = grid;
    const lut = colormapLut('hot');
    const win = { min: 0, max: 0.002 };
    const K = 60;
    const frames = Array.from({ length: K }, (_, k) => {
      const rgba = new Uint8ClampedArray(width * height * 4);
      paintFrame(movie.getFrame(k * 10), width, height, win, lut, rgba, width);
      return new ImageData(rgba, width, height);
    });
    const native = document.createElement('canvas');
    native.width = width;
    native.height = height;
    const view = document.createElement('canvas');
    view.width = 900;
    view.height = 700;
    document.body.appendChild(view);
    const nctx = native.getContext('2d')!;
    const vctx = view.getContext('2d')!;
    const draw = (img: ImageData) => {
      nctx.putImageData(img, 0, 0);
      vctx.setTransform(0.5, 0, 0, 0.5, 0, 0);
      vctx.drawImage(native, 0, 0);
    };
    draw(frames[0]);
    const t0 = performance.now();
    for (let r = 0; r < 3; r++) for (const f of frames) draw(f);
    // Force the drawing to complete before stopping the clock.
    vctx.getImageData(0, 0, 1, 1);
    const precomputedMs = (performance.now() - t0) / (3 * K);
    const rgba = new Uint8ClampedArray(width * height * 4);
    const t1 = performance.now();
    for (let n = 100; n < 100 + K; n++) {
      paintFrame(movie.getFrame(n), width, height, win, lut, rgba, width);
      draw(new ImageData(rgba, width, height));
    }
    vctx.getImageData(0, 0, 1, 1);
    const liveMs = (performance.now() - t1) / K;
    view.remove();
    return {
      'frame px': `${width}×${height}`,
      'precomputed draw ms/frame': precomputedMs,
      'precomputed fps': 1000 / precomputedMs,
      'slide+colour+draw ms/frame': liveMs,
      'live fps (one thread)': 1000 / liveMs,
    };
  },
};

export const movieCases: BenchCase[] = [movieAllFrames, movieStructures, movieEdt, moviePlayback];
