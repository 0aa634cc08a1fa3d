// compareWithTruth on hand-built cases: known offsets give the bias and RMSE, the CRLB mixture
// predicts as many matches as there are, and frame ranges restrict both tables.
import { describe, expect, test } from 'vitest';
import { locTableFromColumns } from '../../../src/core/locs/table';
import { Rng } from '../../../src/core/random';
import { compareWithTruth } from '../../../src/core/score/compare';
import { crlbForChannel, crlbNm } from '../../../src/core/score/crlb';
import { presetParams } from '../../../src/core/sim/presets';

const params = presetParams('isolated');

/** Truth: `perFrame` emitters per frame on a grid, photons cycling through `photons`. */
function truthTable(frames: number, perFrame: number, photons: number[]) {
  const f: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const p: number[] = [];
  for (let k = 0; k < frames; k++)
    for (let e = 0; e < perFrame; e++) {
      f.push(k);
      x.push(600 + (e % 4) * 1200);
      y.push(600 + Math.floor(e / 4) * 1200);
      p.push(photons[(k * perFrame + e) % photons.length]);
    }
  return locTableFromColumns({
    frame: Uint32Array.from(f),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    photons: Float64Array.from(p),
  });
}

describe('compareWithTruth', () => {
  test('Gaussian errors at the CRLB: bias, RMSE ≈ CRLB, histogram matches the prediction', () => {
    const truth = truthTable(400, 8, [1000]);
    const crlb = crlbForChannel(params, 0);
    const rng = new Rng(3, 0);
    const x = new Float64Array(truth.length);
    const y = new Float64Array(truth.length);
    for (let i = 0; i < truth.length; i++) {
      x[i] = truth.columns.x[i] + 5 + crlb.x * rng.normal();
      y[i] = truth.columns.y[i] - 3 + crlb.y * rng.normal();
    }
    const locs = locTableFromColumns({ frame: truth.columns.frame.slice(), x, y });
    const r = compareWithTruth(truth, locs, params, 0, { start: 0, end: 400 });
    expect(r.tp).toBe(truth.length);
    expect(r.jaccard).toBe(1);
    expect(r.biasX).toBeCloseTo(5, 0);
    expect(r.biasY).toBeCloseTo(-3, 0);
    // Bias adds to the RMSE: √(CRLB² + bias²) per axis.
    expect(r.rmseX).toBeCloseTo(Math.hypot(crlb.x, 5), 0);
    expect(r.crlbMatched.lateral).toBeCloseTo(crlb.lateral, 1);
    expect(r.rmseOverCrlb).toBeGreaterThan(1);
    expect(r.rmseOverCrlb).toBeLessThan(1.4);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    // Almost all matches fall inside the histogram range; the prediction covers the same number.
    expect(sum(r.histX.counts)).toBeGreaterThan(0.99 * r.tp);
    expect(sum(r.histX.expected)).toBeGreaterThan(0.99 * r.tp);
    expect(r.histX.edges.length).toBe(r.histX.counts.length + 1);
    // The measured histogram is the predicted one shifted by the bias: its peak sits right of 0.
    const peak = r.histX.counts.indexOf(Math.max(...r.histX.counts));
    expect((r.histX.edges[peak] + r.histX.edges[peak + 1]) / 2).toBeGreaterThan(0);
    expect(r.scatter.photons.length).toBe(1500);
  });

  test('error vs photons: bins span the photon range, CRLB falls with photons', () => {
    const truth = truthTable(200, 8, [200, 400, 800, 1600, 3200]);
    const locs = locTableFromColumns({
      frame: truth.columns.frame.slice(),
      x: truth.columns.x.map((v: number) => v + 10),
      y: truth.columns.y.slice(),
    });
    const r = compareWithTruth(truth, locs, params, 0, { start: 0, end: 200 });
    const b = r.photonBins;
    expect(b.photons[0]).toBeGreaterThanOrEqual(200);
    expect(b.photons[b.photons.length - 1]).toBeLessThanOrEqual(3200);
    const sum = Array.from(b.count).reduce((s, v) => s + v, 0);
    expect(sum).toBe(r.tp);
    const crlbs = Array.from(b.crlb);
    for (let k = 1; k < crlbs.length; k++) expect(crlbs[k]).toBeLessThan(crlbs[k - 1]);
    for (let k = 0; k < b.rmse.length; k++) if (b.count[k]) expect(b.rmse[k]).toBeCloseTo(10, 6);
    // The CRLB at 800 photons: the mean of CRLB² over the matches includes it.
    const c800 = crlbNm({ ...params.channels[0], photons: 800, pixelSizeNm: 100, camera: params.camera });
    expect(r.crlbMatched.lateral).toBeGreaterThan(c800.lateral * 0.5);
  });

  test('frame range restricts truth and localizations; misses and false positives per block', () => {
    const truth = truthTable(100, 4, [1000]);
    // Localizations only for frames 0–49, plus one far-off false positive in frame 10.
    const keep = Array.from(truth.columns.frame, (f) => f < 50);
    const idx = keep.flatMap((k, i) => (k ? [i] : []));
    const locs = locTableFromColumns({
      frame: Uint32Array.from([...idx.map((i) => truth.columns.frame[i]), 10]),
      x: Float64Array.from([...idx.map((i) => truth.columns.x[i]), 3000]),
      y: Float64Array.from([...idx.map((i) => truth.columns.y[i]), 3000]),
    });
    const all = compareWithTruth(truth, locs, params, 0, { start: 0, end: 100 });
    expect(all.truthCount).toBe(400);
    expect(all.fn).toBe(200);
    expect(all.fp).toBe(1);
    const half = compareWithTruth(truth, locs, params, 0, { start: 0, end: 50 });
    expect(half.truthCount).toBe(200);
    expect(half.fn).toBe(0);
    expect(half.recall).toBe(1);
    expect(half.frames).toEqual({ start: 0, end: 50 });
    // Jaccard over time: 1 where found, 0 where nothing was localized.
    const j = Array.from(all.frameBlocks.jaccard);
    expect(j.at(-1)).toBe(0);
    expect(all.frameBlocks.start[0]).toBe(0);
    expect(all.frameBlocks.end.at(-1)).toBe(100);
    expect(Math.max(...j)).toBe(1);
  });

  test('no matches: summary NaNs, empty plots, no throw', () => {
    const truth = truthTable(3, 2, [1000]);
    const locs = locTableFromColumns({
      frame: Uint32Array.from([0]),
      x: Float64Array.from([9000]),
      y: Float64Array.from([9000]),
    });
    const r = compareWithTruth(truth, locs, params, 0, { start: 0, end: 3 });
    expect(r.tp).toBe(0);
    expect(r.rmse).toBeNaN();
    expect(r.rmseOverCrlb).toBeNaN();
    expect(r.photonBins.photons.length).toBe(0);
    expect(r.scatter.error.length).toBe(0);
  });
});
