// Issue 6 "Done when": on simulated assembling structures, the Otsu-binarized movie recovers the
// simulator's structure masks (pixel Jaccard ≥ 0.8 for structures larger than 100 nm).
//
// The scene labels its structures at a constant density per unit area and time
// (structureLabelling 'perTime': a pit keeps recruiting caveolin while it exists), so one global
// threshold suits short- and long-lived structures alike. Localizations are the simulator's
// emission events of the PALM channel, each displaced by its own precision (≈ 10–25 nm, see
// movieTruthLocs.ts). Alignment of truth and movie: movie frame n renders raw frames [nS, nS + W);
// every structure larger than 100 nm that exists over the whole window counts. Structures that
// exist during only part of the window are drawn at a fraction of their density and may or may
// not pass the threshold, and those ≤ 100 nm across (caveolae) are below the size the criterion
// covers: their pixels (dilated by 60 nm for the render blur) are left out of the comparison.
// Everything else counts: a false structure anywhere, or a missed or misshapen one, lowers the
// Jaccard.
import { describe, expect, test } from 'vitest';
import { pooledOtsuThreshold } from '../../../src/core/binarize/otsu';
import { binarize, gaussianSmooth } from '../../../src/core/binarize/smooth';
import { SlidingMovie } from '../../../src/core/movie/slidingMovie';
import { rasterizeStructureMask } from '../../../src/core/sim/masks';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';
import type { StructureTruth } from '../../../src/core/sim/truth';
import { truthLocalizations } from '../../helpers/movieTruthLocs';

const W = 400;
const S = 100;
const PX = 20;
const SMOOTH = 1;

function scene() {
  const p = presetParams('demo');
  p.frames = 2500;
  p.drift = { speedXNmPerS: 0, speedYNmPerS: 0, wobbleAmplitudeNm: 0, wobblePeriodS: 1 };
  if (p.scene.kind !== 'uptake') throw new Error('demo is an uptake scene');
  // More endocytic patches than the demo so the comparison covers many structures.
  p.scene.patchBirthsPerUm2PerS = 0.05;
  p.scene.patchMoleculesPerUm2 = 4000;
  p.scene.structureLabelling = 'perTime';
  return simulate(p);
}

/** Structure i in one window: 'full' over the whole window, 'partial', or absent. */
function presence(s: StructureTruth, i: number, start: number, end: number): 'full' | 'partial' | 'none' {
  if (s.endFrame[i] <= start || s.startFrame[i] >= end) return 'none';
  return s.startFrame[i] <= start && s.endFrame[i] >= end ? 'full' : 'partial';
}

describe('binarized movie vs the simulator’s structure masks', () => {
  test('pixel Jaccard ≥ 0.8 for structures larger than 100 nm', () => {
    const sim = scene();
    const locs = truthLocalizations(sim, 0, 7);
    const p = sim.params;
    const grid = {
      x0Nm: 0,
      y0Nm: 0,
      width: (p.width * p.pixelSizeNm) / PX,
      height: (p.height * p.pixelSizeNm) / PX,
      pixelNm: PX,
    };
    const movie = SlidingMovie.fromTable(
      locs,
      { window: W, step: S, grid, sigma: { kind: 'precision', factor: 1, minNm: 5 } },
      p.frames,
    );
    const smoothed = (n: number) => gaussianSmooth(movie.getFrame(n), grid.width, grid.height, SMOOTH);
    const threshold = pooledOtsuThreshold(movie.frameCount, smoothed, { sampleFrames: 10 });
    expect(Number.isFinite(threshold)).toBe(true);

    const s = sim.truth.structures;
    const n = grid.width * grid.height;
    let counted = 0;
    const one = new Int32Array(n);
    let inter = 0;
    let union = 0;
    let am = 0;
    let bt = 0;
    for (const f of movie.frames()) {
      const mask = binarize(gaussianSmooth(f.image, grid.width, grid.height, SMOOTH), threshold);
      const truth = new Uint8Array(n);
      const ignore = new Uint8Array(n);
      for (let i = 0; i < s.length; i++) {
        const pr = presence(s, i, f.startFrame, f.endFrame);
        if (pr === 'none') continue;
        const big = 2 * Math.max(s.rx[i], s.ry[i]) > 100;
        const counts = pr === 'full' && big;
        if (counts) counted++;
        // Rasterize this structure alone (dilated when it is excluded).
        const pad = counts ? 0 : 60;
        const only: StructureTruth = {
          ...s,
          length: 1,
          id: Uint32Array.of(0),
          x: Float64Array.of(s.x[i]),
          y: Float64Array.of(s.y[i]),
          rx: Float64Array.of(s.rx[i] + pad),
          ry: Float64Array.of(s.ry[i] + pad),
          angle: Float64Array.of(s.angle[i]),
          startFrame: Int32Array.of(0),
          endFrame: Int32Array.of(1),
        };
        rasterizeStructureMask(only, 0, { width: grid.width, height: grid.height, pixelSizeNm: PX }, one);
        const target = counts ? truth : ignore;
        for (let k = 0; k < n; k++) if (one[k]) target[k] = 1;
      }
      let fi = 0;
      let fu = 0;
      for (let k = 0; k < n; k++) {
        if (ignore[k] && !truth[k]) continue;
        if (mask[k]) am++;
        if (truth[k]) bt++;
      }
      for (let k = 0; k < n; k++) {
        if (ignore[k] && !truth[k]) continue;
        const a = mask[k];
        const b = truth[k];
        if (a && b) fi++;
        if (a || b) fu++;
      }
      inter += fi;
      union += fu;
    }
    const jaccard = inter / union;
    console.info(
      `recovery: ${counted} structure-windows, Jaccard ${jaccard.toFixed(3)}, missed-vs-truth ${(am / bt).toFixed(2)}`,
    );
    expect(counted).toBeGreaterThanOrEqual(20);
    // Both kinds of error count: missed pixels (am < bt) and false ones.
    expect(am).toBeGreaterThan(0.8 * bt);
    expect(jaccard).toBeGreaterThanOrEqual(0.8);
  });
});
