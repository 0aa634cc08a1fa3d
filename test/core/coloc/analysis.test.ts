import { describe, expect, test } from 'vitest';
import { analyzeColocalization } from '../../../src/core/coloc/analysis';
import { controlPositions, insidePolygon } from '../../../src/core/coloc/analysisControl';
import { discProvider, discSignedDistance, rasterizeDiscs } from '../../../src/core/coloc/analysisDiscs';
import { mapProvider, sampleMap, structureMapProvider } from '../../../src/core/coloc/analysisDistance';
import { histogram, histogramTable } from '../../../src/core/coloc/analysisHistogram';
import { chiSquareSf } from '../../../src/core/coloc/analysisStats';
import {
  colocalizationRuns,
  measureDistances,
  trackFractionWithin,
} from '../../../src/core/coloc/analysisTracks';
import { writeCsv } from '../../../src/core/spt/csv';

const L = 6400; // a 640 × 640 render grid at 10 nm
const R = 1000;
const disc = [{ cx: L / 2, cy: L / 2, r: R }];
const grid = { x0: 0, y0: 0, pixelNm: 10, width: 640, height: 640 };

/** P(d ≤ t) for a uniform point in the L×L square, one disc of radius R at its centre (R+t ≤ L/2). */
const cdf = (t: number) => (t < -R ? 0 : (Math.PI * (R + t) ** 2) / (L * L));

/** Chi-square goodness of fit of a histogram (with under/overflow) to the analytic disc law. */
function goodnessOfFit(h: ReturnType<typeof histogram>) {
  const { start, width, count } = h.spec;
  const edges = Array.from({ length: count + 1 }, (_, k) => start + k * width);
  const p = [cdf(edges[0]), ...edges.slice(1).map((e, k) => cdf(e) - cdf(edges[k])), 1 - cdf(edges[count])];
  const o = [h.underflow, ...h.counts, h.overflow];
  let stat = 0;
  let maxPct = 0;
  for (let k = 0; k < p.length; k++) {
    const e = p[k] * h.total;
    stat += (o[k] - e) ** 2 / e;
    maxPct = Math.max(maxPct, Math.abs((100 * o[k]) / h.total - 100 * p[k]));
  }
  return { p: chiSquareSf(stat, p.length - 1), maxPct };
}

describe('signed distance providers', () => {
  test('bilinear map lookup agrees with the exact disc distance; EVs inside get negative distances', () => {
    const map = rasterizeDiscs(disc, grid);
    let worst = 0;
    for (const [x, y] of [
      [3200, 2700],
      [4199, 3200],
      [1234.5, 987.6],
      [6390, 6395],
    ]) {
      worst = Math.max(worst, Math.abs(sampleMap(map, x, y, 'bilinear') - discSignedDistance(disc, x, y)));
    }
    expect(worst).toBeLessThan(0.5);
    const p = mapProvider([map]);
    // At the disc centre the distance has a cusp that pixel-centre samples miss by ≤ ½ diagonal.
    expect(Math.abs(p.distance(0, 3200, 3200) + 1000)).toBeLessThan(7.1);
    expect(p.distance(0, 3200, 2700)).toBeCloseTo(-500, 0);
    expect(p.distance(0, 4500, 3200)).toBeCloseTo(300, 0);
    expect(Number.isNaN(p.distance(0, -1, 10))).toBe(true);
    expect(Number.isNaN(p.distance(1, 10, 10))).toBe(true); // no map for frame 1
    // Nearest lookup returns the containing pixel's centre value.
    expect(sampleMap(map, 3205, 3209, 'nearest')).toBe(map.data[320 * 640 + 320]);
  });

  test('per-structure maps: nearest is the minimum, pooled lists every structure', () => {
    const a = rasterizeDiscs([{ cx: 1000, cy: 1000, r: 300 }], grid);
    const b = rasterizeDiscs([{ cx: 5000, cy: 1000, r: 300 }], grid);
    const p = structureMapProvider((f) => (f === 0 ? [a, b] : []), 2);
    expect(p.distance(0, 1500, 1000)).toBeCloseTo(200, 0);
    const out = new Float64Array(2);
    expect(p.structureDistances!(0, 1500, 1000, out)).toBe(2);
    expect(out[1]).toBeCloseTo(3200, 0);
    expect(p.distance(1, 1500, 1000)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('control positions', () => {
  test('uniform over the field: histogram matches the analytic disc law (exact and map providers)', () => {
    const ctrl = controlPositions(668, { kind: 'rect', x0: 0, y0: 0, x1: L, y1: L }, { seed: 5 });
    expect(ctrl.length).toBe(66_800);
    const c = ctrl.columns;
    const map = rasterizeDiscs(disc, grid);
    for (const provider of [discProvider(() => disc), mapProvider(() => map)]) {
      const h = histogram(measureDistances(c.frame, c.x, c.y, provider));
      const gof = goodnessOfFit(h);
      expect(gof.p).toBeGreaterThan(0.001);
      expect(gof.maxPct).toBeLessThan(1);
    }
    // The gof test has power: a disc 10 % larger than the truth is rejected.
    const wrong = histogram(
      measureDistances(
        c.frame,
        c.x,
        c.y,
        discProvider(() => [{ ...disc[0], r: 1100 }]),
      ),
    );
    expect(goodnessOfFit(wrong).p).toBeLessThan(1e-6);
  });

  test('uniform over a cell mask and a polygon; reproducible per frame', () => {
    // Left half of the field: by symmetry about the disc centre, the same distance law.
    const mask = new Uint8Array(640 * 640);
    for (let j = 0; j < 640; j++) mask.fill(1, j * 640, j * 640 + 320);
    const region = { kind: 'mask' as const, mask, ...grid };
    const ctrl = controlPositions(300, region, { seed: 2, perFrame: 100 });
    const c = ctrl.columns;
    expect(Math.max(...c.x)).toBeLessThan(3200);
    expect(
      goodnessOfFit(
        histogram(
          measureDistances(
            c.frame,
            c.x,
            c.y,
            discProvider(() => disc),
          ),
        ),
      ).maxPct,
    ).toBeLessThan(1.5);
    const again = controlPositions(300, region, { seed: 2, perFrame: 100 });
    expect(again.columns.x).toEqual(c.x);
    const tri = { kind: 'polygon' as const, x: [0, 4000, 0], y: [0, 0, 4000] };
    const pc = controlPositions(20, tri, { seed: 3 }).columns;
    for (let i = 0; i < pc.x.length; i++) expect(pc.x[i] + pc.y[i]).toBeLessThan(4000);
    expect(insidePolygon(tri.x, tri.y, 1000, 1000)).toBe(true);
    expect(insidePolygon(tri.x, tri.y, 3000, 3000)).toBe(false);
  });
});

describe('histograms, runs and the full analysis', () => {
  test('histogram bins, under/overflow, missing and percent', () => {
    const h = histogram([-600, -500, -449, 0, 999, 1000, Number.POSITIVE_INFINITY, Number.NaN]);
    expect(h.underflow).toBe(1);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[1]).toBe(1);
    expect(h.counts[10]).toBe(1);
    expect(h.counts[29]).toBe(1);
    expect(h.overflow).toBe(2);
    expect(h.missing).toBe(1);
    expect(h.total).toBe(7);
    const t = histogramTable(h, h);
    expect(t.columns.evPercent.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
    expect(t.columns.binStart[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(t.columns.binEnd[31]).toBe(Number.POSITIVE_INFINITY);
    expect(writeCsv(t).split('\n')[1]).toBe('-Infinity,-500,1,14.28571,1,14.28571');
  });

  test('runs within the cut-off are censored at track ends and missing frames', () => {
    // Track 0: frames 0..9; within at 0–2 (starts at track start), 5–6, 9 (track end).
    // Track 1: frames 0,1,2,5,6 (frames 3, 4 missing); within at 1–2 (ends at a gap), 5.
    const rows: [number, number, number][] = [
      ...[-10, 100, 240, 300, 500, -5, 200, 250, 900, 0].map((d, f) => [0, f, d] as [number, number, number]),
      [1, 0, 400],
      [1, 1, 100],
      [1, 2, 100],
      [1, 5, 100],
      [1, 6, 400],
    ];
    const td = {
      length: rows.length,
      columns: {
        track: Uint32Array.from(rows, (r) => r[0]),
        frame: Uint32Array.from(rows, (r) => r[1]),
        x: new Float64Array(rows.length),
        y: new Float64Array(rows.length),
        distance: Float64Array.from(rows, (r) => r[2]),
      },
    };
    const runs = colocalizationRuns(td, 240);
    expect(Array.from(runs.columns.track)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(runs.columns.startFrame)).toEqual([0, 5, 9, 1, 5]);
    expect(Array.from(runs.columns.duration)).toEqual([3, 2, 1, 2, 1]);
    expect(Array.from(runs.columns.leftCensored)).toEqual([1, 0, 0, 0, 1]);
    expect(Array.from(runs.columns.rightCensored)).toEqual([0, 0, 1, 1, 0]);
    const within = trackFractionWithin(td, 240);
    expect(Array.from(within.columns.within)).toEqual([6, 3]);
    expect(within.columns.fraction[0]).toBeCloseTo(0.6, 15);
  });

  test('EVs that sit on a structure differ from the control; their dwell time is recovered', () => {
    // 40 EVs over 668 movie frames: each alternates between sitting inside the disc edge band
    // (−120 nm) for geometric dwell times (τ = 10 frames) and sitting 780 nm away.
    const frames = 668;
    const track: number[] = [];
    const frame: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const q = Math.exp(-1 / 10);
    for (let k = 0; k < 40; k++) {
      let on = rand() < 0.5;
      let left = 1 + Math.floor(Math.log(1 - rand()) / Math.log(q));
      const angle = (2 * Math.PI * k) / 40;
      for (let f = 0; f < frames; f++) {
        const rr = on ? R - 120 : R + 780;
        track.push(k);
        frame.push(f);
        x.push(L / 2 + rr * Math.cos(angle));
        y.push(L / 2 + rr * Math.sin(angle));
        if (--left === 0) {
          on = !on;
          left = 1 + Math.floor(Math.log(1 - rand()) / Math.log(on ? q : 0.9));
        }
      }
    }
    const positions = {
      length: track.length,
      columns: {
        track: Uint32Array.from(track),
        frame: Uint32Array.from(frame),
        x: Float64Array.from(x),
        y: Float64Array.from(y),
      },
    };
    const map = rasterizeDiscs(disc, grid);
    const res = analyzeColocalization(
      positions,
      mapProvider(() => map),
      {
        movieFrames: frames,
        frameInterval: 0.03,
        controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: L, y1: L },
      },
    );
    expect(res.control.length).toBe(66_800);
    // Every EV position is either 120 nm inside or 780 nm outside (mid-bin, safe from interpolation).
    const bin = (d: number) => Math.floor((d + 500) / 50);
    const ev = res.evHistogram;
    expect(ev.counts[bin(-120)] + ev.counts[bin(780)]).toBe(ev.total);
    expect(res.evFractionWithin).toBeGreaterThan(0.35);
    expect(res.evFractionWithin).toBeLessThan(0.65);
    // Control: P(−∞ < d ≤ 240) = π(1240)²/6400² ≈ 11.8 %.
    expect(res.controlFractionWithin).toBeCloseTo(cdf(240), 2);
    expect(res.ks.p).toBeLessThan(1e-10);
    expect(res.chiSquare.p).toBeLessThan(1e-10);
    expect(Math.abs(res.durationFit.tau - 0.3) / 0.3).toBeLessThan(0.1);
    expect(res.perTrack.length).toBe(40);
  });
});
