// Benchmarks for EV tracking and the EV ↔ structure distance analysis (splice `sptCases` into
// bench/cases.ts).
import { analyzeColocalization } from '../src/core/coloc/analysis';
import { type Disc, rasterizeDiscs } from '../src/core/coloc/analysisDiscs';
import { type DistanceMap, mapProvider } from '../src/core/coloc/analysisDistance';
import { Rng } from '../src/core/random';
import { trackDetections } from '../src/core/spt/link';
import { summarizeTracks } from '../src/core/spt/summary';
import type { BenchCase } from './types';

const colocDistance: BenchCase = {
  name: 'coloc-distance-analysis',
  where: ['node', 'browser'],
  async run() {
    // The reference study's scale: 668 movie frames, 100 EV tracks, 100 control points per
    // frame, signed-distance maps of 640 × 640 at 10 nm. 668 distinct maps would take 1.1 GB, so
    // 16 distinct maps are cycled; a lookup costs the same whichever map it reads.
    const frames = 668;
    const grid = { x0: 0, y0: 0, pixelNm: 10, width: 640, height: 640 };
    const r = new Rng(1);
    const t0 = performance.now();
    const maps: DistanceMap[] = [];
    for (let m = 0; m < 16; m++) {
      const discs: Disc[] = Array.from({ length: 6 }, () => ({
        cx: r.uniform() * 6400,
        cy: r.uniform() * 6400,
        r: 100 + 400 * r.uniform(),
      }));
      maps.push(rasterizeDiscs(discs, grid));
    }
    const tMaps = performance.now() - t0;
    const n = frames * 100;
    const track = new Uint32Array(n);
    const frame = new Uint32Array(n);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0, i = 0; k < 100; k++) {
      let px = r.uniform() * 6400;
      let py = r.uniform() * 6400;
      for (let f = 0; f < frames; f++, i++) {
        px = Math.min(6399, Math.max(0, px + 20 * r.normal()));
        py = Math.min(6399, Math.max(0, py + 20 * r.normal()));
        track[i] = k;
        frame[i] = f;
        x[i] = px;
        y[i] = py;
      }
    }
    const t1 = performance.now();
    const res = analyzeColocalization(
      { length: n, columns: { track, frame, x, y } },
      mapProvider((f) => maps[f % 16]),
      {
        movieFrames: frames,
        frameInterval: 0.03,
        controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: 6400, y1: 6400 },
      },
    );
    const tAnalysis = performance.now() - t1;
    return {
      'maps16 ms': tMaps,
      'analysis ms': tAnalysis,
      positions: n + res.control.length,
      'EV within 240 nm %': 100 * res.evFractionWithin,
      runs: res.runs.length,
    };
  },
};

const sptTracking: BenchCase = {
  name: 'spt-tracking',
  where: ['node', 'browser'],
  async run() {
    // 50 Brownian EVs (D 0.05–0.2 µm²/s, 5 ms frames) in a 25 µm field over 5000 frames,
    // 20 nm noise, 3 % missed detections, 1 spurious spot per frame.
    const r = new Rng(2);
    const P = 50;
    const F = 5000;
    const px = Float64Array.from({ length: P }, () => r.uniform() * 25_000);
    const py = Float64Array.from({ length: P }, () => r.uniform() * 25_000);
    const step = Float64Array.from({ length: P }, () =>
      Math.sqrt(2 * (0.05 + 0.15 * r.uniform()) * 1e6 * 0.005),
    );
    const frame: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    for (let f = 0; f < F; f++) {
      for (let k = 0; k < P; k++) {
        px[k] += step[k] * r.normal();
        py[k] += step[k] * r.normal();
        if (r.uniform() < 0.03) continue;
        frame.push(f);
        x.push(px[k] + 20 * r.normal());
        y.push(py[k] + 20 * r.normal());
      }
      frame.push(f);
      x.push(r.uniform() * 25_000);
      y.push(r.uniform() * 25_000);
    }
    const det = {
      length: frame.length,
      frame: Uint32Array.from(frame),
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      intensity: new Float64Array(frame.length).fill(1),
    };
    const t0 = performance.now();
    const res = trackDetections(det, { maxLinkDistance: 250, maxGap: 2 });
    const tTrack = performance.now() - t0;
    const t1 = performance.now();
    const summary = summarizeTracks(res.tracks, { frameInterval: 0.005 });
    const tSummary = performance.now() - t1;
    return {
      detections: det.length,
      'tracking ms': tTrack,
      'summary+MSD ms': tSummary,
      tracks: summary.length,
      gapsClosed: res.gapsClosed,
    };
  },
};

export const sptCases: BenchCase[] = [colocDistance, sptTracking];
